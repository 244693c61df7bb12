"""What is coming to a seat, for the pages that list seats: the successor already appointed from a later day, the
nomination on its way (with the secretariat or the party group, on an agenda, or recommended by KKR and waiting
for the outside authority), and the open calls, marked when their deadline has passed with no nomination.

Who sees which nominations: a party group its own, the secretariat all but drafts (services.visible_to), and
everyone KKR's recommendations that wait for an outside authority, since KKR's decisions are public as its
minutes are. A successor appointed from a later day is public too. Each list reads a fixed number of queries
however many seats it shows.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from registry.appointments.models import Appointment, Role, Status
from registry.appointments.services import active_on
from registry.dates import today
from registry.extensions import db
from registry.meetings.models import AgendaItem
from registry.nominations.models import UNDER_WAY, Call, Nomination, NominationStatus
from registry.nominations.period import roles_of
from registry.nominations.services import visible_to
from registry.organisations import terms
from registry.organisations.models import ElectionPeriod, Seat, SeatAllocation
from registry.organisations.services import election_periods
from registry.people.models import Party
from registry.types import sort_key


@dataclass
class Coming:
    """What is on its way to one role on a seat."""

    # Appointed from a later day than the one shown: the next holder.
    successor: Appointment | None = None
    # The newest nomination on its way that the reader may see.
    nomination: Nomination | None = None

    def __bool__(self) -> bool:
        return self.successor is not None or self.nomination is not None


def covered_roles(nomination: Nomination) -> list[Role]:
    """The roles a nomination fills: its own, and a member's personal suppleant named with the member."""
    if nomination.role is Role.member and nomination.substitute_id is not None:
        return [Role.member, Role.substitute]
    return [nomination.role]


def seen_by(viewer) -> sa.ColumnElement[bool]:
    """The nominations on their way the viewer may see: their own (services.visible_to), and KKR's
    recommendations waiting for an outside authority, which are public decisions. viewer None: the public's."""
    public = Nomination.status == NominationStatus.pending
    return public if viewer is None else sa.or_(visible_to(viewer), public)


def coming_to(seat_ids: list[int], day: date, *, viewer) -> dict[tuple[int, Role], Coming]:
    """By seat and role, what is coming after the day. Two queries, also for no seats (a page's queries do not
    depend on what it holds)."""
    found: dict[tuple[int, Role], Coming] = {}
    for appointment in db.session.scalars(
            sa.select(Appointment)
            .where(Appointment.seat_id.in_(seat_ids), Appointment.status == Status.appointed,
                   Appointment.start_date > day)
            .options(joinedload(Appointment.person), joinedload(Appointment.party))
            .order_by(Appointment.start_date, Appointment.id)):
        coming = found.setdefault((appointment.seat_id, appointment.role), Coming())
        coming.successor = coming.successor or appointment
    for nomination in db.session.scalars(
            sa.select(Nomination)
            .where(Nomination.seat_id.in_(seat_ids), Nomination.status.in_(UNDER_WAY), seen_by(viewer))
            .options(joinedload(Nomination.person), joinedload(Nomination.substitute), joinedload(Nomination.party),
                     joinedload(Nomination.item).joinedload(AgendaItem.meeting))
            .order_by(Nomination.id)):
        for role in covered_roles(nomination):
            found.setdefault((nomination.seat_id, role), Coming()).nomination = nomination
    return found


# The party group's seats.

@dataclass
class HeldSeat:
    """A seat the party group holds this election period: its holders, which roles need a nomination, what is
    coming to each role, and the open calls."""

    seat: Seat
    holders: dict[Role, Appointment]
    # The roles whose holder's last day, entered or expected by the body's term rules, is within its warning.
    ending: set[Role]
    calls: list[Call]
    coming: dict[Role, Coming] = field(default_factory=dict)

    @property
    def member(self) -> Appointment | None:
        return self.holders.get(Role.member)

    @property
    def substitute(self) -> Appointment | None:
        return self.holders.get(Role.substitute)

    @property
    def roles(self) -> list[Role]:
        return roles_of(self.seat)

    def needs(self, role: Role) -> bool:
        """Whether the role wants a nomination: it is empty, its holder leaves soon, or the group is asked."""
        return role not in self.holders or role in self.ending or any(call.role is role for call in self.calls)

    @property
    def open_roles(self) -> list[Role]:
        """The roles the group may nominate for now: needed, with nothing on its way."""
        return [role for role in self.roles if self.needs(role) and not self.coming.get(role)]

    def overdue(self, call: Call) -> bool:
        """Past its deadline with no nomination on its way for the role."""
        coming = self.coming.get(call.role)
        return call.past_deadline and (coming is None or coming.nomination is None)


