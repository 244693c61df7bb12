"""What the registry already holds, by natural key, for the CSV import to compare lines against.

One query per table, whatever the size of the file or the registry: an import
of 100,000 lines compares them in Python instead of asking the database per line.
Everything is keyed by what the file names (organisation name, seat label,
person name and municipality name), never by id, so new and existing rows are
looked up the same way.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa

from registry.appointments.models import Appointment, EndReason, Office, OfficeChooser, Role
from registry.exchange.csv_export import REPRESENTED, seated_rows
from registry.exchange.csv_import_read import Reference
from registry.extensions import db
from registry.meetings.models import AgendaItem, Decision, Meeting
from registry.organisations.models import Organisation, Seat, SeatFiller, SeatKind
from registry.people.models import Gender, Municipality, Party, Person

PersonKey = tuple[str, str | None]          # name, municipality name
SeatKey = tuple[str, str]                   # organisation name, seat label
HoldKey = tuple[str, str, Role]             # organisation name, seat label, role


class OrganisationState(NamedTuple):
    id: int
    authority: str
    start: date | None
    end: date | None


class SeatState(NamedTuple):
    id: int
    has_substitute: bool
    start: date | None
    end: date | None
    kind: SeatKind
    ex_officio: str | None
    pool_rank: int | None
    filled_by: SeatFiller
    nominated_by: str | None
    appointing_authority: str | None    # its own; None: its body's


class PersonState(NamedTuple):
    id: int
    gender: Gender | None
    email: str | None


class Held(NamedTuple):
    """An appointment that holds a seat (status appointed), as the export would write it."""

    id: int
    start: date
    end: date | None
    reason: EndReason | None
    party: str | None
    person: PersonKey
    reference: Reference | None
    party_id: int | None
    decision_id: int | None
    office: Office | None
    office_title: str | None
    office_chosen_by: OfficeChooser | None
    office_start: date | None
    office_end: date | None


# The offices a body has one holder of at a time.
SINGLE_OFFICES = (Office.chair, Office.vice_chair)


@dataclass
class State:
    organisations: dict[str, OrganisationState] = field(default_factory=dict)
    seats: dict[SeatKey, SeatState] = field(default_factory=dict)
    last_position: dict[str, int] = field(default_factory=dict)   # organisation name → highest seat position
    municipalities: dict[str, int] = field(default_factory=dict)
    municipality_codes: set[int] = field(default_factory=set)
    parties: dict[str, int] = field(default_factory=dict)         # letter → id
    party_names: set[str] = field(default_factory=set)
    persons: dict[PersonKey, PersonState] = field(default_factory=dict)
    meetings: dict[tuple[str, date], int] = field(default_factory=dict)
    items: dict[tuple[int, str], int] = field(default_factory=dict)
    decisions: dict[Reference, int] = field(default_factory=dict)
    held: dict[HoldKey, list[Held]] = field(default_factory=lambda: defaultdict(list))
    # One holder at a time: an appointed row is found by seat, role and start date.
    held_at: dict[tuple[str, str, Role, date], Held] = field(default_factory=dict)
    # The formand and næstformand of each body, over time: organisation name, office → appointments.
    held_offices: dict[tuple[str, Office], list[Held]] = field(default_factory=lambda: defaultdict(list))


def load() -> State:
    state = State()
    for row in db.session.execute(sa.select(Organisation.id, Organisation.name, Organisation.appointing_authority,
                                            Organisation.start_date, Organisation.end_date)):
        state.organisations[row.name] = OrganisationState(row.id, row.appointing_authority, row.start_date,
                                                          row.end_date)
    for row in db.session.execute(sa.select(Seat.id, Organisation.name, Seat.label, Seat.has_substitute,
                                            Seat.start_date, Seat.end_date, Seat.position, Seat.kind, Seat.ex_officio,
                                            Seat.pool_rank, Seat.filled_by, Seat.nominated_by,
                                            Seat.appointing_authority).join(Seat.organisation)):
        state.seats[(row.name, row.label)] = SeatState(row.id, row.has_substitute, row.start_date, row.end_date,
                                                       row.kind, row.ex_officio, row.pool_rank, row.filled_by,
                                                       row.nominated_by, row.appointing_authority)
        state.last_position[row.name] = max(state.last_position.get(row.name, 0), row.position)
    for row in db.session.execute(sa.select(Municipality.id, Municipality.name, Municipality.code)):
        state.municipalities[row.name] = row.id
        if row.code is not None:
            state.municipality_codes.add(row.code)
    for row in db.session.execute(sa.select(Party.id, Party.letter, Party.name)):
        state.parties[row.letter] = row.id
        state.party_names.add(row.name)
    # Two persons may share name and municipality; the oldest is the one the import means.
    for row in db.session.execute(
            sa.select(Person.id, Person.name, Municipality.name.label("municipality"), Person.gender, Person.email)
            .outerjoin(Person.municipality).order_by(Person.id.desc())):
        state.persons[(row.name, row.municipality)] = PersonState(row.id, row.gender, row.email)
    _load_decisions(state)
    _load_held(state)
    return state


def _load_decisions(state: State) -> None:
    for row in db.session.execute(sa.select(Meeting.id, Meeting.council_name, Meeting.date)):
        state.meetings[(row.council_name, row.date)] = row.id
    for row in db.session.execute(sa.select(AgendaItem.id, AgendaItem.meeting_id, AgendaItem.number)):
        state.items[(row.meeting_id, row.number)] = row.id
    # Several decisions on one item: the first is the one a reference without more detail means.
    for row in db.session.execute(
            sa.select(Decision.id, Meeting.council_name, Meeting.date, AgendaItem.number)
            .join(Decision.item).join(AgendaItem.meeting).order_by(Decision.id.desc())):
        state.decisions[Reference(row.council_name, row.date, row.number)] = row.id


def _load_held(state: State) -> None:
    stmt = seated_rows(
        Appointment.id, Organisation.name.label("organisation"), Seat.label, Appointment.role,
        Appointment.start_date, Appointment.end_date, Appointment.end_reason, REPRESENTED.letter,
        Person.name.label("person"), Municipality.name.label("municipality"),
        Meeting.council_name, Meeting.date, AgendaItem.number, Appointment.party_id, Appointment.decision_id,
        Appointment.office, Appointment.office_title, Appointment.office_chosen_by, Appointment.office_start,
        Appointment.office_end,
    )
    for row in db.session.execute(stmt):
        reference = Reference(row.council_name, row.date, row.number) if row.council_name else None
        held = Held(row.id, row.start_date, row.end_date, row.end_reason, row.letter,
                    (row.person, row.municipality), reference, row.party_id, row.decision_id, row.office,
                    row.office_title, row.office_chosen_by, row.office_start, row.office_end)
        state.held[(row.organisation, row.label, row.role)].append(held)
        state.held_at[(row.organisation, row.label, row.role, row.start_date)] = held
        if row.office in SINGLE_OFFICES:
            state.held_offices[(row.organisation, row.office)].append(held)


def roles_held() -> set[tuple[int, Role]]:
    """(seat id, role) for every role a seat has had a holder in, recommended ones included: what a change of
    the seat's kind must not strand (organisations/services.py). Asked only when a file changes a kind."""
    return set(db.session.execute(sa.select(Appointment.seat_id, Appointment.role).distinct()).tuples())
