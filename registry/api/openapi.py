"""The OpenAPI 3.1 document of the JSON API: the one description of what it takes and gives.

The views read their query parameters from it (views.query_args), and the
tests validate every response against it and fuzz the API from it, so the
document, the parsing and the answers cannot drift apart unnoticed.
"""

from http import HTTPStatus

from registry import config
from registry.api import examples
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

# Ids (serializers.py): an object's path under /api/v1/. The registry's own numbers for bodies, posts, persons,
# memberships, decisions and nominations; for parties, areas and events the keys every registry shares.
ID_EXAMPLES = {"organizations": "organizations/4", "posts": "posts/45", "persons": "persons/17",
               "memberships": "memberships/123", "decisions": "decisions/9", "nominations": "nominations/3",
               "parties": "parties/F", "areas": "areas/101", "events": "events/2022-2025"}
SINGULAR = {"organizations": "organization", "posts": "post", "persons": "person", "memberships": "membership",
            "decisions": "decision", "nominations": "nomination", "parties": "party", "areas": "area",
            "events": "event"}
# A key that is a name, a letter or a code: no slash, no control character (views.parse_id).
KEY = "[^/\\x00-\\x1f\\x7f]{1,100}"
ID_KEYS = {"parties": KEY, "areas": KEY, "events": KEY}
# The query parameter's extension that names the kind of object whose id it takes (views.parse_id).
ID_OF = "x-id-of"


def _id(kind: str, description: str | None = None) -> dict:
    """The schema of an object's id, or of a reference to one: "persons/17"."""
    key = ID_KEYS.get(kind, "[1-9][0-9]*")
    schema = {"type": "string", "pattern": f"^{kind}/{key}$", "examples": [ID_EXAMPLES[kind]]}
    return {**schema, "description": description} if description else schema


def _reference(kind: str, description: str | None = None) -> dict:
    """A reference that may be empty."""
    schema = {**_id(kind), "type": ["string", "null"]}
    return {**schema, "description": description} if description else schema


def _links(description: str) -> dict:
    return {"type": "array", "items": _ref("Link"), "description": description}


def _date(description: str) -> dict:
    return {**_nullable(DATE), "description": description}


SEAT_KINDS = ["voting", "observer", "ex_officio", "pooled_substitute"]
POST_ROLES = ["medlem", "observatør", "født medlem", "suppleant"]
OUTCOMES = ["appointed", "recommended", "noted", "approved", "not_supported"]
NOMINATION_STATUSES = ["submitted", "returned", "withdrawn", "on_agenda", "pending", "appointed", "not_supported",
                       "not_appointed"]

