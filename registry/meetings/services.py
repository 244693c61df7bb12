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

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import set_committed_value

from registry.appointments.models import Appointment, EndReason
from registry.audit.services import insert_rows, update_rows
from registry.dates import local_date, today
from registry.errors import RuleViolation, check_version
from registry.extensions import db
from registry.meetings import schedule, seating
from registry.meetings.drafting import decision_text
from registry.meetings.models import ITEM_NUMBER, AgendaItem, Decision, Meeting, Outcome
from registry.meetings.schedule import NewMeeting
from registry.nominations.models import Call, CallReason, Nomination, NominationStatus
from registry.notifications import services as notifications

# What the predecessor's appointment ends with, by why the seat was called.
PREDECESSOR_REASON = {CallReason.resignation: EndReason.resigned, CallReason.new_period: EndReason.term_ended}


# Onto the agenda, and off it again.

def place_on_agenda(nomination: Nomination, meeting_date: date, item_number: str, *, council: str,
                    location: str | None = None, case_number: str | None = None, title: str | None = None,
                    case_worker: str | None = None, version: int | None = None) -> AgendaItem:
    """Put the nomination on the council's meeting on the day, created if missing (the demo data and the
    commands; the pages pick a meeting, or ask for a new one, with place())."""
    _refuse_placing(nomination, item_number, version)
    meeting = meeting_on(council, meeting_date, location=location, case_number=case_number)
    return place(nomination, meeting, item_number, title=title, case_worker=case_worker)


def place(nomination: Nomination, meeting: Meeting | NewMeeting, item_number: str, *, title: str | None = None,
          case_worker: str | None = None, version: int | None = None) -> AgendaItem:
    """Put the nomination on a meeting's agenda as an item, created if the meeting has no item of the number;
    a NewMeeting is created first (schedule.create_for_agenda: not on or near a day the council meets)."""
    _refuse_placing(nomination, item_number, version)
    if isinstance(meeting, NewMeeting):
        meeting = schedule.create_for_agenda(meeting)
    item_number = item_number.strip()
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


def _refuse_placing(nomination: Nomination, item_number: str, version: int | None) -> None:
    check_version(nomination, version)
    if nomination.status is not NominationStatus.submitted:
        raise RuleViolation(_l("Kun en indsendt indstilling kan sættes på dagsordenen; denne er %(status)s.",
                               status=nomination.status.label))
    if not ITEM_NUMBER.fullmatch(item_number.strip()):
        raise RuleViolation(_l("Punktnummeret skal være tal adskilt af punktum, fx 4.1."), field="item_number")


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


def _refuse(nomination: Nomination, outcome: Outcome) -> None:
    """Refuse a decision KKR cannot make on the nomination."""
    if nomination.status is not NominationStatus.on_agenda:
        raise RuleViolation(_l("Indstillingen er %(status)s; KKR kan kun beslutte om en indstilling på dagsordenen.",
                               status=nomination.status.label))
    if outcome in outcomes_for(nomination):
        return
    organisation = nomination.seat.organisation
    if nomination.seat.external:
        raise RuleViolation(_l("%(authority)s udpeger til %(name)s; KKR kan indstille eller tage til "
                               "efterretning.", authority=nomination.seat.authority,
                               name=organisation.name), field="outcome")
    raise RuleViolation(_l("KKR udpeger selv til %(name)s; vælg udpeget eller ikke tiltrådt.",
                           name=organisation.name), field="outcome")


def decide(nomination: Nomination, outcome: Outcome, *, text: str | None = None, effective: date | None = None,
           reason: EndReason | None = None, version: int | None = None) -> Decision:
    """Record KKR's decision on a nomination on its agenda.

    appointed: KKR appoints; the candidates are seated from the effective date.
    recommended / noted: an outside authority appoints; the nomination waits, and the current holder stays.
    not_supported: nothing changes on the seat.
    """
    check_version(nomination, version)
    return decide_all([nomination], {nomination.id: outcome}, effective, texts={nomination.id: text},
                      reasons={nomination.id: reason} if reason else None)[0]


