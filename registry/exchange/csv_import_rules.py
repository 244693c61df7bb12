"""The registry's rules over a whole CSV file at once, in Python.

The wording is that of appointments/services.py `check`, which asks the
database per appointment; here every line of the file and every appointment
the registry holds are compared in memory, which scales to a national registry.
"""

from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

from registry.exchange.csv_import_read import Row, _, day, pgettext
from registry.exchange.csv_import_state import Held, HoldKey, OrganisationState, PersonKey, SeatState


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
    """(line, message) for each line that would give a seat two holders of one role on a day.

    Sorted by start, each stay is compared with the one that reaches furthest
    among those before it: if they meet, the two overlap. Dates are inclusive.
    """
    replaced = {stay.held.id for stay in from_file if stay.held is not None}
    stays = from_file + [Stay(h.start, h.end, h.person, held=h) for h in held if h.id not in replaced]
    stays.sort(key=lambda stay: (stay.start, stay.line or 0))
    furthest: Stay | None = None
    for stay in stays:
        if furthest is not None and (furthest.end is None or furthest.end >= stay.start):
            if found := _overlap(key, stay, furthest):
                yield found
        if furthest is None or (furthest.end is not None and (stay.end is None or stay.end > furthest.end)):
            furthest = stay


def _overlap(key: HoldKey, stay: Stay, other: Stay) -> tuple[int, str] | None:
    # Told on the line that asks for something new, not on one the registry already holds.
    if stay.line is None or (stay.held is not None and other.line is not None and other.held is None):
        stay, other = other, stay
    if stay.line is None:
        return None  # two rows of the registry: the database's constraint already keeps them apart
    organisation, seat, role = key
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
    return found
