"""The rules of KKR's meetings: a nomination onto an agenda, KKR's decision on it, and the outside authority's
appointment that follows a recommendation.

    submitted ─▶ on_agenda ─▶ appointed                (KKR appoints: seated from the effective date)
                     │    ─▶ pending ─▶ appointed      (an outside authority appoints later)
                     │    ─▶ not_supported
                     └──▶ submitted                    (taken off the agenda before KKR decided)

Services check, change and flush; the view commits once. Every change of
status queues a message to the party group (notifications.services); an organisation's nomination, recorded by
the secretariat, gets none, and seats its candidates for no party.
"""

from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from registry.appointments import services as appointments
from registry.appointments.models import Appointment, EndReason
from registry.appointments.services import active_on
from registry.dates import danish_date, local_date, today
from registry.errors import RuleViolation, check_version
from registry.extensions import db
from registry.meetings.drafting import decision_text
from registry.meetings.models import ITEM_NUMBER, AgendaItem, Decision, Meeting, Outcome
from registry.nominations import services as nominations
from registry.nominations.models import CallReason, Nomination, NominationStatus
from registry.notifications import services as notifications
from registry.organisations import terms
from registry.organisations.services import election_periods

# What the predecessor's appointment ends with, by why the seat was called.
PREDECESSOR_REASON = {CallReason.resignation: EndReason.resigned, CallReason.new_period: EndReason.term_ended}


# Onto the agenda, and off it again.

def place_on_agenda(nomination: Nomination, meeting_date: date, item_number: str, *, council: str,
                    location: str | None = None, case_number: str | None = None, title: str | None = None,
                    case_worker: str | None = None, version: int | None = None) -> AgendaItem:
    """Put the nomination on a KKR meeting's agenda as an item; the meeting and item are created if missing."""
    check_version(nomination, version)
    if nomination.status is not NominationStatus.submitted:
        raise RuleViolation(_l("Kun en indsendt indstilling kan sættes på dagsordenen; denne er %(status)s.",
                               status=nomination.status.label))
    item_number = item_number.strip()
    if not ITEM_NUMBER.fullmatch(item_number):
        raise RuleViolation(_l("Punktnummeret skal være tal adskilt af punktum, fx 4.1."), field="item_number")
    meeting = meeting_on(council, meeting_date, location=location, case_number=case_number)
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id,
                                                         AgendaItem.number == item_number))
    if item is None:
        organisation = nomination.seat.organisation
        item = AgendaItem(meeting_id=meeting.id, number=item_number, position=AgendaItem.position_of(item_number),
                          title=title or f"Indstilling af {nomination.role.danish} til {organisation.name}",
                          case_worker=case_worker or None)
        db.session.add(item)
        db.session.flush()
    nomination.item_id = item.id
    nomination.status = NominationStatus.on_agenda
    db.session.flush()
    db.session.expire(nomination, ["item"])
    notifications.nomination_changed(nomination)
    return item


def meeting_on(council: str, day: date, *, location: str | None = None,
               case_number: str | None = None) -> Meeting:
    """The council's meeting on the day, created if missing and flushed. What the meeting lacks is filled in;
    what it has is kept (the case number is the meeting's)."""
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.council_name == council, Meeting.date == day))
    if meeting is None:
        meeting = Meeting(council_name=council, date=day)
        db.session.add(meeting)
    meeting.location = meeting.location or (location or None)
    meeting.case_number = meeting.case_number or (case_number or None)
    db.session.flush()
    return meeting


def take_off_agenda(nomination: Nomination, *, version: int | None = None) -> Nomination:
    """Before KKR has decided, the secretariat may take a nomination off the agenda again.

    The item's saved text was drafted from the nominations on it, this one included: it is removed, so that
    a candidate who is no longer on the agenda is not named there, public or not. The secretariat saves a
    new text from the nominations that remain.
    """
    check_version(nomination, version)
    if nomination.status is not NominationStatus.on_agenda:
        raise RuleViolation(_l("Indstillingen er %(status)s, ikke på dagsordenen.", status=nomination.status.label))
    item = nomination.item
    item.background = None
    item.recommendation = None
    nomination.item_id = None
    nomination.status = NominationStatus.submitted
    db.session.flush()
    notifications.nomination_changed(nomination)
    return nomination


