"""Writing a checked CSV import: Core bulk statements, each with its audit entries, in one transaction.

Row-by-row ORM flushes would take minutes for a national registry; bulk
statements take seconds. They bypass the audit flush listener, so every
created or changed row gets its entry here through audit_rows, plus one
"import" event with the totals. On PostgreSQL new rows and audit entries go in
with COPY (csv_import_copy), the new appointments a batch at a time. Nothing is committed: the caller does that once.
"""

import enum
import functools
import hashlib
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from registry.appointments.models import ONE_HOLDER_CONSTRAINT, Appointment, Status
from registry.audit.models import AuditEntry
from registry.audit.services import record, record_rows
from registry.errors import RuleViolation
from registry.exchange import csv_import_copy
from registry.exchange.csv_import_rules import office_values
from registry.extensions import db
from registry.meetings.models import AgendaItem, Decision, Meeting, Outcome
from registry.organisations.models import Organisation, Seat
from registry.people.models import Municipality, Party, Person
from registry.types import sort_key

if TYPE_CHECKING:
    from registry.exchange.csv_import import ImportResult, Plan

UNKNOWN_ITEM = "Ukendt punkt (importeret)"
CHUNK = 10_000
# What a seat is and who fills it, as the plan has it for a new seat.
SEAT_KIND_COLUMNS = ("kind", "ex_officio", "pool_rank", "filled_by", "appointing_authority", "nominated_by")


def write(plan: "Plan", data: bytes, *, summary: "ImportResult") -> None:
    """Everything the plan creates or changes; flushed, not committed."""
    try:
        # A savepoint, so a refusal by the database leaves the caller's session
        # usable, with nothing of the import in it. Every line was checked against
        # what the registry held when the import began, so a refusal means someone
        # changed it since (seated a holder, added the same organisation).
        with db.session.begin_nested():
            _write(plan)
            record(db.session, "import", changes={
                "sha256": hashlib.sha256(data).hexdigest(), "lines": summary.line_count,
                "unchanged": summary.actions["unchanged"],
                "created": summary.created, "changed": summary.changed})
            db.session.flush()
    except IntegrityError as error:
        if ONE_HOLDER_CONSTRAINT in str(error.orig):
            raise RuleViolation(_l("En anden har ændret udpegningerne, mens filen blev indlæst; intet er gemt. "
                                   "Prøv igen.")) from error
        raise RuleViolation(_l("En anden har ændret registret, mens filen blev indlæst; intet er gemt. "
                               "Prøv igen.")) from error
    # Rows the session may hold from before are stale now.
    db.session.expire_all()
    if csv_import_copy.used():
        _analyse(summary)


# What an import counts (csv_import.CREATED, CHANGED), by its table.
TABLES = {"organisationer": "organisations", "pladser": "seats", "personer": "persons", "partier": "parties",
          "kommuner": "municipalities", "møder": "meetings", "dagsordenspunkter": "agenda_items",
          "beslutninger": "decisions", "udpegninger": "appointments"}
# Rows written to a table before the import analyses it.
ANALYSE_AFTER = 1_000


def _analyse(summary: "ImportResult") -> None:
    """ANALYZE the tables a large import wrote to, in its transaction (so it commits or rolls back with it):
    the planner's next queries know their new size at once, as autovacuum would tell it only later, if at all.
    PostgreSQL only; SQLite's planner needs no statistics to use its indexes."""
    written: Counter[str] = Counter()
    for counts in (summary.created, summary.changed):
        for what, count in counts.items():
            written[TABLES[what]] += count
    written[AuditEntry.__tablename__] = sum(written.values())
    tables = sorted(table for table, count in written.items() if count >= ANALYSE_AFTER)
    if tables:
        db.session.execute(sa.text(f"ANALYZE {', '.join(tables)}"))


