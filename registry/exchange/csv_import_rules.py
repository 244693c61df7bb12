"""The registry's rules over a whole CSV file at once, in Python.

The wording is that of appointments/services.py `check` and `set_office` and of
organisations/services.py, which ask the database per appointment or seat; here
every line of the file and every appointment the registry holds are compared in
memory, which scales to a national registry.
"""

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import NamedTuple

from registry.appointments.models import Office
from registry.exchange.csv_import_read import SEAT_COLUMNS, Row, _, day, pgettext
from registry.exchange.csv_import_state import Held, HoldKey, OrganisationState, PersonKey, SeatState, State
from registry.organisations.models import SeatFiller, SeatKind

OfficeKey = tuple[str, Office]              # organisation name, office
# The file's column for each Seat attribute it gives; a seat's own authority is in udpegende_myndighed.
COLUMN_OF = {attribute: column for column, attribute in SEAT_COLUMNS.items()} | {
    "appointing_authority": "udpegende_myndighed"}


class Stay(NamedTuple):
    """A time on a seat in a role: from a line of the file, or held in the registry (or both)."""

    start: date
    end: date | None
    person: PersonKey
    line: int | None = None
    held: Held | None = None


def life_errors(row: Row, organisation: OrganisationState | None, seat: SeatState | None) -> list[str]:
    """Within the life of body and seat (a new body or seat has no dates yet)."""
    errors = []
    if organisation is not None:
        name, start, end = row.organisation, row.start, row.end
        if organisation.start and start < organisation.start:
            errors.append(_("%(name)s er først oprettet %(day)s.", name=name, day=day(organisation.start)))
        if organisation.end:
            if start > organisation.end:
                errors.append(_("%(name)s er nedlagt pr. %(day)s.", name=name, day=day(organisation.end)))
            elif end is None or end > organisation.end:
                errors.append(_("%(name)s er nedlagt pr. %(day)s; udpegningen skal slutte senest den dag.",
                                name=name, day=day(organisation.end)))
    if seat is not None:
        if seat.start and row.start < seat.start:
            errors.append(_("Pladsen findes først fra %(day)s.", day=day(seat.start)))
        if seat.end and (row.start > seat.end or row.end is None or row.end > seat.end):
            errors.append(_("Pladsen er nedlagt pr. %(day)s.", day=day(seat.end)))
    return errors


def overlaps(key: HoldKey, from_file: list[Stay], held: list[Held]) -> Iterator[tuple[int, str]]:
    """(line, message) for each line that would give a seat two holders of one role on a day."""
    replaced = {stay.held.id for stay in from_file if stay.held is not None}
    stays = from_file + [Stay(h.start, h.end, h.person, held=h) for h in held if h.id not in replaced]
    for stay, other in _clashes(stays):
        yield _overlap(key, stay, other)


def _clashes(stays: list[Stay]) -> Iterator[tuple[Stay, Stay]]:
    """Pairs of stays that share a day, the one that asks for something new first.

    Sorted by start, each stay is compared with the one that reaches furthest
    among those before it: if they meet, the two overlap. Dates are inclusive.
    """
    stays.sort(key=lambda stay: (stay.start, stay.line or 0))
    furthest: Stay | None = None
    for stay in stays:
        if furthest is not None and (furthest.end is None or furthest.end >= stay.start):
            if pair := _blamed(stay, furthest):
                yield pair
        if furthest is None or (furthest.end is not None and (stay.end is None or stay.end > furthest.end)):
            furthest = stay


def _blamed(stay: Stay, other: Stay) -> tuple[Stay, Stay] | None:
    # Told on the line that asks for something new, not on one the registry already holds.
    if stay.line is None or (stay.held is not None and other.line is not None and other.held is None):
        stay, other = other, stay
    if stay.line is None:
        return None  # two rows of the registry: the database's constraint (or the service) kept them apart
    return stay, other


