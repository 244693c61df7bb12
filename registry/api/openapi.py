"""The OpenAPI 3.1 document of the JSON API: the one description of what it takes and gives.

The views read their query parameters from it (views.query_args), and the
tests validate every response against it and fuzz the API from it, so the
document, the parsing and the answers cannot drift apart unnoticed.
"""

from registry.http import MAX_ID
from registry.meetings.history import SHOWN_PER_DECISION

PREFIX = "/api/v1"
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# How many entries a decision in /decisions holds; the rest are at its entries_next.
ENTRIES_SHOWN = SHOWN_PER_DECISION


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    if "$ref" in schema:
        return {"oneOf": [schema, {"type": "null"}]}
    return {**schema, "type": [schema["type"], "null"]}


def _object(properties: dict, description: str | None = None) -> dict:
    schema = {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        # So a test fails if a field appears that the document does not promise (an e-mail, say).
        "additionalProperties": False,
    }
    return {"description": description, **schema} if description else schema


ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
DATE = {"type": "string", "format": "date"}
TEXT = {"type": "string"}


def _date(description: str) -> dict:
    return {**_nullable(DATE), "description": description}


SEAT_KINDS = ["voting", "observer", "ex_officio", "pooled_substitute"]
POST_ROLES = ["medlem", "observatør", "født medlem", "suppleant"]
OUTCOMES = ["appointed", "recommended", "noted", "approved", "not_supported"]
NOMINATION_STATUSES = ["submitted", "returned", "withdrawn", "on_agenda", "pending", "appointed", "not_supported",
                       "not_appointed"]

