"""`flask registry export-popolo`: the bulk download, the same bytes as /api/v1/popolo.json."""

from pathlib import Path

import click

from registry.api import popolo
from registry.cli.data import _save
from registry.cli.groups import iso_date, needs_schema, registry_cli


@registry_cli.command("export-popolo")
@click.option("--as-of", callback=iso_date, metavar="ÅÅÅÅ-MM-DD",
              help="Det, der gælder på denne dag (standard: hele historikken).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Fil (standard: stdout).")
@needs_schema
def export_popolo(as_of, output):
    """Eksportér hele registret som ét Popolo-dokument (JSON), som /api/v1/popolo.json.

    Links i dokumentet bygges på PUBLIC_URL."""
    _save(output, popolo.document(as_of))
