"""A national registry (issue 15): the JSON API and the history of decisions cost the same number of queries
at 1,000 appointments as at 10,000, and a decision concerning hundreds of appointments shows its first few,
how many more there are, and pages the rest on its own page and at its own API endpoint.

The two registries are built once for the module (bulk, without the services' checks: the shapes matter, not
the rules), on SQLite, and on PostgreSQL too where it is reachable: the first few of each decision are read
differently there (a lateral join).
"""

import shutil
from dataclasses import dataclass
from datetime import date

import pytest
from flask.testing import FlaskClient

from registry.appointments.models import Appointment, Role
from registry.auth.models import UserRole
from registry.extensions import db
from registry.meetings import history
from registry.meetings.models import AgendaItem, Decision, Meeting, Outcome
from registry.nominations.models import Nomination, NominationStatus
from registry.organisations.models import ElectionPeriod, Organisation, Seat, SeatAllocation
from registry.people.models import Person
from tests import factories as make
from tests.conftest import OwnContextClient, make_app, migrate_empty
from tests.test_api import get

PERIODS = [(date(2018, 1, 1), date(2021, 12, 31)), (date(2022, 1, 1), None)]


@dataclass
class Registry:
    app: object
    client: FlaskClient
    appointments: int
    # Ids to ask for: the decision concerning the most appointments, one deep in the list, a person, a post...
    big_decision: int
    deep_decision: int
    nomination_decision: int
    person: int
    organisation: int
    seat: int
    membership: int


