"""Models as the API's JSON objects: Popolo's types and field names, with the registry's own fields besides.

Every object has a string id that is its path under /api/v1/, so that the type is part of the id and an id
resolves by itself (GET /api/v1/<id>): "persons/17", "organizations/4", "posts/45", "memberships/123",
"decisions/9", "nominations/3" by the registry's own numbers, which are never reused; "parties/F",
"areas/101", "events/2022-2025" by keys that are the same in every registry and survive a CSV export and import
(the list letter, the kommunekode, the election period's name). Every *_id reference is such a string.

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
from urllib.parse import urlsplit

from flask import current_app, g, has_request_context, request

from registry.api.services import DecisionRow, MembershipRow, PersonRow
from registry.appointments.models import Appointment, Office, Role
from registry.http import MAX_ID, external_url
from registry.mandates.models import CouncilMandate
from registry.meetings.history import Entry
from registry.meetings.models import Decision
from registry.nominations.models import Nomination
from registry.organisations.models import ElectionPeriod, Organisation, Seat, SeatAllocation, SeatKind
from registry.people.models import Municipality, Party, Person
from registry.people.reference import REGIONS
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


def _link(endpoint: str, argument: str, key: int) -> str | None:
    """external_url(endpoint, argument=key) for a page whose path ends in its id. The address up to the id is
    built once per request: through the URL map, the links of a thousand memberships took a tenth of the
    list's time. Kept on the request, not in g, which a test client's requests to other hosts may share;
    outside a request (the bulk document's command) in g."""
    holder = request if has_request_context() else g
    prefixes = getattr(holder, "api_link_prefixes", None)
    if prefixes is None:
        prefixes = holder.api_link_prefixes = {}
    wanted = (endpoint, current_app.config.get("PUBLIC_URL"))
    if wanted not in prefixes:
        # Any id shows where the id goes: the largest one.
        url = external_url(endpoint, **{argument: MAX_ID})
        prefixes[wanted] = url and url.removesuffix(str(MAX_ID))
    prefix = prefixes[wanted]
    return None if prefix is None else f"{prefix}{key}"


def ref(kind: str, key: object) -> str | None:
    """The id of an object of a kind ("persons", "parties", ...) by its key; None for no object."""
    return None if key is None else f"{kind}/{key}"


def area_key(row: Municipality) -> str:
    """A municipality's key in its area id: its kommunekode; one the registry met only in an import has no
    code, and goes by its name, which a CSV export and import carry as they are."""
    return str(row.code) if row.code is not None else row.name


def area_ref(row: Municipality | None) -> str | None:
    return None if row is None else ref("areas", area_key(row))


def period_ref(row: ElectionPeriod | None) -> str | None:
    return None if row is None else ref("events", row.name)


def party(row: Party | None) -> dict | None:
    """A party or valggruppe as a Popolo organization, by its list letter."""
    if row is None:
        return None
    return {
        "id": ref("parties", row.letter),
        "name": row.name,
        "classification": "party",
        "letter": row.letter,
        "identifiers": [{"scheme": "listebogstav", "identifier": row.letter}],
        "links": [],
        "sources": [],
    }


def _kommunekode(code: int) -> str:
    # Four digits, zero-padded, as Danmarks Statistik and DAWA write it ("0101" København).
    return f"{code:04d}"


def area(row: Municipality | int) -> dict:
    """A municipality as a Popolo area, within its region where the registry knows it; or a region, by its
    regionskode (as services.areas gives them)."""
    if isinstance(row, int):
        return region(row)
    code = None if row.code is None else _kommunekode(row.code)
    return {
        "id": area_ref(row),
        "name": row.name,
        "classification": "kommune",
        "identifier": code,
        "identifiers": [{"scheme": "kommunekode", "identifier": code}] if code else [],
        "parent_id": ref("areas", row.region_code) if row.region_code in REGIONS else None,
    }


def region(code: int) -> dict:
    """A region (one of reference.REGIONS) as a Popolo area: the parent of its municipalities."""
    return {
        "id": ref("areas", code),
        "name": REGIONS[code][0],
        "classification": "region",
        "identifier": str(code),
        "identifiers": [{"scheme": "regionskode", "identifier": str(code)}],
        "parent_id": None,
    }


def event(row: ElectionPeriod) -> dict:
    """An election period (valgperiode) as a Popolo event."""
    return {
        "id": period_ref(row),
        "name": f"Valgperioden {row.name}",
        "classification": "legislative period",
        "start_date": _iso(row.start_date),
        "end_date": _iso(row.end_date),
    }


def _legal_basis(row: Organisation) -> list[dict]:
    """Popolo's sources need a URL: a legal basis that is one link (retsinformation.dk, say) is given as it is;
    one in words is the note of a link to the organisation's public page, which shows it."""
    basis = (row.legal_basis or "").strip()
    if not basis:
        return []
    parts = urlsplit(basis)
    if parts.scheme in ("http", "https") and parts.netloc and not any(char.isspace() for char in basis):
        return [{"url": basis, "note": "Lovgrundlag"}]
    url = _link("organisations.detail", "organisation_id", row.id)
    return [{"url": url, "note": f"Lovgrundlag: {basis}"}] if url else []


def organization(row: Organisation) -> dict:
    return {
        "id": ref("organizations", row.id),
        "name": row.name,
        "short_name": row.short_name,
        "other_names": [{"name": row.short_name}] if row.short_name else [],
        "classification": row.kind.value,
        "founding_date": _iso(row.start_date),
        "dissolution_date": _iso(row.end_date),
        "successor_id": ref("organizations", row.successor_id),
        "appointing_authority": row.appointing_authority,
        "appointing_authority_is_external": row.authority_is_external,
        # The registry records no CVR numbers.
        "identifiers": [],
        "links": [],
        "sources": _legal_basis(row),
    }


def _allocation(row: SeatAllocation) -> dict:
    return {
        "election_period": row.period.name,
        "legislative_period_id": period_ref(row.period),
        "start_date": _iso(row.period.start_date),
        "end_date": _iso(row.period.end_date),
        "party": party(row.party),
    }


def post(row: Seat) -> dict:
    allocations = sorted(row.allocations, key=lambda allocation: allocation.period.start_date)
    return {
        "id": ref("posts", row.id),
        "label": row.label,
        "role": POST_ROLES[row.kind],
        "seat_kind": row.kind.value,
        "ex_officio": row.ex_officio,
        "pool_rank": row.pool_rank,
        "filled_by": row.filled_by.value,
        "appointing_authority": row.authority,
        "appointing_authority_is_external": row.external,
        "nominated_by": row.nominated_by,
        "organization_id": ref("organizations", row.organisation_id),
        "position": row.position,
        "start_date": _iso(row.start_date),
        "end_date": _iso(row.end_date),
        "has_substitute": row.has_substitute,
        "party_allocations": [_allocation(allocation) for allocation in allocations],
        "links": [],
        "sources": [],
    }


def council_mandate(row: CouncilMandate | None) -> dict | None:
    if row is None:
        return None
    return {
        "area_id": area_ref(row.municipality),
        "municipality": area(row.municipality),
        "on_behalf_of_id": ref("parties", row.party.letter) if row.party else None,
        "party": party(row.party),
        "office": row.office,
        "start_date": _iso(row.start_date),
        "end_date": _iso(row.end_date),
    }


def _names(found: Person) -> dict:
    """Danish names: the family name is the last word, the given names the words before it. An anonymised
    person's placeholder ("Tidligere medlem") is no name to split."""
    words = found.name.split()
    if found.anonymised_at is not None or len(words) < 2:
        return {"sort_name": found.name, "given_name": None, "family_name": None}
    given, family = " ".join(words[:-1]), words[-1]
    return {"sort_name": f"{family}, {given}", "given_name": given, "family_name": family}


def person(row: PersonRow) -> dict:
    found = row.person
    return {
        "id": ref("persons", found.id),
        "name": found.name,
        **_names(found),
        "area_id": area_ref(found.municipality),
        "municipality": area(found.municipality) if found.municipality else None,
        "party_id": ref("parties", found.party.letter) if found.party else None,
        "party": party(found.party),
        "council_mandates": [council_mandate(mandate) for mandate in row.mandates],
        "identifiers": [],
        "links": [],
        "sources": [],
    }


def decision(row: Decision | None) -> dict | None:
    if row is None:
        return None
    return {
        "id": ref("decisions", row.id),
        "reference": row.reference,
        "meeting_date": _iso(row.item.meeting.date),
        "item_number": row.item.number,
        "outcome": row.outcome.value,
    }


def _founded_by(row: Decision | None, summary: dict | None) -> list[dict]:
    """Popolo's sources of a membership: the public page of the KKR decision it rests on. summary: decision(row),
    whose reference is not worked out twice."""
    if row is None:
        return []
    url = _link("meetings.decision", "decision_id", row.id)
    return [{"url": url, "note": summary["reference"]}] if url else []


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
    seat, on_behalf_of, found = appointment.seat, appointment.party, appointment.decision
    summary = decision(found)
    return {
        "id": ref("memberships", appointment.id),
        "person_id": ref("persons", appointment.person_id),
        "organization_id": ref("organizations", seat.organisation_id),
        "post_id": ref("posts", appointment.seat_id),
        "role": appointment.role.value,
        "label": _membership_label(appointment, row.as_of),
        "seat_kind": seat.kind.value,
        "office": _office(appointment),
        "on_behalf_of_id": ref("parties", on_behalf_of.letter) if on_behalf_of else None,
        "on_behalf_of": party(on_behalf_of),
        "area_id": area_ref(row.municipality),
        "legislative_period_id": period_ref(row.period),
        "start_date": _iso(appointment.start_date),
        "end_date": _iso(appointment.end_date),
        "end_reason": appointment.end_reason.value if appointment.end_reason else None,
        "carried_over": row.carried_over,
        "substitute_for_id": ref("memberships", row.substitute_for_id),
        "decision": summary,
        "council_mandate": council_mandate(row.council_mandate),
        "links": [],
        "sources": _founded_by(found, summary),
    }


def nomination(row: Nomination) -> dict:
    item, decision_row = row.item, row.decision
    return {
        "id": ref("nominations", row.id),
        "post_id": ref("posts", row.seat_id),
        "organization_id": ref("organizations", row.seat.organisation_id),
        "role": row.role.value,
        "on_behalf_of_id": ref("parties", row.party.letter) if row.party else None,
        "nominated_by": row.nominated_by,
        "person_id": ref("persons", row.person_id),
        "substitute_person_id": ref("persons", row.substitute_id),
        "status": row.status.value,
        "motivation": row.motivation,
        "gender_reason": row.gender_reason,
        "comment": row.comment,
        "meeting_date": _iso(item.meeting.date) if item else None,
        "item_number": item.number if item else None,
        "decision_id": ref("decisions", row.decision_id),
        "outcome": decision_row.outcome.value if decision_row else None,
        "decision_text": decision_row.text if decision_row else None,
        "appointed_on": _iso(row.appointed_on),
    }


def decision_entry(row: Entry) -> dict:
    return {
        "person_id": ref("persons", row.person.id),
        "role": row.role.value,
        "organization_id": ref("organizations", row.organisation.id),
        "post_id": ref("posts", row.seat.id),
        "on_behalf_of_id": ref("parties", row.party.letter) if row.party else None,
        "start_date": _iso(row.appointed_on),
    }


def decision_record(row: DecisionRow) -> dict:
    decision_row, item = row.decision, row.decision.item
    return {
        "id": ref("decisions", decision_row.id),
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
