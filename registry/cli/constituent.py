"""`flask registry place-round|decide-meeting|record-authority-appointments`: the constituent meeting of an
election-period round, as on the pages /moeder/runde, /moeder/<id>/beslutninger[?punkt=<item id>] and
/indstillinger/afventende.
Each is all or nothing."""

from datetime import date

import click
import sqlalchemy as sa
from flask import current_app
from flask_babel import ngettext

from registry.cli.groups import iso_date, needs_schema, registry_cli
from registry.cli.rounds import PERIOD_HELP, chosen_period, pairs, save_as, whole_number
from registry.extensions import db
from registry.meetings import constituent
from registry.meetings.constituent import DEFERRED
from registry.meetings.models import Meeting, Outcome
from registry.nominations.models import Nomination
from registry.notifications import services as notifications

COUNCIL_HELP = "Det KKR, mødet hører til (standard: registrets, COUNCIL_NAME)."


def _at_most(length: int):
    """A text option's callback: stripped, empty as none, and at most `length` characters, as the form has it."""

    def checked(ctx, param, value):
        value = (value or "").strip() or None
        if value is not None and len(value) > length:
            raise click.BadParameter(f"Højst {length} tegn.")
        return value

    return checked


def _council(name: str | None) -> str:
    return name or current_app.config["COUNCIL_NAME"]


def _described(nomination: Nomination) -> str:
    return (f"{nomination.person.name} som {nomination.role.danish}, {nomination.seat.organisation.name}, "
            f"{nomination.seat.label} (indstilling {nomination.id})")


@registry_cli.command("place-round")
@click.option("--period", "period_name", metavar="NAVN", help=PERIOD_HELP)
@click.option("--meeting-date", required=True, callback=iso_date, metavar="ÅÅÅÅ-MM-DD",
              help="Det konstituerende møde (oprettes, hvis det ikke findes).")
@click.option("--section", default="5", show_default=True, callback=_at_most(5), metavar="PUNKT",
              help="Dagsordenens punkt: organisationerne bliver underpunkter i alfabetisk orden, 5.1, 5.2 osv.")
@click.option("--council", callback=_at_most(100), metavar="NAVN", help=COUNCIL_HELP)
@click.option("--location", callback=_at_most(300), metavar="STED", help="Mødested.")
@click.option("--case-number", callback=_at_most(50), metavar="SAGSNR", help="Sagsnummer, fx SAG-2026-00012.")
@needs_schema
def place_round(period_name, meeting_date, section, council, location, case_number):
    """Sæt alle rundens indsendte indstillinger på ét mødes dagsorden, ét punkt pr. organisation."""
    period = chosen_period(period_name)
    council = _council(council)
    found = constituent.round_nominations(period)
    items = save_as("cli:place-round", lambda: constituent.place_round(
        found, meeting_date, section or "", council=council, location=location, case_number=case_number))
    notifications.deliver_after_commit()
    click.echo(ngettext("%(num)d indstilling fra valgperioden %(period)s er sat på dagsordenen for %(council)s "
                        "%(day)s, ét punkt pr. organisation:",
                        "%(num)d indstillinger fra valgperioden %(period)s er sat på dagsordenen for %(council)s "
                        "%(day)s, ét punkt pr. organisation:", len(found), period=period.name, council=council,
                        day=meeting_date.isoformat()))
    for item in items:
        click.echo(f"  {item.number} {item.title}")


@registry_cli.command("decide-meeting")
@click.option("--meeting-date", required=True, callback=iso_date, metavar="ÅÅÅÅ-MM-DD", help="Mødets dato.")
@click.option("--item", "item_number", callback=_at_most(20), metavar="PUNKT",
              help="Kun dette punkt på dagsordenen, fx 5.3 (standard: hele mødet).")
@click.option("--effective", callback=iso_date, metavar="ÅÅÅÅ-MM-DD",
              help="Den dag, KKR's egne udpegninger gælder fra (standard: valgperiodens første dag for "
                   "indstillinger til en ny valgperiode, dog tidligst mødets dato, og ellers mødets dato).")
@click.option("--council", callback=_at_most(100), metavar="NAVN", help=COUNCIL_HELP)
@click.option("--outcome", "exceptions", multiple=True, callback=pairs, metavar="INDSTILLING_ID=UDFALD",
              help=f"En undtagelse, fx 12=not_supported; udfald: {', '.join(outcome.value for outcome in Outcome)}, "
                   f"eller {DEFERRED} (ikke behandlet: ingen beslutning, bliver på dagsordenen).")
