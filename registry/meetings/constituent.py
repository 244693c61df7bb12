"""The constituent meeting of an election-period round (issue 13, steps 7 and 8).

Every submitted nomination of the round goes onto one meeting's agenda in one step, one item per body,
numbered in the bodies' order; KKR's decisions are recorded for the whole meeting, or one item of it, in one
step, the secretariat marking the exceptions (a nomination not dealt with stays on the agenda); and one date of
an outside authority's appointment seats all its pending recommendations. Each is all or nothing: a refusal
anywhere leaves everything as it was (the view commits once, and a RuleViolation rolls the whole request back).

Placing on the agenda, recording the decisions and recording an authority's appointments each take a fixed
number of queries however many nominations (the benchmark in the README times a round of 400 seat roles).
"""

from collections import defaultdict
from collections.abc import Collection
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from registry.appointments.models import Appointment
from registry.audit.services import insert_rows, update_rows
from registry.dates import local_date
from registry.errors import RuleViolation
from registry.extensions import db
from registry.meetings import drafting, schedule, services
from registry.meetings.models import ITEM_NUMBER, AgendaItem, Decision, Meeting, Outcome
from registry.meetings.schedule import NewMeeting
from registry.nominations.models import Nomination, NominationStatus
from registry.nominations.period import period_asked_for
from registry.notifications import services as notifications
from registry.organisations.models import ElectionPeriod, Organisation, Seat, SeatAllocation
from registry.organisations.services import election_periods
from registry.types import sort_key


def round_nominations(period: ElectionPeriod) -> list[Nomination]:
    """The round's submitted nominations: for the seats of bodies that follow the election period, whose
    seat is allocated in the period or nominated for by an organisation; in the bodies' order."""
    allocated = sa.exists().where(SeatAllocation.seat_id == Seat.id, SeatAllocation.period_id == period.id)
    stmt = (sa.select(Nomination).join(Nomination.seat).join(Seat.organisation)
            .where(Nomination.status == NominationStatus.submitted, Organisation.follows_election_period,
                   sa.or_(allocated, Seat.nominated_by.is_not(None)))
            .options(joinedload(Nomination.seat).joinedload(Seat.organisation), joinedload(Nomination.person),
                     joinedload(Nomination.substitute), joinedload(Nomination.party))
            .order_by(Organisation.sort_name, Organisation.id, Seat.position, Seat.label, Nomination.id))
    return list(db.session.scalars(stmt))


def place_round(nominations: list[Nomination], meeting: Meeting | NewMeeting | date, section: str, *,
                council: str | None = None, location: str | None = None,
                case_number: str | None = None) -> list[AgendaItem]:
    """One item per body on the meeting: section 5 gives 5.1, 5.2, … in the bodies' order, each titled as
    its drafted text is ("Indstilling af medlemmer til <body>") and holding every nomination for it.

    The meeting is one picked from the list, a new one asked for on the page (created unless the council meets
    on or near the day), or (the demo data and the commands) the council's meeting on a day, created if missing.
    """
    section = section.strip()
    if not ITEM_NUMBER.fullmatch(section) or "." in section:
        raise RuleViolation(_l("Skriv dagsordenens punkt som et tal, fx 5: punkterne bliver 5.1, 5.2 osv."),
                            field="section")
    if not nominations:
        raise RuleViolation(_l("Runden har ingen indsendte indstillinger at sætte på dagsordenen."))
    if late := next((n for n in nominations if n.status is not NominationStatus.submitted), None):
        raise RuleViolation(_l("Indstillingen af %(name)s er %(status)s; intet er sat på dagsordenen.",
                               name=late.person.name, status=late.status.label))
    by_body: dict[int, list[Nomination]] = defaultdict(list)
    for nomination in nominations:
        by_body[nomination.seat.organisation_id].append(nomination)
    bodies = sorted((group[0].seat.organisation for group in by_body.values()),
                    key=lambda body: (sort_key(body.name), body.id))
    if isinstance(meeting, NewMeeting):
        meeting = schedule.create_for_agenda(meeting)
    elif not isinstance(meeting, Meeting):
        meeting = services.meeting_on(council, meeting, location=location, case_number=case_number)
    numbers = [f"{section}.{index}" for index in range(1, len(bodies) + 1)]
    taken = set(db.session.scalars(sa.select(AgendaItem.number).where(AgendaItem.meeting_id == meeting.id,
                                                                      AgendaItem.number.in_(numbers))))
    if taken:
        raise RuleViolation(_l("Mødet har allerede punkt %(numbers)s; vælg et andet punkt.",
                               numbers=", ".join(sorted(taken, key=AgendaItem.position_of))), field="section")
    # Core statements, each one round trip however many rows (the flush would send one per row), with the
    # audit entries the flush listener would have written.
    rows = [{"meeting_id": meeting.id, "number": number, "position": AgendaItem.position_of(number),
             "title": drafting.title(by_body[body.id])} for number, body in zip(numbers, bodies, strict=True)]
    item_ids = insert_rows(db.session, AgendaItem.__table__, rows)
    item_of = {nomination.id: (item_id, number) for body, item_id, number in zip(bodies, item_ids, numbers,
                                                                                 strict=True)
               for nomination in by_body[body.id]}
    update_rows(db.session, Nomination.__table__, [
        (n.id, n.version, {"status": [n.status.value, NominationStatus.on_agenda.value],
                           "item_id": [None, item_of[n.id][0]]}) for n in nominations])
    for nomination in nominations:
        db.session.expire(nomination, ["status", "item_id", "item", "version"])
    _tell_party_groups(nominations, f"Indstillinger sat på dagsordenen: {meeting.council_name} "
                                    f"{meeting.date.isoformat()}",
                       {n_id: number for n_id, (_item, number) in item_of.items()})
    return list(db.session.scalars(sa.select(AgendaItem).where(AgendaItem.id.in_(item_ids))
                                   .order_by(AgendaItem.position, AgendaItem.number)))