SCHEMAS = {
    "Party": _object({
        "id": ID,
        "letter": {**TEXT, "description": "The list letter at municipal elections (A, B, F, Ø, ...).",
                   "examples": ["F"]},
        "name": {**TEXT, "examples": ["SF – Socialistisk Folkeparti"]},
    }, "A party or party group (valggruppe)."),
    "Municipality": _object({
        "id": ID,
        "name": {**TEXT, "examples": ["Hvidovre"]},
        "code": {**_nullable({"type": "integer"}), "description": "The kommunekode, e.g. 167 for Hvidovre.",
                 "examples": [167]},
    }, "A municipality (kommune)."),
    "Organization": _object({
        "id": ID,
        "name": {**TEXT, "examples": ["RAR Hovedstaden"]},
        "short_name": {**_nullable(TEXT), "examples": ["RAR"]},
        "other_names": {
            "type": "array",
            "description": "Popolo's other names: the short name, when there is one.",
            "items": _object({"name": TEXT}),
        },
        "classification": {"type": "string", "enum": ["board", "council", "committee", "forum", "other"],
                           "description": "The kind of body: bestyrelse, råd, udvalg, forum or other."},
        "founding_date": _date("The first day of the body, when recorded."),
        "dissolution_date": _date("The last day of the body (inclusive); null while it exists."),
        "successor_id": {**_nullable(ID), "description": "The organization that replaced this one, if any."},
        "appointing_authority": {**TEXT, "description": "Who formally appoints (udpegende myndighed).",
                                 "examples": ["Beskæftigelsesministeren"]},
        "appointing_authority_is_external": {
            "type": "boolean",
            "description": "True when KKR only recommends and another authority appoints; a membership then "
                           "appears here only once that authority has appointed.",
        },
    }, "An external body with seats that KKR fills (råd, bestyrelse, udvalg)."),
    "PartyAllocation": _object({
        "election_period": {**TEXT, "examples": ["2022-2025"]},
        "start_date": DATE,
        "end_date": DATE,
        "party": _ref("Party"),
    }, "The party group that holds the seat in an election period."),
    "Post": _object({
        "id": ID,
        "label": {**TEXT, "description": "The seat's name on its organization.",
                  "examples": ["Plads 1", "Borgmesterpladsen", "Suppleant 1 (arbejdsgiversiden)"]},
        "role": {"type": "string", "enum": POST_ROLES,
                 "description": "Popolo's role, the function the holder of the post fulfils, in Danish: medlem "
                                "(a voting member's seat), observatør (an observer's or tilforordnet's seat: "
                                "attends, no vote), født medlem (held ex officio, see ex_officio), suppleant (a "
                                "pooled suppleant's seat, see pool_rank). It follows seat_kind one to one."},
        "seat_kind": {"type": "string", "enum": SEAT_KINDS,
                      "description": "What the seat is: voting (stemmeberettiget), observer (observatør), "
                                     "ex_officio (født medlem), pooled_substitute (fælles suppleant: one rank of "
                                     "a pool of suppleants who step in by turn for any member of their side)."},
        "ex_officio": {**_nullable(TEXT),
                       "description": "For an ex_officio seat, the office whose holder holds the seat; null for "
                                      "every other kind.",
                       "examples": ["borgmester i Gentofte Kommune"]},
        "pool_rank": {**_nullable({"type": "integer", "minimum": 1}),
                      "description": "For a pooled_substitute seat, its place in the order in which the pool's "
                                     "suppleants step in (1 first); null for every other kind."},
        "filled_by": {"type": "string", "enum": ["kkr", "other"],
                      "description": "kkr: KKR fills the seat (appoints, or recommends to the appointing "
                                     "authority). other: another appointer fills it; the registry records its "
                                     "holders only so that the organization's whole roster is known."},
        "appointing_authority": {**TEXT, "description": "Who formally appoints to this seat: its own authority "
                                                        "where it has one, else its organization's.",
                                 "examples": ["Beskæftigelsesministeren"]},
        "appointing_authority_is_external": {
            "type": "boolean",
            "description": "For this seat (its own setting, else its organization's): true when KKR only "
                           "recommends and another authority appoints.",
        },
        "nominated_by": {**_nullable(TEXT),
                         "description": "The organization that nominates the holder instead of a party group; "
                                        "null when none does (on a seat KKR fills, a party group then "
                                        "nominates: see party_allocations).",
                         "examples": ["Dansk Industri"]},
        "organization_id": ID,
        "position": {"type": "integer", "description": "The seat's place in its organization's list."},
        "start_date": _date("The first day of the seat, when recorded."),
        "end_date": _date("The last day of the seat (inclusive); null while it exists."),
        "has_substitute": {"type": "boolean", "description": "Whether the seat has a personal suppleant."},
        "party_allocations": {"type": "array", "items": _ref("PartyAllocation"),
                              "description": "Which party group holds the seat, per election period, oldest "
                                             "first."},
    }, "A seat (plads) on an organization; it exists whoever holds it."),
    "CouncilMandate": _object({
        "municipality": {**_ref("Municipality"), "description": "The municipality whose council it is."},
        "party": {**_nullable(_ref("Party")), "description": "The party the person was elected for."},
        "office": {**_nullable(TEXT), "description": "The office held on the council; null for a member.",
                   "examples": ["borgmester", "viceborgmester"]},
        "start_date": {**DATE, "description": "The first day on the council."},
        "end_date": _date("The last day on the council (inclusive); null while on it."),
    }, "A seat on a municipal council (kommunalbestyrelse): public information."),
    "Person": _object({
        "id": ID,
        "name": {**TEXT, "examples": ["Marie-Louise Peschardt Jørgensen"]},
        "municipality": _nullable(_ref("Municipality")),
        "party": {**_nullable(_ref("Party")), "description": "The person's party now; a membership keeps the "
                                                            "party represented then (on_behalf_of)."},
        "council_mandates": {"type": "array", "items": _ref("CouncilMandate"),
                             "description": "The person's mandates on municipal councils, the latest first: in a "
                                            "list with as_of, those held on that day; otherwise all of them. "
                                            "Empty when the registry knows none."},
    }, "A politician who holds or has held a seat. Public fields only: never gender or contact details."),
    "Decision": _object({
        "id": ID,
        "reference": {**TEXT, "examples": ["KKR Hovedstaden 2024-04-19 pkt. 4.1"]},
        "meeting_date": DATE,
        "item_number": {**TEXT, "examples": ["4.1"]},
        "outcome": {"type": "string", "enum": ["appointed", "recommended", "noted", "approved", "not_supported"],
                    "description": "What KKR decided: appointed (udpeget), recommended to the appointing "
                                   "authority (indstillet), took the party's nomination to note (taget til "
                                   "efterretning), approved (godkendt), not supported (ikke tiltrådt)."},
    }, "The KKR decision (agenda item of a meeting) a membership rests on."),
    "Office": _object({
        "name": {**TEXT, "description": "formand, næstformand, or the title of another office.",
                 "examples": ["formand", "næstformand", "kasserer"]},
        "kind": {"type": "string", "enum": ["chair", "vice_chair", "other"],
                 "description": "chair (formand), vice_chair (næstformand), or other (named in `name`)."},
        "chosen_by": {"type": "string", "enum": ["kkr", "body"],
                      "description": "kkr: KKR appointed the person to the office; body: the organization "
                                     "elected the person among its members."},
        "start_date": {**DATE, "description": "The first day in the office: the membership's start_date unless "
                                              "it began later."},
        "end_date": _date("The last day in the office (inclusive): the membership's end_date unless the office "
                          "ended earlier; null when neither has an end."),
    }, "An office (hverv) a member holds on the organization besides the post, within the membership."),
    "Membership": _object({
        "id": ID,
        "person_id": ID,
        "organization_id": ID,
        "post_id": ID,
        "role": {"type": "string", "enum": ["member", "substitute"],
                 "description": "member (medlem) or substitute (suppleant: the personal suppleant of a post, "
                                "or the suppleant holding a pooled_substitute post). An office held on the "
                                "organization is in `office` and `label`."},
        "label": {**TEXT,
                  "description": "What the person is on the organization, in Danish. With as_of: when the person "
                                 "holds an office on that day, the office and who chose it (\"Formand, valgt af "
                                 "organisationen\", \"Næstformand, udpeget af KKR\"); without as_of (the whole "
                                 "history, a single membership): the office, if held at any time during the "
                                 "membership. Otherwise from the post and the role: \"Medlem\", \"Observatør\", "
                                 "\"Født medlem\", \"Personlig suppleant\", or a pooled suppleant's rank, "
                                 "\"1. suppleant\".",
                  "examples": ["Formand, valgt af organisationen", "Medlem", "1. suppleant"]},
        "seat_kind": {"type": "string", "enum": SEAT_KINDS,
                      "description": "The post's seat_kind (see Post), so that a roster needs no second request."},
        "office": {**_nullable(_ref("Office")),
                   "description": "The office the person holds or held on the organization during this "
                                  "membership, whatever the as_of day: its start_date and end_date say when. "
                                  "Null when none is recorded."},
        "on_behalf_of_id": {**_nullable(ID), "description": "The party the person represented in this "
                                                            "membership (see /parties)."},
        "on_behalf_of": _nullable(_ref("Party")),
        "start_date": {**DATE, "description": "The first day in office."},
        "end_date": _date("The last day in office (inclusive); null while serving."),
        "end_reason": {"type": ["string", "null"],
                       "enum": ["resigned", "term_ended", "body_dissolved", "replaced", "deceased", "other", None]},
        "carried_over": {
            "type": "boolean",
            "description": "True when the membership has no end_date and its term (the election period, or the "
                           "organization's own term) ended before the as_of day, or before today where no as_of "
                           "is given: the holder carries on until a successor is seated (\"fungerer, indtil nye "
                           "er udpeget\"). Seating the successor gives the membership its end_date.",
        },
        "substitute_for_id": {
            **_nullable(ID),
            "description": "For a personal suppleant (role substitute): the membership of the member on the same "
                           "post on the as_of day, or, where no as_of is given (whole history, single "
                           "membership), on the suppleant's first day in office. Null when the post had no "
                           "member that day, always null for a pooled suppleant (a pooled_substitute post has no "
                           "member: it steps in for any), and for members.",
        },
        "decision": _nullable(_ref("Decision")),
        "council_mandate": {
            **_nullable(_ref("CouncilMandate")),
            "description": "The municipal council mandate the person holds on the as_of day; where no as_of is "
                           "given (whole history, single membership), on the membership's end_date if that has "
                           "passed, else today. Of two mandates at once, the latest. Null when the registry knows "
                           "none for that day.",
        },
    }, "A person holding a post as member or suppleant, from start_date to end_date. Only "
       "appointments in force are public: a recommendation still waiting for an outside authority is not."),
    "Nomination": _object({
        "id": ID,
        "post_id": ID,
        "organization_id": ID,
        "role": {"type": "string", "enum": ["member", "substitute"],
                 "description": "member (medlem) or substitute (personlig suppleant)."},
        "on_behalf_of_id": {**_nullable(ID), "description": "The party group that nominates (see /parties); null "
                                                            "when an organisation nominates (nominated_by)."},
        "nominated_by": {"type": ["string", "null"], "description": "The organisation that nominates instead of "
                                                                    "a party group, e.g. Dansk Industri; the "
                                                                    "secretariat records its nomination."},
        "person_id": {**ID, "description": "The person nominated in `role`."},
        "substitute_person_id": {**_nullable(ID), "description": "A personal suppleant nominated together with "
                                                                "a member, where the post has one."},
        "status": {"type": "string", "enum": NOMINATION_STATUSES,
                   "description": "submitted (indsendt), returned (sendt retur to the party group), withdrawn "
                                  "(trukket tilbage), on_agenda (på dagsorden), pending (KKR has recommended it "
                                  "to or taken it to note for an outside authority that has yet to appoint), "
                                  "appointed (udpeget), not_supported (ikke tiltrådt), not_appointed (ikke "
                                  "beskikket: the outside authority did not appoint)."},
        "motivation": _nullable(TEXT),
        "gender_reason": {**_nullable(TEXT), "description": "Særlige grunde for not naming both a woman and a "
                                                            "man (the Gender Equality Act)."},
        "comment": {**_nullable(TEXT), "description": "The secretariat's comment to the party group."},
        "meeting_date": _date("The KKR meeting whose agenda the nomination is on; null until it is placed."),
        "item_number": {**_nullable(TEXT), "description": "The agenda item (punkt), e.g. 4.1.",
                        "examples": ["4.1"]},
        "decision_id": {**_nullable(ID), "description": "KKR's decision (see /decisions); null until decided."},
        "outcome": {"type": ["string", "null"], "enum": [*OUTCOMES, None],
                    "description": "What KKR decided; null until decided."},
        "decision_text": {**_nullable(TEXT), "description": "The decision as in the minutes (referat)."},
        "appointed_on": _date("The first day in office, once appointed."),
    }, "A party group's nomination (indstilling) for a post. Not public: a party group reads its own, the "
       "secretariat all. What KKR decided is public through /decisions."),
    "DecisionEntry": _object({
        "person_id": ID,
        "role": {"type": "string", "enum": ["member", "substitute"]},
        "organization_id": ID,
        "post_id": ID,
        "on_behalf_of_id": {**_nullable(ID), "description": "The party group the person was nominated by."},
        "start_date": _date("The first day in office, once appointed; null when not (yet) appointed."),
    }, "A person and post a decision concerns."),
    "DecisionRecord": _object({
        "id": ID,
        "reference": {**TEXT, "examples": ["KKR Hovedstaden 2024-04-19 pkt. 4.1"]},
        "meeting_date": DATE,
        "case_number": {**_nullable(TEXT), "description": "The meeting's sagsnummer.",
                        "examples": ["SAG-2024-01064"]},
        "item_number": {**TEXT, "examples": ["4.1"]},
        "item_title": TEXT,
        "outcome": {"type": "string", "enum": OUTCOMES},
        "text": {**_nullable(TEXT), "description": "The decision as in the minutes (referat)."},
        "entries": {"type": "array", "items": _ref("DecisionEntry"), "maxItems": ENTRIES_SHOWN,
                    "description": f"Whom the decision concerns, member before suppleant: the first "
                                   f"{ENTRIES_SHOWN} (a decision that came in with an import may concern "
                                   f"hundreds); empty when it names no one. With organization_id or person_id, "
                                   f"only those on the organization's posts, or the person's."},
        "entry_count": {"type": "integer", "minimum": 0,
                        "description": "How many entries the decision has in all (within the filter, as "
                                       "entries); more than are in entries when entries_next is given."},
        "entries_next": {"type": ["string", "null"], "format": "uri",
                         "description": "Where all the entries are, a page at a time in the same order "
                                        "(/decisions/{decision_id}/entries, with the same filter); null when "
                                        "entries holds them all."},
    }, "A KKR decision on an agenda item, with the persons and posts it concerns: the history of "
       "indstillinger. Only decisions: nominations KKR has not yet decided are not here."),
    "Error": _object({
        "status": {"type": "integer"},
        "title": TEXT,
        "detail": TEXT,
    }, "What went wrong (the fields of RFC 9457)."),
}


