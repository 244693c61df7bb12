"""`flask registry ...`: the demo data, the CSV (or Excel) export and the import."""

import shutil
import sys
from pathlib import Path

import click
from flask_babel import ngettext

from registry import demo
from registry.audit.services import Actor, acting_as
from registry.cli.groups import iso_date, needs_schema, read_input, refuse_if_failed, registry_cli, run_import
from registry.csvfiles import DELIMITERS
from registry.dates import today
from registry.exchange import csv_decisions, csv_export, csv_import, csv_import_stale, xlsx
from registry.extensions import db

# The CSV is the contract; xlsx is the same rows as an Excel workbook (registry/exchange/xlsx.py), the same
# bytes as the page's "Excel" link.
FORMATS = ("csv", "xlsx")
FORMAT_HELP = "csv, eller xlsx: de samme rækker som Excel-projektmappe."


@registry_cli.command("load-demo")
@needs_schema
def load_demo():
    """Indlæs KKR Hovedstadens demodata (kan køres flere gange)."""
    with acting_as(Actor("cli:load-demo")):
        created_logins = demo.load()
        db.session.commit()
    click.echo("Demodata er indlæst.")
    if created_logins:
        click.echo("Demobrugere (adgangskoderne vises kun denne ene gang):")
        for username, role, password in created_logins:
            click.echo(f"  {username:<14} {role:<12} {password}")
    else:
        click.echo("Demobrugerne findes allerede. Ny adgangskode: "
                   "flask --app wsgi users set-password BRUGERNAVN")


@registry_cli.command("export-csv")
@click.option("--as-of", callback=iso_date, metavar="ÅÅÅÅ-MM-DD", help="Udpegningerne på denne dag (standard: i dag).")
@click.option("--all", "all_", is_flag=True, help="Hele historikken.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Fil (standard: stdout).")
@click.option("--delimiter", type=click.Choice(DELIMITERS), default=";", show_default=True)
@click.option("--organisation-id", type=click.IntRange(min=0), help="Kun denne organisation.")
@click.option("--party-id", type=click.IntRange(min=0), help="Kun udpegninger på vegne af dette parti.")
@click.option("--municipality-id", type=click.IntRange(min=0), help="Kun personer fra denne kommune.")
@click.option("--format", "file_format", type=click.Choice(FORMATS), default="csv", show_default=True,
              help=FORMAT_HELP)
@needs_schema
def export_csv(as_of, all_, output, delimiter, organisation_id, party_id, municipality_id, file_format):
    """Eksportér udpegningerne som CSV (UTF-8 med BOM) eller Excel."""
    if as_of and all_:
        raise click.UsageError("Brug enten --as-of eller --all, ikke begge.")
    check_format(file_format, delimiter)
    day = None if all_ else (as_of or today())
    selection = csv_export.Selection(day, organisation_id, party_id, municipality_id)
    if file_format == "xlsx":
        save_file(output, xlsx.appointments(selection))
    else:
        _save(output, csv_export.export(selection, delimiter))


@registry_cli.command("export-decisions")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Fil (standard: stdout).")
@click.option("--delimiter", type=click.Choice(DELIMITERS), default=";", show_default=True)
@click.option("--meeting-id", type=click.IntRange(min=0), help="Kun beslutningerne på dette møde.")
@click.option("--organisation-id", type=click.IntRange(min=0), help="Kun beslutninger om denne organisation.")
@click.option("--person-id", type=click.IntRange(min=0), help="Kun beslutninger om denne person.")
@click.option("--format", "file_format", type=click.Choice(FORMATS), default="csv", show_default=True,
              help=FORMAT_HELP)
@needs_schema
def export_decisions(output, delimiter, meeting_id, organisation_id, person_id, file_format):
    """Eksportér historikken over indstillinger (KKR's beslutninger) som CSV (UTF-8 med BOM) eller Excel."""
    check_format(file_format, delimiter)
    selection = csv_decisions.Selection(meeting_id=meeting_id, organisation_id=organisation_id, person_id=person_id)
    if file_format == "xlsx":
        save_file(output, xlsx.decisions(selection))
    else:
        _save(output, csv_decisions.export(selection, delimiter))


def check_format(file_format: str, delimiter: str) -> None:
    if file_format != "csv" and delimiter != ";":
        raise click.UsageError("--delimiter gælder kun CSV.")