# Making the agenda public.

def publish_agenda(meeting: Meeting, day: date | None = None) -> Meeting:
    """Offentliggør dagsordenen: the items' saved texts are public from the day (today by default)."""
    meeting.published_on = day or today()
    db.session.flush()
    return meeting


def unpublish_agenda(meeting: Meeting) -> Meeting:
    """Take the agenda's texts off the public pages again, e.g. until a corrected text is saved."""
    meeting.published_on = None
    db.session.flush()
    return meeting


# KKR's decision, and the outside authority's appointment (or its refusal to appoint).

def outcomes_for(nomination: Nomination) -> list[Outcome]:
    """What KKR can decide: it appoints itself, or (where an outside authority appoints) recommends or takes note."""
    if nomination.seat.external:
        return [Outcome.recommended, Outcome.noted, Outcome.not_supported]
    return [Outcome.appointed, Outcome.not_supported]


def predecessor_reason(nomination: Nomination) -> EndReason:
    return PREDECESSOR_REASON.get(nomination.call.reason, EndReason.replaced) if nomination.call else EndReason.replaced


def _seat(nomination: Nomination, day: date, reason: EndReason, day_field: str) -> list[Appointment]:
    """Seat the candidates from the day, in one step: whoever holds their roles on the day, and a candidate's
    own other role on the same seat (a suppleant becoming member), ends the day before.

    day_field: the form field that gave the day, for a refusal of it."""
    meeting_day = nomination.item.meeting.date
    if day < meeting_day:
        raise RuleViolation(_l("Udpegningen kan ikke gælde fra før mødet den %(day)s.", day=local_date(meeting_day)),
                            field=day_field)
    seat = nomination.seat
    candidates = nomination.candidates
    roles = [role for _, role in candidates]
    people = [person.id for person, _ in candidates]
    making_room = db.session.scalars(
        sa.select(Appointment).where(Appointment.seat_id == seat.id, active_on(day),
                                     sa.or_(Appointment.role.in_(roles), Appointment.person_id.in_(people)))
        .order_by(Appointment.id))
    new_role = {person.id: role for person, role in candidates}
    periods = election_periods()
    for held in making_room:
        if new_role.get(held.person_id) is held.role:
            last = terms.expected_end(held, periods)
            if last is None or last >= day:
                raise RuleViolation(_l("%(name)s er allerede %(role)s på pladsen.", name=held.person.name,
                                       role=held.role.label))
            # Re-appointed for a new term: the old appointment ends with its term (the day before, so there
            # is no gap) and the new one rests on the new decision. One appointment per term keeps each term's
            # decision, and the terms in a row count as the body's rules have it.
            appointments.end(held, day - timedelta(days=1), EndReason.term_ended)
            continue
        if held.start_date >= day:
            raise RuleViolation(_l("%(name)s er %(role)s fra %(day)s; udpegningen skal gælde fra en senere dag.",
                                   name=held.person.name, role=held.role.label, day=local_date(held.start_date)),
                                field=day_field)
        moving = held.person_id in people
        if not moving and (last := terms.expected_end(held, periods)) is not None and last < day:
            # A holder carried over past the term's end leaves because the term has run out, whatever
            # the call said.
            reason = EndReason.term_ended
        appointments.end(held, day - timedelta(days=1), EndReason.other if moving else reason)
        if moving:
            # Stored with the appointment, as the registry's other data: in Danish.
            held.note = f"Udpeget som {new_role[held.person_id].danish} fra {danish_date(day)}."
    # An organisation's nominee sits for the organisation, not for a party, whatever party the person is in.
    seated = [appointments.appoint(seat, person, role, day, party=nomination.party, decision=nomination.decision,
                                   for_a_party=nomination.party is not None)
              for person, role in candidates]
    nomination.appointed_on = day
    nomination.status = NominationStatus.appointed
    if nomination.call is not None:
        nominations.close_call(nomination.call, min(meeting_day, today()))
    return seated


