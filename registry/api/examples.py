"""Examples of the API's answers in its OpenAPI document: what the demo data give (KKR Hovedstaden's
agenda of 19 April 2024), one object of each kind, chosen for having most of its fields filled in.

tests/test_api_docs.py validates each example against its schema, so a change of shape that leaves an example
behind fails there: then take the object from the demo data again (`make run`, then the list's URL).
"""

from registry.config import DEVELOPMENT_URL

# /api/v1/organizations
ORGANIZATION = {"id": "organizations/1",
                "name": "Sundhedssamarbejdsudvalget",
                "short_name": "SSU",
                "other_names": [{"name": "SSU"}],
                "classification": "committee",
                "founding_date": None,
                "dissolution_date": "2026-12-31",
                "successor_id": None,
                "appointing_authority": "KKR Hovedstaden",
                "appointing_authority_is_external": False,
                "identifiers": [],
                "links": [],
                "sources": []}

# /api/v1/posts
POST = {"id": "posts/47",
        "label": "DA-suppleant 1",
        "role": "suppleant",
        "seat_kind": "pooled_substitute",
        "ex_officio": None,
        "pool_rank": 1,
        "filled_by": "other",
        "appointing_authority": "DA",
        "appointing_authority_is_external": False,
        "nominated_by": "DA",
        "organization_id": "organizations/8",
        "position": 31,
        "start_date": None,
        "end_date": None,
        "has_substitute": False,
        "party_allocations": [],
        "links": [],
        "sources": []}

# /api/v1/parties
PARTY = {"id": "parties/V",
         "name": "Venstre",
         "classification": "party",
         "letter": "V",
         "identifiers": [{"scheme": "listebogstav", "identifier": "V"}],
         "links": [],
         "sources": []}

# A municipality as the person and the council mandate name it.
GLADSAXE = {"id": "areas/159",
            "name": "Gladsaxe",
            "classification": "kommune",
            "identifier": "0159",
            "identifiers": [{"scheme": "kommunekode", "identifier": "0159"}],
            "parent_id": "areas/1084"}

COUNCIL_MANDATE = {"area_id": "areas/159",
                   "municipality": GLADSAXE,
                   "on_behalf_of_id": "parties/V",
                   "party": PARTY,
                   "office": None,
                   "start_date": "2022-01-01",
                   "end_date": "2025-12-31"}

# /api/v1/persons
PERSON = {"id": "persons/25",
          "name": "Lars Eksempel",
          "sort_name": "Eksempel, Lars",
          "given_name": "Lars",
          "family_name": "Eksempel",
          "area_id": "areas/159",
          "municipality": GLADSAXE,
          "party_id": "parties/V",
          "party": PARTY,
          "council_mandates": [COUNCIL_MANDATE],
          "identifiers": [],
          "links": [],
          "sources": []}

# /api/v1/memberships
MEMBERSHIP = {"id": "memberships/29",
              "person_id": "persons/25",
              "organization_id": "organizations/10",
              "post_id": "posts/11",
              "role": "member",
              "label": "Medlem",
              "seat_kind": "voting",
              "office": None,
              "on_behalf_of_id": "parties/V",
              "on_behalf_of": PARTY,
              "area_id": "areas/159",
              "legislative_period_id": None,
              "start_date": "2022-06-01",
              "end_date": "2025-12-31",
              "end_reason": "resigned",
              "carried_over": False,
              "substitute_for_id": None,
              "decision": None,
              "council_mandate": COUNCIL_MANDATE,
              "links": [],
              "sources": []}

# /api/v1/areas
AREA = {"id": "areas/320",
        "name": "Faxe",
        "classification": "kommune",
        "identifier": "0320",
        "identifiers": [{"scheme": "kommunekode", "identifier": "0320"}],
        "parent_id": "areas/1085"}

# /api/v1/events
EVENT = {"id": "events/2022-2025",
         "name": "Valgperioden 2022-2025",
         "classification": "legislative period",
         "start_date": "2022-01-01",
         "end_date": "2025-12-31"}