def _overlap(key: HoldKey, stay: Stay, other: Stay) -> tuple[int, str]:
    organisation, seat, role = key
    assert stay.line is not None
    if other.line is not None and other.start == stay.start and other.person == stay.person:
        return stay.line, _("samme udpegning som linje %(line)d", line=other.line)
    values = dict(seat=f"{organisation}, {seat}", name=other.person[0], role=role.label, start=day(other.start),
                  end=day(other.end), line=other.line)
    if other.line is None:  # held in the registry: the wording of appointments/services.py
        if other.end:
            return stay.line, _("Pladsen (%(seat)s) har allerede %(name)s som %(role)s fra %(start)s til %(end)s.",
                                **values)
        return stay.line, _("Pladsen (%(seat)s) har allerede %(name)s som %(role)s fra %(start)s uden slutdato.",
                            **values)
    if other.end:
        return stay.line, _("Pladsen (%(seat)s) har allerede %(name)s som %(role)s fra %(start)s til %(end)s "
                            "(linje %(line)d).", **values)
    return stay.line, _("Pladsen (%(seat)s) har allerede %(name)s som %(role)s fra %(start)s uden slutdato "
                        "(linje %(line)d).", **values)


def office_overlaps(key: OfficeKey, from_file: list[Stay], held: list[Held],
                    in_file: set[int]) -> Iterator[tuple[int, str]]:
    """(line, message) for each line that would give a body two holders of its formand's or næstformand's
    office on a day. A stay is the office's time (from_file: the lines with the office); in_file: the
    appointments the file has a line for, whose office is the line's now, if any."""
    stays = from_file + [Stay(h.office_start or h.start, h.office_end or h.end, h.person, held=h) for h in held
                         if h.id not in in_file]
    organisation, office = key
    for stay, other in _clashes(stays):
        values = dict(name=other.person[0], office=office.label, organisation=organisation, line=other.line)
        assert stay.line is not None
        if other.line is None:  # the wording of appointments/services.py set_office
            yield stay.line, _("%(name)s er allerede %(office)s for %(organisation)s i den periode.", **values)
        else:
            yield stay.line, _("%(name)s er allerede %(office)s for %(organisation)s i den periode (linje "
                               "%(line)d).", **values)


def own_authorities(rows_where: Callable[[Callable[[str], bool]], Iterable[Row]], state: State) -> dict[str, str]:
    """Each organisation's own appointing authority, as the file gives it.

    A line's udpegende_myndighed is its seat's: the seat's own where it has one (a seat another appointer
    fills, say), else its body's, which the file does not give apart. A new organisation's is that of its
    first line on a seat KKR fills (of its first line, if KKR fills none); a seat whose lines name another
    gets that as its own. A known organisation's changes only when a line of one of its known seats that KKR
    fills and that has no authority of its own names another, as before seats had one; else it stays.
    Then importing an export changes nothing, and an old file of one authority per body reads as it did.
    rows_where(wanted) gives the file's rows, in file order, of the organisations wanted(name) asks for: only
    those not yet found are read in full, as a line of theirs may be the one.
    """
    found: dict[str, str] = {}
    fallback: dict[str, str] = {}
    for row in rows_where(lambda name: name not in found):
        if row.organisation in found:
            continue
        organisation = state.organisations.get(row.organisation)
        seat = state.seats.get((row.organisation, row.seat))
        filled_by = row.seat_terms.get("filled_by", seat.filled_by if seat else SeatFiller.kkr)
        if organisation is None:
            fallback.setdefault(row.organisation, row.authority)
            if filled_by is SeatFiller.kkr:
                found[row.organisation] = row.authority
        elif seat is not None and seat.appointing_authority is None and filled_by is SeatFiller.kkr:
            found[row.organisation] = row.authority
        else:
            fallback.setdefault(row.organisation, organisation.authority)
    return fallback | found