def usual_outcome(nomination: Nomination) -> Outcome:
    """What KKR decides unless the secretariat marks an exception: it appoints where it appoints, and
    recommends where an outside authority appoints."""
    return Outcome.recommended if nomination.seat.external else Outcome.appointed


# A nomination KKR did not deal with (udsat), as the page's choice and the command's --outcome name it: it gets
# no decision and stays on the agenda.
DEFERRED = "udsat"


def decide_meeting(meeting: Meeting, outcomes: dict[int, Outcome], effective: date | None, *,
                   item: AgendaItem | None = None, deferred: Collection[int] = ()) -> list[Decision]:
    """KKR's decision on every nomination on the meeting's agenda, or on the one item, the usual outcome
    unless `outcomes` (by nomination id) says otherwise. The `deferred` (udsat: not dealt with) get no decision
    and stay on the agenda. Appointments by KKR are seated from the effective day, by default seated_from()."""
    on_agenda = nominations_on(meeting, item)
    if not on_agenda:
        if item is not None:
            raise RuleViolation(_l("Punkt %(number)s har ingen indstillinger, der venter på en beslutning.",
                                   number=item.number))
        raise RuleViolation(_l("Mødet har ingen indstillinger, der venter på en beslutning."))
    deciding = [n for n in on_agenda if n.id not in deferred]
    if not deciding:
        raise RuleViolation(_l("Alle indstillingerne er udsat, så der er intet at registrere. Vælg et udfald for "
                               "mindst én af dem."))
    decided = {n.id: outcomes.get(n.id, usual_outcome(n)) for n in deciding}
    if effective is None:
        effective = seated_from(meeting, [n for n in deciding if decided[n.id] is Outcome.appointed])
    if effective < meeting.date:
        raise RuleViolation(_l("Udpegningen kan ikke gælde fra før mødet den %(day)s.",
                               day=local_date(meeting.date)), field="effective_date")
    return services.decide_all(deciding, decided, effective)


def seated_from(meeting: Meeting, appointed: list[Nomination]) -> date:
    """The day KKR's own appointments are seated from unless the secretariat says otherwise: the first day of
    the term. For a nomination answering a new-period call that is the period's first day (the meeting's day if
    that is later: nobody is seated before KKR has decided); for any other, the meeting's day. With several
    days among the nominations, the latest, so that no one is seated before their term begins."""
    periods = election_periods()
    return max([meeting.date] + [period.start_date for nomination in appointed
                                 if (period := period_asked_for(nomination.call, periods)) is not None])


def nominations_on(meeting: Meeting, item: AgendaItem | None = None) -> list[Nomination]:
    """The nominations on the meeting's agenda (on the item, if one is given) still waiting for KKR's decision,
    in the agenda's order."""
    stmt = (sa.select(Nomination).join(Nomination.item)
            .where(AgendaItem.meeting_id == meeting.id, Nomination.status == NominationStatus.on_agenda))
    if item is not None:
        stmt = stmt.where(AgendaItem.id == item.id)
    return list(db.session.scalars(
        stmt.options(joinedload(Nomination.seat).joinedload(Seat.organisation), joinedload(Nomination.person),
                     joinedload(Nomination.substitute), joinedload(Nomination.party), joinedload(Nomination.item),
                     joinedload(Nomination.call))
        .order_by(AgendaItem.position, AgendaItem.number, Nomination.id)))


def item_numbered(meeting: Meeting, number: str) -> AgendaItem | None:
    """The meeting's item with the number (5.3), as the command line names it."""
    return db.session.scalar(sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id,
                                                         AgendaItem.number == number.strip()))


def pending_by_authority() -> dict[str, list[Nomination]]:
    """KKR's recommendations still waiting for an outside authority's appointment, by authority."""
    found: dict[str, list[Nomination]] = defaultdict(list)
    for nomination in db.session.scalars(
            sa.select(Nomination).where(Nomination.status == NominationStatus.pending)
            .options(joinedload(Nomination.seat).joinedload(Seat.organisation), joinedload(Nomination.person),
                     joinedload(Nomination.substitute), joinedload(Nomination.party), joinedload(Nomination.call),
                     joinedload(Nomination.item).joinedload(AgendaItem.meeting))
            .order_by(Nomination.id)):
        found[nomination.seat.authority].append(nomination)
    return dict(sorted(found.items(), key=lambda pair: sort_key(pair[0])))


def record_authoritys_appointments(authority: str, day: date) -> list[Appointment]:
    """The authority has appointed everyone KKR recommended to it, from the day: seat them all."""
    pending = pending_by_authority().get(authority, [])
    if not pending:
        raise RuleViolation(_l("Der er ingen afventende indstillinger til %(authority)s.", authority=authority),
                            field="authority")
    return services.record_appointments(pending, day)


def _tell_party_groups(nominations: list[Nomination], subject: str, items: dict[int, str]) -> None:
    """One message to each party group listing its nominations, instead of one per nomination; organisations
    have no login and get none."""
    lines: dict[int, list[str]] = defaultdict(list)
    for n in nominations:
        if n.party_id is not None:
            lines[n.party_id].append(f"Punkt {items[n.id]}: {n.person.name} som {n.role.danish}, "
                                     f"{n.seat.organisation.name}, {n.seat.label}")
    notifications.to_party_groups(subject, {party_id: "\n".join(own) for party_id, own in lines.items()})
