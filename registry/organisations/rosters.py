"""Reading organisations with their seats and holders: on one day, and over time."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from registry.appointments.models import Appointment, EndReason, Role, Status
from registry.appointments.services import active_on
from registry.dates import today
from registry.extensions import db
from registry.meetings.models import AgendaItem
from registry.nominations.models import Nomination, NominationStatus
from registry.organisations import terms
from registry.organisations.models import ElectionPeriod, Organisation, Seat, SeatAllocation, SeatFiller, SeatKind
from registry.organisations.services import election_periods


@dataclass
class SeatHolders:
    seat: Seat
    member: Appointment | None = None
    substitute: Appointment | None = None


@dataclass
class Upcoming:
    """What the public may know is coming to a seat's role after the day shown (today or later): the successor
    appointed from a later day, or KKR's recommendation waiting for the outside authority (a public decision,
    with the day of the meeting that made it; the person it names is shown once appointed, so a page shows the
    recommendation's date and wait, never its names)."""

    successor: Appointment | None = None
    recommendation: Nomination | None = None


@dataclass
class Roster:
    organisation: Organisation
    seats: list[SeatHolders] = field(default_factory=list)
    # The pooled suppleants' seats, each side's in rank order: they belong to no member's seat.
    pool: list[SeatHolders] = field(default_factory=list)
    # Holders whose term (terms.py, whatever end date was entered) ended before the day: they carry on until a
    # successor is seated ("fungerer, indtil nye er udpeget"), as a body following the election period asks.
    # On a past day the end date entered since is the day before the successor, or the day they left otherwise.
    carried_over: set[int] = field(default_factory=set)
    # Of those, the ones whose end date came with a successor's seating.
    succeeded: set[int] = field(default_factory=set)
    # The day the page is read, for the tense of a carried-over holder's end date: "fortsatte" or "fortsætter".
    today: date = field(default_factory=today)
    # By seat id and role ("member", "substitute"): what is coming after the day.
    upcoming: dict[tuple[int, str], Upcoming] = field(default_factory=dict)

    @property
    def members(self) -> int:
        return sum(held.member is not None for held in self.seats)

    @property
    def vacancies(self) -> int:
        """KKR's places open on the day without a holder: a member, a personal suppleant, a pooled suppleant.
        Another appointer's empty seat is not counted: the registry only has not been told who sits there."""
        return sum((held.member is None) + (held.seat.has_substitute and held.substitute is None)
                   for held in self.seats if held.seat.kkr_fills) + sum(
            held.substitute is None for held in self.pool if held.seat.kkr_fills)


@dataclass
class RosterPage:
    """A page of rosters by a stable key: `after` is the body to continue after when more follow, `before`
    the body to go back before when some come first; None at either end."""

    rosters: list[Roster]
    after: int | None = None
    before: int | None = None


@dataclass
class SeatHistory:
    """A seat with the party group per election period."""

    seat: Seat
    allocations: list[SeatAllocation] = field(default_factory=list)


@dataclass
class HistoryPage:
    """A page of a body's appointments over time, the latest first: `older` is the last one shown when older
    ones follow, `newest` whether the page starts with the latest."""

    appointments: list[Appointment]
    older: int | None = None
    newest: bool = True


@dataclass
class OrganisationPage:
    roster: Roster
    histories: list[SeatHistory]
    history: HistoryPage
    predecessors: list[Organisation]


def open_on(day: date) -> sa.ColumnElement[bool]:
    """Organisations in existence on the day (dates inclusive)."""
    return sa.and_(sa.or_(Organisation.start_date.is_(None), Organisation.start_date <= day),
                   sa.or_(Organisation.end_date.is_(None), Organisation.end_date >= day))


def seat_open_on(day: date) -> sa.ColumnElement[bool]:
    return sa.and_(sa.or_(Seat.start_date.is_(None), Seat.start_date <= day),
                   sa.or_(Seat.end_date.is_(None), Seat.end_date >= day))


