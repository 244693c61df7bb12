"""`flask registry add-period|edit-period|share-out|agree-share-out|set-composition|allocate-seats`: the
election-period round from the command line, as on the pages under /valgperioder; and what the round's commands
share."""

import re
from collections.abc import Callable
from datetime import date
from typing import TypeVar

import click
import sqlalchemy as sa
from flask_babel import ngettext

from registry.audit.services import Actor, acting_as
from registry.cli.groups import iso_date, needs_schema, registry_cli
from registry.dates import today
from registry.errors import Conflict, RuleViolation
from registry.extensions import db
from registry.http import commit
from registry.organisations import services as organisations
from registry.organisations.models import ElectionPeriod, Organisation
from registry.people.models import Party
from registry.rounds import dhondt, grid, services
from registry.rounds.models import ShareOut

T = TypeVar("T")

PERIOD_HELP = ("Valgperioden, fx 2026-2029 (standard: den, der omfatter i dag, ellers den næste, der begynder, "
               "ellers den seneste).")
# As the period form's name field (and the column) allows.
PERIOD_NAME_LENGTH = 20


def chosen_period(name: str | None, day: date | None = None) -> ElectionPeriod:
    """--period NAVN, else the period containing the day (today), else the next to begin, else the last."""
    period = organisations.period_named(name) if name else organisations.default_period(day or today())
    if period is None:
        raise click.ClickException(f"Valgperioden {name} findes ikke." if name else
                                   "Der er ingen valgperioder. Opret en: flask --app wsgi registry add-period")
    return period


def save_as(actor: str, change: Callable[[], T]) -> T:
    """Run the service as the command's audit actor and commit once; a refusal is a clear error, nothing saved."""
    with acting_as(Actor(actor)):
        try:
            return commit(change)
        except RuleViolation as refused:
            raise click.ClickException(f"{refused}\nIntet er gemt.") from None
        except Conflict:
            raise click.ClickException("Andre har gemt ændringer imens. Intet er gemt; kør kommandoen igen.") from None


def pairs(ctx, param, values) -> list[tuple[str, str]]:
    """A repeated option's NØGLE=VÆRDI values, each split at its first '='."""
    found = []
    for value in values:
        key, equals, rest = value.partition("=")
        if not equals or not key.strip():
            raise click.BadParameter(f"'{value}' skal skrives som {param.metavar}.")
        found.append((key.strip(), rest.strip()))
    return found


def whole_number(text: str, option: str, highest: int | None = None) -> int:
    if not (text.isascii() and text.isdigit()) or (highest is not None and int(text) > highest):
        limit = f" fra 0 til {highest}" if highest is not None else ""
        raise click.BadParameter(f"'{text}' er ikke et helt tal{limit}.", param_hint=option)
    return int(text)


def _organisation(organisation_id: int | None) -> Organisation | None:
    if organisation_id is None:
        return None
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise click.ClickException(f"Organisationen {organisation_id} findes ikke.")
    return organisation


def parties_by_letter() -> dict[str, Party]:
    """Every party by its letter, in any case: the composition form has a line for each."""
    return {party.letter.casefold(): party for party in db.session.scalars(sa.select(Party).order_by(Party.letter))}


def party_lettered(parties: dict[str, Party], letter: str) -> Party:
    party = parties.get(letter.strip().casefold())
    if party is None:
        raise click.ClickException(f"Partiet '{letter.strip()}' findes ikke.")
    return party


def period_name(ctx, param, value):
    """A period's name as the form takes it: stripped, not empty, at most PERIOD_NAME_LENGTH characters."""
    if value is None:
        return None
    name = value.strip()
    if not name:
        raise click.BadParameter("Skriv valgperiodens navn.")
    if len(name) > PERIOD_NAME_LENGTH:
        raise click.BadParameter(f"Højst {PERIOD_NAME_LENGTH} tegn.")
    return name


