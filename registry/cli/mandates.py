"""`flask registry import-mandates`: the elected councils from a CSV, as the secretariat's upload page does."""

from pathlib import Path

import click

from registry.cli.groups import needs_schema, read_input, refuse_if_failed, registry_cli, run_import
from registry.exchange.csv_mandates import MandateImport, import_mandates


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
