"""Reading organisations with their seats and holders: on one day, and over time."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from registry.appointments.models import Appointment, Role, Status
from registry.appointments.services import active_on
from registry.dates import today
from registry.extensions import db
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
    appointed from a later day, or KKR's recommendation waiting for the outside authority (a public decision;
    the person it names is shown once appointed)."""

    successor: Appointment | None = None
    recommended: bool = False


@dataclass
class Roster:
    organisation: Organisation
    seats: list[SeatHolders] = field(default_factory=list)
    # The pooled suppleants' seats, each side's in rank order: they belong to no member's seat.
    pool: list[SeatHolders] = field(default_factory=list)
    # Holders whose term ended before the day without an end date: they carry on until a successor is
    # seated ("fungerer, indtil nye er udpeget"), as a body following the election period asks.
    carried_over: set[int] = field(default_factory=set)
    # By seat id and role ("member", "substitute"): what is coming after the day.
    upcoming: dict[tuple[int, str], Upcoming] = field(default_factory=dict)


@dataclass
class SeatHistory:
    """A seat with every appointment that has held it, and the party group per election period."""

    seat: Seat
    appointments: list[Appointment] = field(default_factory=list)
    allocations: list[SeatAllocation] = field(default_factory=list)


@dataclass
class OrganisationPage:
    roster: Roster
    histories: list[SeatHistory]
    predecessors: list[Organisation]


def open_on(day: date) -> sa.ColumnElement[bool]:
    """Organisations in existence on the day (dates inclusive)."""
    return sa.and_(sa.or_(Organisation.start_date.is_(None), Organisation.start_date <= day),
                   sa.or_(Organisation.end_date.is_(None), Organisation.end_date >= day))


def seat_open_on(day: date) -> sa.ColumnElement[bool]:
    return sa.and_(sa.or_(Seat.start_date.is_(None), Seat.start_date <= day),
                   sa.or_(Seat.end_date.is_(None), Seat.end_date >= day))


def _holders_by_seat(day: date, organisation: Organisation | None = None) -> dict[int, dict[Role, Appointment]]:
    stmt = (sa.select(Appointment).where(active_on(day))
            .options(joinedload(Appointment.person), joinedload(Appointment.party)))
    if organisation is not None:
        stmt = stmt.join(Appointment.seat).where(Seat.organisation_id == organisation.id)
    by_seat: dict[int, dict[Role, Appointment]] = defaultdict(dict)
    for appointment in db.session.scalars(stmt):
        by_seat[appointment.seat_id][appointment.role] = appointment
    return by_seat


def _upcoming(day: date, organisation: Organisation | None = None) -> dict[tuple[int, str], Upcoming]:
    """What is coming to each seat's roles after the day, for a roster of today or later (a past day's roster is
    history). Two queries, whatever the number of bodies: appointments starting later, and recommendations
    waiting for an outside authority."""
    found: dict[tuple[int, str], Upcoming] = {}
    if day < today():
        return found
    later = (sa.select(Appointment).join(Appointment.seat)
             .where(Appointment.status == Status.appointed, Appointment.start_date > day)
             .options(joinedload(Appointment.person)).order_by(Appointment.start_date, Appointment.id))
    pending = (sa.select(Nomination.seat_id, Nomination.role, Nomination.substitute_id).join(Nomination.seat)
               .where(Nomination.status == NominationStatus.pending))
    if organisation is not None:
        later = later.where(Seat.organisation_id == organisation.id)
        pending = pending.where(Seat.organisation_id == organisation.id)
    for appointment in db.session.scalars(later):
        upcoming = found.setdefault((appointment.seat_id, appointment.role.value), Upcoming())
        upcoming.successor = upcoming.successor or appointment
    for seat_id, role, substitute_id in db.session.execute(pending):
        roles = [role, Role.substitute] if role is Role.member and substitute_id is not None else [role]
        for named in roles:
            found.setdefault((seat_id, named.value), Upcoming()).recommended = True
    return found


