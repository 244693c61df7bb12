"""The bulk download: the whole public registry as one Popolo document (issue 16).

    {"persons": [...], "organizations": [...], "memberships": [...], "posts": [...], "areas": [...],
     "events": [...]}

`GET /api/v1/popolo.json` and `flask registry export-popolo` write the same bytes. Every item is what the
API's lists give: the same rows (services.py) through the same serializer, so the document changes shape
with the API. `as_of` means what it means in the lists: memberships and persons held that day, bodies and
seats open that day; without it, the whole history.

It streams. Each collection is one query read through a server-side cursor (yield_per), and what a
serializer needs beside its row (a seat's party allocations, a person's council mandates) is one more
query in the same order, read alongside it and merged. So the document takes a fixed number of queries,
and memory holds one batch, however many rows there are: memberships are read by person, not by id, so
that their people's mandates can be merged in.

Its version (ETag, Last-Modified) is read without building it: every change to the data writes an audit
entry in the same transaction (the ORM's flush listener, the import's COPY), so the latest entry, the day
asked (without one: today, since the whole history is read on today's date) and the code that shapes the
document tell whether a copy a client holds is still current.
"""

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from itertools import islice
from pathlib import Path
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from registry.api import serializers, services
from registry.appointments.models import Appointment
from registry.appointments.services import active_on
from registry.audit.models import AuditEntry
from registry.dates import COPENHAGEN, today
from registry.extensions import db
from registry.mandates.models import CouncilMandate
from registry.organisations.models import ElectionPeriod, Organisation, Seat, SeatAllocation
from registry.organisations.services import election_periods
from registry.paging import Page
from registry.people.models import Party, Person

T = TypeVar("T")

# Rows a server-side cursor fetches at a time, and items written per chunk of the document.
BATCH = 1_000
# A page size that takes a whole reference list.
ALL = 1_000_000