@registry_cli.command("add-period")
@click.argument("name", callback=period_name)
@click.argument("first_day", callback=iso_date, metavar="FØRSTE_DAG")
@click.argument("last_day", callback=iso_date, metavar="SIDSTE_DAG")
@needs_schema
def add_period(name, first_day, last_day):
    """Opret valgperioden NAME (fx 2026-2029) fra FØRSTE_DAG til SIDSTE_DAG (ÅÅÅÅ-MM-DD)."""
    period = save_as("cli:add-period", lambda: organisations.create_period(name, first_day, last_day))
    click.echo(f"Valgperioden {period.name} er oprettet.")


@registry_cli.command("edit-period")
@click.argument("name")
@click.option("--name", "new_name", callback=period_name, metavar="NAVN", help="Periodens nye navn.")
@click.option("--start", "first_day", callback=iso_date, metavar="ÅÅÅÅ-MM-DD", help="Periodens første dag.")
@click.option("--end", "last_day", callback=iso_date, metavar="ÅÅÅÅ-MM-DD", help="Periodens sidste dag.")
@needs_schema
def edit_period(name, new_name, first_day, last_day):
    """Ret valgperioden NAME: navn, første og sidste dag, som /valgperioder/rediger (perioder må ikke overlappe)."""
    if new_name is None and first_day is None and last_day is None:
        raise click.UsageError("Angiv mindst én af --name, --start og --end.")
    period = organisations.period_named(name.strip())
    if period is None:
        raise click.ClickException(f"Valgperioden {name.strip()} findes ikke.")
    period = save_as("cli:edit-period", lambda: organisations.update_period(
        period, new_name or period.name, first_day or period.start_date, last_day or period.end_date))
    click.echo(f"Valgperioden {period.name} er gemt ({period.start_date.isoformat()} til "
               f"{period.end_date.isoformat()}).")


@registry_cli.command("set-composition")
@click.option("--period", "period_name", metavar="NAVN", help=PERIOD_HELP)
@click.option("--members", multiple=True, required=True, callback=pairs, metavar="PARTI=ANTAL",
              help="Et partis medlemmer i KKR, fx A=9; én gang pr. parti. Et parti, der ikke nævnes, er ikke i KKR.")
@click.option("--group", "groups", multiple=True, metavar="NAVN=PARTIER",
              help='En valggruppe og dens partier, fx "A+F+Ø=A,F,Ø" (eller blot "A+F+Ø").')
@needs_schema
def set_composition(period_name, members, groups):
    """Registrér KKR's sammensætning og valggrupper i valgperioden; erstatter den hidtidige, som formularen gør."""
    period = chosen_period(period_name)
    parties = parties_by_letter()
    counts: dict[int, int] = {}
    for letter, number in members:
        party = party_lettered(parties, letter)
        if party.id in counts:
            raise click.BadParameter(f"{party.letter} er nævnt mere end én gang.", param_hint="--members")
        counts[party.id] = whole_number(number, "--members", 200)
    group_of = _groups(groups, parties)
    lines = [services.Member(party, counts.get(party.id), group_of.get(party.id)) for party in parties.values()]
    save_as("cli:set-composition", lambda: services.set_composition(period, lines))
    rows = services.composition(period)
    total = sum(row.members for row in rows)
    in_kkr = ngettext("%(num)d medlem", "%(num)d medlemmer", total)
    click.echo(f"KKR's sammensætning i {period.name} er gemt ({in_kkr}):")
    for row in rows:
        click.echo(f"  {row.party.letter:<4}{row.members:>4}  {row.group.name if row.group else ''}".rstrip())