def _holders_by_seat(day: date, organisation_ids: list[int]) -> dict[int, dict[Role, Appointment]]:
    stmt = (sa.select(Appointment).join(Appointment.seat)
            .where(active_on(day), Seat.organisation_id.in_(organisation_ids))
            .options(joinedload(Appointment.person), joinedload(Appointment.party)))
    by_seat: dict[int, dict[Role, Appointment]] = defaultdict(dict)
    for appointment in db.session.scalars(stmt):
        by_seat[appointment.seat_id][appointment.role] = appointment
    return by_seat


def _upcoming(day: date, seats: sa.ColumnElement[bool]) -> dict[tuple[int, str], Upcoming]:
    """What is coming to the roles of the seats `seats` selects after the day, for a roster of today or later (a
    past day's roster is history). Two queries, whatever the number of seats: appointments starting later, and
    recommendations waiting for an outside authority with their meeting (the earliest per role)."""
    found: dict[tuple[int, str], Upcoming] = {}
    if day < today():
        return found
    later = (sa.select(Appointment).join(Appointment.seat)
             .where(Appointment.status == Status.appointed, Appointment.start_date > day, seats)
             .options(joinedload(Appointment.person)).order_by(Appointment.start_date, Appointment.id))
    pending = (sa.select(Nomination).join(Nomination.seat)
               .where(Nomination.status == NominationStatus.pending, seats)
               .options(joinedload(Nomination.item).joinedload(AgendaItem.meeting)).order_by(Nomination.id))
    for appointment in db.session.scalars(later):
        upcoming = found.setdefault((appointment.seat_id, appointment.role.value), Upcoming())
        upcoming.successor = upcoming.successor or appointment
    for nomination in db.session.scalars(pending):
        roles = [nomination.role]
        if nomination.role is Role.member and nomination.substitute_id is not None:
            roles.append(Role.substitute)
        for named in roles:
            upcoming = found.setdefault((nomination.seat_id, named.value), Upcoming())
            upcoming.recommendation = upcoming.recommendation or nomination
    return found


def upcoming_to_seat(seat: Seat, day: date) -> list[tuple[Role, Upcoming]]:
    """What is coming to the seat's roles after the day, as its body's roster shows it: member first."""
    found = _upcoming(day, Seat.id == seat.id)
    return [(role, found[seat.id, role.value]) for role in Role if (seat.id, role.value) in found]


# A successor's seating ends the holder it replaces with one of these (meetings/seating.py, appointments.replace).
ENDED_BY_SUCCESSOR = (EndReason.term_ended, EndReason.replaced)


def _roster(organisation: Organisation, day: date, by_seat: dict[int, dict[Role, Appointment]],
            periods: list[ElectionPeriod], upcoming: dict[tuple[int, str], Upcoming] | None = None) -> Roster:
    roster = Roster(organisation, upcoming=upcoming or {})
    for seat in organisation.seats:
        if seat.is_open_on(day):
            held = by_seat.get(seat.id, {})
            holders = SeatHolders(seat, held.get(Role.member), held.get(Role.substitute))
            (roster.pool if seat.kind is SeatKind.pooled_substitute else roster.seats).append(holders)
            for appointment in held.values():
                # The term's last day, not the end date: one entered later does not undo the carrying over.
                last = terms.open_end(organisation, appointment.start_date, seat.end_date, periods)
                if last is not None and last < day:
                    roster.carried_over.add(appointment.id)
                    if appointment.end_reason in ENDED_BY_SUCCESSOR:
                        roster.succeeded.add(appointment.id)
    roster.pool.sort(key=lambda held: (held.seat.nominated_by or "", held.seat.pool_rank or 0, held.seat.position))
    return roster


# Bodies per page of the home page: a national registry has thousands, and their rosters are on their own pages.
ROSTERS_PER_PAGE = 10