# /api/v1/nominations
NOMINATION = {"id": "nominations/2",
              "post_id": "posts/10",
              "organization_id": "organizations/9",
              "role": "member",
              "on_behalf_of_id": "parties/F",
              "nominated_by": None,
              "person_id": "persons/23",
              "substitute_person_id": None,
              "status": "appointed",
              "motivation": None,
              "gender_reason": None,
              "comment": None,
              "meeting_date": "2026-01-26",
              "item_number": "5.1",
              "decision_id": "decisions/2",
              "outcome": "appointed",
              "decision_text": "KKR Hovedstaden udpegede Hans Eksempel (F), Helsingør Kommune, som medlem af "
                               "SOSU H fra 1. marts 2026.",
              "appointed_on": "2026-03-01"}

# /api/v1/decisions
DECISION_RECORD = {"id": "decisions/1",
                   "reference": "KKR Hovedstaden 2024-04-19 pkt. 4.1",
                   "meeting_date": "2024-04-19",
                   "case_number": "SAG-2024-01064",
                   "item_number": "4.1",
                   "item_title": "Indstilling af medlem til RAR Hovedstaden",
                   "outcome": "noted",
                   "text": "KKR Hovedstaden tog Socialistisk Folkepartis indstilling af Marie-Louise Peschardt "
                           "Jørgensen (F), Hvidovre Kommune, som medlem af RAR Hovedstaden til efterretning.",
                   "entries": [{"person_id": "persons/2",
                                "role": "member",
                                "organization_id": "organizations/4",
                                "post_id": "posts/1",
                                "on_behalf_of_id": "parties/F",
                                "start_date": None}],
                   "entry_count": 1,
                   "entries_next": None}

# /api/v1/decisions/1/entries
DECISION_ENTRY = {"person_id": "persons/2",
                  "role": "member",
                  "organization_id": "organizations/4",
                  "post_id": "posts/1",
                  "on_behalf_of_id": "parties/F",
                  "start_date": None}


def _page(item: dict, next_path: str | None) -> dict:
    return {"results": [item], "next": f"{DEVELOPMENT_URL}{next_path}" if next_path else None}


# By the name of the schema in components/schemas.
SCHEMAS = {
    "Organization": ORGANIZATION,
    "Post": POST,
    "Person": PERSON,
    "Membership": MEMBERSHIP,
    "Party": PARTY,
    "Area": AREA,
    "Event": EVENT,
    "Nomination": NOMINATION,
    "DecisionRecord": DECISION_RECORD,
    "DecisionEntry": DECISION_ENTRY,
    "OrganizationPage": _page(ORGANIZATION, "/api/v1/organizations?limit=1&after=organizations/1"),
    "PostPage": _page(POST, "/api/v1/posts?limit=1&after=posts/47"),
    "PersonPage": _page(PERSON, "/api/v1/persons?limit=1&after=persons/25"),
    "MembershipPage": _page(MEMBERSHIP, "/api/v1/memberships?limit=1&after=memberships/29"),
    "PartyPage": _page(PARTY, "/api/v1/parties?limit=1&after=parties/V"),
    "AreaPage": _page(AREA, "/api/v1/areas?limit=1&after=areas/320"),
    "EventPage": _page(EVENT, "/api/v1/events?limit=1&after=events/2022-2025"),
    "NominationPage": _page(NOMINATION, "/api/v1/nominations?limit=1&after=nominations/2"),
    "DecisionRecordPage": _page(DECISION_RECORD, "/api/v1/decisions?limit=1&after=decisions/1"),
    "DecisionEntryPage": _page(DECISION_ENTRY, None),
}
# By operation, where the answer's schema is not one of components/schemas.
OPERATIONS = {
    "get_openapi_document": {
        "openapi": "3.1.0", "info": {"title": "KKR-udpegninger", "version": "1.0.0"},
        "paths": {"/api/v1/organizations": {"get": {"operationId": "list_organizations"}}},
    },
}