def _groups(values: tuple[str, ...], parties: dict[str, Party]) -> dict[int, str]:
    """Each party's valggruppe by party id, from --group NAVN=PARTIER (letters split by ',' or '+'; without
    '=', the name's own letters). A party is in one group at most."""
    group_of: dict[int, str] = {}
    for value in values:
        name, equals, letters = value.partition("=")
        name = name.strip()
        if not name:
            raise click.BadParameter(f"'{value}' skal skrives som NAVN=PARTIER.", param_hint="--group")
        if name in group_of.values():
            raise click.BadParameter(f"Valggruppen {name} er nævnt mere end én gang.", param_hint="--group")
        for letter in re.split(r"[,+]", letters if equals else name):
            if not letter.strip():
                continue
            party = party_lettered(parties, letter)
            if party.id in group_of:
                raise click.BadParameter(f"{party.letter} er med i både {group_of[party.id]} og {name}; et parti "
                                         "er højst med i én valggruppe.", param_hint="--group")
            group_of[party.id] = name
    return group_of


@registry_cli.command("share-out")
@click.option("--period", "period_name", metavar="NAVN", help=PERIOD_HELP)
@click.option("--seats", type=click.IntRange(1, 500), required=True, help="Antal pladser, der skal fordeles.")
@click.option("--organisation-id", type=click.IntRange(min=1), help="Organisationen, hvis pladser fordeles.")
@click.option("--save", is_flag=True, help="Gem fordelingen (med en eventuel lodtrækning) som rundens registrering.")
@click.option("--note", help="En note til den gemte fordeling.")
@needs_schema
def share_out(period_name, seats, organisation_id, save, note):
    """Fordel pladser efter d'Hondt mellem valggrupperne, og vis kvotienttabellen."""
    period = chosen_period(period_name)
    organisation = _organisation(organisation_id)

    def shared() -> dhondt.Result:
        if not save:
            return services.calculate(period, seats)
        share = services.record_share_out(period, seats, organisation=organisation, note=note)
        return dhondt.from_json(services.stored(share))

    result = save_as("cli:share-out", shared)
    where = f" i {organisation.name}" if organisation else ""
    places = ngettext("%(num)d plads", "%(num)d pladser", seats)
    click.echo(f"Fordeling af {places}{where}, valgperioden {period.name}, efter d'Hondt:")
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


@registry_cli.command("agree-share-out")
@click.argument("share_id", type=click.IntRange(min=1), metavar="FORDELING_ID")
@click.option("--share", "shares", multiple=True, callback=pairs, metavar="NAVN=PLADSER",
              help='Det aftalte antal pladser til en valggruppe eller et parti, fx "A+F+Ø=2"; de, der ikke nævnes, '
                   "beholder deres.")
@click.option("--note", help="Hvad der er aftalt (kræves, når fordelingen afviger fra beregningen; standard: den "
                             "hidtidige note).")
@needs_schema
def agree_share_out(share_id, shares, note):
    """Registrér fordelingen efter aftale for en gemt fordeling (share-out --save), med en note, som på siden
    /valgperioder/fordelinger/vis."""
    if not shares and note is None:
        raise click.UsageError("Angiv --share, --note eller begge.")
    share = db.session.get(ShareOut, share_id)
    if share is None:
        raise click.ClickException(f"Fordelingen {share_id} findes ikke.")
    names = {row["name"].casefold(): row["name"] for row in services.stored(share)["rows"]}
    agreed: dict[str, int] = {}
    for given, number in shares:
        name = names.get(given.casefold())
        if name is None:
            raise click.BadParameter(f"Fordelingen {share_id} har ingen række {given}; den har "
                                     f"{', '.join(names.values())}.", param_hint="--share")
        if name in agreed:
            raise click.BadParameter(f"{name} er nævnt mere end én gang.", param_hint="--share")
        agreed[name] = whole_number(number, "--share", 500)
    note = share.note if note is None else note.strip() or None
    save_as("cli:agree-share-out", lambda: services.agree(share, agreed, note))
    click.echo(f"Fordelingen {share.id} efter aftale er gemt:")
    for row in services.stored(share)["rows"]:
        click.echo(f"  {row['name']}: {row['agreed']} (beregnet {row['share']})")
    if share.note:
        click.echo(f"Note: {share.note}")