SCHEMAS = {
    "Link": _object({
        "url": {"type": "string", "format": "uri"},
        "note": _nullable(TEXT),
    }, "Popolo's link: a URL and what it is."),
    "Identifier": _object({
        "scheme": {**TEXT, "examples": ["kommunekode"]},
        "identifier": {**TEXT, "examples": ["0101"]},
    }, "Popolo's identifier: an identifier another register gives the object, and which register."),
    "Party": _object({
        "id": _id("parties", "parties/ and the list letter as recorded (URL-encode it in a path: Ø, or a "
                             "valggruppe such as A+F+Ø): the same in every registry."),
        "name": {**TEXT, "examples": ["SF – Socialistisk Folkeparti"]},
        "classification": {"const": "party", "description": "Popolo's organization classification."},
        "letter": {**TEXT, "description": "The list letter at municipal elections (A, B, F, Ø, ...).",
                   "examples": ["F"]},
        "identifiers": {"type": "array", "items": _ref("Identifier"),
                        "description": "The list letter (scheme listebogstav)."},
        "links": _links("None."),
        "sources": _links("None."),
    }, "A party or party group (valggruppe), as a Popolo organization with classification party."),
    "Area": _object({
        "id": _id("areas", "areas/ and the kommunekode (areas/101 København) or regionskode (areas/1084 Region "
                           "Hovedstaden); a municipality the registry met only in an import has no code and goes "
                           "by its name."),
        "name": {**TEXT, "examples": ["Hvidovre"]},
        "classification": {"type": "string", "enum": ["kommune", "region"]},
        "identifier": {**_nullable(TEXT), "description": "The kommunekode in four digits as Danmarks Statistik "
                                                         "and DAWA write it (\"0167\" Hvidovre), or the "
                                                         "regionskode; null when not known.",
                       "examples": ["0167"]},
        "identifiers": {"type": "array", "items": _ref("Identifier"),
                        "description": "The same, scheme kommunekode or regionskode; empty when not known."},
        "parent_id": {**_reference("areas"), "description": "A municipality's region, where the registry knows "
                                                            "it; null for a region."},
    }, "A municipality (kommune) or a region, as a Popolo area."),
    "Event": _object({
        "id": _id("events", "events/ and the election period's name: the same in every registry."),
        "name": {**TEXT, "examples": ["Valgperioden 2022-2025"]},
        "classification": {"const": "legislative period"},
        "start_date": DATE,
        "end_date": DATE,
    }, "An election period (valgperiode) of the municipal councils, as a Popolo event."),
    "Organization": _object({
        "id": _id("organizations"),
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
        "successor_id": _reference("organizations", "The organization that replaced this one, if any."),
        "appointing_authority": {**TEXT, "description": "Who formally appoints (udpegende myndighed).",
                                 "examples": ["Beskæftigelsesministeren"]},
        "appointing_authority_is_external": {
            "type": "boolean",
            "description": "True when KKR only recommends and another authority appoints; a membership then "
                           "appears here only once that authority has appointed.",
        },
        "identifiers": {"type": "array", "items": _ref("Identifier"),
                        "description": "Empty: the registry records no CVR numbers."},
        "links": _links("None."),
        "sources": _links("The legal basis (lovgrundlag), where recorded: a link given as the legal basis, or "
                          "the organization's public page with the legal basis in words as the note."),
    }, "An external body with seats that KKR fills (råd, bestyrelse, udvalg). With classification=party, "
       "/organizations lists the parties instead (see Party)."),
    "PartyAllocation": _object({
        "election_period": {**TEXT, "examples": ["2022-2025"]},
        "legislative_period_id": _id("events", "The election period (see /events)."),
        "start_date": DATE,
        "end_date": DATE,
        "party": _ref("Party"),
    }, "The party group that holds the seat in an election period."),
    "Post": _object({
        "id": _id("posts"),
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
        "organization_id": _id("organizations"),
        "position": {"type": "integer", "description": "The seat's place in its organization's list."},
        "start_date": _date("The first day of the seat, when recorded."),
        "end_date": _date("The last day of the seat (inclusive); null while it exists."),
        "has_substitute": {"type": "boolean", "description": "Whether the seat has a personal suppleant."},
        "party_allocations": {"type": "array", "items": _ref("PartyAllocation"),
                              "description": "Which party group holds the seat, per election period, oldest "
                                             "first."},
        "links": _links("None."),
        "sources": _links("None."),
    }, "A seat (plads) on an organization; it exists whoever holds it."),
    "CouncilMandate": _object({
        "area_id": _id("areas", "The municipality whose council it is."),
        "municipality": {**_ref("Area"), "description": "The municipality whose council it is."},
        "on_behalf_of_id": _reference("parties", "The party the person was elected for."),
        "party": {**_nullable(_ref("Party")), "description": "The party the person was elected for."},
        "office": {**_nullable(TEXT), "description": "The office held on the council; null for a member.",
                   "examples": ["borgmester", "viceborgmester"]},
        "start_date": {**DATE, "description": "The first day on the council."},
        "end_date": _date("The last day on the council (inclusive); null while on it."),
    }, "A seat on a municipal council (kommunalbestyrelse): public information."),
    "Person": _object({
        "id": _id("persons"),
        "name": {**TEXT, "examples": ["Marie-Louise Peschardt Jørgensen"]},
        "sort_name": {**TEXT, "description": "The name to sort by: family name, comma, given names. Danish names "
                                             "are read so: the family name is the last word, the given names the "
                                             "words before it (a middle name such as Peschardt counts as given). "
                                             "The name itself when it is one word or the person is anonymised.",
                      "examples": ["Jørgensen, Marie-Louise Peschardt"]},
        "given_name": {**_nullable(TEXT), "description": "The words of the name before the last (see sort_name); "
                                                         "null when there are none.",
                       "examples": ["Marie-Louise Peschardt"]},
        "family_name": {**_nullable(TEXT), "description": "The last word of the name (see sort_name); null for "
                                                          "a name of one word.",
                        "examples": ["Jørgensen"]},
        "area_id": _reference("areas", "The person's municipality."),
        "municipality": {**_nullable(_ref("Area")), "description": "The person's municipality (area_id)."},
        "party_id": _reference("parties", "The person's party now."),
        "party": {**_nullable(_ref("Party")), "description": "The person's party now; a membership keeps the "
                                                            "party represented then (on_behalf_of)."},
        "council_mandates": {"type": "array", "items": _ref("CouncilMandate"),
                             "description": "The person's mandates on municipal councils, the latest first: in a "
                                            "list with as_of, those held on that day; otherwise all of them. "
                                            "Empty when the registry knows none."},
        "identifiers": {"type": "array", "items": _ref("Identifier"), "description": "Empty."},
        "links": _links("None."),
        "sources": _links("None."),
    }, "A politician who holds or has held a seat. Public fields only: never gender or contact details."),
    "Decision": _object({
        "id": _id("decisions", "The decision, with everyone it concerns, at /decisions/{decision_id}."),
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
        "id": _id("memberships"),
        "person_id": _id("persons"),
        "organization_id": _id("organizations"),
        "post_id": _id("posts"),
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
        "on_behalf_of_id": _reference("parties", "The party the person represented in this membership: a Popolo "
                                                 "organization with classification party (/parties, or "
                                                 "/organizations?classification=party)."),
        "on_behalf_of": _nullable(_ref("Party")),
        "area_id": _reference("areas", "The person's municipality (as the person's area_id)."),
        "legislative_period_id": _reference(
            "events", "The election period (see /events) that start_date falls in, where the organization's "
                      "terms follow the election period; null for an organization with terms of its own, or "
                      "when no period recorded covers the day."),
        "start_date": {**DATE, "description": "The first day in office."},
        "end_date": _date("The last day in office (inclusive); null while serving."),
        "end_reason": {"type": ["string", "null"],
                       "enum": ["resigned", "term_ended", "body_dissolved", "replaced", "deceased", "other", None]},
        "carried_over": {
            "type": "boolean",
            "description": "True when the membership is held on the as_of day, or today where no as_of is "
                           "given, and its term (the election period, or the organization's own term) ended "
                           "before that day: the holder carries on until a successor is seated (\"fungerer, "
                           "indtil nye er udpeget\"). Seating the successor gives the membership its end_date, "
                           "the day before the successor's start_date; until then it stays true.",
        },
        "substitute_for_id": {
            **_reference("memberships"),
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
        "links": _links("None."),
        "sources": _links("The KKR decision the membership rests on: its public page, with its reference "
                          "(\"KKR Hovedstaden 2024-04-19 pkt. 4.1\") as the note. Empty when none is recorded."),
    }, "A person holding a post as member or suppleant, from start_date to end_date. Only "
       "appointments in force are public: a recommendation still waiting for an outside authority is not."),
    "Nomination": _object({
        "id": _id("nominations"),
        "post_id": _id("posts"),
        "organization_id": _id("organizations"),
        "role": {"type": "string", "enum": ["member", "substitute"],
                 "description": "member (medlem) or substitute (personlig suppleant)."},
        "on_behalf_of_id": _reference("parties", "The party group that nominates (see /parties); null when an "
                                                 "organisation nominates (nominated_by)."),
        "nominated_by": {"type": ["string", "null"], "description": "The organisation that nominates instead of "
                                                                    "a party group, e.g. Dansk Industri; the "
                                                                    "secretariat records its nomination."},
        "person_id": _id("persons", "The person nominated in `role`."),
        "substitute_person_id": _reference("persons", "A personal suppleant nominated together with a member, "
                                                      "where the post has one."),
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
        "decision_id": _reference("decisions", "KKR's decision (see /decisions); null until decided."),
        "outcome": {"type": ["string", "null"], "enum": [*OUTCOMES, None],
                    "description": "What KKR decided; null until decided."},
        "decision_text": {**_nullable(TEXT), "description": "The decision as in the minutes (referat)."},
        "appointed_on": _date("The first day in office, once appointed."),
    }, "A party group's nomination (indstilling) for a post. Not public: a party group reads its own, the "
       "secretariat all. What KKR decided is public through /decisions."),
    "DecisionEntry": _object({
        "person_id": _id("persons"),
        "role": {"type": "string", "enum": ["member", "substitute"]},
        "organization_id": _id("organizations"),
        "post_id": _id("posts"),
        "on_behalf_of_id": _reference("parties", "The party group the person was nominated by."),
        "start_date": _date("The first day in office, once appointed; null when not (yet) appointed."),
    }, "A person and post a decision concerns."),
    "DecisionRecord": _object({
        "id": _id("decisions"),
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


def _page_schema(item: str | list[str]) -> dict:
    items = _ref(item) if isinstance(item, str) else {"oneOf": [_ref(name) for name in item]}
    return _object({
        "results": {"type": "array", "items": items},
        "next": {"type": ["string", "null"], "format": "uri",
                 "description": "The URL of the next page, with the same parameters; null on the last page."},
    })


for _name in ("Post", "Person", "Membership", "Party", "Area", "Event", "Nomination", "DecisionRecord",
              "DecisionEntry"):
    SCHEMAS[f"{_name}Page"] = _page_schema(_name)
# The bodies, or with classification=party the parties.
SCHEMAS["OrganizationPage"] = _page_schema(["Organization", "Party"])


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


AS_OF_TEXT = {
    "organizations": "Only organizations that exist on the day (founding_date ≤ day ≤ dissolution_date).",
    "posts": "Only posts that exist on the day, on an organization that exists on the day.",
    "persons": "Only persons who hold a post (as member or suppleant) on the day.",
    "memberships": "Only memberships in force on the day (start_date ≤ day ≤ end_date, or no end_date).",
    "events": "Only the election period that contains the day.",
}


def _as_of(resource: str) -> dict:
    return _query("as_of", DATE, f"A day, YYYY-MM-DD. {AS_OF_TEXT[resource]} Without it: the whole history.")


def _key_pattern(kinds: list[str], first: str = "[1-9]") -> str:
    """An id of one of the kinds, or the key alone of the first: a number of up to nine digits (an id the
    registry's own numbers will not outgrow) or a key (ID_KEYS)."""
    ids = [f"{kind}/{ID_KEYS.get(kind, first + '[0-9]{0,8}')}" for kind in kinds]
    return f"^({'|'.join(ids)}|{ID_KEYS.get(kinds[0], first + '[0-9]{0,8}')})$"


def _filter(name: str, kind: str, description: str) -> dict:
    """A filter that takes an id, e.g. organization_id=organizations/4, or the key alone: 4."""
    schema = {"type": "string", "pattern": _key_pattern([kind]), "examples": [ID_EXAMPLES[kind]]}
    return {**_query(name, schema, f"{description} An id such as {ID_EXAMPLES[kind]}, or its key alone."),
            ID_OF: kind}


def _pagination(*kinds: str) -> list[dict]:
    after = {"type": "string", "pattern": _key_pattern(list(kinds), first="[0-9]"),
             "examples": [ID_EXAMPLES[kinds[0]]]}
    return [
        _query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
               "How many results per page."),
        _query("after", after, "Results after this one: the id of the last result of the page before (or its "
                               "key alone), as `next` gives it. Lists are ordered by id (parties, areas and "
                               "events by their keys), so following `next` never repeats or skips a row, even "
                               "while rows are added."),
    ]



ORGANIZATION_ID = "Only those of this organization."
AREA_ID = "An area: a municipality (areas/167), or a region (areas/1084) for all its municipalities."
LIST_PARAMETERS = {
    "organizations": [
        _as_of("organizations"),
        _query("classification", {"type": "string", "enum": ["board", "council", "committee", "forum", "other",
                                                             "party"]},
               "Only bodies of this kind; party: the parties instead of the bodies (as /parties gives them, "
               "ordered by letter, `after` a party's id; parties have no dates, so as_of takes none away). "
               "Without it: the bodies. Paging goes as if through one list, the bodies by id and then the "
               "parties by letter: after a body's id come all the parties, after a party's no body."),
    ],
    "posts": [_as_of("posts"), _filter("organization_id", "organizations", ORGANIZATION_ID)],
    "persons": [
        _as_of("persons"),
        _filter("organization_id", "organizations",
                "Only persons who hold (with as_of: on the day) a post on this organization."),
        _filter("party_id", "parties", "Only persons whose party now is this one."),
        _filter("area_id", "areas", f"Only persons of this area. {AREA_ID}"),
    ],
    "memberships": [
        _as_of("memberships"),
        _filter("organization_id", "organizations", ORGANIZATION_ID),
        _filter("post_id", "posts", "Only those on this post."),
        _filter("person_id", "persons", "Only those of this person."),
        _filter("on_behalf_of_id", "parties", "Only those held on behalf of this party."),
        _filter("area_id", "areas", f"Only those held by persons of this area. {AREA_ID}"),
        _query("role", {"type": "string", "enum": ["member", "substitute"]}, "Only members, or only suppleants."),
    ],
    "parties": [],
    "areas": [],
    "events": [_as_of("events")],
    "nominations": [
        _query("status", {"type": "string", "enum": NOMINATION_STATUSES}, "Only those with this status."),
        _filter("organization_id", "organizations", ORGANIZATION_ID),
        _filter("post_id", "posts", "Only those for this post."),
        _filter("person_id", "persons", "Only those naming this person, as member or suppleant."),
        _filter("on_behalf_of_id", "parties", "Only those of this party group."),
    ],
    "decisions": [
        _filter("organization_id", "organizations",
                "Only decisions concerning this organization, with the entries on its posts."),
        _filter("person_id", "persons", "Only decisions concerning this person, with the person's entries."),
    ],
}
# What `after` takes in each list: an id of the list's kind (for /organizations also a party's).
PAGINATIONS = {resource: _pagination(resource) for resource in LIST_PARAMETERS}
PAGINATIONS["organizations"] = _pagination("organizations", "parties")

SUMMARIES = {
    "organizations": ("Organizations", "Organization"),
    "posts": ("Posts (seats)", "Post"),
    "persons": ("Persons who hold or have held a post", "Person"),
    "memberships": ("Memberships (appointments in force)", "Membership"),
    "parties": ("Parties and party groups", "Party"),
    "areas": ("Areas: municipalities and regions", "Area"),
    "events": ("Events: the election periods", "Event"),
    "nominations": ("Nominations the signed-in user may read", "Nomination"),
    "decisions": ("KKR's decisions: the history of indstillinger", "DecisionRecord"),
}
DETAILED = {"organizations": "organization_id", "posts": "post_id", "persons": "person_id",
            "memberships": "membership_id", "nominations": "nomination_id", "decisions": "decision_id",
            "parties": "letter", "areas": "area", "events": "period"}
# The path parameter of a detail that is not a number: the key in the object's id.
PATH_KEYS = {
    "letter": {"type": "string", "pattern": f"^{KEY}$", "examples": ["F", "Ø", "A+F+Ø"],
               "description": "A party's list letter, URL-encoded."},
    "area": {"type": "string", "pattern": f"^{KEY}$", "examples": ["101", "1084"],
             "description": "A kommunekode or regionskode (a municipality without a code: its name)."},
    "period": {"type": "string", "pattern": f"^{KEY}$", "examples": ["2022-2025"],
               "description": "An election period's name."},
}
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


# The bulk document (popolo.py): each collection's items as its list gives them.
POPOLO_DOCUMENT = {
    "type": "object",
    "required": ["persons", "organizations", "memberships", "posts", "areas", "events"],
    "properties": {name: {"type": "array", "items": items, "description": text} for name, items, text in (
        ("persons", _ref("Person"), "As /persons gives them."),
        ("organizations", {"oneOf": [_ref("Organization"), _ref("Party")]},
         "The bodies as /organizations gives them, then the parties (classification party)."),
        ("memberships", _ref("Membership"), "As /memberships gives them, ordered by person."),
        ("posts", _ref("Post"), "As /posts gives them."),
        ("areas", _ref("Area"), "As /areas gives them: the municipalities and their regions."),
        ("events", _ref("Event"), "As /events gives them: the election periods."))},
    "additionalProperties": False,
}
POPOLO_HEADERS = {
    "ETag": {"description": "The document's version.", "schema": TEXT},
    "Last-Modified": {"description": "When the data last changed (without as_of: at the latest today's "
                                     "midnight, Copenhagen).", "schema": TEXT},
}


def _paths() -> dict:
    paths = {}
    for resource, (summary, schema) in SUMMARIES.items():
        protect = _signed_in if resource in SIGNED_IN else (lambda operation: operation)
        paths[f"{PREFIX}/{resource}"] = {"get": protect({
            "operationId": f"list_{resource}",
            "summary": summary,
            "parameters": LIST_PARAMETERS[resource] + PAGINATIONS[resource],
            "responses": {
                "200": _json(_ref(f"{schema}Page"), "A page of results, ordered by id."),
                "400": _error("A parameter is unknown, given twice, or not of its form."),
            },
        })}
        if parameter := DETAILED.get(resource):
            one = SINGULAR[resource]
            missing = (f"No {one} with this id that the user may read (another party group's is "
                       "not told to exist)." if resource in SIGNED_IN else f"No public {one} has this id.")
            paths[f"{PREFIX}/{resource}/{{{parameter}}}"] = {"get": protect({
                "operationId": f"get_{one}",
                "summary": f"One {one}",
                "parameters": [{"name": parameter, "in": "path", "required": True,
                                "schema": PATH_KEYS.get(parameter, ID)}],
                "responses": {
                    "200": _json(_ref(schema), f"The {one}."),
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
                       *LIST_PARAMETERS["decisions"], PAGINATIONS["decisions"][0],
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
        "description": "The OpenAPI 3.1 description of every endpoint, parameter, field and answer of this API, "
                       "which the API itself reads its parameters from. Shown for people at /api/v1/docs.",
        "responses": {"200": _json({"type": "object"}, "The OpenAPI document.")},
    }}
    paths[f"{PREFIX}/popolo.json"] = {"get": {
        "operationId": "get_popolo_document",
        "summary": "Everything at once: one Popolo document",
        "description": "Every person, organization (bodies and parties), membership, post, area (municipality) "
                       "and event (election period) in one document, each as its list gives it, streamed. "
                       "With `as_of` what the lists give for that day, without it the whole history. It has an "
                       "ETag and Last-Modified: send them back (If-None-Match, If-Modified-Since) and an "
                       "unchanged document is a 304 without a body. The same bytes as "
                       "`flask registry export-popolo`.",
        "parameters": [_query("as_of", DATE, "A day, YYYY-MM-DD: the memberships in force and the persons "
                                             "holding a post on the day, the organizations and posts that exist "
                                             "on it. Without it: the whole history.")],
        "responses": {
            "200": {"description": "The document.", "headers": POPOLO_HEADERS, "content": {"application/json": {
                "schema": POPOLO_DOCUMENT,
                "example": {"persons": [], "organizations": [], "memberships": [], "posts": [], "areas": [],
                            "events": []}}}},
            "304": {"description": "Not modified since the ETag or the time sent.", "headers": POPOLO_HEADERS},
            "400": _error("A parameter is unknown, given twice, or not of its form."),
        },
    }}
    return paths


# The groups /api/v1/docs shows the operations in: the first part of the path, unless another word says more.
TAG_OF = {"openapi.json": "meta", "popolo.json": "bulk", "docs": "meta"}
TAGS = {
    "organizations": "The external bodies (råd, bestyrelser, udvalg) whose seats KKR fills.",
    "posts": "The seats (pladser) on the organizations, whoever holds them.",
    "persons": "The politicians who hold or have held a post. Public fields only: never gender or contact "
               "details.",
    "memberships": "Who holds which post, as member or suppleant, from when to when, on which KKR decision.",
    "areas": "The municipalities (kommuner) and regions the persons and memberships belong to.",
    "events": "The election periods (valgperioder) the memberships belong to.",
    "parties": "The parties and party groups (valggrupper) memberships are held on behalf of.",
    "decisions": "KKR's decisions on its agenda items: the public history of nominations (indstillinger).",
    "nominations": "The party groups' nominations (indstillinger) for posts: not public.",
    "bulk": "Everything at once, as one Popolo document.",
    "meta": "The description of this API.",
}
# What each resource is, the first sentence of its operations' descriptions.
ABOUT = {
    "organizations": "The external bodies whose seats KKR fills, with who appoints to them and, once closed, "
                     "their last day and successor.",
    "posts": "The seats on the organizations, with the kind of seat, who fills it, and the party group holding it "
             "in each election period.",
    "persons": "The politicians who hold or have held a post, with their municipality, party and council "
               "mandates.",
    "memberships": "The appointments in force: who holds which post, as member or suppleant, from when to when, "
                   "on behalf of which party and on which KKR decision.",
    "parties": "The parties and party groups, which memberships and posts refer to.",
    "areas": "The municipalities, with their kommunekode, and the regions they lie in, which persons and "
             "memberships refer to (area_id).",
    "events": "The election periods of the municipal councils, which memberships refer to "
              "(legislative_period_id).",
    "decisions": "KKR's decisions, each with its meeting, agenda item, outcome and text, and the persons, posts and "
                 "parties it concerns.",
    "nominations": "The nominations for posts, from the party groups and the organizations that nominate, until "
                   "and after KKR decides. Needs a signed-in user of the registry (its session cookie): a party "
                   "group reads its own party's, the secretariat all; the answers are private and never cached.",
}


def _description(resource: str, operation: dict) -> str:
    if operation["operationId"].startswith("list_"):
        names = {parameter["name"] for parameter in operation["parameters"]}
        day = " Without `as_of`, the whole history; with it, the given day." if "as_of" in names else ""
        return f"{ABOUT[resource]}{day} A page at a time, ordered by id: follow `next` until it is null."
    return f"{ABOUT[resource]} One of them by its id, as the list without `as_of` gives it."


def _error_example(status: str, response: dict, operation: dict) -> dict:
    """An error as the API words it (a 400 as views.query_args does)."""
    detail = response["description"]
    if status == "400":
        takes = ", ".join(parameter["name"] for parameter in operation.get("parameters", [])
                          if parameter["in"] == "query")
        detail = f"Unknown parameter 'sort'; this endpoint takes {takes or 'no parameters'}."
    return {"status": int(status), "title": HTTPStatus(int(status)).phrase, "detail": detail}


def _documented(paths: dict) -> dict:
    """Every operation with its group (tag), a description and an example of each answer, which
    Spectral's spectral:oas rules ask for and /api/v1/docs shows. What an operation says itself stays."""
    for path, item in paths.items():
        operation = item["get"]
        resource = path.removeprefix(f"{PREFIX}/").split("/")[0]
        operation.setdefault("tags", [TAG_OF.get(resource, resource)])
        if resource in ABOUT and "description" not in operation:
            operation["description"] = _description(resource, operation)
        for status, response in operation["responses"].items():
            for media_type, content in response.get("content", {}).items():
                if "example" in content or "examples" in content:
                    continue
                if media_type == "application/problem+json":
                    content["example"] = _error_example(status, response, operation)
                elif example := (examples.SCHEMAS.get(content["schema"].get("$ref", "").rsplit("/", 1)[-1])
                                 or examples.OPERATIONS.get(operation["operationId"])):
                    content["example"] = example
    return paths


_PATHS = _documented(_paths())
_DEFAULTS = config.api({})
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
            "so a misspelt filter never passes as 'no filter'. The data are public information on public "
            "appointments; `license` says on what terms they may be reused, as the registry's operator has set "
            "it, and `contact` whom to ask. This document is shown at /api/v1/docs."
        ),
        # What a registry serves is its own setting (registry/api/docs.py); these are those of `make run`.
        "contact": _DEFAULTS["API_CONTACT"],
        "license": _DEFAULTS["API_DATA_LICENSE"],
    },
    "servers": [{"url": config.DEVELOPMENT_URL}],
    "tags": [{"name": name, "description": text} for name, text in TAGS.items()
             if any(name in item["get"]["tags"] for item in _PATHS.values())],
    "paths": _PATHS,
    "components": {"schemas": SCHEMAS, "securitySchemes": SECURITY_SCHEMES},
}


def document(servers: list[str], contact: dict, data_license: dict) -> dict:
    """The document as a registry serves it: with its own addresses, its contact and the licence of its data."""
    return {**DOCUMENT, "info": {**DOCUMENT["info"], "contact": contact, "license": data_license},
            "servers": [{"url": url} for url in servers]}


def query_parameters(path: str) -> list[dict]:
    """The query parameters the document gives for GET on a path (as in DOCUMENT['paths'])."""
    parameters = DOCUMENT["paths"][path]["get"].get("parameters", [])
    return [parameter for parameter in parameters if parameter["in"] == "query"]