def _page_schema(item: str) -> dict:
    return _object({
        "results": {"type": "array", "items": _ref(item)},
        "next": {"type": ["string", "null"], "format": "uri",
                 "description": "The URL of the next page, with the same parameters; null on the last page."},
    })


for _name in ("Organization", "Post", "Person", "Membership", "Party", "Municipality", "Nomination",
              "DecisionRecord", "DecisionEntry"):
    SCHEMAS[f"{_name}Page"] = _page_schema(_name)


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


AS_OF_TEXT = {
    "organizations": "Only organizations that exist on the day (founding_date ≤ day ≤ dissolution_date).",
    "posts": "Only posts that exist on the day, on an organization that exists on the day.",
    "persons": "Only persons who hold a post (as member or suppleant) on the day.",
    "memberships": "Only memberships in force on the day (start_date ≤ day ≤ end_date, or no end_date).",
}


def _as_of(resource: str) -> dict:
    return _query("as_of", DATE, f"A day, YYYY-MM-DD. {AS_OF_TEXT[resource]} Without it: the whole history.")


def _filter(name: str, description: str) -> dict:
    return _query(name, ID, description)


PAGINATION = [
    _query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
           "How many results per page."),
    _query("after", {"type": "integer", "minimum": 0, "maximum": MAX_ID},
           "Results with an id above this one. Lists are ordered by id, so following `next` never repeats or "
           "skips a row, even while rows are added."),
]

