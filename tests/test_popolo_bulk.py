"""The bulk download (issue 16): the whole registry as one Popolo document, at /api/v1/popolo.json and from
`flask registry export-popolo`, the same bytes; every item as the API's lists give it and valid Popolo;
streamed, in a fixed number of queries and flat memory; with an ETag and Last-Modified that answer a
conditional request with 304 before anything is built."""

import json
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from jsonschema import Draft202012Validator

from registry.api import popolo
from registry.appointments.models import Appointment, Role
from registry.extensions import db
from registry.mandates.models import CouncilMandate
from registry.meetings.models import Outcome
from registry.organisations.models import ElectionPeriod, Organisation, Seat, SeatAllocation
from registry.people.models import Municipality, Person
from registry.types import search_key, sort_key
from tests import factories as make

URL = "/api/v1/popolo.json"
COLLECTIONS = {"persons": "person", "organizations": "organization", "memberships": "membership", "posts": "post",
               "areas": "area", "events": "event"}
SCHEMAS = {name: json.loads((Path(__file__).parent / "popolo" / f"{schema}.json").read_text())
           for name, schema in COLLECTIONS.items()}
PERIODS = [(date(2018, 1, 1), date(2021, 12, 31)), (date(2022, 1, 1), date(2025, 12, 31))]


@pytest.fixture
def public_app(app, database_url):
    """The app with its public address set, as in production: the command builds its links on it, as the
    web does on the request."""
    from registry import create_app
    from tests.conftest import OwnContextClient

    public = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "WTF_CSRF_ENABLED": False,
                         "PUBLIC_URL": "https://udpegninger.example.dk/"})
    public.test_client_class = OwnContextClient
    yield public
    with public.app_context():
        db.engine.dispose()