def rosters_on(day: date, *, after: int | None = None, before: int | None = None,
               size: int = ROSTERS_PER_PAGE) -> RosterPage | None:
    """A page of the bodies open on the day, by Danish name, with their seats and who holds them: the first
    page, or the one after (or before) the body with that id. None when that body is unknown.

    The page goes by a stable key (the body's sort name and id), not a page number, so the last page costs
    what the first does. Six queries however large the registry: the key, bodies, seats, holders, periods
    and (for today or later) what is coming: successors appointed from a later day and recommendations
    waiting for an outside authority.
    """
    stmt = sa.select(Organisation).where(open_on(day)).options(selectinload(Organisation.seats))
    key = (sa.tuple_(Organisation.sort_name, Organisation.id) if after is not None or before is not None
           else None)
    if after is not None or before is not None:
        mark = db.session.execute(sa.select(Organisation.sort_name, Organisation.id)
                                  .where(Organisation.id == (after if after is not None else before))).first()
        if mark is None:
            return None
    if before is not None:
        found = list(db.session.scalars(stmt.where(key < sa.tuple_(*mark))
                                        .order_by(Organisation.sort_name.desc(), Organisation.id.desc())
                                        .limit(size + 1)))
        more, earlier = True, len(found) > size
        found = found[:size][::-1]
    else:
        if after is not None:
            stmt = stmt.where(key > sa.tuple_(*mark))
        found = list(db.session.scalars(stmt.order_by(Organisation.sort_name, Organisation.id).limit(size + 1)))
        more, earlier = len(found) > size, after is not None
        found = found[:size]
    ids = [organisation.id for organisation in found]
    by_seat = _holders_by_seat(day, ids)
    periods = election_periods()
    upcoming = _upcoming(day, Seat.organisation_id.in_(ids))
    return RosterPage([_roster(organisation, day, by_seat, periods, upcoming) for organisation in found],
                      after=found[-1].id if found and more else None,
                      before=found[0].id if found and earlier else None)


# Appointments per page of a body's history: a body of twenty years has hundreds, and every seat's whole
# history is on the seat's own page.
HISTORY_PER_PAGE = 25


def organisation_page(organisation: Organisation, day: date, periods: list[ElectionPeriod], *,
                      older_than: int | None = None, size: int = HISTORY_PER_PAGE) -> OrganisationPage | None:
    """The roster on the day, the seats with their party groups, a page of the body's history and the bodies
    this one replaced. None when `older_than` is not an appointment of the body.

    The history goes the latest first by a stable key (first day, then member before suppleant, then id), from
    the start or after the appointment `older_than`, so an old page costs what the first does. A fixed number
    of queries however long the history: seats, holders on the day, what is coming, a page of the history
    (and its key), allocations, predecessors.
    """
    key = None
    if older_than is not None:
        key = db.session.execute(
            sa.select(Appointment.start_date, Appointment.role, Appointment.id).join(Appointment.seat)
            .where(Appointment.id == older_than, Seat.organisation_id == organisation.id,
                   Appointment.status == Status.appointed)).first()
        if key is None:
            return None
    roster = _roster(organisation, day, _holders_by_seat(day, [organisation.id]), periods,
                     _upcoming(day, Seat.organisation_id == organisation.id))
    stmt = (sa.select(Appointment).join(Appointment.seat)
            .where(Seat.organisation_id == organisation.id, Appointment.status == Status.appointed)
            .options(joinedload(Appointment.person), joinedload(Appointment.party),
                     contains_eager(Appointment.seat))
            .order_by(Appointment.start_date.desc(), Appointment.role, Appointment.id).limit(size + 1))
    if key is not None:
        start_date, role, appointment_id = key
        stmt = stmt.where(sa.or_(Appointment.start_date < start_date, sa.and_(
            Appointment.start_date == start_date,
            sa.or_(Appointment.role > role, sa.and_(Appointment.role == role, Appointment.id > appointment_id)))))
    found = list(db.session.scalars(stmt))
    history = HistoryPage(found[:size], found[size - 1].id if len(found) > size else None, older_than is None)
    histories = {seat.id: SeatHistory(seat) for seat in organisation.seats}
    allocations = db.session.scalars(
        sa.select(SeatAllocation).join(SeatAllocation.seat).join(SeatAllocation.period)
        .where(Seat.organisation_id == organisation.id)
        .options(joinedload(SeatAllocation.period), joinedload(SeatAllocation.party))
        .order_by(ElectionPeriod.start_date)
    )
    for allocation in allocations:
        histories[allocation.seat_id].allocations.append(allocation)
    predecessors = db.session.scalars(
        sa.select(Organisation).where(Organisation.successor_id == organisation.id)
        .order_by(Organisation.sort_name, Organisation.id)
    ).all()
    return OrganisationPage(roster, list(histories.values()), history, list(predecessors))