def seats_of(party: Party, day: date | None = None, *, viewer) -> list[HeldSeat]:
    """The seats allocated to the party in the election period of the day; a holder leaves soon when the last
    day, entered or expected by the body's term rules, is within the body's warning days. Six queries however
    many seats: seats, holders, calls, periods, successors and nominations."""
    day = day or today()
    seats = db.session.scalars(
        sa.select(Seat).join(SeatAllocation, SeatAllocation.seat_id == Seat.id).join(SeatAllocation.period)
        .where(SeatAllocation.party_id == party.id, ElectionPeriod.start_date <= day, ElectionPeriod.end_date >= day)
        .options(joinedload(Seat.organisation))).unique().all()
    if not seats:
        return []
    ids = [seat.id for seat in seats]
    holders: dict[int, dict[Role, Appointment]] = {}
    for appointment in db.session.scalars(sa.select(Appointment).where(Appointment.seat_id.in_(ids), active_on(day))
                                          .options(joinedload(Appointment.person))):
        holders.setdefault(appointment.seat_id, {})[appointment.role] = appointment
    calls: dict[int, list[Call]] = {}
    for call in db.session.scalars(sa.select(Call).where(Call.seat_id.in_(ids), Call.party_id == party.id,
                                                         Call.closed_on.is_(None)).order_by(Call.deadline)):
        calls.setdefault(call.seat_id, []).append(call)
    periods = election_periods()
    coming = coming_to(ids, day, viewer=viewer)
    result = []
    for seat in seats:
        held = holders.get(seat.id, {})
        horizon = day + timedelta(days=seat.organisation.warning_days)
        ending = {role for role, appointment in held.items()
                  if (last := terms.expected_end(appointment, periods)) is not None and last <= horizon}
        result.append(HeldSeat(seat, held, ending, calls.get(seat.id, []),
                               {role: coming[(seat.id, role)] for role in Role if (seat.id, role) in coming}))
    result.sort(key=lambda held: (sort_key(held.seat.organisation.name), held.seat.position, held.seat.label))
    return result


# The open calls.

@dataclass
class ListedCall:
    """An open call with the nomination on its way that answers it, if any."""

    call: Call
    answer: Nomination | None

    @property
    def overdue(self) -> bool:
        return self.answer is None and self.call.past_deadline


def open_calls(party: Party | None = None, *, viewer) -> list[ListedCall]:
    """The open calls (to the party group, or to all), soonest deadline first, each with the nomination on its
    way for the seat and role from the party group asked. Two queries."""
    stmt = (sa.select(Call).where(Call.closed_on.is_(None))
            .options(joinedload(Call.seat).joinedload(Seat.organisation), joinedload(Call.party))
            .order_by(Call.deadline, Call.id))
    if party is not None:
        stmt = stmt.where(Call.party_id == party.id)
    calls = list(db.session.scalars(stmt))
    answers: dict[tuple[int, Role, int], Nomination] = {}
    if calls:
        for nomination in db.session.scalars(
                sa.select(Nomination).where(Nomination.seat_id.in_({call.seat_id for call in calls}),
                                            Nomination.status.in_(UNDER_WAY), Nomination.party_id.is_not(None),
                                            visible_to(viewer))
                .options(joinedload(Nomination.person)).order_by(Nomination.id)):
            for role in covered_roles(nomination):
                answers[(nomination.seat_id, role, nomination.party_id)] = nomination
    return [ListedCall(call, answers.get((call.seat_id, call.role, call.party_id))) for call in calls]
