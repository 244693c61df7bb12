"""The history of indstillinger as CSV: every KKR decision, one line per person it concerns.

The registry's CSV format (registry/csvfiles.py): UTF-8 with
BOM, ';' or ',' between cells, CRLF, a fixed Danish header and the
formula-injection guard; streamed a chunk of decisions at a time, the same
bytes from the web and the command line. Only decisions: a nomination KKR has
not yet decided is never in the file (the history reads decisions only).
"""

from collections.abc import Iterator

import sqlalchemy as sa

from registry.appointments.models import Appointment, Role
from registry.csvfiles import CHUNK_ROWS, check_delimiter, neutralise, write
from registry.exchange import csv_postgres
from registry.extensions import db
from registry.meetings import history
from registry.meetings.history import Entry, Selection
from registry.meetings.models import AgendaItem, Decision, Meeting, Outcome
from registry.nominations.models import Nomination
from registry.organisations.models import Organisation, Seat
from registry.people.models import Municipality, Party, Person

HEADER = ["Møde", "Dato", "Sagsnummer", "Punkt", "Titel", "Organisation", "Plads", "Rolle", "Person", "Parti",
          "Kommune", "Udfald", "Beslutning", "Udpeget fra"]


def _cells(entry: Entry, municipalities: dict[int, str]) -> list[str]:
    meeting, item, decision, person = entry.meeting, entry.item, entry.decision, entry.person
    cells = [
        meeting.council_name,
        meeting.date.isoformat(),
        meeting.case_number or "",
        item.number,
        item.title,
        entry.organisation.name if entry.organisation else "",
        entry.seat.label if entry.seat else "",
        entry.role.danish if entry.role else "",
        person.name if person else "",
        entry.party.letter if entry.party else "",
        municipalities.get(person.municipality_id, "") if person and person.municipality_id else "",
        decision.outcome.danish,
        decision.text or "",
        entry.appointed_on.isoformat() if entry.appointed_on else "",
    ]
    return [neutralise(cell) for cell in cells]


def rows(selection: Selection) -> Iterator[list[str]]:
    """The data rows, without header, newest meeting first as on the history page."""
    # A few dozen municipalities, read once, rather than one lazy load per person.
    municipalities = dict(db.session.execute(sa.select(Municipality.id, Municipality.name)).tuples().all())
    for entry in history.every(selection, chunk=CHUNK_ROWS):
        yield _cells(entry, municipalities)


def export(selection: Selection, delimiter: str = ";") -> Iterator[str]:
    """The whole file as text chunks; encode each as UTF-8. PostgreSQL writes the lines itself
    (csv_postgres.py), many times faster than reading the decisions as objects; SQLite's are written here."""
    check_delimiter(delimiter)
    if db.session.get_bind().dialect.name == "postgresql":
        return csv_postgres.export(HEADER, _lines(selection), delimiter)
    return write(HEADER, rows(selection), delimiter)


def _concerned(selection: Selection) -> sa.Subquery:
    """Whom each decision concerns within the selection, as history.entries reads it: the nomination it decided
    (the person, then the suppleant), or else the appointments resting on it, member before suppleant."""
    def within(stmt: sa.Select, person_id) -> sa.Select:
        if selection.person_id is not None:
            stmt = stmt.where(person_id == selection.person_id)
        if selection.organisation_id is not None:
            stmt = stmt.where(Seat.organisation_id == selection.organisation_id)
        return stmt

    def named(person_id, role, place: int) -> sa.Select:
        return within(sa.select(Nomination.decision_id, Nomination.seat_id, person_id.label("person_id"),
                                Nomination.party_id, role.label("role"), Nomination.appointed_on.label("since"),
                                sa.literal(place).label("place"), sa.literal(0).label("then"))
                      .join(Seat, Nomination.seat_id == Seat.id)
                      .where(Nomination.decision_id.is_not(None), person_id.is_not(None)), person_id)

    role = sa.type_coerce(Nomination.role, sa.String)
    seated = within(
        sa.select(Appointment.decision_id, Appointment.seat_id, Appointment.person_id, Appointment.party_id,
                  sa.type_coerce(Appointment.role, sa.String), Appointment.start_date,
                  sa.case((Appointment.role == Role.member, 1), else_=2), Appointment.id)
        .join(Seat, Appointment.seat_id == Seat.id)
        .where(Appointment.decision_id.is_not(None),
               ~sa.exists().where(Nomination.decision_id == Appointment.decision_id)), Appointment.person_id)
    return sa.union_all(named(Nomination.person_id, role, 1),
                        named(Nomination.substitute_id, sa.literal(Role.substitute.value), 2), seated).subquery()


def _lines(selection: Selection) -> sa.Select:
    """The file's lines with their cells formatted as _cells formats them, for PostgreSQL's COPY; a decision
    concerning no one within the selection is one line of the decision alone.

    The decisions are put in the history's order and their cells formatted once each (tens of thousands), so
    that the lines (hundreds of thousands) are sorted by numbers: twice as fast as sorting them by the meeting's
    day and the item's number (tests/benchmarks/export.py)."""
    cell, on = csv_postgres.cell, csv_postgres.day
    decided = (
        sa.select(Decision.id, sa.func.row_number().over(order_by=history.ORDER).label("place"),
                  cell(Meeting.council_name).label("council"), on(Meeting.date).label("day"),
                  cell(Meeting.case_number).label("case_number"), cell(AgendaItem.number).label("number"),
                  cell(AgendaItem.title).label("title"), csv_postgres.word(Decision.outcome, Outcome).label("outcome"),
                  cell(Decision.text).label("text"))
        .join(Decision.item).join(AgendaItem.meeting)
    )
    if selection != Selection():
        # The decisions the history selects, by the history's own rules.
        chosen = history.decisions(selection).subquery()
        decided = decided.where(Decision.id.in_(sa.select(chosen.c.id)))
    decided = decided.cte("decided").prefix_with("MATERIALIZED")
    concerned = _concerned(selection)
    return (
        sa.select(decided.c.council, decided.c.day, decided.c.case_number, decided.c.number, decided.c.title,
                  cell(Organisation.name), cell(Seat.label), csv_postgres.word(concerned.c.role, Role),
                  cell(Person.name), cell(Party.letter), cell(Municipality.name), decided.c.outcome, decided.c.text,
                  on(concerned.c.since))
        .select_from(decided)
        .outerjoin(concerned, concerned.c.decision_id == decided.c.id)
        .outerjoin(Seat, Seat.id == concerned.c.seat_id)
        .outerjoin(Organisation, Organisation.id == Seat.organisation_id)
        .outerjoin(Person, Person.id == concerned.c.person_id).outerjoin(Party, Party.id == concerned.c.party_id)
        .outerjoin(Municipality, Municipality.id == Person.municipality_id)
        .order_by(decided.c.place, concerned.c.place, concerned.c.then)
    )