def _write(plan: "Plan") -> None:
    state = plan.state
    municipalities = state.municipalities | _insert(Municipality, plan.new_municipalities)
    parties = state.parties | _insert(Party, plan.new_parties)
    organisations = {name: org.id for name, org in state.organisations.items()} | _insert(Organisation, {
        name: {"name": name, "sort_name": sort_key(name), "appointing_authority": values["authority"]}
        for name, values in plan.new_organisations.items()})
    # Seats and persons a batch at a time: a national file has hundreds of thousands of each.
    seats = {key: seat.id for key, seat in state.seats.items()} | _insert_batches(Seat, (
        (key, {"organisation_id": organisations[values["organisation"]], "label": values["label"],
               "position": values["position"], "has_substitute": values["has_substitute"],
               **{column: values[column] for column in SEAT_KIND_COLUMNS}})
        for key, values in plan.new_seats.items()))
    persons = {key: person.id for key, person in state.persons.items()} | _insert_batches(Person, (
        (key, {"name": values["name"], "sort_name": sort_key(values["name"]),
               "municipality_id": municipalities[values["municipality"]] if values["municipality"] else None,
               "party_id": parties[values["party"]] if values["party"] else None,
               "gender": values["gender"], "email": values["email"]})
        for key, values in plan.new_persons.items()))
    decisions = state.decisions | _insert_decisions(plan)

    _update(Organisation, plan.organisation_changes)
    _update(Seat, plan.seat_changes)
    _update(Person, plan.person_changes)

    def ids(row, held=None) -> dict:
        # A reference the appointment already has keeps its decision, even where one item has several.
        same_reference = held is not None and held.reference == row.reference
        return {"party_id": parties[row.party] if row.party else None,
                "decision_id": held.decision_id if same_reference else
                decisions[row.reference] if row.reference else None}

    # Updates before inserts: a new appointment may begin where a changed one now ends.
    # A start date never changes (it is part of what identifies the appointment),
    # so no order of the updates can make two of them overlap on the way.
    changes = {}
    for held, row in plan.appointment_changes.values():
        new = {"end_date": row.end, "end_reason": row.reason, **ids(row, held),
               **(office_values(row) if row.office_stated else {})}
        old = {"end_date": held.end, "end_reason": held.reason, "party_id": held.party_id,
               "decision_id": held.decision_id, **office_values(held)}
        changes[held.id] = {column: (old[column], value) for column, value in new.items() if old[column] != value}
    _update(Appointment, changes)

    def values(row) -> dict:
        return {"seat_id": seats[(row.organisation, row.seat)], "person_id": persons[(row.name, row.municipality)],
                "role": row.role, "start_date": row.start, "end_date": row.end, "end_reason": row.reason,
                "status": Status.appointed, **ids(row), **office_values(row)}

    # A batch at a time from the staging table: the new appointments' values and audit entries are never all
    # in memory at once. Their ids come back with RETURNING (or from the sequence, with COPY), not by reading
    # every appointment back after each batch.
    for batch in plan.new_appointments():
        _insert(Appointment, {row.line: values(row) for row in batch}, returning=True)


def _insert_decisions(plan: "Plan") -> dict:
    """A decision for each reference the registry does not know, on its meeting and item (found or made)."""
    state = plan.state
    references = list(plan.new_references)
    meetings = state.meetings | _insert(Meeting, {
        (ref.council, ref.date): {"council_name": ref.council, "date": ref.date}
        for ref in references if (ref.council, ref.date) not in state.meetings})
    items = state.items | _insert(AgendaItem, {
        (meetings[(ref.council, ref.date)], ref.number): {
            "meeting_id": meetings[(ref.council, ref.date)], "number": ref.number,
            "position": _position(ref.number), "title": UNKNOWN_ITEM}
        for ref in references if (meetings[(ref.council, ref.date)], ref.number) not in state.items})
    return _insert(Decision, {ref: {"item_id": items[(meetings[(ref.council, ref.date)], ref.number)],
                                    "outcome": Outcome.appointed} for ref in references})


def _position(number: str) -> int:
    try:
        return AgendaItem.position_of(number)
    except ValueError:
        return 0  # a number like 'A.1' sorts first; the text of the number is kept as it is


# The columns that identify a new row among all of its table's rows, so its id
# can be read back after a plain executemany. On PostgreSQL that is far faster
# than RETURNING, whose one long statement per 1,000 rows the driver has to
# parse. Persons and decisions have no such key and use RETURNING.
UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "municipalities": ("name",), "parties": ("letter",), "organisations": ("name",),
    "seats": ("organisation_id", "label"), "meetings": ("council_name", "date"),
    "agenda_items": ("meeting_id", "number"),
    # One holder at a time: no two seated appointments share seat, role and start date.
    "appointments": ("seat_id", "role", "start_date"),
}