def grow(appointments: int, prefix: str = "") -> None:
    """`appointments` more appointments, written in bulk (no rules, no audit: the shapes and the sizes
    matter here): a member and a personal suppleant on each seat in each of two election periods, on behalf
    of their party, on a KKR decision; a hundred per body; each seat allocated to a party; every fourth person
    with a council mandate."""
    parties = [make.party(letter) for letter in "ABFV"]
    periods = db.session.scalars(sa.select(ElectionPeriod).order_by(ElectionPeriod.start_date)).all() or [
        ElectionPeriod(name=f"{start.year}-{end.year}", start_date=start, end_date=end) for start, end in PERIODS]
    municipalities = db.session.scalars(sa.select(Municipality).order_by(Municipality.id).limit(10)).all()
    bodies = [Organisation(name=f"{prefix}Organisation {i:05}", appointing_authority="KKR Hovedstaden")
              for i in range(max(appointments // 100, 1))]
    # An item of its own on each period's first meeting, per call.
    decisions = [make.decision(start, f"{5 + len(prefix)}.{p + 1}", Outcome.appointed)
                 for p, (start, _) in enumerate(PERIODS)]
    db.session.add_all([*periods, *bodies])
    db.session.flush()
    seats = db.session.execute(sa.insert(Seat.__table__).returning(Seat.id), [
        {"organisation_id": bodies[i % len(bodies)].id, "label": f"Plads {i}", "position": i,
         "has_substitute": True, "version": 1} for i in range(appointments // 4)]).scalars().all()
    names = [f"{prefix}Person {i:06}" for i in range(max(appointments * 2 // 5, 2))]
    people = db.session.execute(sa.insert(Person.__table__).returning(Person.id, Person.party_id), [
        {"name": name, "sort_name": sort_key(name), "search_name": search_key(name),
         "municipality_id": municipalities[i % 10].id, "party_id": parties[i % 4].id, "version": 1}
        for i, name in enumerate(names)]).all()
    db.session.execute(sa.insert(CouncilMandate.__table__), [
        {"person_id": person_id, "municipality_id": municipalities[0].id, "party_id": party_id,
         "start_date": date(2022, 1, 1), "office": "borgmester" if n % 2 else None, "version": 1}
        for n, (person_id, party_id) in enumerate(people[::4])])
    db.session.execute(sa.insert(SeatAllocation.__table__), [
        {"seat_id": seat_id, "period_id": periods[i % 2].id, "party_id": parties[i % 4].id}
        for i, seat_id in enumerate(seats)])
    rows = []
    for seat_id in seats:
        for p, (start, end) in enumerate(PERIODS):
            for role in (Role.member, Role.substitute):
                person_id, party_id = people[(len(rows) * 7919) % len(people)]
                rows.append({"seat_id": seat_id, "person_id": person_id, "role": role, "party_id": party_id,
                             "start_date": start, "end_date": end if p == 0 else None,
                             "decision_id": decisions[p].id, "version": 1})
    db.session.execute(sa.insert(Appointment.__table__), rows)
    db.session.commit()


def document_bytes(client, query: str = "") -> bytes:
    response = client.get(URL + query)
    assert response.status_code == 200, response.text[:500]
    assert response.mimetype == "application/json"
    return response.data


def every_page(client, path: str) -> list[dict]:
    """All the items of an API list, following `next`."""
    items, url = [], path
    while url:
        page = client.get(url).get_json()
        items += page["results"]
        url = page["next"]
    return items


# What the document holds

@pytest.mark.both_databases
def test_the_command_and_the_url_give_the_same_bytes(public_app, runner):
    with public_app.app_context():
        grow(200)
        client = public_app.test_client()
        for option, query in (([], ""), (["--as-of", "2024-04-19"], "?as_of=2024-04-19")):
            result = public_app.test_cli_runner().invoke(args=["registry", "export-popolo", *option])
            assert result.exit_code == 0, result.output
            assert result.stdout_bytes == document_bytes(client, query)
            assert json.loads(result.stdout_bytes)["memberships"]


def test_the_command_writes_a_file(runner, tmp_path, app):
    grow(40)
    target = tmp_path / "popolo.json"
    result = runner.invoke(args=["registry", "export-popolo", "--as-of", "2024-04-19", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert set(json.loads(target.read_text("utf-8"))) == set(COLLECTIONS)
    assert not (tmp_path / "popolo.json.part").exists()
    assert runner.invoke(args=["registry", "export-popolo", "--as-of", "2024-02-30"]).exit_code == 2


def test_every_item_is_valid_popolo(client, runner):
    assert runner.invoke(args=["registry", "load-demo"]).exit_code == 0
    grow(40)
    document = json.loads(document_bytes(client))
    assert list(document) == list(COLLECTIONS)
    for name, items in document.items():
        assert items, name
        validator = Draft202012Validator(SCHEMAS[name], format_checker=Draft202012Validator.FORMAT_CHECKER)
        for item in items:
            validator.validate(item)
    ids = [item["id"] for items in document.values() for item in items]
    assert len(ids) == len(set(ids)), "one id space per type: no two objects share an id"


@pytest.mark.both_databases
@pytest.mark.parametrize("as_of", [None, "2024-04-19", "2019-06-01"])
def test_each_collection_is_what_its_list_gives(client, runner, as_of):
    """Item for item the lists' answers, with and without a day: memberships held on it, the persons holding
    them, bodies and posts open on it."""
    assert runner.invoke(args=["registry", "load-demo"]).exit_code == 0
    grow(40)
    day = f"?as_of={as_of}" if as_of else ""
    document = json.loads(document_bytes(client, day))
    lists = {"persons": "/persons", "memberships": "/memberships", "posts": "/posts", "areas": "/areas",
             "events": "/events"}
    for name, path in lists.items():
        query = day if name != "areas" else ""
        expected = every_page(client, f"/api/v1{path}{query}{'&' if query else '?'}limit=1000")
        assert sorted(document[name], key=lambda item: item["id"]) == sorted(expected, key=lambda item: item["id"])
    bodies = every_page(client, f"/api/v1/organizations{day}{'&' if day else '?'}limit=1000")
    parties = every_page(client, "/api/v1/organizations?classification=party&limit=1000")
    assert document["organizations"] == bodies + parties
    if as_of:
        held = document["memberships"]
        assert held
        assert all(item["start_date"] <= as_of and (item["end_date"] or as_of) >= as_of for item in held)
        assert len(held) < len(json.loads(document_bytes(client))["memberships"])


# Streaming: the same number of queries, and flat memory, at ten times the rows

def _measure(app) -> tuple[int, int, int]:
    """(memberships, queries, peak traced bytes) for one document read chunk by chunk through the web."""
    return make.streamed(app, URL, b'{"id": "memberships/')


@pytest.mark.both_databases
def test_the_document_streams_in_a_fixed_number_of_queries_and_flat_memory(app):
    """Slow by nature (33,000 memberships through the serializers, under tracemalloc): the one test that
    reads a document of national size."""
    grow(3_000)
    with app.test_client() as client:  # warm caches (compiled statements), untraced: it is faster
        assert client.get(URL).data.endswith(b"]}")
    small = _measure(app)
    grow(27_000, prefix="B ")
    large = _measure(app)
    assert (small[0], large[0]) == (3_000, 30_000)
    assert small[1] == large[1], "the number of SQL statements must not grow with the rows"
    assert small[1] <= 13
    # Ten times the rows; a document built in memory would need about ten times the memory.
    assert large[2] < small[2] * 2, (small, large)


# Versions: ETag, Last-Modified, 304 without building

def test_a_current_copy_is_a_304_without_building_the_document(client, app):
    grow(40)
    first = client.get(URL)
    assert first.headers["Cache-Control"] == "public, max-age=60"
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"')
    assert modified.endswith(" GMT")

    def conditional(headers: dict) -> tuple[int, int]:
        with make.queries() as statements:
            response = client.get(URL, headers=headers)
        assert response.headers["Cache-Control"] == "public, max-age=60"
        assert response.headers["ETag"] == etag
        return response.status_code, len(statements)

    # One query, the latest audit entry: nothing of the document is read.
    assert conditional({"If-None-Match": etag}) == (304, 1)
    assert conditional({"If-Modified-Since": modified}) == (304, 1)
    assert conditional({"If-None-Match": '"something else"'})[0] == 200
    # The same one query at ten times the size.
    grow(400, prefix="B ")
    first = client.get(URL)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert conditional({"If-None-Match": etag}) == (304, 1)


def test_a_change_or_another_day_gives_another_version(client, app):
    grow(40)
    whole = client.get(URL).headers["ETag"]
    on_a_day = client.get(URL + "?as_of=2024-04-19").headers["ETag"]
    assert len({whole, on_a_day}) == 2
    assert client.get(URL + "?as_of=2024-04-19").headers["ETag"] == on_a_day
    make.organisation("Movia")  # through the ORM, so the audit trail records it
    db.session.commit()
    changed = client.get(URL + "?as_of=2024-04-19", headers={"If-None-Match": on_a_day})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != on_a_day
    assert "Movia" in changed.text


def test_the_whole_history_has_a_new_version_each_day(app, monkeypatch):
    """Without a day it is read on today's date (carried over, today's mandates), so it changes at midnight."""
    monkeypatch.setattr(popolo, "today", lambda: date(2026, 3, 1))
    before = popolo.version(None)
    monkeypatch.setattr(popolo, "today", lambda: date(2026, 3, 2))
    after = popolo.version(None)
    assert before.etag != after.etag
    assert after.last_modified > before.last_modified
    assert popolo.version(date(2024, 4, 19)) == popolo.version(date(2024, 4, 19))


def test_a_bad_day_is_a_json_400(client):
    response = client.get(URL + "?as_of=2024-02-30")
    assert response.status_code == 400
    assert response.get_json()["detail"].startswith("Parameter 'as_of' must be a date")
    assert client.get(URL + "?limit=5").status_code == 400
