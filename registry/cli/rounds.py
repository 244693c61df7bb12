"""`flask registry add-period` and `flask registry share-out`: the election-period round from the command line."""

import click
import sqlalchemy as sa

from registry.audit.services import Actor, acting_as
from registry.cli.groups import iso_date, needs_schema, registry_cli
from registry.dates import today
from registry.errors import RuleViolation
from registry.extensions import db
from registry.organisations import services as organisations
from registry.organisations.models import ElectionPeriod, Organisation
from registry.rounds import dhondt, services


def _period(name: str | None) -> ElectionPeriod:
    if name is None:
        period = organisations.default_period(today())
        if period is None:
            raise click.ClickException("Der er ingen valgperioder. Opret en: flask --app wsgi registry add-period")
        return period
    period = db.session.scalar(sa.select(ElectionPeriod).where(ElectionPeriod.name == name))
    if period is None:
        raise click.ClickException(f"Valgperioden {name} findes ikke.")
    return period


@registry_cli.command("add-period")
@click.argument("name")
@click.argument("first_day", callback=iso_date, metavar="FØRSTE_DAG")
@click.argument("last_day", callback=iso_date, metavar="SIDSTE_DAG")
@needs_schema
def add_period(name, first_day, last_day):
    """Opret valgperioden NAME (fx 2026-2029) fra FØRSTE_DAG til SIDSTE_DAG (ÅÅÅÅ-MM-DD)."""
    with acting_as(Actor("cli:add-period")):
        try:
            period = organisations.create_period(name.strip(), first_day, last_day)
        except RuleViolation as refused:
            db.session.rollback()
            raise click.ClickException(str(refused)) from None
        db.session.commit()
    click.echo(f"Valgperioden {period.name} er oprettet.")


@registry_cli.command("share-out")
@click.option("--period", "period_name", metavar="NAVN", help="Valgperioden (standard: den, der omfatter i dag).")
@click.option("--seats", type=click.IntRange(1, 500), required=True, help="Antal pladser, der skal fordeles.")
@click.option("--organisation-id", type=click.IntRange(min=1), help="Organisationen, hvis pladser fordeles.")
@click.option("--save", is_flag=True, help="Gem fordelingen (med en eventuel lodtrækning) som rundens registrering.")
@click.option("--note", help="En note til den gemte fordeling.")
@needs_schema
def share_out(period_name, seats, organisation_id, save, note):
    """Fordel pladser efter d'Hondt mellem valggrupperne, og vis kvotienttabellen."""
    period = _period(period_name)
    organisation = None
    if organisation_id is not None:
        organisation = db.session.get(Organisation, organisation_id)
        if organisation is None:
            raise click.ClickException(f"Organisationen {organisation_id} findes ikke.")
    with acting_as(Actor("cli:share-out")):
        try:
            if save:
                share = services.record_share_out(period, seats, organisation=organisation, note=note)
                result = dhondt.from_json(services.stored(share))
            else:
                result = services.calculate(period, seats)
        except RuleViolation as refused:
            db.session.rollback()
            raise click.ClickException(str(refused)) from None
        db.session.commit()
    where = f" i {organisation.name}" if organisation else ""
    click.echo(f"Fordeling af {seats} pladser{where}, valgperioden {period.name}, efter d'Hondt:")
    click.echo(quotient_table(result))
    if result.lot:
        click.echo(result.lot.text())
    click.echo("Fordelingen er gemt." if save else "Fordelingen er ikke gemt (brug --save).")


def quotient_table(result: dhondt.Result) -> str:
    """The table as printed: a row per valggruppe or party, a column per divisor; a won quotient has its seat
    number in brackets, and * marks a quotient in the draw."""
    header = ["", "Medlemmer", *(f"÷ {divisor}" for divisor in result.divisors), "Pladser"]
    lines = [header]
    for row in result.rows:
        cells = []
        for quotient in row.quotients:
            text = dhondt.format_quotient(quotient.value)
            if quotient.seat is not None:
                text += f" ({quotient.seat})"
            cells.append(text + ("*" if quotient.by_lot else ""))
        lines.append([row.contestant.name, str(row.contestant.members), *cells, str(row.share)])
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) if column == 0 else cell.rjust(width)
                               for column, (cell, width) in enumerate(zip(line, widths, strict=True))).rstrip()
                     for line in lines)
