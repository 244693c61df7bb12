"""The JSON API after the election-period round (issue 13): a membership says whether its holder carries on
until a successor is seated, and names the council mandate the person holds; a person lists their council
mandates. A mandate is public; gender and contact details are not. Every response is checked against the
OpenAPI document (tests.test_api.get)."""

from datetime import date, timedelta

import pytest

from registry.appointments import services
from registry.appointments.models import EndReason
from registry.dates import today
from registry.extensions import db
from registry.mandates import services as mandates
from tests import factories as make
from tests import nomination_factories as nominate
from tests.test_api import get, results
from tests.test_carry_over import seat_through_kkr

# Both databases: as-of queries.
pytestmark = pytest.mark.both_databases

EMAIL, PHONE = nominate.CARLA_EMAIL, nominate.CARLA_PHONE


@pytest.fixture
def movia(app):
    return nominate.carried_over_borgmester()


def mayor_of_gentofte(end: str | None = "2025-12-31", office: str | None = "borgmester",
                      start: str = "2022-01-01") -> dict:
    party = make.party("C")
    return {"area_id": "areas/157",
            "municipality": {"id": "areas/157", "name": "Gentofte", "classification": "kommune",
                             "identifier": "0157", "identifiers": [{"scheme": "kommunekode", "identifier": "0157"}],
                             "parent_id": "areas/1084"},
            "on_behalf_of_id": "parties/C",
            "party": {"id": "parties/C", "name": party.name, "classification": "party", "letter": "C",
                      "identifiers": [{"scheme": "listebogstav", "identifier": "C"}], "links": [], "sources": []},
            "office": office, "start_date": start, "end_date": end}


def carla_on(client, movia, day: str) -> dict:
    (row,) = results(client, f"/api/v1/memberships?as_of={day}&person_id={movia['carla'].id}")
    return row


def test_a_membership_carries_on_after_the_period_until_the_successor_is_seated(client, movia):
    assert carla_on(client, movia, "2025-12-31")["carried_over"] is False
    assert carla_on(client, movia, "2026-02-01")["carried_over"] is True
    # Without as_of (the whole history, a single membership): as of today, which lies after 2025.
    assert get(client, f"/api/v1/memberships/{movia['appointment'].id}")["carried_over"] is True

    dina = make.person("Dina Efterfølger", party_letter="C")
    seat_through_kkr(movia["seat"], dina, date(2026, 3, 1))
    # Seating the successor ends Carla's membership the day before: until then she carried on, as the roster
    # says; from the successor's first day she is no longer listed.
    ended = carla_on(client, movia, "2026-02-01")
    assert (ended["end_date"], ended["end_reason"], ended["carried_over"]) == ("2026-02-28", "term_ended", True)
    assert carla_on(client, movia, "2026-02-28")["carried_over"] is True
    (successor,) = results(client, f"/api/v1/memberships?as_of=2026-03-01&post_id={movia['seat'].id}")
    assert (successor["person_id"], successor["carried_over"]) == (f"persons/{dina.id}", False)
    # Without as_of: as of today, when Carla no longer holds the seat.
    assert get(client, f"/api/v1/memberships/{movia['appointment'].id}")["carried_over"] is False
    listed = {row["person_id"]: row["carried_over"] for row in results(client, "/api/v1/memberships")}
    assert listed == {f"persons/{movia['carla'].id}": False, f"persons/{dina.id}": False}


def test_a_membership_carries_on_today_when_the_successor_is_appointed_from_a_later_day(client, movia):
    dina = make.person("Dina Efterfølger", party_letter="C")
    seat_through_kkr(movia["seat"], dina, today() + timedelta(days=30))
    assert get(client, f"/api/v1/memberships/{movia['appointment'].id}")["carried_over"] is True
    listed = {row["person_id"]: row["carried_over"] for row in results(client, "/api/v1/memberships")}
    assert listed == {f"persons/{movia['carla'].id}": True, f"persons/{dina.id}": False}
    assert carla_on(client, movia, today().isoformat())["carried_over"] is True


