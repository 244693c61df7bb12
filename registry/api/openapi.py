"""The OpenAPI 3.1 document of the JSON API: the one description of what it takes and gives.

The views read their query parameters from it (views.query_args), and the
tests validate every response against it and fuzz the API from it, so the
document, the parsing and the answers cannot drift apart unnoticed.
"""

PREFIX = "/api/v1"
# Ids are 32-bit integers in the database; a larger one cannot exist.
MAX_ID = 2**31 - 1
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


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
        "label": {**TEXT, "examples": ["Plads 1"]},
        "organization_id": ID,
        "position": {"type": "integer", "description": "The seat's place in its organization's list."},
        "start_date": _date("The first day of the seat, when recorded."),
        "end_date": _date("The last day of the seat (inclusive); null while it exists."),
        "has_substitute": {"type": "boolean", "description": "Whether the seat has a personal suppleant."},
        "party_allocations": {"type": "array", "items": _ref("PartyAllocation"),
                              "description": "Which party group holds the seat, per election period, oldest "
                                             "first."},
    }, "A seat (plads) on an organization; it exists whoever holds it."),
    "Person": _object({
        "id": ID,
        "name": {**TEXT, "examples": ["Marie-Louise Peschardt Jørgensen"]},
        "municipality": _nullable(_ref("Municipality")),
        "party": {**_nullable(_ref("Party")), "description": "The person's party now; a membership keeps the "
                                                            "party represented then (on_behalf_of)."},
    }, "A politician who holds or has held a seat. Public fields only."),
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
    "Membership": _object({
        "id": ID,
        "person_id": ID,
        "organization_id": ID,
        "post_id": ID,
        "role": {"type": "string", "enum": ["member", "substitute"],
                 "description": "member (medlem) or substitute (personlig suppleant)."},
        "on_behalf_of_id": {**_nullable(ID), "description": "The party the person represented in this "
                                                            "membership (see /parties)."},
        "on_behalf_of": _nullable(_ref("Party")),
        "start_date": {**DATE, "description": "The first day in office."},
        "end_date": _date("The last day in office (inclusive); null while serving."),
        "end_reason": {"type": ["string", "null"],
                       "enum": ["resigned", "term_ended", "body_dissolved", "replaced", "deceased", "other", None]},
        "substitute_for_id": {
            **_nullable(ID),
            "description": "For a personal suppleant (role substitute): the membership of the member on the same "
                           "post on the as_of day, or, where no as_of is given (whole history, single "
                           "membership), on the suppleant's first day in office. Null when the post had no "
                           "member that day, and always null for members.",
        },
        "decision": _nullable(_ref("Decision")),
    }, "A person holding a post as member or personal suppleant, from start_date to end_date. Only "
       "appointments in force are public: a recommendation still waiting for an outside authority is not."),
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


for _name in ("Organization", "Post", "Person", "Membership", "Party", "Municipality"):
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
}

SUMMARIES = {
    "organizations": ("Organizations", "Organization"),
    "posts": ("Posts (seats)", "Post"),
    "persons": ("Persons who hold or have held a post", "Person"),
    "memberships": ("Memberships (appointments in force)", "Membership"),
    "parties": ("Parties and party groups", "Party"),
    "municipalities": ("Municipalities", "Municipality"),
}
DETAILED = {"organizations": "organization_id", "posts": "post_id", "persons": "person_id",
            "memberships": "membership_id"}


def _json(schema: dict, description: str, media_type: str = "application/json") -> dict:
    return {"description": description, "content": {media_type: {"schema": schema}}}


def _error(description: str) -> dict:
    return _json(_ref("Error"), description, "application/problem+json")


def _paths() -> dict:
    paths = {}
    for resource, (summary, schema) in SUMMARIES.items():
        paths[f"{PREFIX}/{resource}"] = {"get": {
            "operationId": f"list_{resource}",
            "summary": summary,
            "parameters": LIST_PARAMETERS[resource] + PAGINATION,
            "responses": {
                "200": _json(_ref(f"{schema}Page"), "A page of results, ordered by id."),
                "400": _error("A parameter is unknown, given twice, or not of its form."),
            },
        }}
        if parameter := DETAILED.get(resource):
            paths[f"{PREFIX}/{resource}/{{{parameter}}}"] = {"get": {
                "operationId": f"get_{resource[:-1]}",
                "summary": f"One {schema.lower()}",
                "parameters": [{"name": parameter, "in": "path", "required": True, "schema": ID}],
                "responses": {
                    "200": _json(_ref(schema), f"The {schema.lower()}."),
                    "400": _error("A query parameter was given; this endpoint takes none."),
                    "404": _error(f"No public {schema.lower()} has this id."),
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
            "Read-only and public; any origin may read it (CORS). Lists give the whole history unless `as_of` "
            "asks for one day, and come in pages ordered by id: follow `next`. Unknown query parameters are "
            "refused (400), so a misspelt filter never passes as 'no filter'."
        ),
    },
    "paths": _paths(),
    "components": {"schemas": SCHEMAS},
}


def query_parameters(path: str) -> list[dict]:
    """The query parameters the document gives for GET on a path (as in DOCUMENT['paths'])."""
    parameters = DOCUMENT["paths"][path]["get"].get("parameters", [])
    return [parameter for parameter in parameters if parameter["in"] == "query"]