def decide(nomination: Nomination, outcome: Outcome, *, text: str | None = None, effective: date | None = None,
           reason: EndReason | None = None, version: int | None = None) -> Decision:
    """Record KKR's decision on a nomination on its agenda.

    appointed: KKR appoints; the candidates are seated from the effective date.
    recommended / noted: an outside authority appoints; the nomination waits, and the current holder stays.
    not_supported: nothing changes on the seat.
    """
    check_version(nomination, version)
    if nomination.status is not NominationStatus.on_agenda:
        raise RuleViolation(_l("Indstillingen er %(status)s; KKR kan kun beslutte om en indstilling på dagsordenen.",
                               status=nomination.status.label))
    allowed = outcomes_for(nomination)
    if outcome not in allowed:
        organisation = nomination.seat.organisation
        if nomination.seat.external:
            raise RuleViolation(_l("%(authority)s udpeger til %(name)s; KKR kan indstille eller tage til "
                                   "efterretning.", authority=nomination.seat.authority,
                                   name=organisation.name), field="outcome")
        raise RuleViolation(_l("KKR udpeger selv til %(name)s; vælg udpeget eller ikke tiltrådt.",
                               name=organisation.name), field="outcome")
    if outcome is Outcome.appointed and effective is None:
        raise RuleViolation(_l("Angiv den dato, udpegningen gælder fra."), field="effective_date")
    decision = Decision(item_id=nomination.item_id, outcome=outcome,
                        text=(text or "").strip() or decision_text(nomination, outcome, effective))
    db.session.add(decision)
    db.session.flush()
    nomination.decision_id = decision.id
    db.session.expire(nomination, ["decision"])
    if outcome is Outcome.appointed:
        _seat(nomination, effective, reason or predecessor_reason(nomination), "effective_date")
    elif outcome is Outcome.not_supported:
        # The call stays open: the party group is to nominate again.
        nomination.status = NominationStatus.not_supported
    else:
        nomination.status = NominationStatus.pending
        if nomination.call is not None:
            nominations.close_call(nomination.call, min(nomination.item.meeting.date, today()))
    db.session.flush()
    notifications.nomination_changed(nomination)
    return decision


def record_appointment(nomination: Nomination, day: date, *, reason: EndReason | None = None,
                       version: int | None = None) -> list[Appointment]:
    """The outside authority has appointed (beskikket) from the day: seat the candidates and end the
    predecessors the day before, in one step."""
    check_version(nomination, version)
    if nomination.status is not NominationStatus.pending:
        raise RuleViolation(_l("Indstillingen er %(status)s, ikke afventende.", status=nomination.status.label))
    seated = _seat(nomination, day, reason or predecessor_reason(nomination), "appointed_on")
    db.session.flush()
    notifications.nomination_changed(nomination)
    return seated


def record_not_appointed(nomination: Nomination, day: date, *, note: str | None = None,
                         version: int | None = None) -> Nomination:
    """The outside authority did not appoint (ikke beskikket): the seat stays as it is, and the nomination's
    history says so, with the day and, if given, the authority's reason as the secretariat's comment."""
    check_version(nomination, version)
    if nomination.status is not NominationStatus.pending:
        raise RuleViolation(_l("Indstillingen er %(status)s, ikke afventende.", status=nomination.status.label))
    meeting_day = nomination.item.meeting.date
    if day < meeting_day:
        raise RuleViolation(_l("Afgørelsen kan ikke være truffet før mødet den %(day)s.",
                               day=local_date(meeting_day)), field="decided_on")
    nomination.status = NominationStatus.not_appointed
    nomination.not_appointed_on = day
    if note and note.strip():
        nomination.comment = note.strip()
    db.session.flush()
    notifications.nomination_changed(nomination)
    return nomination