def build(appointments: int) -> dict:
    """`appointments` appointments: a member and a suppleant on a seat in each of two election periods, a
    hundred per body, every seat of the first body resting on one decision per period (hundreds, in the larger
    registry) and each other body's on its own; plus a decided nomination."""
    parties = [make.party(letter) for letter in "ABFV"]
    periods = [ElectionPeriod(name=f"{start.year}-{start.year + 3}", start_date=start,
                              end_date=date(start.year + 3, 12, 31)) for start, _ in PERIODS]
    seats_count = appointments // 4
    bodies = [Organisation(name=f"Organisation {i:04}", appointing_authority="KKR Hovedstaden")
              for i in range(max(seats_count // 25, 2))]
    # Half the seats on the first body: its decisions concern many.
    seats = [Seat(organisation=bodies[0] if i % 2 == 0 else bodies[1 + i % (len(bodies) - 1)],
                  label=f"Plads {i}", has_substitute=True) for i in range(seats_count)]
    people = [Person(name=f"Person {i:05}", municipality=make.municipality("Hvidovre"), party=parties[i % 4])
              for i in range(max(appointments * 2 // 5, 2))]
    meetings = [Meeting(council_name="KKR Hovedstaden", date=start.replace(month=1, day=10 + n))
                for start, _ in PERIODS for n in range(2)]
    decisions = {}
    for b, body in enumerate(bodies):
        for p, _ in enumerate(PERIODS):
            item = AgendaItem(meeting=meetings[p * 2 + b % 2], number=f"{b + 1}.1", position=(b + 1) * 100,
                              title=f"Udpegning til {body.name}")
            decisions[body.name, p] = Decision(item=item, outcome=Outcome.appointed)
    db.session.add_all([*periods, *bodies, *seats, *people, *decisions.values()])
    db.session.flush()
    rows = []
    for i, seat in enumerate(seats):
        db.session.add(SeatAllocation(seat=seat, period=periods[0], party=parties[i % 4]))
        for p, (start, end) in enumerate(PERIODS):
            for role in (Role.member, Role.substitute):
                person = people[(len(rows) * 7919) % len(people)]
                rows.append(dict(seat_id=seat.id, person_id=person.id, role=role, party_id=person.party_id,
                                 start_date=start, end_date=end,
                                 decision_id=decisions[seat.organisation.name, p].id))
    db.session.execute(Appointment.__table__.insert(), rows)
    nominated = Decision(item=AgendaItem(meeting=meetings[-1], number="99.1", position=9900, title="Indstilling"),
                         outcome=Outcome.appointed)
    db.session.add(Nomination(seat=seats[1], role=Role.member, party=parties[2], person=people[0],
                              substitute=people[1], status=NominationStatus.appointed, decision=nominated,
                              item=nominated.item, appointed_on=date(2022, 2, 1)))
    make.user("sekretariat", UserRole.secretariat)
    db.session.commit()
    ordered = list(db.session.scalars(history.decisions(history.Selection())))
    return dict(big_decision=decisions[bodies[0].name, 1].id, deep_decision=ordered[len(ordered) // 2].id,
                nomination_decision=nominated.id, person=people[0].id, organisation=bodies[0].id,
                seat=seats[0].id, membership=db.session.scalar(Appointment.__table__.select()
                                                               .with_only_columns(Appointment.id).limit(1)))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def registries(request, tmp_path_factory):
    """The small registry (1,000 appointments) and the larger (10,000), on one database."""
    built = {}
    for size in (1_000, 10_000):
        if request.param == "sqlite":
            path = tmp_path_factory.mktemp("national") / f"registry_{size}.db"
            shutil.copy(request.getfixturevalue("sqlite_template"), path)
            url = f"sqlite:///{path}"
        else:
            url = request.getfixturevalue("new_postgres_database")()
            migrate_empty(url)
        app = make_app(url)
        with app.app_context():
            ids = build(size)
            if request.param == "postgresql":
                db.session.execute(db.text("ANALYZE"))
                db.session.commit()
            db.session.remove()
        app.test_client_class = OwnContextClient
        built[size] = Registry(app, app.test_client(), size, **ids)
    yield built
    for registry in built.values():
        with registry.app.app_context():
            db.engine.dispose()


def urls(r: Registry) -> list[str]:
    """Every API list and detail, with and without a day, deep and shallow, and the history's pages."""
    return [
        "/api/v1/parties", "/api/v1/parties/F", "/api/v1/organizations?classification=party&limit=1000",
        "/api/v1/areas?limit=1000", "/api/v1/areas?after=areas/400", "/api/v1/areas/167", "/api/v1/areas/1084",
        "/api/v1/events", "/api/v1/events?as_of=2024-04-19", "/api/v1/events/2022-2025",
        f"/api/v1/decisions/{r.big_decision}",
        "/api/v1/organizations", "/api/v1/organizations?as_of=2024-04-19",
        f"/api/v1/organizations/{r.organisation}", "/api/v1/posts?limit=1000",
        f"/api/v1/posts?as_of=2024-04-19&organization_id={r.organisation}", f"/api/v1/posts/{r.seat}",
        "/api/v1/persons?limit=1000", "/api/v1/persons?as_of=2024-04-19&after=100", f"/api/v1/persons/{r.person}",
        "/api/v1/memberships?limit=1000", "/api/v1/memberships?as_of=2024-04-19&after=500",
        f"/api/v1/memberships?organization_id={r.organisation}", f"/api/v1/memberships/{r.membership}",
        "/api/v1/decisions?limit=1000", f"/api/v1/decisions?organization_id={r.organisation}",
        f"/api/v1/decisions?person_id={r.person}",
        f"/api/v1/decisions/{r.big_decision}/entries", f"/api/v1/decisions/{r.big_decision}/entries?limit=7",
        f"/api/v1/decisions/{r.nomination_decision}/entries",
        "/beslutninger", f"/beslutninger?efter={r.deep_decision}", f"/beslutninger?foer={r.deep_decision}",
        f"/beslutninger?organisation={r.organisation}", f"/beslutninger?person={r.person}",
        f"/beslutninger/{r.big_decision}", f"/beslutninger/{r.nomination_decision}",
    ]


def count(r: Registry, url: str, *, signed_in: bool = False) -> int:
    with r.app.app_context():
        if signed_in:
            assert make.login(r.client, "sekretariat").status_code == 302
        with make.queries() as statements:
            response = r.client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
        if signed_in:
            r.client.post("/logout")
        return len(statements)


def test_every_api_endpoint_and_history_page_takes_as_many_queries_at_ten_times_the_size(registries):
    small, large = registries[1_000], registries[10_000]
    # The same questions of each registry, with each one's own ids.
    counted = {url: count(small, url) for url in urls(small)}
    assert dict(zip(urls(small), [count(large, url) for url in urls(large)], strict=True)) == counted
    # A handful each: none grows with the page or with a decision's size.
    assert max(counted.values()) <= 6
    nominations = ["/api/v1/nominations?limit=1000", "/api/v1/nominations?status=appointed", "/api/v1/nominations/1"]
    assert [count(large, url, signed_in=True) for url in nominations] == \
        [count(small, url, signed_in=True) for url in nominations]


def test_a_decision_of_hundreds_shows_its_first_few_and_links_to_the_rest(registries):
    r = registries[10_000]
    with r.app.app_context():
        total = db.session.scalar(db.select(db.func.count()).where(Appointment.decision_id == r.big_decision))
    assert total > 2000
    row = next(row for row in get(r.client, f"/api/v1/decisions?organization_id={r.organisation}")["results"]
               if row["id"] == f"decisions/{r.big_decision}")
    assert len(row["entries"]) == history.SHOWN_PER_DECISION
    assert row["entry_count"] == total
    assert row["entries_next"].endswith(f"/api/v1/decisions/{r.big_decision}/entries?organization_id="
                                        f"{r.organisation}")
    # Following next gives every entry once, in the embedded order: members, then suppleants.
    seen, url = [], f"/api/v1/decisions/{r.big_decision}/entries?limit=1000"
    while url:
        page = get(r.client, url)
        seen += page["results"]
        url = page["next"]
    assert len(seen) == total
    assert seen[:history.SHOWN_PER_DECISION] == row["entries"]
    assert [entry["role"] for entry in seen] == sorted(entry["role"] for entry in seen)

    page = r.client.get(f"/beslutninger?organisation={r.organisation}").text
    more = total - history.SHOWN_PER_DECISION
    assert f'href="/beslutninger/{r.big_decision}?organisation={r.organisation}">og {more} flere i beslutningen</a>' \
        in page
    assert page.count("<tr>") < 400


def test_the_decision_page_pages_its_people_forward_and_back(registries):
    r = registries[1_000]
    first = r.client.get(f"/beslutninger/{r.big_decision}").text
    assert 'rel="next"' in first
    assert 'rel="prev"' not in first
    after = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = r.client.get(after).text
    assert 'rel="prev"' in second
    back = second.split('rel="prev" href="')[1].split('"')[0].replace("&amp;", "&")
    assert r.client.get(back).text.count("<tr>") == first.count("<tr>")
    nominated = r.client.get(f"/beslutninger/{r.nomination_decision}").text
    assert "Person 00000" in nominated
    assert "Person 00001" in nominated
    assert r.client.get(f"/beslutninger/{r.big_decision}?efter=999999").status_code == 404
    assert r.client.get("/beslutninger/999999").status_code == 404


def test_the_history_goes_forward_and_back_by_decision_without_repeats_or_gaps(registries):
    r = registries[1_000]
    with r.app.app_context():
        expected = [decision.id for decision in db.session.scalars(history.decisions(history.Selection()))]
        window = history.window(history.Selection(), size=7)
        seen = []
        while True:
            shown = list(dict.fromkeys(entry.decision.id for entry in window.items))
            seen += shown
            if window.after is None:
                break
            previous = window
            window = history.window(history.Selection(), after=window.after, size=7)
            back = history.window(history.Selection(), before=window.before, size=7)
            assert list(dict.fromkeys(entry.decision.id for entry in back.items)) == \
                list(dict.fromkeys(entry.decision.id for entry in previous.items))
    assert seen == expected


@pytest.mark.parametrize("query", ["efter=abc", "foer=-1", "efter=99999999999", "efter=999999", "foer=0"])
def test_a_hand_edited_key_is_a_clear_4xx(registries, query):
    r = registries[1_000]
    response = r.client.get(f"/beslutninger?{query}")
    assert response.status_code in (400, 404)
    assert get(r.client, f"/api/v1/decisions/{r.nomination_decision}/entries?after=5")["results"] == []
    assert get(r.client, "/api/v1/decisions/999999/entries", 404)["status"] == 404
