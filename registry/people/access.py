"""The access request (indsigt, GDPR art. 15): everything the registry holds about one person.

The person's fields, including the private ones, their appointments and nominations, the texts that name
them (decisions and agenda items, and whether those are public), and the audit entries on their row, as
one JSON document; handing it out is itself audited.
"""

import json
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from registry.appointments.models import Appointment
from registry.audit.models import AuditEntry
from registry.audit.services import record
from registry.dates import today, utcnow
from registry.extensions import db
from registry.meetings.models import AgendaItem, Decision
from registry.nominations.models import Nomination
from registry.organisations.models import Seat
from registry.people.models import Person
from registry.people.privacy import naming, texts_naming


def _iso(value: date | datetime | None) -> str | None:
    """Dates as YYYY-MM-DD; stored times, which are UTC, with a Z to say so."""
    if value is None:
        return None
    return value.isoformat() + "Z" if isinstance(value, datetime) else value.isoformat()


def _label(value) -> str | None:
    return value.value if value is not None else None


def _decision(decision: Decision | None) -> dict | None:
    if decision is None:
        return None
    return {"reference": decision.reference, "outcome": decision.outcome.value, "text": decision.text}


def _person(person: Person) -> dict:
    return {
        "id": person.id,
        "name": person.name,
        "gender": _label(person.gender),
        "email": person.email,
        "phone": person.phone,
        "office": person.office,
        "municipality": ({"id": person.municipality.id, "name": person.municipality.name,
                          "code": person.municipality.code} if person.municipality else None),
        "party": ({"id": person.party.id, "letter": person.party.letter, "name": person.party.name}
                  if person.party else None),
        "anonymised_at": _iso(person.anonymised_at),
    }


def _appointments(person: Person) -> list[dict]:
    rows = db.session.scalars(
        sa.select(Appointment).where(Appointment.person_id == person.id)
        .options(joinedload(Appointment.seat).joinedload(Seat.organisation), joinedload(Appointment.party),
                 joinedload(Appointment.decision).joinedload(Decision.item).joinedload(AgendaItem.meeting))
        .order_by(Appointment.start_date, Appointment.id))
    return [{
        "id": row.id,
        "organisation": row.seat.organisation.name,
        "seat": row.seat.label,
        "role": row.role.value,
        "party": row.party.letter if row.party else None,
        "start_date": _iso(row.start_date),
        "end_date": _iso(row.end_date),
        "end_reason": _label(row.end_reason),
        "status": row.status.value,
        "decision": _decision(row.decision),
        "note": row.note,
    } for row in rows]


def _nominations(person: Person) -> list[dict]:
    rows = db.session.scalars(
        sa.select(Nomination).where(naming(person))
        .options(joinedload(Nomination.seat).joinedload(Seat.organisation), joinedload(Nomination.party),
                 joinedload(Nomination.decision).joinedload(Decision.item).joinedload(AgendaItem.meeting))
        .order_by(Nomination.submitted_at, Nomination.id))
    return [{
        "id": row.id,
        "named_as": "candidate" if row.person_id == person.id else "substitute",
        "organisation": row.seat.organisation.name,
        "seat": row.seat.label,
        "role": row.role.value,
        "party": row.party.letter if row.party else None,
        "nominated_by": row.nominated_by,
        "status": row.status.value,
        "motivation": row.motivation,
        "gender_reason": row.gender_reason,
        "comment": row.comment,
        "submitted_at": _iso(row.submitted_at),
        "appointed_on": _iso(row.appointed_on),
        "decision": _decision(row.decision),
    } for row in rows]


def _audit_entries(person: Person) -> list[dict]:
    rows = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity == "persons",
                                                          AuditEntry.entity_id == person.id)
                              .order_by(AuditEntry.at, AuditEntry.id))
    return [{"at": _iso(row.at), "actor": row.actor, "action": row.action, "changes": row.changes,
             "remote_addr": row.remote_addr} for row in rows]


def _named_in(person: Person) -> list[dict]:
    """Where the registry's texts name the person, and whether each is public. After anonymisation the
    name is in none of them (privacy.anonymise); the audit trail, which is never public, keeps it."""
    if person.anonymised_at is not None:
        return []
    found = []
    for row, column in texts_naming(person.name):
        if isinstance(row, Decision):
            found.append({"kind": "decision", "reference": row.reference, "public": True})
        elif isinstance(row, AgendaItem):
            found.append({"kind": "agenda_item", "meeting": row.meeting.date, "item": row.number,
                          "text": column, "public": row.meeting.is_published(today())})
        else:
            found.append({"kind": "nomination", "id": row.id, "text": column, "public": False})
    return found


def _audit_mentions(person: Person) -> int:
    """Audit entries whose recorded changes carry the person's name (about this or other rows)."""
    if person.anonymised_at is not None:
        return 0
    # As stored: the JSON may hold the name as written or with its letters beyond ASCII escaped (\u00f8).
    spellings = {person.name, json.dumps(person.name)[1:-1]}
    changes = sa.cast(AuditEntry.changes, sa.Text)
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        sa.or_(*(changes.contains(spelling, autoescape=True) for spelling in spellings))))


def access_report(person: Person) -> dict:
    """Everything the registry holds about the person, for an access request; reading it changes nothing."""
    return {
        "generated_at": _iso(utcnow()),
        "person": _person(person),
        "appointments": _appointments(person),
        "nominations": _nominations(person),
        # Where the name stands in the registry's texts, public or not; and how many entries of the audit
        # trail (append-only, never public) carry it.
        "named_in": _named_in(person),
        "audit_entries_naming": _audit_mentions(person),
        "audit_entries": _audit_entries(person),
    }


def export_personal_data(person: Person) -> dict:
    """The access report, handed out: the handing out is audited in the same transaction."""
    report = access_report(person)
    record(db.session, "export_personal_data", "persons", person.id)
    db.session.flush()
    return report