def save_file(output: Path | None, file) -> None:
    """A finished file (an Excel workbook in a temporary file) to the output or stdout; closes it."""
    with file:
        if output is None:
            shutil.copyfileobj(file, sys.stdout.buffer)
            sys.stdout.buffer.flush()
            return
        partial = output.with_name(output.name + ".part")
        with partial.open("wb") as f:
            shutil.copyfileobj(file, f)
        partial.replace(output)


def _save(output: Path | None, chunks) -> None:
    if output is None:
        _write(sys.stdout.buffer, chunks)
        return
    # Written beside the target and renamed, so a failed export leaves no half file.
    partial = output.with_name(output.name + ".part")
    with partial.open("wb") as f:
        _write(f, chunks)
    partial.replace(output)


@registry_cli.command("import-csv")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Kontrollér filen og vis, hvad der ville ske, uden at gemme.")
@click.option("--verbose", "-v", is_flag=True, help="Vis hver linjes udfald.")
@click.option("--since", callback=iso_date, metavar="ÅÅÅÅ-MM-DD",
              help="Filens dato (standard: datoen i filnavnet, fx udpegninger-2026-12-01.csv). En linje, der ændrer "
                   "slutdatoen for en udpegning, som er ændret i registret fra den dag, er en advarsel.")
@click.option("--accept-stale", is_flag=True,
              help="Importér også linjer, der genåbner, forkorter eller flytter udpegninger, som er ændret i "
                   "registret efter filens dato.")
@needs_schema
def import_csv_command(file, dry_run, verbose, since, accept_stale):
    """Indlæs udpegninger fra en CSV-fil i eksportens format (alt eller intet)."""
    data = read_input(file)
    since = since or csv_import_stale.date_in_name(Path(file).name)
    # --verbose prints every line's outcome, so it keeps them all; else the first are kept and the rest counted.
    result = run_import("cli:import-csv", lambda: csv_import.import_csv(data, dry_run=dry_run, since=since,
                                                                        accept_stale=accept_stale,
                                                                        shown=None if verbose else csv_import.SHOWN))
    if verbose:
        for outcome in result.lines:
            click.echo(f"linje {outcome.line}: {outcome.text}")
            if outcome.warning:
                click.echo(f"linje {outcome.line}: advarsel: {outcome.warning}")
    if any(outcome.line > 1 for outcome in result.lines):  # not when the header (line 1) was refused
        click.echo(_import_summary(result))
    refuse_if_failed(result)
    _tell_stale(result, dry_run)
    if dry_run:
        click.echo("Prøvekørsel: intet er gemt.")
    elif any(result.created.values()) or any(result.changed.values()):
        click.echo("Importen er gemt.")
    else:
        click.echo("Intet nyt: registret havde allerede alt, hvad filen indeholder.")


def _tell_stale(result: csv_import.ImportResult, dry_run: bool) -> None:
    """The lines that would undo later work, to stderr; unaccepted, the import is refused with exit status 1."""
    if not result.warning_count:
        return
    lines = ngettext("%(num)d linje", "%(num)d linjer", result.warning_count)
    if result.since:
        click.echo(f"Advarsel: {lines} ændrer en udpegning, som registret har ændret fra filens dato "
                   f"{result.since.isoformat()}:", err=True)
    else:
        click.echo(f"Advarsel: {lines} genåbner en udpegning, som registret har afsluttet (filens dato kendes "
                   "ikke; angiv den med --since):", err=True)
    for warning in result.warnings:
        click.echo(warning, err=True)
    if (untold := result.warning_count - len(result.warnings)) > 0:
        click.echo(ngettext("… og %(num)d advarsel mere.", "… og %(num)d flere advarsler.", untold), err=True)
    if result.stale_accepted or dry_run:
        return
    click.echo("Importen er afvist; intet er gemt. Kontrollér linjerne, og kør igen med --accept-stale for at "
               "importere dem alligevel, eller med --since for at angive filens dato.", err=True)
    sys.exit(1)


def _import_summary(result: csv_import.ImportResult) -> str:
    counts = result.actions
    return (f"Linjer: {result.line_count} (nye: {counts['create']}, ændrede: {counts['change']}, "
            f"uændrede: {counts['unchanged']}, afviste: {counts['refused']})\n"
            f"Nye: {_totals(result.created)}\n"
            f"Ændrede: {_totals(result.changed)}")


def _totals(numbers: dict[str, int]) -> str:
    return ", ".join(f"{what} {n}" for what, n in numbers.items() if n) or "intet"


def _write(stream, chunks) -> None:
    for chunk in chunks:
        stream.write(chunk.encode("utf-8"))
    stream.flush()
