"""The dashboard's lists. Each is one query, a page at a time, however large the registry grows (the vacancies
five: the seats, their holders, the open calls for them, and what is coming to them: successors and
nominations); the ending terms a page at a time by a stable key with how many there are in all
(rosters.terms_ending), as a period just ended makes every holder of it one."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from registry.appointments.models import Appointment, Role
from registry.appointments.services import active_on
from registry.extensions import db
from registry.meetings.models import AgendaItem, Meeting
from registry.nominations import outlook
from registry.nominations.models import LONG_PENDING, Call, Nomination, NominationStatus
from registry.nominations.outlook import Coming
from registry.organisations.models import Organisation, Seat, SeatFiller, SeatKind
from registry.organisations.rosters import open_on, seat_open_on, terms_ending
from registry.paging import Page, numbered


@dataclass
class Vacancy:
    seat: Seat
    needs_member: bool
    needs_substitute: bool
    # The open calls for nominations to the seat, by role: the row says a call is out instead of offering one.
    calls: dict[Role, Call] = field(default_factory=dict)
    # What is on its way to each role: a successor appointed from a later day, or a nomination
    # (nominations.outlook: the secretariat sees every one, a reader KKR's recommendations only).
    coming: dict[Role, Coming] = field(default_factory=dict)

    def overdue(self, role: Role) -> bool:
        """The role's call is past its deadline with no nomination on its way."""
        call, coming = self.calls.get(role), self.coming.get(role)
        return call is not None and call.past_deadline and (coming is None or coming.nomination is None)

    @property
    def needed(self) -> list[Role]:
        return [role for role, needed in ((Role.member, self.needs_member), (Role.substitute, self.needs_substitute))
                if needed]


def vacancies(day: date, number: int = 1, size: int = 25, *, viewer=None) -> Page[Vacancy]:
    """Seats KKR fills, open on the day, without a member, or without a personal suppleant where the seat has
    one; a pooled suppleant's seat without its suppleant. Other appointers' seats are not KKR's to fill."""
    def held(role: Role) -> sa.Exists:
        return sa.exists().where(Appointment.seat_id == Seat.id, Appointment.role == role, active_on(day))

    has_member, has_substitute = held(Role.member), held(Role.substitute)
    stmt = (sa.select(Seat)
            .join(Seat.organisation)
            .where(open_on(day), seat_open_on(day), Seat.filled_by == SeatFiller.kkr,
                   sa.case((Seat.kind == SeatKind.pooled_substitute, ~has_substitute),
                           else_=sa.or_(~has_member, sa.and_(Seat.has_substitute, ~has_substitute))))
            .options(contains_eager(Seat.organisation))
            .order_by(Organisation.sort_name, Organisation.id, Seat.position, Seat.label, Seat.id))
    page = numbered(stmt, number, size)
    # Who holds the page's seats, asked apart: as columns of the query above, PostgreSQL answers the EXISTS
    # by hashing every holder in the registry (tens of thousands) to show 25 seats.
    held_roles = set(db.session.execute(
        sa.select(Appointment.seat_id, Appointment.role)
        .where(Appointment.seat_id.in_([seat.id for seat in page.items]), active_on(day))).tuples())
    pooled = SeatKind.pooled_substitute
    page.items = [Vacancy(seat, (seat.id, Role.member) not in held_roles and seat.kind is not pooled,
                          (seat.has_substitute or seat.kind is pooled) and (seat.id, Role.substitute) not in held_roles)
                  for seat in page.items]
    by_seat = {vacancy.seat.id: vacancy for vacancy in page.items}
    # Asked even for an empty page, so that the page's queries do not depend on what it holds.
    for call in db.session.scalars(sa.select(Call).where(Call.seat_id.in_(list(by_seat)), Call.closed_on.is_(None))
                                   .order_by(Call.deadline, Call.id)):
        by_seat[call.seat_id].calls.setdefault(call.role, call)
    for (seat_id, role), coming in outlook.coming_to(list(by_seat), day, viewer=viewer).items():
        by_seat[seat_id].coming[role] = coming
    return page




@dataclass
class Ending:
    appointment: Appointment
    last_day: date
    expected: bool  # the end of the term by the body's rules, not a date anyone has entered
    # The term ended before the day and no successor is seated: the holder carries on until one is.
    carried_over: bool = False


@dataclass
class EndingTerms:
    """A page of the terms ending: `after` is the key of the next page when more follow."""

    items: list[Ending]
    total: int
    after: int | None = None


def ending_terms(day: date, *, after: int | None = None, size: int = 25) -> EndingTerms | None:
    """Seated appointments whose last day, entered or expected by the body's term rules, falls within the body's
    warning days (rosters.terms_ending), the earliest first: the first page, or the one after the appointment
    `after`; None when there is no such appointment. Four queries, five with `after`."""
    found = terms_ending(day, after=after, size=size)
    if found is None:
        return None
    items = []
    for appointment, last_day in found.ending:
        expected = appointment.end_date is None
        items.append(Ending(appointment, last_day, expected, expected and last_day < day))
    return EndingTerms(items, found.total, found.after)


def closing_bodies(day: date, days: int, number: int = 1, size: int = 25) -> Page[Organisation]:
    stmt = (sa.select(Organisation)
            .where(Organisation.end_date.between(day, day + timedelta(days=days)))
            .options(joinedload(Organisation.successor))
            .order_by(Organisation.end_date, Organisation.sort_name, Organisation.id))
    return numbered(stmt, number, size)


# The nominations that wait for the secretariat, in the order they move.
WAITING = (NominationStatus.submitted, NominationStatus.on_agenda, NominationStatus.pending)


@dataclass
class Workload:
    """How many nominations wait at each step, how many calls have passed their deadline unanswered, and how
    many recommendations have waited longer than LONG_PENDING for the outside authority."""

    waiting: dict[NominationStatus, int]
    open_calls: int
    overdue_calls: int
    long_pending: int = 0


def workload(day: date) -> Workload:
    # Nomination.waits_long in SQL: recommended at a meeting more than LONG_PENDING before the day.
    waits_long = sa.and_(Nomination.status == NominationStatus.pending, Meeting.date < day - LONG_PENDING)
    rows = db.session.execute(
        sa.select(Nomination.status, sa.func.count(), sa.func.count().filter(waits_long))
        .outerjoin(Nomination.item).outerjoin(AgendaItem.meeting)
        .where(Nomination.status.in_(WAITING)).group_by(Nomination.status)).tuples().all()
    counted = {status: count for status, count, _ in rows}
    calls = db.session.execute(
        sa.select(sa.func.count(), sa.func.count().filter(Call.deadline < day))
        .where(Call.closed_on.is_(None))).one()
    return Workload({status: counted.get(status, 0) for status in WAITING}, calls[0], calls[1],
                    sum(long for *_, long in rows))