@needs_schema
def decide_meeting(meeting_date, item_number, effective, council, exceptions):
    """Registrér KKR's beslutning om alle indstillinger på mødets dagsorden (eller ét punkts, --item):
    udpeget, hvor KKR udpeger, og indstillet, hvor en anden myndighed udpeger, undtagen dem, --outcome nævner."""
    council = _council(council)
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.council_name == council,
                                                         Meeting.date == meeting_date))
    if meeting is None:
        raise click.ClickException(f"{council} har intet møde den {meeting_date.isoformat()}.")
    item = None
    if item_number is not None:
        item = constituent.item_numbered(meeting, item_number)
        if item is None:
            raise click.ClickException(f"Mødet {council} {meeting_date.isoformat()} har intet punkt "
                                       f"{item_number}.")
    waiting = {nomination.id: nomination for nomination in constituent.nominations_on(meeting, item)}
    where = f"punkt {item.number} på mødet" if item else "mødet"
    outcomes, deferred = {}, set()
    for id_text, value in exceptions:
        nomination_id = whole_number(id_text, "--outcome")
        if nomination_id not in waiting:
            raise click.ClickException(f"Indstilling {nomination_id} venter ikke på en beslutning på {where} "
                                       f"{council} {meeting_date.isoformat()}.")
        if value == DEFERRED:
            deferred.add(nomination_id)
            continue
        try:
            outcomes[nomination_id] = Outcome(value)
        except ValueError:
            raise click.BadParameter(f"'{value}' er ikke et udfald; vælg mellem "
                                     f"{', '.join(outcome.value for outcome in Outcome)} eller {DEFERRED}.",
                                     param_hint="--outcome") from None
    decided = [nomination for nomination in waiting.values() if nomination.id not in deferred]
    left = [f"  {nomination.item.number} {_described(nomination)}" for nomination in waiting.values()
            if nomination.id in deferred]

    def decide() -> list[tuple[str, date | None]]:
        """The lines to print, written before the commit expires what they read."""
        decisions = constituent.decide_meeting(meeting, outcomes, effective, item=item, deferred=deferred)
        return [(f"  {nomination.item.number} {_described(nomination)}: {decision.outcome.danish}",
                 nomination.appointed_on) for nomination, decision in zip(decided, decisions, strict=True)]

    lines = save_as("cli:decide-meeting", decide)
    notifications.deliver_after_commit()
    click.echo(ngettext("KKR's beslutning er registreret for %(num)d indstilling:",
                        "KKR's beslutning er registreret for %(num)d indstillinger:", len(lines)))
    click.echo("\n".join(line for line, _day in lines))
    if days := [day for _line, day in lines if day is not None]:
        click.echo(ngettext("Udpegningen gælder fra %(day)s.", "Udpegningerne gælder fra %(day)s.", len(days),
                            day=days[0].isoformat()))
    if deferred:
        click.echo(ngettext("%(num)d indstilling er udsat og står stadig på dagsordenen:",
                            "%(num)d indstillinger er udsat og står stadig på dagsordenen:", len(deferred)))
        click.echo("\n".join(left))


@registry_cli.command("record-authority-appointments")
@click.option("--authority", metavar="MYNDIGHED",
              help="Den udpegende myndighed, fx Beskæftigelsesministeren (uden: vis de afventende indstillinger).")
@click.option("--day", callback=iso_date, metavar="ÅÅÅÅ-MM-DD", help="Den dag, myndighedens udpegning gælder fra.")
@needs_schema
def record_authority_appointments(authority, day):
    """Registrér, at en anden myndighed har udpeget alle, KKR har indstillet til den, fra --day. Uden
    --authority: vis de indstillinger, der venter på en myndighed."""
    if authority is None:
        if day is not None:
            raise click.UsageError("--day bruges sammen med --authority.")
        _list_pending()
        return
    if day is None:
        raise click.UsageError("Angiv --day: den dag, myndighedens udpegning gælder fra.")
    authority = authority.strip()
    seated = save_as("cli:record-authority-appointments",
                     lambda: constituent.record_authoritys_appointments(authority, day))
    notifications.deliver_after_commit()
    click.echo(f"{authority} har udpeget {len(seated)} fra {day.isoformat()}.")


def _list_pending() -> None:
    pending = constituent.pending_by_authority()
    if not pending:
        click.echo("Ingen indstillinger venter på en anden myndigheds udpegning.")
    for authority, nominations in pending.items():
        click.echo(ngettext("%(authority)s (%(num)d indstilling):", "%(authority)s (%(num)d indstillinger):",
                            len(nominations), authority=authority))
        for nomination in nominations:
            click.echo(f"  {_described(nomination)}")
