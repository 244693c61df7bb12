"""Small builders for test data, through the same services the app uses."""

import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import sqlalchemy as sa

from registry.appointments import services as appointments
from registry.appointments.models import Appointment, Role
from registry.extensions import db
from registry.meetings.models import AgendaItem, Decision, Meeting, Outcome
from registry.organisations.models import Organisation, Seat
from registry.people.models import Municipality, Party, Person


def party(letter: str = "F", name: str | None = None) -> Party:
    row = db.session.scalar(sa.select(Party).where(Party.letter == letter))
    if row is None:
        row = Party(letter=letter, name=name or f"Parti {letter}")
        db.session.add(row)
        db.session.flush()
    return row


def municipality(name: str = "Hvidovre", code: int | None = None) -> Municipality:
    row = db.session.scalar(sa.select(Municipality).where(Municipality.name == name))
    if row is None:
        row = Municipality(name=name, code=code)
        db.session.add(row)
        db.session.flush()
    return row


def organisation(name: str = "RAR Hovedstaden", **values) -> Organisation:
    row = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
    if row is not None and not values:
        return row
    values.setdefault("appointing_authority", "KKR Hovedstaden")
    row = Organisation(name=name, **values)
    db.session.add(row)
    db.session.flush()
    return row


def seat(org: Organisation | None = None, label: str = "Plads 1", has_substitute: bool = True, **values) -> Seat:
    row = Seat(organisation=org or organisation(), label=label, has_substitute=has_substitute, **values)
    db.session.add(row)
    db.session.flush()
    return row


def person(name: str = "Test Person", municipality_name: str = "Hvidovre", party_letter: str | None = "F",
           **values) -> Person:
    row = Person(name=name, municipality=municipality(municipality_name),
                 party=party(party_letter) if party_letter else None, **values)
    db.session.add(row)
    db.session.flush()
    return row


def appoint(seat_row: Seat, person_row: Person, start: date, end: date | None = None,
            role: Role = Role.member, **values):
    return appointments.appoint(seat_row, person_row, role, start, end=end, **values)


def bulk_members(count: int, **values) -> None:
    """A body of `count` seats with one member each (the same person), written in bulk rather than through the
    services: for tests that measure what a large registry costs an export, not how it was built. `values` go
    on every appointment (a decision_id, say)."""
    org = organisation(f"Stor organisation {count}")
    holder = person(f"Person {count}")
    db.session.execute(sa.insert(Seat), [
        {"organisation_id": org.id, "label": f"Plads {i}", "position": i, "has_substitute": False, "version": 1}
        for i in range(count)])
    seat_ids = db.session.scalars(sa.select(Seat.id).where(Seat.organisation_id == org.id)).all()
    db.session.execute(sa.insert(Appointment), [
        {"seat_id": seat_id, "person_id": holder.id, "role": Role.member, "start_date": date(2024, 1, 1),
         "party_id": holder.party_id, "version": 1, **values} for seat_id in seat_ids])
    db.session.commit()


def decision(day: date = date(2024, 4, 19), number: str = "4.1", outcome: Outcome = Outcome.noted,
             council: str = "KKR Hovedstaden") -> Decision:
    meeting = db.session.scalar(sa.select(Meeting).filter_by(council_name=council, date=day))
    if meeting is None:
        meeting = Meeting(council_name=council, date=day)
        db.session.add(meeting)
    item = AgendaItem(meeting=meeting, number=number, position=AgendaItem.position_of(number), title="Punkt")
    row = Decision(item=item, outcome=outcome)
    db.session.add(row)
    db.session.flush()
    return row


PASSWORD = "en lang adgangskode"


def user(username: str = "haan", role=None, party_letter: str | None = None):
    from registry.auth.models import UserRole
    from registry.auth.services import create_user

    role = role or UserRole.secretariat
    return create_user(username, PASSWORD, role, party(party_letter) if party_letter else None)


def login(client, username: str, password: str = PASSWORD):
    return client.post("/login", data={"username": username, "password": password})


@contextmanager
def queries() -> Iterator[list[str]]:
    """The SQL statements run inside the block (BEGIN left out), each on one line; the block starts with a
    fresh session, as a real request has."""
    statements: list[str] = []

    def remember(conn, cursor, statement, *args):
        if statement != "BEGIN":
            statements.append(" ".join(statement.split()))

    db.session.remove()
    sa.event.listen(db.engine, "before_cursor_execute", remember)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", remember)


def count_queries(client, url: str) -> int:
    """SQL statements one GET of the page takes."""
    with queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def streamed(app, url: str, counted: bytes = b"\r\n") -> tuple[int, int, int]:
    """(how often `counted` occurs, queries, peak traced bytes) for one answer read chunk by chunk through the
    web, as a client downloading it would: what the flat-memory and fixed-query tests of a streamed file measure."""
    tracemalloc.start()
    try:
        with queries() as statements, app.test_client() as client:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            found = sum(chunk.count(counted) for chunk in response.response)
            response.close()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return found, len(statements), peak