# The code that shapes the document: a new release may change it while the data stays the same.
SHAPE = hashlib.sha256(b"".join(path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py"))))


@dataclass(frozen=True)
class Version:
    etag: str
    # None: no change has been recorded (a database only just migrated) and the whole history is not asked.
    last_modified: datetime | None


def version(as_of: date | None) -> Version:
    """The document's version, from one small query: the latest audit entry."""
    latest = db.session.execute(
        sa.select(AuditEntry.id, AuditEntry.at).order_by(AuditEntry.id.desc()).limit(1)).first()
    changed = latest.at.replace(tzinfo=timezone.utc) if latest else None
    day = as_of.isoformat() if as_of else f"all-{today().isoformat()}"
    # The entry's time too: a restored backup starts the ids again from an older entry.
    state = f"{latest.id}-{latest.at.isoformat()}" if latest else "0"
    tag = SHAPE.copy()
    tag.update(f"{state}/{day}".encode())
    if as_of is None:
        # The whole history changed at midnight without a new entry: carrying over, and today's mandates.
        midnight = datetime.combine(today(), time(), COPENHAGEN).astimezone(timezone.utc)
        changed = max(changed, midnight) if changed else midnight
    return Version(tag.hexdigest()[:32], changed)


def document(as_of: date | None) -> Iterator[str]:
    """The document as text chunks; encode each as UTF-8."""
    if db.session.get_bind().dialect.name == "postgresql":
        # As the CSV export: a server-side cursor makes PostgreSQL plan for the first 10 % of rows, and all
        # of them will be read. SET LOCAL ends with the transaction.
        db.session.execute(sa.text("SET LOCAL cursor_tuple_fraction = 1.0"))
    periods = election_periods()
    # Read first and held to the end: the session keeps only the objects something holds, so without this
    # each batch of rows would build its parties and municipalities again (a third of the time).
    parties, areas = _everything(services.parties), _everything(services.areas)
    collections: list[tuple[str, Callable[[], Iterable[dict]]]] = [
        ("persons", lambda: _persons(as_of)),
        ("organizations", lambda: _organizations(as_of, parties)),
        ("memberships", lambda: _memberships(as_of, periods)),
        ("posts", lambda: _posts(as_of)),
        # Municipalities, and the regions they lie in.
        ("areas", lambda: map(serializers.area, areas)),
        ("events", lambda: map(serializers.event, _everything(services.events, as_of=as_of))),
    ]
    dumps = current_app.json.dumps
    for number, (name, items) in enumerate(collections):
        yield ("{" if number == 0 else "], ") + f'"{name}": ['
        for count, batch in enumerate(_batches(items())):
            # The API's own encoding (http.json_response): Danish letters as they are, fields in order.
            yield ("" if count == 0 else ", ") + ", ".join(dumps(item, ensure_ascii=False, sort_keys=False)
                                                        for item in batch)
    yield "]}"


def _batches(items: Iterable[T]) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def _stream(stmt: sa.Select, *, rows: bool = False) -> Iterator[Any]:
    """The statement's results through a server-side cursor, BATCH rows at a time, closed when done."""
    result = db.session.execute(stmt.execution_options(yield_per=BATCH))
    try:
        yield from (result if rows else result.scalars())
    finally:
        result.close()


class _Alongside(Generic[T]):
    """A second stream read alongside the first, both in the order of a key (a person's, a seat's id): for
    each key in ascending order, its rows. Rows with keys never asked for are passed over."""

    def __init__(self, rows: Iterator[T], key: Callable[[T], int]):
        self._rows, self._key = rows, key
        self._next = next(rows, None)
        self._last: tuple[int, list[T]] | None = None

    def take(self, wanted: int) -> list[T]:
        # The same key again (a person's memberships go on in the next batch): the same rows.
        if self._last is not None and self._last[0] == wanted:
            return self._last[1]
        while self._next is not None and self._key(self._next) < wanted:
            self._next = next(self._rows, None)
        found = []
        while self._next is not None and self._key(self._next) == wanted:
            found.append(self._next)
            self._next = next(self._rows, None)
        self._last = (wanted, found)
        return found

    def close(self) -> None:
        self._rows.close()


def _mandates() -> _Alongside[CouncilMandate]:
    """Everyone's council mandates by person, each person's the latest first, as mandates_by_person gives
    them."""
    stmt = (sa.select(CouncilMandate)
            .options(joinedload(CouncilMandate.municipality), joinedload(CouncilMandate.party))
            .order_by(CouncilMandate.person_id, CouncilMandate.start_date.desc(), CouncilMandate.id.desc()))
    return _Alongside(_stream(stmt), lambda mandate: mandate.person_id)


def _persons(as_of: date | None) -> Iterator[dict]:
    mandates = _mandates()
    try:
        for person in _stream(services._persons(as_of=as_of).order_by(Person.id)):
            yield serializers.person(services._person_row(person, mandates.take(person.id), as_of))
    finally:
        mandates.close()


def _organizations(as_of: date | None, parties: list[Party]) -> Iterator[dict]:
    """The bodies, then the parties: both Popolo organizations."""
    bodies = sa.select(Organisation).order_by(Organisation.id)
    if as_of is not None:
        bodies = bodies.where(services._open_on(Organisation, as_of))
    yield from (serializers.organization(body) for body in _stream(bodies))
    yield from (serializers.party(party) for party in parties)


def _memberships(as_of: date | None, periods: list[ElectionPeriod]) -> Iterator[dict]:
    stmt = services._memberships(as_of).order_by(Appointment.person_id, Appointment.id)
    if as_of is not None:
        stmt = stmt.where(active_on(as_of))
    mandates = _mandates()
    try:
        for batch in _batches(_stream(stmt, rows=True)):
            held = {appointment.person_id: mandates.take(appointment.person_id) for appointment, *_ in batch}
            for row in services._read_on(batch, as_of, periods, held):
                yield serializers.membership(row)
    finally:
        mandates.close()


def _posts(as_of: date | None) -> Iterator[dict]:
    allocations = _Alongside(_stream(sa.select(SeatAllocation)
                                     .options(joinedload(SeatAllocation.period), joinedload(SeatAllocation.party))
                                     .order_by(SeatAllocation.seat_id, SeatAllocation.id)),
                             lambda allocation: allocation.seat_id)
    try:
        for seat in _stream(services._seats(as_of).order_by(Seat.id)):
            # As if loaded with the seat (services._posts joins them): the serializer reads seat.allocations.
            set_committed_value(seat, "allocations", allocations.take(seat.id))
            yield serializers.post(seat)
    finally:
        allocations.close()


def _everything(read_list: Callable[..., Page], **args) -> list:
    """All of a reference list (parties, areas, events), as its endpoint orders it, in one query: these are as
    many as there are parties, municipalities and election periods, not as many as the registry's rows."""
    return read_list(limit=ALL, **args).items
