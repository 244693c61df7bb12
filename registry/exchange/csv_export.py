"""The appointments CSV: the contract other tools rely on.

UTF-8 with BOM, ';' between cells, CRLF line ends: what Danish Excel opens
correctly. One query for the lines (and one for the election periods the terms
are counted in), streamed in chunks, so memory and query count stay flat
however many rows there are. The web export and the CLI share this code and
produce the same bytes.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from registry.appointments.models import Appointment, EndReason, Office, OfficeChooser, Role, Status
from registry.appointments.services import active_on
from registry.csvfiles import CHUNK_ROWS, check_delimiter, neutralise, write
from registry.dates import today
from registry.exchange import csv_postgres
from registry.extensions import db
from registry.mandates.models import CouncilMandate
from registry.meetings.models import AgendaItem, Decision, Meeting, reference
from registry.organisations import terms, terms_sql
from registry.organisations.models import ElectionPeriod, Organisation, Seat, SeatFiller, SeatKind
from registry.organisations.services import election_periods
from registry.people.models import Municipality, Party, Person

# The columns of the first export, in their order: tools read them by position, so new columns only ever
# come after them.
BASE_HEADER = ["organisation", "plads", "rolle", "navn", "parti", "kommune", "startdato", "slutdato",
               "ophørsårsag", "udpegende_myndighed", "indstilling"]
# Bodies as they are (migration 0012): the member's office on the body, then what the seat is, who fills it
# and who nominates for it. Optional on import.
BODY_HEADER = ["hverv", "hverv_valgt_af", "hverv_start", "hverv_slut", "pladstype", "embede", "suppleant_nr",
               "besættes_af", "indstilles_af"]
# The election-period round (issue 13), derived from the registry, so the import reads past them: "ja" for a
# holder on the file's day (today in the whole history) whose term ended before it, who carries on until a
# successor is seated ("fungerer, indtil nye er udpeget"), also when the successor's seating has since given
# the appointment an end date (the day before the successor's first); then the municipal council (kommunalbestyrelse)
# the person has a mandate on that day (in the whole history: on the appointment's last day, if passed) and
# the office held there (borgmester; empty for a member). Public, like the mandates themselves.
DERIVED_HEADER = ["fortsætter_indtil_ny_er_udpeget", "kommunalbestyrelse", "kommunalt_hverv"]
HEADER = BASE_HEADER + BODY_HEADER + DERIVED_HEADER

# The seat's appointing authority: its own where it has one, else its body's.
SEAT_AUTHORITY = sa.func.coalesce(Seat.appointing_authority, Organisation.appointing_authority)


@dataclass(frozen=True)
class Selection:
    """Which appointments a file holds: one day's (as_of) or the whole history (None),
    optionally for one organisation, one party (on whose behalf) or one municipality."""

    as_of: date | None = None
    organisation_id: int | None = None
    party_id: int | None = None
    municipality_id: int | None = None


# The party an appointment represents; Person has a party of its own, hence the alias.
REPRESENTED = aliased(Party, name="represented")


def seated_rows(*columns) -> sa.Select:
    """The columns over every seated appointment with all that a CSV line names: body, seat, person,
    municipality, represented party (REPRESENTED) and the KKR decision. Shared with the importer,
    which reads the registry back in the same shape."""
    return _naming(sa.select(*columns).join(Appointment.seat).join(Seat.organisation))


def _naming(stmt: sa.Select) -> sa.Select:
    """The seated appointments of `stmt` joined to the person, municipality, represented party and KKR
    decision a line names: the Python path's seats come as rows, the COPY path's in the file's order."""
    return (
        stmt.join(Appointment.person)
        .outerjoin(REPRESENTED, Appointment.party_id == REPRESENTED.id)
        .outerjoin(Municipality, Person.municipality_id == Municipality.id)
        .outerjoin(Decision, Appointment.decision_id == Decision.id)
        .outerjoin(AgendaItem, Decision.item_id == AgendaItem.id)
        .outerjoin(Meeting, AgendaItem.meeting_id == Meeting.id)
        .where(Appointment.status == Status.appointed)
    )


# The council mandate a line names (mandates.models.CouncilMandate) and its municipality: Person has a
# municipality of its own, hence the aliases.
HELD = aliased(CouncilMandate, name="held")
COUNCIL = aliased(Municipality, name="council")


def _row_day(selection: Selection, now: date):
    """The day a line's mandate is read on: the file's day; in the whole history the appointment's last day
    where it has passed, else today."""
    if selection.as_of is not None:
        return selection.as_of
    return sa.case((Appointment.end_date < now, Appointment.end_date), else_=now)


