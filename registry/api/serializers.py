"""Models as the API's JSON objects, with Popolo's field names where Popolo has one.

Only public fields: a person's gender, e-mail and phone never leave here, nor
internal notes. A council mandate is public (who sits on which municipal council, for which party, as
borgmester or member). Nominations, read only by their party group and the secretariat,
carry their motivation and the secretariat's comment, never the people's details.
Dates are ISO strings (Flask would write HTTP dates).
Words meant for people (a post's and a membership's role and label, an office's name) are Danish whatever
the reader's language, as in the CSV files: the API answers the same to every caller.
The shapes are those of the OpenAPI document (openapi.py).
"""

from datetime import date

from registry.api.services import DecisionRow, MembershipRow, PersonRow
from registry.appointments.models import Appointment, Office, Role
from registry.http import external_url
from registry.mandates.models import CouncilMandate
from registry.meetings.history import Entry
from registry.meetings.models import Decision
from registry.nominations.models import Nomination
from registry.organisations.models import Organisation, Seat, SeatAllocation, SeatKind
from registry.people.models import Municipality, Party
from registry.types import capitalised

# Popolo's Post.role, "the function that the holder of the post fulfills", in the words of a Danish roster.
POST_ROLES = {
    SeatKind.voting: "medlem",
    SeatKind.observer: "observatør",
    SeatKind.ex_officio: "født medlem",
    SeatKind.pooled_substitute: "suppleant",
}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def party(row: Party | None) -> dict | None:
    if row is None:
        return None
    return {"id": row.id, "letter": row.letter, "name": row.name}


def municipality(row: Municipality | None) -> dict | None:
    if row is None:
        return None
    return {"id": row.id, "name": row.name, "code": row.code}


def organization(row: Organisation) -> dict:
    return {
        "id": row.id,
        "name": row.name,
        "short_name": row.short_name,
        "other_names": [{"name": row.short_name}] if row.short_name else [],
        "classification": row.kind.value,
        "founding_date": _iso(row.start_date),
        "dissolution_date": _iso(row.end_date),
        "successor_id": row.successor_id,
        "appointing_authority": row.appointing_authority,
        "appointing_authority_is_external": row.authority_is_external,
    }


def _allocation(row: SeatAllocation) -> dict:
    return {
        "election_period": row.period.name,
        "start_date": _iso(row.period.start_date),
        "end_date": _iso(row.period.end_date),
        "party": party(row.party),
    }


def post(row: Seat) -> dict:
    allocations = sorted(row.allocations, key=lambda allocation: allocation.period.start_date)
    return {
        "id": row.id,
        "label": row.label,
        "role": POST_ROLES[row.kind],
        "seat_kind": row.kind.value,
        "ex_officio": row.ex_officio,
        "pool_rank": row.pool_rank,
        "filled_by": row.filled_by.value,
        "appointing_authority": row.authority,
        "appointing_authority_is_external": row.external,
        "nominated_by": row.nominated_by,
        "organization_id": row.organisation_id,
        "position": row.position,
        "start_date": _iso(row.start_date),
        "end_date": _iso(row.end_date),
        "has_substitute": row.has_substitute,
        "party_allocations": [_allocation(allocation) for allocation in allocations],
    }


def council_mandate(row: CouncilMandate | None) -> dict | None:
    if row is None:
        return None
    return {
        "municipality": municipality(row.municipality),
        "party": party(row.party),
        "office": row.office,
        "start_date": _iso(row.start_date),
        "end_date": _iso(row.end_date),
    }


def person(row: PersonRow) -> dict:
    found = row.person
    return {
        "id": found.id,
        "name": found.name,
        "municipality": municipality(found.municipality),
        "party": party(found.party),
        "council_mandates": [council_mandate(mandate) for mandate in row.mandates],
    }


def decision(row: Decision | None) -> dict | None:
    if row is None:
        return None
    return {
        "id": row.id,
        "reference": row.reference,
        "meeting_date": _iso(row.item.meeting.date),
        "item_number": row.item.number,
        "outcome": row.outcome.value,
    }