ORGANIZATION_ID = "Only those of this organization."
LIST_PARAMETERS = {
    "organizations": [_as_of("organizations")],
    "posts": [_as_of("posts"), _filter("organization_id", ORGANIZATION_ID)],
    "persons": [
        _as_of("persons"),
        _filter("organization_id", "Only persons who hold (with as_of: on the day) a post on this organization."),
        _filter("party_id", "Only persons whose party now is this one."),
        _filter("municipality_id", "Only persons of this municipality."),
    ],
    "memberships": [
        _as_of("memberships"),
        _filter("organization_id", ORGANIZATION_ID),
        _filter("post_id", "Only those on this post."),
        _filter("person_id", "Only those of this person."),
        _filter("on_behalf_of_id", "Only those held on behalf of this party."),
        _filter("municipality_id", "Only those held by persons of this municipality."),
        _query("role", {"type": "string", "enum": ["member", "substitute"]}, "Only members, or only suppleants."),
    ],
    "parties": [],
    "municipalities": [],
    "nominations": [
        _query("status", {"type": "string", "enum": NOMINATION_STATUSES}, "Only those with this status."),
        _filter("organization_id", ORGANIZATION_ID),
        _filter("post_id", "Only those for this post."),
        _filter("person_id", "Only those naming this person, as member or suppleant."),
        _filter("on_behalf_of_id", "Only those of this party group."),
    ],
    "decisions": [
        _filter("organization_id", "Only decisions concerning this organization, with the entries on its posts."),
        _filter("person_id", "Only decisions concerning this person, with the person's entries."),
    ],
}