def _insert(model, rows: dict, *, returning: bool = False) -> dict:
    """Insert the rows (natural key → column values) with executemany; return natural key → id. returning:
    the ids come back with the rows, rather than by the table's natural key (UNIQUE_KEYS)."""
    if not rows:
        return {}
    table = model.__table__
    values = list(rows.values())
    if csv_import_copy.used():
        ids = csv_import_copy.insert(table, values)
        audit_rows("create", table.name, ((row_id, _audited(table, row)) for row_id, row in zip(ids, values,
                                                                                               strict=True)))
        return dict(zip(rows, ids, strict=True))
    key = None if returning else UNIQUE_KEYS.get(table.name)
    if key is None:
        ids = [row_id for chunk in _chunks(values) for row_id in db.session.execute(
            sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), chunk).scalars()]
    else:
        for chunk in _chunks(values):
            db.session.execute(sa.insert(table), chunk)
        stmt = sa.select(table.c.id, *(table.c[column] for column in key))
        if table.name == "appointments":
            stmt = stmt.where(table.c.status == Status.appointed)
        found = {tuple(row[1:]): row[0] for row in db.session.execute(stmt)}
        ids = [found[tuple(row[column] for column in key)] for row in values]
    for chunk_ids, chunk in zip(_chunks(ids), _chunks(values), strict=True):
        audit_rows("create", table.name,
                   [(row_id, _audited(table, row)) for row_id, row in zip(chunk_ids, chunk, strict=True)])
    return dict(zip(rows, ids, strict=True))


def _insert_batches(model, rows: Iterable[tuple]) -> dict:
    """_insert for (natural key, column values), CHUNK rows at a time; natural key → id."""
    ids: dict = {}
    iterator = iter(rows)
    while batch := dict(itertools.islice(iterator, CHUNK)):
        ids |= _insert(model, batch, returning=True)
    return ids


def _chunks(values: list) -> Iterator[list]:
    """Slices of CHUNK rows: the driver's and the audit trail's copies of the parameters stay small."""
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _update(model, changes: dict[int, dict[str, tuple]]) -> None:
    """Set the changed columns (id → {column: (before, after)}); one executemany per set of columns."""
    table = model.__table__
    by_columns: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for row_id, columns in changes.items():
        by_columns[tuple(sorted(columns))].append(row_id)
    for columns, row_ids in by_columns.items():
        # The version goes up as in an ORM update, so a form still open on the old row is refused, not obeyed.
        stmt = (sa.update(table).where(table.c.id == sa.bindparam("row_id"))
                .values({**{column: sa.bindparam(f"new_{column}") for column in columns},
                         "version": table.c.version + 1}))
        db.session.execute(stmt, [{"row_id": row_id, **{f"new_{column}": changes[row_id][column][1]
                                                         for column in columns}} for row_id in row_ids])
    audited = [(row_id, {column: [_plain(table, column, value) for value in pair] for column, pair in columns.items()})
               for row_id, columns in changes.items()]
    audit_rows("update", table.name, audited)


def audit_rows(action: str, entity: str, rows: Iterable[tuple[int, dict]]) -> None:
    """An audit entry per row written, (id, changes): with COPY on PostgreSQL, else as record_rows does."""
    if csv_import_copy.used():
        csv_import_copy.audit(action, entity, rows)
    else:
        record_rows(db.session, action, entity, list(rows))


def _audited(table: sa.Table, row: dict) -> dict:
    """What the flush listener would record for a created row: set values, private ones masked."""
    private = _private(table)
    return {column: "***" if column in private else _json(value) for column, value in row.items()
            if value is not None}


@functools.cache
def _private(table: sa.Table) -> frozenset[str]:
    return frozenset(column.name for column in table.c if column.info.get("private"))


def _json(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def _plain(table: sa.Table, column: str, value):
    if value is None:
        return None
    if column in _private(table):
        return "***"
    return _json(value)