def _office_name(appointment: Appointment) -> str:
    """Office.label would follow the reader's language (Appointment.office_name): here the Danish word."""
    return appointment.office_title if appointment.office is Office.other else appointment.office.danish


def _office(appointment: Appointment) -> dict | None:
    """The office as recorded, whatever the day asked: its dates say when it is held."""
    if appointment.office is None:
        return None
    return {
        "name": _office_name(appointment),
        "kind": appointment.office.value,
        "chosen_by": appointment.office_chosen_by.value,
        "start_date": _iso(appointment.office_start or appointment.start_date),
        "end_date": _iso(appointment.office_end or appointment.end_date),
    }


def _membership_label(appointment: Appointment, as_of: date | None) -> str:
    """What the person is on the body: the office held on the as_of day (without a day: the office held at any
    time during the membership) and who chose it, else what the seat and the role make the person."""
    seat = appointment.seat
    if appointment.office is not None and (as_of is None or appointment.office_on(as_of) is not None):
        return f"{capitalised(_office_name(appointment))}, {appointment.office_chosen_by.danish}"
    if seat.kind is SeatKind.pooled_substitute:
        return f"{seat.pool_rank}. suppleant"
    if appointment.role is Role.substitute:
        return "Personlig suppleant"
    return capitalised(POST_ROLES[seat.kind])


def membership(row: MembershipRow) -> dict:
    appointment = row.appointment
    return {
        "id": appointment.id,
        "person_id": appointment.person_id,
        "organization_id": appointment.seat.organisation_id,
        "post_id": appointment.seat_id,
        "role": appointment.role.value,
        "label": _membership_label(appointment, row.as_of),
        "seat_kind": appointment.seat.kind.value,
        "office": _office(appointment),
        "on_behalf_of_id": appointment.party_id,
        "on_behalf_of": party(appointment.party),
        "start_date": _iso(appointment.start_date),
        "end_date": _iso(appointment.end_date),
        "end_reason": appointment.end_reason.value if appointment.end_reason else None,
        "carried_over": row.carried_over,
        "substitute_for_id": row.substitute_for_id,
        "decision": decision(appointment.decision),
        "council_mandate": council_mandate(row.council_mandate),
    }


def nomination(row: Nomination) -> dict:
    item, decision_row = row.item, row.decision
    return {
        "id": row.id,
        "post_id": row.seat_id,
        "organization_id": row.seat.organisation_id,
        "role": row.role.value,
        "on_behalf_of_id": row.party_id,
        "nominated_by": row.nominated_by,
        "person_id": row.person_id,
        "substitute_person_id": row.substitute_id,
        "status": row.status.value,
        "motivation": row.motivation,
        "gender_reason": row.gender_reason,
        "comment": row.comment,
        "meeting_date": _iso(item.meeting.date) if item else None,
        "item_number": item.number if item else None,
        "decision_id": row.decision_id,
        "outcome": decision_row.outcome.value if decision_row else None,
        "decision_text": decision_row.text if decision_row else None,
        "appointed_on": _iso(row.appointed_on),
    }


def decision_entry(row: Entry) -> dict:
    return {
        "person_id": row.person.id,
        "role": row.role.value,
        "organization_id": row.organisation.id,
        "post_id": row.seat.id,
        "on_behalf_of_id": row.party.id if row.party else None,
        "start_date": _iso(row.appointed_on),
    }


def decision_record(row: DecisionRow) -> dict:
    decision_row, item = row.decision, row.decision.item
    return {
        "id": decision_row.id,
        "reference": decision_row.reference,
        "meeting_date": _iso(item.meeting.date),
        "case_number": item.meeting.case_number,
        "item_number": item.number,
        "item_title": item.title,
        "outcome": decision_row.outcome.value,
        "text": decision_row.text,
        "entries": [decision_entry(entry) for entry in row.entries],
        "entry_count": row.entry_count,
        "entries_next": external_url("api.decision_entries", decision_id=decision_row.id, **row.filters)
        if row.entry_count > len(row.entries) else None,
    }
