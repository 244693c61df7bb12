"""What stands on a day, read once: the calls for nominations due and overdue that nobody has answered, the
terms ending within each body's warning, and the recommendations waiting for an outside authority. The
reminders (reminders.py says the rules) and the weekly digest are made of it. A fixed number of queries
however many calls, holders and nominations; the rest is grouped in memory.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from registry.appointments.models import Appointment, Role
from registry.extensions import db
from registry.meetings.models import AgendaItem
from registry.nominations.models import Call, Nomination, NominationStatus
from registry.organisations.models import ElectionPeriod, Seat, SeatAllocation
from registry.organisations.rosters import ending_within_warning
from registry.people.models import Party

DUE_DAYS = 7
AWAITING_DAYS = 30
# The nominations that answer a call.
ANSWERED = (NominationStatus.submitted, NominationStatus.returned, NominationStatus.on_agenda,
            NominationStatus.pending, NominationStatus.appointed)


@dataclass
class Ending:
    """A holder whose term ends within the body's warning, and the party group holding the seat today."""

    appointment: Appointment
    last_day: date
    party: Party | None
    # The term ended before the day and no successor is seated: the holder carries on until one is.
    carried_over: bool

    @property
    def key(self) -> str:
        return f"term-ending:{self.appointment.id}:{self.last_day.isoformat()}"


@dataclass
class Awaiting:
    """A recommendation waiting for an outside authority since the day of KKR's meeting."""

    nomination: Nomination
    since: date


@dataclass
class Situation:
    """What stands on the day, read once: what the reminders and the digest are made of."""

    day: date
    due: list[Call]  # open, unanswered, deadline within DUE_DAYS
    overdue: list[Call]  # open, unanswered, deadline passed
    ending: list[Ending]
    awaiting: list[Awaiting]  # every recommendation waiting for an outside authority, the longest first

    def waited(self, awaiting: Awaiting) -> int:
        return (self.day - awaiting.since).days


def situation(day: date) -> Situation:
    due, overdue = _calls(day)
    return Situation(day, due, overdue, _ending(day), _awaiting())


def _calls(day: date) -> tuple[list[Call], list[Call]]:
    """The open calls nobody has answered, due within DUE_DAYS and overdue. Two queries."""
    calls = list(db.session.scalars(
        sa.select(Call).where(Call.closed_on.is_(None), Call.deadline <= day + timedelta(days=DUE_DAYS))
        .options(joinedload(Call.seat).joinedload(Seat.organisation), joinedload(Call.party))))
    answers: dict[tuple[int, int], list[Nomination]] = {}
    if calls:
        for nomination in db.session.scalars(sa.select(Nomination).where(
                Nomination.seat_id.in_({call.seat_id for call in calls}), Nomination.party_id.is_not(None),
                Nomination.status.in_(ANSWERED))):
            answers.setdefault((nomination.seat_id, nomination.party_id), []).append(nomination)
    waiting = [call for call in calls if not any(_answers(n, call) for n in answers.get((call.seat_id,
                                                                                          call.party_id), []))]
    waiting.sort(key=lambda call: (call.deadline, call.seat.organisation.sort_name, call.seat.position,
                                   call.seat.label, call.role.value != "member", call.id))
    return [call for call in waiting if call.deadline >= day], [call for call in waiting if call.deadline < day]


def _answers(nomination: Nomination, call: Call) -> bool:
    covers = nomination.role is call.role or (call.role is Role.substitute and nomination.role is Role.member
                                              and nomination.substitute_id is not None)
    made_for_it = nomination.call_id == call.id or nomination.submitted_at.date() >= call.opened_on
    return covers and made_for_it


def _ending(day: date) -> list[Ending]:
    """The dashboard's terms ending (rosters.ending_within_warning), less those whose successor is known. Four
    queries: the appointments that may end within the longest warning, the election periods, the later
    appointments to the same seats, and the day's allocations."""
    found = ending_within_warning(day)
    if not found:
        return []
    seat_ids = {appointment.seat_id for appointment, _ in found}
    successors = set(db.session.execute(
        sa.select(Appointment.seat_id, Appointment.role).where(Appointment.seat_id.in_(seat_ids),
                                                               Appointment.start_date > day)).tuples())
    holding = {allocation.seat_id: allocation.party for allocation in db.session.scalars(
        sa.select(SeatAllocation).join(SeatAllocation.period)
        .where(SeatAllocation.seat_id.in_(seat_ids), ElectionPeriod.start_date <= day, ElectionPeriod.end_date >= day)
        .options(joinedload(SeatAllocation.party)))}
    ending = [Ending(appointment, last_day, holding.get(appointment.seat_id),
                     appointment.end_date is None and last_day < day)
              for appointment, last_day in found if (appointment.seat_id, appointment.role) not in successors]
    ending.sort(key=lambda e: (e.last_day, e.appointment.seat.organisation.sort_name, e.appointment.seat.position,
                               e.appointment.seat.label, e.appointment.role.value != "member", e.appointment.id))
    return ending


def _awaiting() -> list[Awaiting]:
    rows = db.session.execute(
        sa.select(Nomination, AgendaItem).join(Nomination.item).where(Nomination.status == NominationStatus.pending)
        .options(joinedload(Nomination.person), joinedload(Nomination.substitute), joinedload(Nomination.party),
                 joinedload(Nomination.seat).joinedload(Seat.organisation), joinedload(AgendaItem.meeting))).all()
    awaiting = [Awaiting(nomination, item.meeting.date) for nomination, item in rows]
    awaiting.sort(key=lambda a: (a.since, a.nomination.id))
    return awaiting
