"""The constituent meeting of an election-period round (issue 13, steps 7 and 8).

Every submitted nomination of the round goes onto one meeting's agenda in one step, one item per body,
numbered in the bodies' order; KKR's decisions are recorded for the whole meeting in one step, the
secretariat marking the exceptions; and one date of an outside authority's appointment seats all its pending
recommendations. Each is all or nothing: a refusal anywhere leaves everything as it was (the view commits
once, and a RuleViolation rolls the whole request back).

Placing on the agenda takes a fixed number of queries however many nominations; recording decisions and
appointments goes through the one-nomination services, so their queries grow with the nominations (a few
each; hundreds of seats still take well under a second on PostgreSQL, see the benchmark in the README).
"""

from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from registry.appointments.models import Appointment
from registry.audit.services import record_rows
from registry.dates import local_date
from registry.errors import RuleViolation
from registry.extensions import db
from registry.meetings import services
from registry.meetings.models import ITEM_NUMBER, AgendaItem, Decision, Meeting, Outcome
from registry.nominations.models import Nomination, NominationStatus
from registry.notifications import services as notifications
from registry.organisations.models import ElectionPeriod, Organisation, Seat, SeatAllocation
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


def place_round(nominations: list[Nomination], meeting_date: date, section: str, *, council: str,
                location: str | None = None, case_number: str | None = None) -> list[AgendaItem]:
    """One item per body on the meeting (created if missing): section 5 gives 5.1, 5.2, … in the bodies'
    order, each titled "Udpegning til <body>" and holding every nomination for it."""
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
    meeting = services.meeting_on(council, meeting_date, location=location, case_number=case_number)
    numbers = [f"{section}.{index}" for index in range(1, len(bodies) + 1)]
    taken = set(db.session.scalars(sa.select(AgendaItem.number).where(AgendaItem.meeting_id == meeting.id,
                                                                      AgendaItem.number.in_(numbers))))
    if taken:
        raise RuleViolation(_l("Mødet har allerede punkt %(numbers)s; vælg et andet punkt.",
                               numbers=", ".join(sorted(taken, key=AgendaItem.position_of))), field="section")
    # Core statements, each one round trip however many rows (the flush would send one per row), with the
    # audit entries the flush listener would have written.
    rows = [{"meeting_id": meeting.id, "number": number, "position": AgendaItem.position_of(number),
             "title": f"Udpegning til {body.name}"} for number, body in zip(numbers, bodies, strict=True)]
    item_ids = _insert(AgendaItem, rows)
    item_of = {nomination.id: (item_id, number) for body, item_id, number in zip(bodies, item_ids, numbers,
                                                                                 strict=True)
               for nomination in by_body[body.id]}
    db.session.execute(
        sa.update(Nomination.__table__).where(Nomination.__table__.c.id == sa.bindparam("nomination_id"))
        .values(item_id=sa.bindparam("new_item"), status=NominationStatus.on_agenda.value,
                version=Nomination.__table__.c.version + 1),
        [{"nomination_id": n.id, "new_item": item_of[n.id][0]} for n in nominations])
    record_rows(db.session, "update", "nominations", [
        (n.id, {"status": [n.status.value, NominationStatus.on_agenda.value], "item_id": [None, item_of[n.id][0]]})
        for n in nominations])
    for nomination in nominations:
        db.session.expire(nomination, ["status", "item_id", "item", "version"])
    _tell_party_groups(nominations, f"Indstillinger sat på dagsordenen: {council} {meeting_date.isoformat()}",
                       {n_id: number for n_id, (_item, number) in item_of.items()})
    return list(db.session.scalars(sa.select(AgendaItem).where(AgendaItem.id.in_(item_ids))
                                   .order_by(AgendaItem.position, AgendaItem.number)))


def _insert(model, rows: list[dict]) -> list[int]:
    """Insert the rows in one statement and audit them; their ids in the rows' order."""
    table = model.__table__
    # RETURNING the rows' contents with their ids, matched back by content: asking the database to keep the
    # parameters' order would make SQLite send one INSERT per row.
    keys = list(rows[0])
    returned = {tuple(found[1:]): found[0] for found in db.session.execute(
        sa.insert(table).returning(table.c.id, *(table.c[key] for key in keys)), rows)}
    ids = [returned[tuple(row[key] for key in keys)] for row in rows]
    # The rows are plain values (numbers and text), as the flush listener would record them.
    record_rows(db.session, "create", table.name, list(zip(ids, rows, strict=True)))
    return ids


def usual_outcome(nomination: Nomination) -> Outcome:
    """What KKR decides unless the secretariat marks an exception: it appoints where it appoints, and
    recommends where an outside authority appoints."""
    return Outcome.recommended if nomination.seat.external else Outcome.appointed


def decide_meeting(meeting: Meeting, outcomes: dict[int, Outcome], effective: date) -> list[Decision]:
    """KKR's decision on every nomination on the meeting's agenda, the usual outcome unless `outcomes` (by
    nomination id) says otherwise; appointments by KKR are seated from the effective day."""
    on_agenda = nominations_on(meeting)
    if not on_agenda:
        raise RuleViolation(_l("Mødet har ingen indstillinger, der venter på en beslutning."))
    if effective < meeting.date:
        raise RuleViolation(_l("Udpegningen kan ikke gælde fra før mødet den %(day)s.",
                               day=local_date(meeting.date)), field="effective_date")
    return [services.decide(nomination, outcomes.get(nomination.id, usual_outcome(nomination)),
                            effective=effective) for nomination in on_agenda]


def nominations_on(meeting: Meeting) -> list[Nomination]:
    """The nominations on the meeting's agenda still waiting for KKR's decision, in the agenda's order."""
    return list(db.session.scalars(
        sa.select(Nomination).join(Nomination.item)
        .where(AgendaItem.meeting_id == meeting.id, Nomination.status == NominationStatus.on_agenda)
        .options(joinedload(Nomination.seat).joinedload(Seat.organisation), joinedload(Nomination.person),
                 joinedload(Nomination.substitute), joinedload(Nomination.party), joinedload(Nomination.item))
        .order_by(AgendaItem.position, AgendaItem.number, Nomination.id)))


def pending_by_authority() -> dict[str, list[Nomination]]:
    """KKR's recommendations still waiting for an outside authority's appointment, by authority."""
    found: dict[str, list[Nomination]] = defaultdict(list)
    for nomination in db.session.scalars(
            sa.select(Nomination).where(Nomination.status == NominationStatus.pending)
            .options(joinedload(Nomination.seat).joinedload(Seat.organisation), joinedload(Nomination.person),
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
    return [appointment for nomination in pending
            for appointment in services.record_appointment(nomination, day)]


def _tell_party_groups(nominations: list[Nomination], subject: str, items: dict[int, str]) -> None:
    """One message to each party group listing its nominations, instead of one per nomination; organisations
    have no login and get none."""
    lines: dict[int, list[str]] = defaultdict(list)
    for n in nominations:
        if n.party_id is not None:
            lines[n.party_id].append(f"Punkt {items[n.id]}: {n.person.name} som {n.role.danish}, "
                                     f"{n.seat.organisation.name}, {n.seat.label}")
    notifications.to_party_groups(subject, {party_id: "\n".join(own) for party_id, own in lines.items()})