# The longest warning a body may ask for (organisations.warning_days).
MAX_WARNING = 730


@dataclass
class TermsEnding:
    """A page of the terms ending within their bodies' warning, by last day, body and appointment: `after` is
    the last one shown when more follow (the next page's key), `total` how many there are in all."""

    ending: list[tuple[Appointment, date]]
    total: int
    after: int | None = None


def ending_within_warning(day: date) -> list[tuple[Appointment, date]]:
    """Seated appointments on KKR's seats whose last day, entered or expected by the body's term rules
    (terms.py), falls within the body's warning days from the day (today included), with that last day: what
    the dashboard lists and the reminders tell of. Other appointers' seats are left out: their terms are not
    KKR's to renew. All of them, in no order (terms_ending gives a page). Three queries: the periods, the
    bodies with terms of their own, the rest."""
    periods = election_periods()
    return list(db.session.execute(_listed(_ending(day, periods))).tuples()) + _own_terms_ending(day, periods)


def terms_ending(day: date, *, after: int | None = None, size: int = 25) -> TermsEnding | None:
    """A page of ending_within_warning's terms, the earliest last day first, then by body and appointment: the
    first page, or the one after the appointment `after` (None when there is no such appointment).

    The page goes by that stable key, so a long list costs on its last page what it does on its first: the
    day after an election period, every holder of the period carries on until a successor is seated, tens of
    thousands in a national registry. Four queries, five with `after`: the periods, the bodies with terms of
    their own, the count and the page (and the key)."""
    periods = election_periods()
    key = None
    if after is not None:
        mark = db.session.scalar(sa.select(Appointment).where(Appointment.id == after)
                                 .options(joinedload(Appointment.seat).joinedload(Seat.organisation)))
        if mark is None:
            return None
        # Its place in the list also when it has left it since (ended or succeeded meanwhile).
        key = (terms.expected_end(mark, periods) or date.max, mark.seat.organisation.sort_name, mark.id)
    own = _own_terms_ending(day, periods)
    ending = _ending(day, periods)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(ending)) + len(own)
    stmt = _listed(ending)
    if key is not None:
        stmt = stmt.where(sa.tuple_(ending.c.last_day, ending.c.sort_name, ending.c.id) > sa.tuple_(*key))
        own = [pair for pair in own if _key(*pair) > key]
    page = list(db.session.execute(stmt.order_by(ending.c.last_day, ending.c.sort_name, ending.c.id)
                                   .limit(size + 1)).tuples())
    found = sorted(page + own, key=lambda pair: _key(*pair))
    return TermsEnding(found[:size], total, found[size - 1][0].id if len(found) > size else None)


def _key(appointment: Appointment, last_day: date) -> tuple[date, str, int]:
    return last_day, appointment.seat.organisation.sort_name, appointment.id


def _own_term(organisation=Organisation) -> sa.ColumnElement[bool]:
    """Bodies with terms of so many years (terms.term_end), which terms.py counts: a few bodies nationally."""
    return sa.and_(~organisation.follows_election_period, sa.func.coalesce(organisation.term_years, 0) != 0)


def _seated_on_kkr_seats(day: date, *columns) -> sa.Select:
    return (sa.select(*columns).join(Appointment.seat).join(Seat.organisation)
            .where(active_on(day), Seat.filled_by == SeatFiller.kkr))