def _mandate_on(day) -> sa.ScalarSelect:
    """The id of the council mandate the holder has on the day; of two at once (in two municipalities) the
    latest, as mandates.services counts them. Correlated, so the file stays one query."""
    return (
        sa.select(CouncilMandate.id)
        .where(CouncilMandate.person_id == Appointment.person_id, CouncilMandate.start_date <= day,
               sa.or_(CouncilMandate.end_date.is_(None), CouncilMandate.end_date >= day))
        .order_by(CouncilMandate.start_date.desc(), CouncilMandate.id.desc())
        .limit(1)
        .correlate(Appointment)
        .scalar_subquery()
    )


def _query(selection: Selection, now: date):
    stmt = (
        seated_rows(
            Organisation.name, Seat.label, Appointment.role, Person.name, REPRESENTED.letter, Municipality.name,
            Appointment.start_date, Appointment.end_date, Appointment.end_reason,
            SEAT_AUTHORITY, Meeting.council_name, Meeting.date, AgendaItem.number,
            Appointment.office, Appointment.office_title, Appointment.office_chosen_by, Appointment.office_start,
            Appointment.office_end, Seat.kind, Seat.ex_officio, Seat.pool_rank, Seat.filled_by, Seat.nominated_by,
            Organisation.follows_election_period, Organisation.term_years, Organisation.term_start,
            Organisation.end_date, Seat.end_date, COUNCIL.name, HELD.office,
        )
        .outerjoin(HELD, HELD.id == _mandate_on(_row_day(selection, now)))
        .outerjoin(COUNCIL, HELD.municipality_id == COUNCIL.id)
        .order_by(Organisation.sort_name, Organisation.name, Organisation.id, Seat.position, Seat.label,
                  Seat.id, Appointment.role, Appointment.start_date, Appointment.id)
    )
    if selection.organisation_id is not None:
        stmt = stmt.where(Organisation.id == selection.organisation_id)
    return _filtered(stmt, selection)


def _filtered(stmt: sa.Select, selection: Selection) -> sa.Select:
    """The selection's day, party and municipality (the body is the caller's: _lines reads it from its seats)."""
    if selection.as_of is not None:
        stmt = stmt.where(active_on(selection.as_of))
    if selection.party_id is not None:
        stmt = stmt.where(Appointment.party_id == selection.party_id)
    if selection.municipality_id is not None:
        stmt = stmt.where(Person.municipality_id == selection.municipality_id)
    return stmt


class _BodyTerms(NamedTuple):
    """The body's term columns, as terms.open_end reads them, from the line: loading the Organisation of
    every line would make the export several times slower."""

    follows_election_period: bool
    term_years: int | None
    term_start: date | None
    end_date: date | None


def _cells(row, day: date, periods: list[ElectionPeriod]) -> list[str]:
    (organisation, seat, role, name, party, municipality, start, end, reason, authority,
     council, meeting_date, item_number, office, office_title, office_chosen_by, office_start, office_end,
     kind, ex_officio, pool_rank, filled_by, nominated_by,
     follows_period, term_years, term_start, body_end, seat_end, council_of_mandate, council_office) = row
    cited = reference(council, meeting_date, item_number) if council else ""
    # An "other" office is written by its own title ("kasserer"); the importer reads any word but formand
    # and næstformand so.
    office_name = "" if office is None else office_title if office is Office.other else office.danish
    # A holder on the day whose term ended before it carries on until a successor is seated ("fungerer, indtil
    # nye er udpeget"), as the rosters mark it: the term's last day, not the end date, which seating the
    # successor enters later (the day before the successor's first).
    held = start <= day and (end is None or end >= day)  # most lines of the whole history are not: no term rule
    last = terms.open_end(_BodyTerms(follows_period, term_years, term_start, body_end), start, seat_end,
                          periods) if held else None
    carries_on = last is not None and last < day
    cells = [organisation, seat, role.danish, name, party or "", municipality or "", start.isoformat(),
             _day(end), reason.danish if reason else "", authority, cited,
             office_name, office_chosen_by.danish if office_chosen_by else "", _day(office_start), _day(office_end),
             kind.danish, ex_officio or "", str(pool_rank) if pool_rank else "", filled_by.danish,
             nominated_by or "",
             "ja" if carries_on else "", council_of_mandate or "", council_office or ""]
    return [neutralise(cell) for cell in cells]


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def rows(selection: Selection) -> Iterator[list[str]]:
    """The data rows, without header. Two queries: the election periods (for the terms) and the lines."""
    if db.session.get_bind().dialect.name == "postgresql":
        # A server-side cursor makes PostgreSQL plan for the first 10% of rows
        # (nested loops, one slow FETCH after another); all rows will be read,
        # so plan for all of them. SET LOCAL ends with the transaction.
        db.session.execute(sa.text("SET LOCAL cursor_tuple_fraction = 1.0"))
    periods, now = election_periods(), today()
    # Whether a holder carries on is read on the file's day, or today in the whole history.
    day = selection.as_of or now
    result = db.session.execute(_query(selection, now).execution_options(yield_per=CHUNK_ROWS))
    try:
        for row in result:
            yield _cells(row, day, periods)
    finally:
        result.close()