def test_a_membership_names_the_council_mandate_on_the_day_and_not_after_it_ended(client, movia):
    assert carla_on(client, movia, "2025-12-31")["council_mandate"] == mayor_of_gentofte()
    assert carla_on(client, movia, "2026-01-01")["council_mandate"] is None
    # Without as_of: today's, and Carla has none today.
    assert get(client, f"/api/v1/memberships/{movia['appointment'].id}")["council_mandate"] is None
    mandates.record(movia["carla"], make.municipality("Gentofte"), date(2026, 1, 15), party=make.party("C"))
    db.session.commit()
    assert carla_on(client, movia, "2026-01-14")["council_mandate"] is None
    member = mayor_of_gentofte(end=None, office=None, start="2026-01-15")
    assert carla_on(client, movia, "2026-01-15")["council_mandate"] == member
    assert get(client, f"/api/v1/memberships/{movia['appointment'].id}")["council_mandate"] == member


def test_an_ended_membership_names_the_mandate_of_its_last_day(client, movia):
    services.end(movia["appointment"], date(2024, 6, 30), EndReason.resigned)
    db.session.commit()
    assert get(client, f"/api/v1/memberships/{movia['appointment'].id}")["council_mandate"] == mayor_of_gentofte()
    (row,) = results(client, f"/api/v1/memberships?person_id={movia['carla'].id}")
    assert (row["council_mandate"], row["carried_over"]) == (mayor_of_gentofte(), False)


def test_a_person_lists_the_council_mandates_latest_first_and_on_a_day_those_held(client, movia):
    carla = movia["carla"]
    mandates.record(carla, make.municipality("Gentofte"), date(2026, 1, 15), party=make.party("C"))
    db.session.commit()
    member = mayor_of_gentofte(end=None, office=None, start="2026-01-15")
    assert get(client, f"/api/v1/persons/{carla.id}")["council_mandates"] == [member, mayor_of_gentofte()]
    assert results(client, "/api/v1/persons")[0]["council_mandates"] == [member, mayor_of_gentofte()]
    on_a_day = {day: results(client, f"/api/v1/persons?as_of={day}")[0]["council_mandates"]
                for day in ("2025-12-31", "2026-01-14", "2026-01-15")}
    assert on_a_day == {"2025-12-31": [mayor_of_gentofte()], "2026-01-14": [], "2026-01-15": [member]}


def test_gender_email_and_phone_never_leave_with_the_mandates(client, movia):
    carla = movia["carla"]
    mandates.record(carla, make.municipality("Gentofte"), date(2026, 1, 15), party=make.party("C"))
    db.session.commit()
    for path in (f"/api/v1/persons/{carla.id}", "/api/v1/persons", "/api/v1/persons?as_of=2025-12-31",
                 "/api/v1/memberships", "/api/v1/memberships?as_of=2025-12-31",
                 f"/api/v1/memberships/{movia['appointment'].id}"):
        response = client.get(path)
        assert "Gentofte" in response.text, path
        for private in (EMAIL, PHONE, "woman", "kvinde", "gender", "email", "phone"):
            assert private not in response.text, (path, private)


def _holders(count: int) -> None:
    """count more bodies following the period, each with a holder carrying on and a council mandate."""
    for i in range(count):
        seat = make.seat(make.organisation(f"Udvalg {count}-{i}"), has_substitute=False)
        person = make.person(f"Holder {count}-{i}", "Gentofte")
        make.appoint(seat, person, date(2022, 1, 1))
        mandates.record(person, make.municipality("Gentofte"), date(2022, 1, 1), office="borgmester")
    db.session.commit()


def test_a_page_takes_as_many_queries_for_one_person_as_for_many(client, movia):
    urls = ["/api/v1/persons?as_of=2026-02-01", "/api/v1/persons?", "/api/v1/memberships?as_of=2026-02-01",
            "/api/v1/memberships?", f"/api/v1/persons/{movia['carla'].id}",
            f"/api/v1/memberships/{movia['appointment'].id}"]

    def measured() -> tuple[dict[str, int], int]:
        counts, carried = {}, 0
        for url in urls:
            with make.queries() as statements:
                page = get(client, url + ("&limit=1000" if "?" in url else ""))
            counts[url] = len(statements)
            carried += sum(row.get("carried_over", False) for row in page.get("results", []))
        return counts, carried

    _holders(1)
    one, carried_one = measured()
    _holders(20)
    many, carried_many = measured()
    assert (carried_one, carried_many) == (2 * 2, 2 * 22)  # both membership lists: Carla and the holders
    assert one == many == {urls[0]: 2, urls[1]: 2, urls[2]: 3, urls[3]: 3, urls[4]: 2, urls[5]: 3}