def _own_terms_ending(day: date, periods: list[ElectionPeriod]) -> list[tuple[Appointment, date]]:
    """The open appointments on bodies with terms of their own whose term ends within the warning, decided by
    terms.py: every open appointment on such a body is read, as years counted from a first day are not plain
    comparisons both databases index alike."""
    stmt = _with_holders(_seated_on_kkr_seats(day, Appointment).where(Appointment.end_date.is_(None), _own_term()))
    found = []
    for appointment in db.session.scalars(stmt):
        last_day = terms.expected_end(appointment, periods)
        if last_day is not None and last_day <= day + timedelta(days=appointment.seat.organisation.warning_days):
            found.append((appointment, last_day))
    return found


def _ending(day: date, periods: list[ElectionPeriod]) -> sa.Subquery:
    """The seated appointments (their ids) whose last day, computed in SQL, falls within their body's warning,
    with that last day and the body's sort name: all but the open ones on bodies with terms of their own
    (_own_terms_ending). The last day as terms.py has it: the end date, or else the first of the term's end
    (the election period's: a known day), the body's and the seat's last day.

    The candidates come from a union of narrow branches, each an index range, so that a national registry's
    tens of thousands of holders without an end date are not read to find the few whose term ends: an end
    date within the longest warning, the body's or the seat's last day within it, or no end date and a first
    day in an election period that ends within it (ix_appointments_end_start: end date, then first day). The
    periods before today are among them: their holders without an end date carry on until a successor is
    seated, and are listed as ending."""
    horizon = day + timedelta(days=MAX_WARNING)
    period_end = sa.case(*[(Appointment.start_date.between(period.start_date, period.end_date), period.end_date)
                           for period in periods], else_=None) if periods else sa.null()
    open_end = _earliest(sa.case((Organisation.follows_election_period, period_end), else_=None),
                         Organisation.end_date, Seat.end_date)
    last_day = sa.case((Appointment.end_date.is_not(None), Appointment.end_date), else_=open_end)
    candidates = (_seated_on_kkr_seats(day, Appointment.id, last_day.label("last_day"),
                                       Organisation.sort_name.label("sort_name"))
                  .where(_days_from(day, last_day) <= Organisation.warning_days))
    open_ended = candidates.where(Appointment.end_date.is_(None), ~_own_term())
    branches = [candidates.where(Appointment.end_date.between(day, horizon)),
                open_ended.where(Organisation.end_date <= horizon),
                open_ended.where(Seat.end_date <= horizon)]
    ending_periods = [period for period in periods if period.end_date <= horizon]
    if ending_periods:
        branches.append(open_ended.where(
            Organisation.follows_election_period,
            Appointment.start_date.between(periods[0].start_date, ending_periods[-1].end_date)))
    return sa.union(*branches).subquery()


def _listed(ending: sa.Subquery) -> sa.Select:
    """The appointments of _ending with their last day, as a list shows them."""
    return _with_holders(sa.select(Appointment, ending.c.last_day).join(ending, ending.c.id == Appointment.id)
                         .join(Appointment.seat).join(Seat.organisation))


def _with_holders(stmt: sa.Select) -> sa.Select:
    """The appointments with what a list of them shows: the person, the party, the seat and its body."""
    return stmt.options(joinedload(Appointment.person), joinedload(Appointment.party),
                        contains_eager(Appointment.seat).contains_eager(Seat.organisation))


def _earliest(*days) -> sa.ColumnElement[date]:
    """The earliest of the days, passing over missing ones (min() over the days there are), each written once:
    the planner's time grows with the expression. PostgreSQL's LEAST passes over NULLs; SQLite's min() of
    several answers NULL if any is, so a missing day becomes the last day there is, and back."""
    if db.session.get_bind().dialect.name == "sqlite":
        never = date.max.isoformat()
        return sa.func.nullif(sa.func.min(*[sa.func.coalesce(day, never) for day in days]), never, type_=sa.Date)
    return sa.func.least(*days, type_=sa.Date)


def _days_from(day: date, later) -> sa.ColumnElement[int]:
    """Days from the day to the column's day: PostgreSQL subtracts dates, SQLite keeps them as text."""
    if db.session.get_bind().dialect.name == "sqlite":
        return sa.func.julianday(later) - sa.func.julianday(day.isoformat())
    return later - day
