"""`flask registry import-mandates|end-lapsed-mandates`: the elected councils from a CSV, as the secretariat's
upload page does, and the seated whose mandate has ended, as /mandater/ophoert lists and ends them."""

from pathlib import Path

import click
from flask_babel import ngettext

from registry.cli.groups import iso_date, needs_schema, read_input, refuse_if_failed, registry_cli, run_import
from registry.cli.rounds import save_as
from registry.dates import today
from registry.exchange.csv_mandates import MandateImport, import_mandates
from registry.mandates import services as mandates


@registry_cli.command("import-mandates")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Kontrollér filen og vis, hvad der ville ske, uden at gemme.")
@click.option("--verbose", "-v", is_flag=True, help="Vis hver linjes udfald.")
@needs_schema
def import_mandates_command(file, dry_run, verbose):
    """Indlæs kommunalbestyrelsernes medlemmer (navn;parti;kommune;startdato[;slutdato;hverv]), alt eller intet."""
    data = read_input(file)
    result = run_import("cli:import-mandates", lambda: import_mandates(data, dry_run=dry_run))
    if verbose:
        for outcome in result.lines:
            click.echo(f"linje {outcome.line}: {outcome.text}")
        for text in result.ended:
            click.echo(text)
    if result.lines:
        click.echo(_summary(result))
    refuse_if_failed(result)
    if dry_run:
        click.echo("Prøvekørsel: intet er gemt.")
    elif any(result.created.values()) or any(result.changed.values()) or result.ended:
        click.echo("Importen er gemt.")
    else:
        click.echo("Intet nyt: registret havde allerede alt, hvad filen indeholder.")


def _summary(result: MandateImport) -> str:
    counts = {action: 0 for action in ("create", "change", "unchanged", "refused")}
    for outcome in result.lines:
        counts[outcome.action] += 1
    created = ", ".join(f"{what} {n}" for what, n in result.created.items() if n) or "intet"
    return (f"Linjer: {len(result.lines)} (nye: {counts['create']}, ændrede: {counts['change']}, "
            f"uændrede: {counts['unchanged']}, afviste: {counts['refused']})\n"
            f"Nye: {created}\n"
            f"Afsluttede mandater (valgperioden er slut): {len(result.ended)}")


@registry_cli.command("end-lapsed-mandates")
@click.option("--day", callback=iso_date, metavar="ÅÅÅÅ-MM-DD", help="Listens dag (standard: i dag).")
@click.option("--dry-run", is_flag=True, help="Vis kun listen; afslut intet.")
@needs_schema
def end_lapsed_mandates(day, dry_run):
    """Afslut alle udpegninger, hvis indehaver ikke længere sidder i kommunalbestyrelsen, på mandatets sidste dag
    (udtrådt), alt eller intet, som "Afslut alle" på /mandater/ophoert."""
    day = day or today()
    entries = mandates.lapsed(day)
    if not entries:
        click.echo("Ingen siddende har et mandat, der er ophørt.")
        return
    for entry in entries:
        appointment, mandate = entry.appointment, entry.mandate
        click.echo(f"{appointment.person.name}, {appointment.seat.organisation.name}, {appointment.seat.label} "
                   f"({appointment.role.danish}): mandatet i {mandate.municipality.name} har sidste dag "
                   f"{mandate.end_date.isoformat()}")
    if dry_run:
        click.echo(f"Prøvekørsel: {_appointments(len(entries))} ville blive afsluttet; intet er gemt.")
        return
    ended = save_as("cli:end-lapsed-mandates",
                    lambda: mandates.end_all_lapsed([entry.appointment.id for entry in entries], day))
    click.echo(f"{_appointments(len(ended))} er afsluttet på mandatets sidste dag (udtrådt).")


def _appointments(count: int) -> str:
    return ngettext("%(num)d udpegning", "%(num)d udpegninger", count)