SUMMARIES = {
    "organizations": ("Organizations", "Organization"),
    "posts": ("Posts (seats)", "Post"),
    "persons": ("Persons who hold or have held a post", "Person"),
    "memberships": ("Memberships (appointments in force)", "Membership"),
    "parties": ("Parties and party groups", "Party"),
    "municipalities": ("Municipalities", "Municipality"),
    "nominations": ("Nominations the signed-in user may read", "Nomination"),
    "decisions": ("KKR's decisions: the history of indstillinger", "DecisionRecord"),
}
DETAILED = {"organizations": "organization_id", "posts": "post_id", "persons": "person_id",
            "memberships": "membership_id", "nominations": "nomination_id"}
# Not public: these need a signed-in user of the registry (its session cookie).
SIGNED_IN = {"nominations"}
SECURITY_SCHEMES = {
    "session": {"type": "apiKey", "in": "cookie", "name": "session",
                "description": "The session cookie of a user signed in to the registry's website (/login). "
                               "A party group reads its own nominations, the secretariat all."},
}


def _json(schema: dict, description: str, media_type: str = "application/json") -> dict:
    return {"description": description, "content": {media_type: {"schema": schema}}}


def _error(description: str) -> dict:
    return _json(_ref("Error"), description, "application/problem+json")