def seat_errors(seat: dict) -> list[str]:
    """What a seat of its kind must have, and must not: the rules of organisations/services.py."""
    errors = []
    kind = seat["kind"]
    if kind is SeatKind.ex_officio and not seat["ex_officio"]:
        errors.append(_("embede mangler: en plads af typen født medlem skal have det embede, der giver den (fx "
                        "borgmester i Gentofte Kommune)"))
    if kind is not SeatKind.ex_officio and seat["ex_officio"]:
        errors.append(_("embede gives kun for en plads af typen født medlem"))
    if kind is SeatKind.pooled_substitute and not seat["pool_rank"]:
        errors.append(_("suppleant_nr mangler: en plads af typen fælles suppleant har sit nummer i rækkefølgen "
                        "(1 træder først til)"))
    if kind is not SeatKind.pooled_substitute and seat["pool_rank"]:
        errors.append(_("suppleant_nr gives kun for en plads af typen fælles suppleant"))
    return errors


def seat_text(values: dict) -> str:
    """A new seat's attributes that are not the ordinary ones, by the file's column: "pladstype observatør"."""
    ordinary = {"kind": SeatKind.voting, "filled_by": SeatFiller.kkr}
    return ", ".join(f"{COLUMN_OF[attribute]} {_word(value)}"
                     for attribute, value in values.items() if value is not None and value != ordinary.get(attribute))


def seat_change_text(changes: dict[str, tuple], authorities: tuple[str, str]) -> str:
    """A known seat's changes by the file's column: "pladstype stemmeberettiget → observatør". Its own
    authority is told as the file has it, the seat's authority before and after (authorities)."""
    texts = []
    for attribute, (before, after) in changes.items():
        if attribute == "appointing_authority":
            before, after = authorities
        texts.append(f"{COLUMN_OF[attribute]} {_word(before)} → {_word(after)}")
    return ", ".join(texts)


def _word(value) -> str:
    if value is None:
        return _("ingen")
    return value.danish if hasattr(value, "danish") else str(value)


def office_text(holding: Held | Row) -> str:
    """The office as the file writes it: formand, or an other office's own title."""
    if holding.office is None:
        return ""
    if holding.office is Office.other:
        return holding.office_title or ""
    return holding.office.danish


def office_note(row: Row) -> str:
    """A new appointment's office, by the file's columns: "hverv formand (valgt af organisationen)"."""
    chooser = row.office_chosen_by.label if row.office_chosen_by else _("ingen")
    return f"hverv {office_text(row)} ({chooser})"


def differences(held: Held, row: Row) -> list[str]:
    """How the file's line differs from the appointment the registry holds: "slutdato ingen → 31.05.2024",
    by the file's column."""
    found = []
    none, no_party = _("ingen"), pgettext("parti", "intet")
    if held.end != row.end:
        found.append(f"slutdato {day(held.end) or none} → {day(row.end) or none}")
    if held.reason != row.reason:
        found.append(f"ophørsårsag {held.reason.label if held.reason else none} → "
                     f"{row.reason.label if row.reason else none}")
    if held.party != row.party:
        found.append(f"parti {held.party or no_party} → {row.party or no_party}")
    if held.reference != row.reference:
        found.append(f"indstilling {held.reference or none} → {row.reference or none}")
    if not row.office_stated:
        return found
    if office_text(held) != office_text(row) or held.office is not row.office:
        found.append(f"hverv {office_text(held) or none} → {office_text(row) or none}")
    if held.office_chosen_by != row.office_chosen_by:
        found.append(f"hverv_valgt_af {held.office_chosen_by.label if held.office_chosen_by else none} → "
                     f"{row.office_chosen_by.label if row.office_chosen_by else none}")
    if held.office_start != row.office_start:
        found.append(f"hverv_start {day(held.office_start) or none} → {day(row.office_start) or none}")
    if held.office_end != row.office_end:
        found.append(f"hverv_slut {day(held.office_end) or none} → {day(row.office_end) or none}")
    return found


OFFICE_COLUMNS = ("office", "office_title", "office_chosen_by", "office_start", "office_end")


def office_values(holding: Held | Row) -> dict:
    """The appointment's office columns, as the registry holds them or the line gives them."""
    return {column: getattr(holding, column) for column in OFFICE_COLUMNS}
