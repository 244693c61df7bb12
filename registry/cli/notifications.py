"""`flask notifications remind`: the reminders that go out by themselves, run from cron once a day
(notifications/reminders.py says what is reminded, to whom and when)."""

import sys
from datetime import date

import click
from flask import g
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError, OperationalError

from registry.audit.services import Actor, acting_as
from registry.cli.groups import needs_schema, notifications_cli
from registry.dates import today
from registry.extensions import db
from registry.notifications import reminders
from registry.notifications import services as notifications

# Two runs at once (two hosts' crons): the later one's keys meet the first one's, it writes nothing and tries
# again, and then finds what the first one sent. SQLite may instead report the other writer as busy.
RACES = (IntegrityError, OperationalError)


@notifications_cli.command("remind")
@click.option("--dry-run", is_flag=True, help="Vis, hvad der ville blive sendt, uden at skrive noget.")
@needs_schema
def remind(dry_run):
    """Skriv dagens påmindelser i udbakken og send dem (til cron, én gang om dagen; sender intet to gange)."""
    with acting_as(Actor("cli:notifications-remind")):
        report = write(today(), dry_run=dry_run)
    for batch in report.batches:
        recipients = ngettext("%(num)d modtager", "%(num)d modtagere", len(batch.recipients))
        click.echo(f"{batch.audience}: {batch.subject} ({recipients})")
    for audience, kind in report.unreachable:
        click.echo(f"{audience}: ingen e-mailadresse, så påmindelsen venter, til der er en ({kind.danish})")
    if not report.batches and not report.unreachable:
        click.echo("Ingen påmindelser i dag.")
    if dry_run:
        click.echo("Prøvekørsel: intet er skrevet.")
        return
    ids = [message.id for message in report.messages]
    if not ids:
        return
    if not notifications.mail_configured():
        click.echo("MAIL_SERVER er ikke sat, så beskederne venter i udbakken (/udbakke).")
        return
    try:
        sent = notifications.deliver(limit=len(ids), ids=ids)
    except notifications.MailServerUnavailable as error:
        click.echo(f"{error.sent} sendt; resten venter i udbakken til flask notifications send-mail. {error}",
                   err=True)
        sys.exit(1)
    click.echo(ngettext("%(num)d besked sendt.", "%(num)d beskeder sendt.", sent))


def write(day: date, *, dry_run: bool = False, again: bool = True) -> reminders.Report:
    """The day's reminders, committed (rolled back in a dry run), the messages' ids kept for sending.

    A run that meets another's keys has written nothing; it tries once more, and reads what the other sent."""
    try:
        report = reminders.remind(day, dry_run=dry_run)
        for message in report.messages:
            db.session.expunge(message)  # its id stays readable after the commit, without a query each
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
    except RACES as error:
        db.session.rollback()
        g.pop(notifications.QUEUED, None)
        if again:
            return write(day, dry_run=dry_run, again=False)
        raise click.ClickException(f"Påmindelserne kunne ikke skrives, og intet er skrevet (en anden kørsel skriver "
                                   f"netop nu, eller databasen svarer ikke): {error}") from None
    g.pop(notifications.QUEUED, None)  # the command sends them itself, where a failure can set the exit status
    return report