@registry_cli.command("allocate-seats")
@click.option("--period", "period_name", metavar="NAVN", help=PERIOD_HELP)
@click.option("--share-out", "share_id", type=click.IntRange(min=1), metavar="ID",
              help="Fordel pladserne efter en gemt fordeling (share-out --save), i den rækkefølge, de blev vundet.")
@click.option("--organisation-id", type=click.IntRange(min=1), metavar="ID",
              help="Kun denne organisations pladser (med --share-out).")
@click.option("--seat", "seats", multiple=True, callback=pairs, metavar="PLADS_ID=PARTI",
              help='Giv én plads til et parti (12=F), til en valggruppe med det parti, der indstiller '
                   '(12="A+F+Ø:F"), eller til ingen (12=).')
@needs_schema
def allocate_seats(period_name, share_id, organisation_id, seats):
    """Fordel valgperiodens pladser til partigrupper og valggrupper, alt eller intet, som pladsfordelingen
    /valgperioder/pladsfordeling."""
    if (share_id is None) == (not seats):
        raise click.UsageError("Angiv enten --share-out eller --seat.")
    if organisation_id is not None and share_id is None:
        raise click.UsageError("--organisation-id bruges sammen med --share-out.")
    period = chosen_period(period_name)
    if share_id is not None:
        rows = grid.rows(period, _organisation(organisation_id))
        values = grid.filled_from(_share_out(share_id, period), rows)
    else:
        rows = grid.rows(period)
        values = _seat_values(period, rows, seats)
    changed = save_as("cli:allocate-seats", lambda: _save_grid(period, rows, values))
    click.echo(f"Pladsfordelingen for {period.name} er gemt ({changed} ændret).")


def _share_out(share_id: int, period: ElectionPeriod) -> ShareOut:
    share = db.session.get(ShareOut, share_id)
    if share is None:
        raise click.ClickException(f"Fordelingen {share_id} findes ikke.")
    if share.period_id != period.id:
        raise click.ClickException(f"Fordelingen {share_id} hører til valgperioden {share.period.name}, ikke "
                                   f"{period.name}.")
    return share


def _seat_values(period: ElectionPeriod, rows: list[grid.GridRow], seats: list[tuple[str, str]]) -> dict[int, str]:
    """The grid's values (grid.value_of) for --seat PLADS_ID=PARTI: "F", "A+F+Ø:F", or empty for none."""
    in_grid = {row.seat.id for row in rows}
    parties = parties_by_letter()
    groups = {group.name.casefold(): group for group in services.groups(period)}
    values: dict[int, str] = {}
    for seat_text, holder in seats:
        seat_id = whole_number(seat_text, "--seat")
        if seat_id not in in_grid:
            raise click.ClickException(f"Plads {seat_id} er ikke i pladsfordelingen for {period.name}: den har "
                                       "kun pladser, en partigruppe indstiller til.")
        if seat_id in values:
            raise click.BadParameter(f"Plads {seat_id} er nævnt mere end én gang.", param_hint="--seat")
        if not holder:
            values[seat_id] = ""
            continue
        group_name, colon, letter = holder.rpartition(":")
        party = party_lettered(parties, letter)
        if not colon:
            values[seat_id] = f"p{party.id}"
            continue
        group = groups.get(group_name.strip().casefold())
        if group is None:
            raise click.ClickException(f"Valggruppen {group_name.strip()} findes ikke i {period.name}.")
        values[seat_id] = f"g{group.id}:{party.id}"
    return values


def _save_grid(period: ElectionPeriod, rows: list[grid.GridRow], values: dict[int, str]) -> int:
    """grid.save, with each refused row named by its body and seat."""
    try:
        return grid.save(period, rows, values)
    except grid.GridRefused as refused:
        seats = {f"seat_{row.seat.id}": row.seat for row in rows}
        raise RuleViolation("\n".join(
            f"{seats[name].organisation.name}, {seats[name].label} (plads {seats[name].id}): {message}"
            for name, message in refused.errors.items())) from None
