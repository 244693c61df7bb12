"""The rows a page of audit entries names, read in a fixed number of queries, and what each entry states."""

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from registry.appointments.models import Appointment
from registry.audit.models import AuditEntry
from registry.auth.models import User
from registry.extensions import db
from registry.mandates.models import CouncilMandate
from registry.meetings.models import AgendaItem, Decision, Meeting
from registry.nominations.models import Call, Nomination
from registry.organisations.models import ElectionPeriod, Organisation, Seat, SeatAllocation
from registry.people.models import Municipality, Party, Person
from registry.people.services import has_held_a_seat

# A column that names another row, and that row's table.
REFERENCES = {"person_id": "persons", "substitute_id": "persons", "seat_id": "seats", "party_id": "parties",
              "period_id": "election_periods", "organisation_id": "organisations", "successor_id": "organisations",
              "meeting_id": "meetings", "item_id": "agenda_items", "municipality_id": "municipalities"}

# Rows that name other rows, read first with what they name.
CONTAINERS = {
    "appointments": (Appointment, (joinedload(Appointment.person), joinedload(Appointment.seat)
                                   .joinedload(Seat.organisation))),
    "seat_allocations": (SeatAllocation, (joinedload(SeatAllocation.seat).joinedload(Seat.organisation),
                                          joinedload(SeatAllocation.party), joinedload(SeatAllocation.period))),
    "agenda_items": (AgendaItem, (joinedload(AgendaItem.meeting),)),
    "decisions": (Decision, (joinedload(Decision.item).joinedload(AgendaItem.meeting),)),
    "council_mandates": (CouncilMandate, (joinedload(CouncilMandate.person),
                                          joinedload(CouncilMandate.municipality))),
}
PRIVATE_CONTAINERS = {
    "nominations": (Nomination, (joinedload(Nomination.person), joinedload(Nomination.seat)
                                 .joinedload(Seat.organisation))),
    "calls": (Call, (joinedload(Call.party), joinedload(Call.seat).joinedload(Seat.organisation))),
}
# Rows named by id, read after the containers.
NAMED = {"persons": (Person, ()), "seats": (Seat, (joinedload(Seat.organisation),)),
         "organisations": (Organisation, ()), "parties": (Party, ()), "election_periods": (ElectionPeriod, ()),
         "meetings": (Meeting, ()), "municipalities": (Municipality, ()), "users": (User, ())}


class Names:
    """The rows a page of entries names, by table and id, read in a fixed number of queries."""

    def __init__(self, entries: list[AuditEntry], *, private: bool):
        self.private = private
        wanted: dict[str, set[int]] = defaultdict(set)
        for entry in entries:
            if entry.entity and entry.entity_id is not None:
                wanted[entry.entity].add(entry.entity_id)
            if entry.user_id is not None:
                wanted["users"].add(entry.user_id)
            for column, value in stated(entry).items():
                if column in REFERENCES and isinstance(value, int):
                    wanted[REFERENCES[column]].add(value)
        self.rows: dict[tuple[str, int], object] = {}
        containers = CONTAINERS | (PRIVATE_CONTAINERS if private else {})
        for table, (model, options) in containers.items():
            for row in self._read(model, options, wanted[table]):
                self.rows[(table, row.id)] = row
                for column, named in REFERENCES.items():
                    if (value := getattr(row, column, None)) is not None:
                        wanted[named].add(value)
        for table, (model, options) in NAMED.items():
            known = {row_id for row_id in wanted[table] if (table, row_id) in self.rows}
            # A reader sees the names of the public only: people who hold or have held a seat (people/services.py).
            public = has_held_a_seat() if table == "persons" and not private else None
            for row in self._read(model, options, wanted[table] - known, public):
                self.rows[(table, row.id)] = row

    @staticmethod
    def _read(model, options, ids: set[int], where=None) -> list:
        # Asked even for no ids, so that the page's queries do not depend on what it holds.
        stmt = sa.select(model).where(model.id.in_(sorted(ids))).options(*options)
        return list(db.session.scalars(stmt if where is None else stmt.where(where)))

    def get(self, table: str, row_id) -> object | None:
        return self.rows.get((table, row_id)) if isinstance(row_id, int) else None


def stated(entry: AuditEntry) -> dict:
    """The columns the entry states: a created or deleted row's values, an updated row's new values."""
    if not isinstance(entry.changes, dict):
        return {}
    if entry.action == "update":
        return {column: value[1] for column, value in entry.changes.items()
                if isinstance(value, list) and len(value) == 2}
    return dict(entry.changes)


def changed(entry: AuditEntry, column: str) -> tuple | None:
    """(before, after) of an update's column, None when the column did not change."""
    value = entry.changes.get(column) if entry.action == "update" and isinstance(entry.changes, dict) else None
    return tuple(value) if isinstance(value, list) and len(value) == 2 else None
