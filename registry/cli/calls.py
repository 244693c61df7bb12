"""`flask registry open-period-calls|round-progress|remind-late`: the election-period round's calls and progress,
as on the pages /opfordringer/valgperiode and /runde."""

from pathlib import Path

import click
from flask_babel import ngettext

from registry.audit.services import Actor, acting_as
from registry.cli.data import FORMAT_HELP, FORMATS, _save, check_format, save_file
from registry.cli.groups import iso_date, needs_schema, registry_cli
from registry.cli.rounds import PERIOD_HELP, chosen_period
from registry.csvfiles import DELIMITERS
from registry.errors import RuleViolation
from registry.exchange import xlsx
from registry.extensions import db
from registry.nominations import period as round_rules
from registry.nominations import progress as round_progress
from registry.notifications import services as notifications
from registry.organisations.models import ElectionPeriod
from registry.organisations.services import period_named


def _period(name: str | None) -> ElectionPeriod:
    """--period NAVN, else the default every round command has (chosen_period)."""
    if name is None:
        return chosen_period(None)
    period = period_named(name)
    if period is None:
        raise click.ClickException(f"Valgperioden '{name}' findes ikke.")
    return period


@registry_cli.command("open-period-calls")
@click.option("--period", "name", metavar="NAVN", help=PERIOD_HELP)
@click.option("--deadline", required=True, callback=iso_date, metavar="ÅÅÅÅ-MM-DD",
              help="Den sidste dag, partigrupperne kan indstille.")
@click.option("--note", help="Note til partigrupperne.")
@needs_schema
def open_period_calls(name, deadline, note):
    """Send opfordringer til alle fordelte pladser i valgperioden (kun dem, der mangler)."""
    period = _period(name)
    with acting_as(Actor("cli:open-period-calls")):
        try:
            calls = round_rules.open_period_calls(period, deadline, note=(note or "").strip() or None)
        except RuleViolation as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from None
        db.session.commit()
    notifications.deliver_after_commit()
    parties = len({call.party_id for call in calls})
    sent = ngettext("%(num)d opfordring", "%(num)d opfordringer", len(calls))
    groups = ngettext("%(num)d partigruppe", "%(num)d partigrupper", parties)
    click.echo(f"{sent} sendt til {groups} i valgperioden {period.name}.")


@registry_cli.command("round-progress")
@click.option("--period", "name", metavar="NAVN", help=PERIOD_HELP)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Fil (standard: stdout).")
@click.option("--delimiter", type=click.Choice(DELIMITERS), default=";", show_default=True)
@click.option("--format", "file_format", type=click.Choice(FORMATS), default="csv", show_default=True,
              help=FORMAT_HELP)
@needs_schema
def round_progress_csv(name, output, delimiter, file_format):
    """Rundens fremdrift pr. plads som CSV eller Excel, som på siden /runde."""
    check_format(file_format, delimiter)
    found = round_progress.progress(_period(name))
    if file_format == "xlsx":
        save_file(output, xlsx.round_(found))
    else:
        _save(output, round_progress.export(found, delimiter))


@registry_cli.command("remind-late")
@click.option("--period", "name", metavar="NAVN", help=PERIOD_HELP)
@needs_schema
def remind_late(name):
    """Send en påmindelse til de partigrupper, der har overskredet fristen uden at indstille."""
    period = _period(name)
    with acting_as(Actor("cli:remind-late")):
        parties = round_progress.send_reminders(round_progress.progress(period))
        db.session.commit()
    notifications.deliver_after_commit()
    click.echo(ngettext("Påmindelse sendt til %(num)d partigruppe.", "Påmindelse sendt til %(num)d partigrupper.",
                        len(parties)) if parties else "Ingen partigrupper har overskredet fristen.")
