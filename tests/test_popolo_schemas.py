"""Every answer of the public API is valid Popolo (issue 16): each object of every list and detail endpoint,
with and without as_of, checked against the project's own Popolo JSON Schemas (tests/popolo/*.json, written
from popolo-spec's definitions: required fields, string ids of one kind each, date patterns), on the demo data
and on a generated registry of a few thousand appointments. Every reference in them resolves: GET
/api/v1/<id> gives the object with that id.
"""

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from jsonschema import Draft202012Validator

from registry import demo
from registry.extensions import db
from tests.test_api import get
from tests.test_national_api import build

SCHEMAS = Path(__file__).parent / "popolo"
VALIDATORS = {path.stem: Draft202012Validator(json.loads(path.read_text()),
                                              format_checker=Draft202012Validator.FORMAT_CHECKER)
              for path in SCHEMAS.glob("*.json")}

# Each list, the Popolo type of its results, and whether it takes as_of.
LISTS = {
    "persons": ("person", True),
    "organizations": ("organization", True),
    "organizations?classification=party": ("organization", True),
    "parties": ("organization", False),
    "posts": ("post", True),
    "memberships": ("membership", True),
    "areas": ("area", False),
    "events": ("event", True),
}
TYPES = {"persons": "person", "organizations": "organization", "parties": "organization", "posts": "post",
         "memberships": "membership", "areas": "area", "events": "event"}
DAYS = ["2024-04-19", "2026-03-01"]


def valid(kind: str, value: dict) -> None:
    """The object, and the Popolo objects inside it, are of their type."""
    VALIDATORS[kind].validate(value)
    for party in [value.get("party"), value.get("on_behalf_of"),
                  *(allocation["party"] for allocation in value.get("party_allocations", [])),
                  *(mandate["party"] for mandate in value.get("council_mandates", []))]:
        if party is not None:
            VALIDATORS["organization"].validate(party)
    mandates = value.get("council_mandates", [])
    for area in [value.get("municipality"), *(mandate["municipality"] for mandate in mandates)]:
        if area is not None:
            VALIDATORS["area"].validate(area)


def references(value) -> set[str]:
    """Every id an object refers to (its fields ending in _id, and the decision a membership rests on), at any
    depth."""
    found = set()
    if isinstance(value, dict):
        for name, inner in value.items():
            if name.endswith("_id") and isinstance(inner, str):
                found.add(inner)
            if name == "decision" and inner is not None:
                found.add(inner["id"])
            found |= references(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= references(inner)
    return found


def walk(client, url: str) -> list[dict]:
    """Every result of a list, following next."""
    seen = []
    while url:
        page = get(client, url)
        seen += page["results"]
        url = page["next"]
    return seen


def check_everything(client, *, details: int | None = None) -> set[str]:
    """Every list, whole, with and without a day, and the details of its objects (all, or the first few of
    each list); returns the ids referred to."""
    referred = set()
    for path, (kind, dated) in LISTS.items():
        joiner = "&" if "?" in path else "?"
        queries = [""] + ([f"as_of={day}" for day in DAYS] if dated else [])
        for query in queries:
            url = f"/api/v1/{path}{joiner}limit=1000" + (f"&{query}" if query else "")
            rows = walk(client, url)
            for row in rows:
                valid(kind, row)
                referred |= references(row)
            assert len({row["id"] for row in rows}) == len(rows), url
            for row in rows[:details] if query == "" else []:
                detail = get(client, f"/api/v1/{quote(row['id'])}")
                assert detail["id"] == row["id"]
                valid(TYPES[row["id"].split("/")[0]], detail)
    return referred


def resolves(client, referred: set[str]) -> None:
    for object_id in sorted(referred):
        assert get(client, f"/api/v1/{quote(object_id)}")["id"] == object_id


@pytest.mark.both_databases
def test_every_answer_on_the_demo_data_is_valid_popolo_and_every_reference_resolves(app, client):
    demo.load()
    db.session.commit()
    referred = check_everything(client)
    assert {object_id.split("/")[0] for object_id in referred} >= {
        "persons", "organizations", "posts", "parties", "areas", "events", "decisions", "memberships"}
    resolves(client, referred)


@pytest.mark.both_databases
def test_every_answer_on_a_registry_of_thousands_is_valid_popolo(app, client):
    build(3_000)
    referred = check_everything(client, details=25)
    resolves(client, {object_id for object_id in referred if not object_id.startswith(("persons/", "posts/",
                                                                                      "memberships/"))})


def test_the_schemas_are_valid_json_schemas():
    for validator in VALIDATORS.values():
        Draft202012Validator.check_schema(validator.schema)
    assert set(VALIDATORS) == {"person", "organization", "membership", "post", "area", "event"}