def export(selection: Selection | date | None, delimiter: str = ";") -> Iterator[str]:
    """The whole file as text chunks; encode each as UTF-8. A bare date (or None) selects by day alone.
    PostgreSQL writes the lines itself (csv_postgres.py), several times faster; SQLite's are written here."""
    if not isinstance(selection, Selection):
        selection = Selection(as_of=selection)
    check_delimiter(delimiter)
    if db.session.get_bind().dialect.name == "postgresql":
        return csv_postgres.export(HEADER, _lines(selection, today()), delimiter)
    return write(HEADER, rows(selection), delimiter)


def _lines(selection: Selection, now: date) -> sa.Select:
    """_query's lines with their cells formatted as _cells formats them, for PostgreSQL's COPY.

    The seats are put in the file's order and their cells formatted once each (tens of thousands), so that
    the lines (hundreds of thousands) are sorted by numbers and dates: much faster than sorting them by the
    bodies' names (tests/benchmarks/export.py)."""
    cell, word, on = csv_postgres.cell, csv_postgres.word, csv_postgres.day
    pool_rank = sa.case((Seat.pool_rank != 0, sa.cast(Seat.pool_rank, sa.Text)))
    placed = (
        sa.select(Seat.id, Organisation.id.label("organisation_id"),
                  sa.func.row_number().over(order_by=(Organisation.sort_name, Organisation.name, Organisation.id,
                                                      Seat.position, Seat.label, Seat.id)).label("place"),
                  cell(Organisation.name).label("body"), cell(Seat.label).label("label"),
                  cell(SEAT_AUTHORITY).label("authority"), word(Seat.kind, SeatKind).label("kind"),
                  cell(Seat.ex_officio).label("ex_officio"), cell(pool_rank).label("pool_rank"),
                  word(Seat.filled_by, SeatFiller).label("filled_by"), cell(Seat.nominated_by).label("nominated_by"),
                  Organisation.follows_election_period, Organisation.term_years, Organisation.term_start,
                  Organisation.end_date, Seat.end_date.label("seat_end"))
        .join(Seat.organisation)
    )
    if selection.organisation_id is not None:
        placed = placed.where(Organisation.id == selection.organisation_id)
    placed = placed.cte("placed").prefix_with("MATERIALIZED")
    seat = placed.c
    office = sa.case((Appointment.office == Office.other, Appointment.office_title),
                     else_=word(Appointment.office, Office))
    cited = sa.case((Meeting.council_name != "", Meeting.council_name.concat(" ").concat(on(Meeting.date))
                     .concat(" pkt. ").concat(AgendaItem.number)))
    last = terms_sql.open_end(seat, Appointment.start_date, seat.seat_end)
    day = selection.as_of or now
    carries_on = sa.case((sa.and_(active_on(day), last < day), "ja"))
    stmt = (
        sa.select(seat.body, seat.label, word(Appointment.role, Role), cell(Person.name), cell(REPRESENTED.letter),
                  cell(Municipality.name), on(Appointment.start_date), on(Appointment.end_date),
                  word(Appointment.end_reason, EndReason), seat.authority, cell(cited), cell(office),
                  word(Appointment.office_chosen_by, OfficeChooser), on(Appointment.office_start),
                  on(Appointment.office_end), seat.kind, seat.ex_officio, seat.pool_rank, seat.filled_by,
                  seat.nominated_by, carries_on, cell(COUNCIL.name), cell(HELD.office))
        .select_from(Appointment)
        .join(placed, seat.id == Appointment.seat_id)
        .outerjoin(HELD, HELD.id == _mandate_on(_row_day(selection, now)))
        .outerjoin(COUNCIL, HELD.municipality_id == COUNCIL.id)
        .order_by(seat.place, Appointment.role, Appointment.start_date, Appointment.id)
    )
    return _filtered(_naming(stmt), selection)