def decide_all(on_agenda: list[Nomination], outcomes: dict[int, Outcome], effective: date | None, *,
               texts: dict[int, str | None] | None = None,
               reasons: dict[int, EndReason] | None = None) -> list[Decision]:
    """KKR's decisions on nominations on the agenda (outcome by nomination id), as decide() makes one, in a
    fixed number of queries however many: a constituent meeting's hundreds are recorded in one step.

    texts: the minutes' wording where it is not the drafted one; reasons: why the predecessors leave where it is
    not what the call says. Everything is checked before anything is written.
    """
    for nomination in on_agenda:
        _refuse(nomination, outcomes[nomination.id])
    appointed = [n for n in on_agenda if outcomes[n.id] is Outcome.appointed]
    if appointed and effective is None:
        raise RuleViolation(_l("Angiv den dato, udpegningen gælder fra."), field="effective_date")
    planned = seating.plan(appointed, effective, {n.id: (reasons or {}).get(n.id) or predecessor_reason(n)
                                                  for n in appointed}, "effective_date") if appointed else None
    texts = texts or {}
    ids = insert_rows(db.session, Decision.__table__, [
        {"item_id": n.item_id, "outcome": outcomes[n.id].value,
         "text": (texts.get(n.id) or "").strip() or decision_text(n, outcomes[n.id], effective)} for n in on_agenda])
    decision_of = {n.id: decision_id for n, decision_id in zip(on_agenda, ids, strict=True)}
    if planned is not None:
        seating.write(planned, decision_of)
    decisions = {d.id: d for d in db.session.scalars(sa.select(Decision).where(Decision.id.in_(ids)))}
    _record(on_agenda, {n.id: NEXT_STATUS[outcomes[n.id]] for n in on_agenda}, decision_of,
            {n.id: effective for n in appointed})
    for nomination in on_agenda:
        set_committed_value(nomination, "decision", decisions[nomination.decision_id])
    # Not supported: the call stays open, as the party group is to nominate again.
    _close_calls([n for n in on_agenda if outcomes[n.id] is not Outcome.not_supported])
    notifications.nominations_changed(on_agenda)
    return [decisions[decision_of[n.id]] for n in on_agenda]


# What a nomination becomes by KKR's decision: seated, waiting for the outside authority, or not supported.
NEXT_STATUS = {Outcome.appointed: NominationStatus.appointed, Outcome.recommended: NominationStatus.pending,
               Outcome.noted: NominationStatus.pending, Outcome.not_supported: NominationStatus.not_supported}


def record_appointment(nomination: Nomination, day: date, *, reason: EndReason | None = None,
                       version: int | None = None) -> list[Appointment]:
    """The outside authority has appointed (beskikket) from the day: seat the candidates and end the
    predecessors the day before, in one step."""
    check_version(nomination, version)
    return record_appointments([nomination], day, reasons={nomination.id: reason} if reason else None)


def record_appointments(pending: list[Nomination], day: date, *,
                        reasons: dict[int, EndReason] | None = None) -> list[Appointment]:
    """record_appointment() for many recommendations at once (an authority appointing everyone KKR
    recommended to it), in a fixed number of queries."""
    for nomination in pending:
        if nomination.status is not NominationStatus.pending:
            raise RuleViolation(_l("Indstillingen er %(status)s, ikke afventende.", status=nomination.status.label))
    planned = seating.plan(pending, day, {n.id: (reasons or {}).get(n.id) or predecessor_reason(n)
                                          for n in pending}, "appointed_on")
    ids = seating.write(planned, {n.id: n.decision_id for n in pending})
    _record(pending, {n.id: NominationStatus.appointed for n in pending}, {n.id: n.decision_id for n in pending},
            {n.id: day for n in pending})
    _close_calls(pending)
    # The messages quote KKR's decisions: read in one query, not one per nomination.
    decisions = {d.id: d for d in db.session.scalars(
        sa.select(Decision).where(Decision.id.in_({n.decision_id for n in pending})))}
    for nomination in pending:
        set_committed_value(nomination, "decision", decisions.get(nomination.decision_id))
    notifications.nominations_changed(pending)
    return list(db.session.scalars(sa.select(Appointment).where(Appointment.id.in_(ids)).order_by(Appointment.id)))


def _record(changed: list[Nomination], statuses: dict[int, NominationStatus], decisions: dict[int, int | None],
            appointed_on: dict[int, date]) -> None:
    """The nominations' new status, decision and first day seated, in one statement, audited as the flush
    listener would; the objects in the session are told what was written."""
    update_rows(db.session, Nomination.__table__, [
        (n.id, n.version, {"status": [n.status.value, statuses[n.id].value],
                           "decision_id": [n.decision_id, decisions[n.id]],
                           "appointed_on": [n.appointed_on, appointed_on.get(n.id, n.appointed_on)]})
        for n in changed])
    for n in changed:
        for key, value in (("status", statuses[n.id]), ("decision_id", decisions[n.id]),
                           ("appointed_on", appointed_on.get(n.id, n.appointed_on)), ("version", n.version + 1)):
            set_committed_value(n, key, value)


def _close_calls(answered: list[Nomination]) -> None:
    """Close the calls the nominations answered, on the meeting's day (today if it is still to come), in one
    statement."""
    calls = [(n.call, min(n.item.meeting.date, today())) for n in answered
             if n.call is not None and n.call.closed_on is None]
    update_rows(db.session, Call.__table__, [(call.id, call.version, {"closed_on": [None, day]})
                                             for call, day in calls])
    for call, day in calls:
        set_committed_value(call, "closed_on", day)
        set_committed_value(call, "version", call.version + 1)


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