def _roster(organisation: Organisation, day: date, by_seat: dict[int, dict[Role, Appointment]],
            periods: list[ElectionPeriod], upcoming: dict[tuple[int, str], Upcoming] | None = None) -> Roster:
    roster = Roster(organisation, upcoming=upcoming or {})
    for seat in organisation.seats:
        if seat.is_open_on(day):
            held = by_seat.get(seat.id, {})
            holders = SeatHolders(seat, held.get(Role.member), held.get(Role.substitute))
            (roster.pool if seat.kind is SeatKind.pooled_substitute else roster.seats).append(holders)
            for appointment in held.values():
                if appointment.end_date is None and (last := terms.expected_end(appointment, periods)) and last < day:
                    roster.carried_over.add(appointment.id)
    roster.pool.sort(key=lambda held: (held.seat.nominated_by or "", held.seat.pool_rank or 0, held.seat.position))
    return roster


def rosters_on(day: date) -> list[Roster]:
    """Every body open on the day, with its seats and who holds them.

    Five queries whatever the size of the registry: bodies, seats, holders, and (for today or later) what is
    coming: successors appointed from a later day and recommendations waiting for an outside authority.
    """
    organisations = db.session.scalars(
        sa.select(Organisation).where(open_on(day))
        .options(selectinload(Organisation.seats))
        .order_by(Organisation.sort_name, Organisation.id)
    ).all()
    by_seat = _holders_by_seat(day)
    periods = election_periods()
    upcoming = _upcoming(day)
    return [_roster(organisation, day, by_seat, periods, upcoming) for organisation in organisations]


def organisation_page(organisation: Organisation, day: date, periods: list[ElectionPeriod]) -> OrganisationPage:
    """The roster on the day, each seat's holders over time, and the bodies this one replaced.

    A fixed number of queries however long the history: seats, holders on the day,
    all holders, allocations, predecessors.
    """
    roster = _roster(organisation, day, _holders_by_seat(day, organisation), periods, _upcoming(day, organisation))
    histories = {seat.id: SeatHistory(seat) for seat in organisation.seats}
    appointments = db.session.scalars(
        sa.select(Appointment).join(Appointment.seat)
        .where(Seat.organisation_id == organisation.id, Appointment.status == Status.appointed)
        .options(joinedload(Appointment.person), joinedload(Appointment.party))
        .order_by(Appointment.start_date, Appointment.role, Appointment.id)
    )
    for appointment in appointments:
        histories[appointment.seat_id].appointments.append(appointment)
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
    return OrganisationPage(roster, list(histories.values()), list(predecessors))


# The longest warning a body may ask for (organisations.warning_days).
MAX_WARNING = 730


def ending_within_warning(day: date) -> list[tuple[Appointment, date]]:
    """Seated appointments on KKR's seats whose last day, entered or expected by the body's term rules
    (terms.py), falls within the body's warning days from the day (today included), with that last day: what
    the dashboard lists and the reminders tell of. Other appointers' seats are left out: their terms are not
    KKR's to renew. Two queries: the appointments that may end within the longest warning, and the periods."""
    periods = election_periods()
    stmt = (sa.select(Appointment).join(Appointment.seat)
            .where(Appointment.status == Status.appointed, active_on(day), Seat.filled_by == SeatFiller.kkr,
                   sa.or_(Appointment.end_date.is_(None), Appointment.end_date <= day + timedelta(days=MAX_WARNING)))
            .options(joinedload(Appointment.person), joinedload(Appointment.party),
                     joinedload(Appointment.seat).joinedload(Seat.organisation)))
    found = []
    for appointment in db.session.scalars(stmt):
        last_day = terms.expected_end(appointment, periods)
        if last_day is not None and last_day <= day + timedelta(days=appointment.seat.organisation.warning_days):
            found.append((appointment, last_day))
    return found
