"""Seating nominations' candidates, one nomination or a whole meeting's at once: whoever holds their roles on
the day, and a candidate's own other role on the same seat (a suppleant becoming member), ends the day before.

The rules run in memory over the seats' appointments, read once, and every change of one kind is written in
one statement: a fixed number of queries however many nominations, so a constituent meeting of hundreds of
seats is recorded as fast as one vacancy. Nothing is written before everything is checked; the database's
one-holder constraint stays the backstop for two users saving at once.

Services check, change and flush; the view or command commits once.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from registry.appointments import services as appointments
from registry.appointments.models import ONE_HOLDER_CONSTRAINT, Appointment, EndReason, Role, Status
from registry.audit.services import insert_rows, update_rows
from registry.dates import danish_date, local_date
from registry.errors import RuleViolation
from registry.extensions import db
from registry.nominations.models import Nomination
from registry.organisations import terms
from registry.organisations.models import ElectionPeriod
from registry.organisations.services import election_periods
from registry.people.models import Person
from registry.people.privacy import ANONYMISED_REFUSAL


@dataclass
class Planned:
    """A new appointment, checked and not yet written: enough of one for the one-holder message."""

    nomination: Nomination
    person: Person
    role: Role
    start_date: date
    end_date: date | None


@dataclass
class Ending:
    held: Appointment
    last_day: date
    reason: EndReason
    note: str | None


@dataclass
class Seating:
    """What seating the nominations changes: the holders who leave, and the new appointments."""

    endings: list[Ending] = field(default_factory=list)
    planned: list[Planned] = field(default_factory=list)


def plan(nominations: list[Nomination], day: date, reasons: dict[int, EndReason], day_field: str) -> Seating:
    """Check seating every nomination's candidates from the day, in order, as if each were seated before the
    next; refuse the first that breaks a rule. Two queries: the seats' appointments from the day on, and the
    election periods (for the terms).

    reasons: why each nomination's predecessors leave (by nomination id); day_field: the form field that gave
    the day, for a refusal of it."""
    held = db.session.scalars(
        sa.select(Appointment)
        .where(Appointment.seat_id.in_({n.seat_id for n in nominations}), Appointment.status == Status.appointed,
               sa.or_(Appointment.end_date.is_(None), Appointment.end_date >= day))
        .options(joinedload(Appointment.person)).order_by(Appointment.id))
    planner = _Planner(day, day_field, held, election_periods())
    for nomination in nominations:
        meeting_day = nomination.item.meeting.date
        if day < meeting_day:
            raise RuleViolation(_l("Udpegningen kan ikke gælde fra før mødet den %(day)s.",
                                   day=local_date(meeting_day)), field=day_field)
        if any(person.anonymised_at is not None for person, _ in nomination.candidates):
            raise RuleViolation(ANONYMISED_REFUSAL)
        planner.make_room(nomination, reasons[nomination.id])
        for person, role in nomination.candidates:
            planner.seat(nomination, person, role)
    return planner.seating


class _Planner:
    """The seats' appointments as they will be, changed nomination by nomination in memory."""

    def __init__(self, day: date, day_field: str, held: Iterable[Appointment], periods: list[ElectionPeriod]):
        self.day, self.day_field, self.periods = day, day_field, periods
        self.seating = Seating()
        self.held: dict[int, list[Appointment]] = defaultdict(list)
        for appointment in held:
            self.held[appointment.seat_id].append(appointment)
        self.last_day: dict[int, date] = {}
        self.planned: dict[tuple[int, Role], list[Planned]] = defaultdict(list)

    def ends_on(self, held: Appointment) -> date | None:
        return self.last_day.get(held.id, held.end_date)

    def make_room(self, nomination: Nomination, reason: EndReason) -> None:
        """End whoever holds the candidates' roles on the day, and a candidate's own other role on the seat."""
        day, new_role = self.day, {person.id: role for person, role in nomination.candidates}
        for held in self.held[nomination.seat_id]:
            end = self.ends_on(held)
            in_office = held.start_date <= day and (end is None or end >= day)
            if not in_office or (held.role not in new_role.values() and held.person_id not in new_role):
                continue
            # The term's last day, as the roster reads it: an end date past it (the closing day every
            # appointment on a closing body is given) does not make the term longer.
            ends = (held.end_date, terms.open_end(held.seat.organisation, held.start_date, held.seat.end_date,
                                                  self.periods))
            last = min((end for end in ends if end is not None), default=None)
            if new_role.get(held.person_id) is held.role:
                if last is None or last >= day:
                    raise RuleViolation(_l("%(name)s er allerede %(role)s på pladsen.", name=held.person.name,
                                           role=held.role.label))
                # Re-appointed for a new term: the old appointment ends with its term (the day before, so there
                # is no gap) and the new one rests on the new decision. One appointment per term keeps each
                # term's decision, and the terms in a row count as the body's rules have it.
                self.leave(held, EndReason.term_ended, held.note)
            elif held.start_date >= day:
                raise RuleViolation(_l("%(name)s er %(role)s fra %(day)s; udpegningen skal gælde fra en senere dag.",
                                       name=held.person.name, role=held.role.label,
                                       day=local_date(held.start_date)), field=self.day_field)
            elif held.person_id in new_role:
                # Stored with the appointment, as the registry's other data: in Danish.
                self.leave(held, EndReason.other,
                           f"Udpeget som {new_role[held.person_id].danish} fra {danish_date(day)}.")
            elif last is not None and last < day:
                # A holder carried over past the term's end leaves because the term has run out, whatever
                # the call said.
                self.leave(held, EndReason.term_ended, held.note)
            else:
                self.leave(held, reason, held.note)

    def leave(self, held: Appointment, reason: EndReason, note: str | None) -> None:
        last_day = self.day - timedelta(days=1)
        if last_day < held.start_date:
            raise RuleViolation(_l("Slutdatoen ligger før startdatoen."), field=self.day_field)
        self.last_day[held.id] = last_day
        self.seating.endings.append(Ending(held, last_day, reason, note))

    def seat(self, nomination: Nomination, person: Person, role: Role) -> None:
        """Plan the candidate's appointment from the day, if the seat and role are free from then on."""
        seat, day = nomination.seat, self.day
        end = appointments.closing_end(seat, day, None)
        appointments.fits(seat, role, day, end)
        holders = [(held, held.start_date, self.ends_on(held)) for held in self.held[seat.id] if held.role is role]
        holders += [(new, new.start_date, new.end_date) for new in self.planned[seat.id, role]]
        if other := next((held for held, start, last in holders if _meet(start, last, day, end)), None):
            raise RuleViolation(appointments.one_holder_message(seat, role, other), field=self.day_field)
        new = Planned(nomination, person, role, day, end)
        self.seating.planned.append(new)
        self.planned[seat.id, role].append(new)