def _signed_in(operation: dict) -> dict:
    """An operation that needs a signed-in user: the session, and the answers without one."""
    return {**operation, "security": [{"session": []}], "responses": {
        **operation["responses"],
        "401": _error("Not signed in."),
        "403": _error("The user's role may not read this (only the secretariat and party groups may)."),
    }}


def _paths() -> dict:
    paths = {}
    for resource, (summary, schema) in SUMMARIES.items():
        protect = _signed_in if resource in SIGNED_IN else (lambda operation: operation)
        paths[f"{PREFIX}/{resource}"] = {"get": protect({
            "operationId": f"list_{resource}",
            "summary": summary,
            "parameters": LIST_PARAMETERS[resource] + PAGINATION,
            "responses": {
                "200": _json(_ref(f"{schema}Page"), "A page of results, ordered by id."),
                "400": _error("A parameter is unknown, given twice, or not of its form."),
            },
        })}
        if parameter := DETAILED.get(resource):
            missing = (f"No {schema.lower()} with this id that the user may read (another party group's is "
                       "not told to exist)." if resource in SIGNED_IN else f"No public {schema.lower()} has this id.")
            paths[f"{PREFIX}/{resource}/{{{parameter}}}"] = {"get": protect({
                "operationId": f"get_{resource[:-1]}",
                "summary": f"One {schema.lower()}",
                "parameters": [{"name": parameter, "in": "path", "required": True, "schema": ID}],
                "responses": {
                    "200": _json(_ref(schema), f"The {schema.lower()}."),
                    "400": _error("A query parameter was given; this endpoint takes none."),
                    "404": _error(missing),
                },
            })}
    paths[f"{PREFIX}/decisions/{{decision_id}}/entries"] = {"get": {
        "operationId": "list_decision_entries",
        "summary": "Everyone a decision concerns",
        "description": "All the entries of one decision, member before suppleant, a page at a time: "
                       "/decisions holds only the first few of each. Follow `next`.",
        "parameters": [{"name": "decision_id", "in": "path", "required": True, "schema": ID},
                       *LIST_PARAMETERS["decisions"], PAGINATION[0],
                       _query("after", {"type": "integer", "minimum": 0, "maximum": MAX_ID},
                              "Entries after this one, as `next` gives it (the entries are not ordered by "
                              "this number: take it from `next`). A number that is none of the decision's "
                              "entries gives an empty page.")],
        "responses": {
            "200": _json(_ref("DecisionEntryPage"), "A page of the decision's entries."),
            "400": _error("A parameter is unknown, given twice, or not of its form."),
            "404": _error("No decision has this id."),
        },
    }}
    paths[f"{PREFIX}/openapi.json"] = {"get": {
        "operationId": "get_openapi_document",
        "summary": "This document",
        "responses": {"200": _json({"type": "object"}, "The OpenAPI document.")},
    }}
    return paths


DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "KKR-udpegninger",
        "version": "1.0.0",
        "description": (
            "Who sits on which external body on the recommendation of KKR Hovedstaden: organizations, their "
            "posts (seats), the persons holding them and their memberships, with Popolo's field names. "
            "Read-only and public, except /nominations, which needs a user signed in to the registry; any "
            "origin may read the public part (CORS). Lists give the whole history unless `as_of` asks for one "
            "day, and come in pages ordered by id: follow `next`. Unknown query parameters are refused (400), "
            "so a misspelt filter never passes as 'no filter'."
        ),
    },
    "paths": _paths(),
    "components": {"schemas": SCHEMAS, "securitySchemes": SECURITY_SCHEMES},
}


def query_parameters(path: str) -> list[dict]:
    """The query parameters the document gives for GET on a path (as in DOCUMENT['paths'])."""
    parameters = DOCUMENT["paths"][path]["get"].get("parameters", [])
    return [parameter for parameter in parameters if parameter["in"] == "query"]