def _meet(start: date, end: date | None, other_start: date, other_end: date | None) -> bool:
    """Whether [start, end] and [other_start, other_end] share a day (no end: open)."""
    return (end is None or end >= other_start) and (other_end is None or start <= other_end)


def write(seating: Seating, decision_of: dict[int, int | None]) -> list[int]:
    """Write what was planned: the holders' ends in one statement, the new appointments in another, and their
    audit entries; the ids of the new appointments. decision_of: the decision each appointment rests on, by
    nomination id."""
    table = Appointment.__table__
    update_rows(db.session, table, [(e.held.id, e.held.version, _ended(e)) for e in seating.endings])
    for e in seating.endings:
        for key, value in (("end_date", e.last_day), ("end_reason", e.reason), ("note", e.note),
                           ("version", e.held.version + 1)):
            set_committed_value(e.held, key, value)
    rows = [{"seat_id": p.nomination.seat_id, "person_id": p.person.id, "role": p.role.value,
             "start_date": p.start_date, "end_date": p.end_date, "party_id": p.nomination.party_id,
             "decision_id": decision_of.get(p.nomination.id), "status": Status.appointed.value}
            for p in seating.planned]
    try:
        with db.session.begin_nested():
            ids = insert_rows(db.session, table, rows)
    except (IntegrityError, OperationalError) as error:
        lost = (ONE_HOLDER_CONSTRAINT in str(error.orig) if isinstance(error, IntegrityError)
                else appointments.lost_holder_race(error))
        if not lost:
            raise
        slots = {(p.nomination.seat, p.role) for p in seating.planned}
        if len(slots) == 1:
            raise RuleViolation(appointments.one_holder_message(*slots.pop(), None), field="start_date") from None
        raise RuleViolation(_l("En anden har netop ændret en af pladserne; intet er gemt. Prøv igen.")) from None
    # Collections read before the change would no longer be true.
    for p in seating.planned:
        for owner in (p.nomination.seat, p.person):
            if "appointments" in sa.inspect(owner).dict:
                db.session.expire(owner, ["appointments"])
    return ids


def _ended(ending: Ending) -> dict:
    held = ending.held
    return {"end_date": [held.end_date, ending.last_day],
            "end_reason": [held.end_reason.value if held.end_reason else None, ending.reason.value],
            "note": [held.note, ending.note]}
