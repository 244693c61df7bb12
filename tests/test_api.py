"""The public JSON API: who sits where, as KL's website and other registries read it.

Every response a test reads is checked against the OpenAPI document first, so
the document stays true to what the API answers.
"""

import re
from datetime import date
from urllib.parse import quote, urlsplit

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

# The OpenAPI 3.1 meta-schema, as schemathesis ships it (in its module's __all__); jsonschema has none.
from schemathesis.specs.openapi.definitions import OPENAPI_31

from registry.api.openapi import DOCUMENT
from registry.appointments import services
from registry.appointments.models import EndReason, Role, Status
from registry.extensions import db
from registry.meetings.models import Outcome
from registry.organisations.models import ElectionPeriod, SeatAllocation
from registry.people.models import Gender
from tests import factories as make

# Both databases: as-of queries, sorting and paging in SQL.
pytestmark = pytest.mark.both_databases

DOCUMENT_URI = "urn:kkr-registry:openapi"
REGISTRY = Registry().with_resource(DOCUMENT_URI, DRAFT202012.create_resource(DOCUMENT))


def _operation(path: str) -> tuple[str, dict]:
    for template, item in DOCUMENT["paths"].items():
        if re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", template), path):
            return template, item["get"]
    raise AssertionError(f"{path} is not in the OpenAPI document")


def assert_matches_document(response, path: str) -> None:
    """The status is one the document gives for the path, and the body has that status's type and shape."""
    template, operation = _operation(path)
    status = str(response.status_code)
    assert status in operation["responses"], f"{path} answered {status}, which the document does not list"
    (media_type,) = operation["responses"][status]["content"]
    assert response.mimetype == media_type
    pointer = "/".join(part.replace("~", "~0").replace("/", "~1")
                       for part in ["paths", template, "get", "responses", status, "content", media_type, "schema"])
    validator = Draft202012Validator({"$ref": f"{DOCUMENT_URI}#/{pointer}"}, registry=REGISTRY,
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    validator.validate(response.get_json())


def get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, response.text
    assert_matches_document(response, urlsplit(url).path)
    return response.get_json()


def results(client, url: str) -> list[dict]:
    page = get(client, url)
    assert page["next"] is None, "the test expects one page"
    return page["results"]


@pytest.fixture
def rar(app):
    """RAR Hovedstaden through item 4.1 of 19 April 2024, Skoletjenesten until it closed, and one
    recommendation that still waits for the minister."""
    successor = make.organisation("Regionalt beskæftigelsesråd Hovedstaden", start_date=date(2025, 7, 1),
                                  appointing_authority="Beskæftigelsesministeren")
    rar = make.organisation("RAR Hovedstaden", short_name="RAR", appointing_authority="Beskæftigelsesministeren",
                            authority_is_external=True, end_date=date(2025, 6, 30), successor=successor)
    seat = make.seat(rar)
    period = ElectionPeriod(name="2022-2025", start_date=date(2022, 1, 1), end_date=date(2025, 12, 31))
    db.session.add(SeatAllocation(seat=seat, period=period, party=make.party("F", "SF – Socialistisk Folkeparti")))
    kofoed = make.person("Lotte Kofoed", "Frederiksberg", email="lotte@example.dk", phone="12345678",
                         gender=Gender.woman)
    peschardt = make.person("Marie-Louise Peschardt Jørgensen", "Hvidovre")
    make.municipality("Hvidovre").code = 167
    kofoed_member = make.appoint(seat, kofoed, date(2022, 1, 1), date(2024, 6, 30),
                                 decision=make.decision(date(2021, 12, 14), "4.1", Outcome.recommended))
    peschardt_substitute = make.appoint(seat, peschardt, date(2022, 1, 1), date(2024, 6, 30), role=Role.substitute)
    services.end(kofoed_member, date(2024, 6, 30), EndReason.resigned)
    services.end(peschardt_substitute, date(2024, 6, 30), EndReason.replaced)
    peschardt_member = make.appoint(seat, peschardt, date(2024, 7, 1), date(2025, 6, 30),
                                    decision=make.decision(date(2024, 4, 19), "4.1", Outcome.noted))
    waiting = make.appoint(seat, make.person("Vera Venter Eksempel"), date(2024, 7, 1), date(2025, 6, 30),
                           role=Role.substitute, status=Status.recommended)
    school = make.seat(make.organisation("Skoletjenesten", end_date=date(2024, 10, 31)), has_substitute=False)
    senturk = make.appoint(school, make.person("Esat Sentürk", "Høje-Taastrup", "B"), date(2022, 1, 1),
                           date(2024, 10, 31))
    services.end(senturk, date(2024, 10, 31), EndReason.body_dissolved)
    db.session.commit()
    return {"rar": rar, "successor": successor, "seat": seat, "school": school, "kofoed": kofoed,
            "peschardt": peschardt, "kofoed_member": kofoed_member, "peschardt_substitute": peschardt_substitute,
            "peschardt_member": peschardt_member, "waiting": waiting, "senturk": senturk}


SF = {"id": "parties/F", "name": "SF – Socialistisk Folkeparti", "classification": "party", "letter": "F",
      "identifiers": [{"scheme": "listebogstav", "identifier": "F"}], "links": [], "sources": []}


def test_memberships_on_a_day_give_seat_party_dates_and_the_kkr_decision(client, rar):
    rows = results(client, f"/api/v1/memberships?as_of=2024-04-19&organization_id=organizations/{rar['rar'].id}")
    decision_id = rar["kofoed_member"].decision_id
    assert rows == [
        {"id": f"memberships/{rar['kofoed_member'].id}", "person_id": f"persons/{rar['kofoed'].id}",
         "organization_id": f"organizations/{rar['rar'].id}", "post_id": f"posts/{rar['seat'].id}",
         "role": "member", "label": "Medlem", "seat_kind": "voting", "office": None,
         "on_behalf_of_id": "parties/F", "on_behalf_of": SF, "area_id": "areas/147",
         "legislative_period_id": "events/2022-2025",
         "start_date": "2022-01-01", "end_date": "2024-06-30", "end_reason": "resigned", "carried_over": False,
         "substitute_for_id": None,
         "decision": {"id": f"decisions/{decision_id}", "reference": "KKR Hovedstaden 2021-12-14 pkt. 4.1",
                      "meeting_date": "2021-12-14", "item_number": "4.1", "outcome": "recommended"},
         "council_mandate": None, "links": [],
         "sources": [{"url": f"http://localhost/beslutninger/{decision_id}",
                      "note": "KKR Hovedstaden 2021-12-14 pkt. 4.1"}]},
        {"id": f"memberships/{rar['peschardt_substitute'].id}", "person_id": f"persons/{rar['peschardt'].id}",
         "organization_id": f"organizations/{rar['rar'].id}", "post_id": f"posts/{rar['seat'].id}",
         "role": "substitute", "label": "Personlig suppleant", "seat_kind": "voting",
         "office": None, "on_behalf_of_id": "parties/F", "on_behalf_of": SF, "area_id": "areas/167",
         "legislative_period_id": "events/2022-2025",
         "start_date": "2022-01-01", "end_date": "2024-06-30", "end_reason": "replaced", "carried_over": False,
         "substitute_for_id": f"memberships/{rar['kofoed_member'].id}", "decision": None, "council_mandate": None,
         "links": [], "sources": []},
    ]


def test_the_bare_number_filters_as_the_id_does(client, rar):
    by_id = results(client, f"/api/v1/memberships?organization_id=organizations/{rar['rar'].id}")
    assert by_id == results(client, f"/api/v1/memberships?organization_id={rar['rar'].id}")
    assert len(by_id) == 3


def test_as_of_includes_the_first_and_the_last_day_in_office_and_nothing_outside(client, rar):
    def names(day: str) -> set[str]:
        return {row["id"] for row in results(client, f"/api/v1/memberships?as_of={day}")}

    senturk = f"memberships/{rar['senturk'].id}"
    assert senturk not in names("2021-12-31")
    assert senturk in names("2022-01-01")
    assert senturk in names("2024-10-31")
    assert senturk not in names("2024-11-01")


def test_without_as_of_the_whole_history_is_there_for_syncing(client, rar):
    rows = results(client, "/api/v1/memberships")
    assert [row["id"] for row in rows] == [f"memberships/{number}" for number in sorted(
        rar[key].id for key in ("kofoed_member", "peschardt_substitute", "peschardt_member", "senturk"))]


def test_the_personal_suppleant_points_at_the_member_of_the_same_seat(client, rar):
    substitute = rar["peschardt_substitute"]
    # On its own, and in the whole history: the member on the suppleant's first day.
    assert get(client, f"/api/v1/memberships/{substitute.id}")["substitute_for_id"] == (
        f"memberships/{rar['kofoed_member'].id}")
    member = get(client, f"/api/v1/memberships/{rar['peschardt_member'].id}")
    assert member["role"] == "member"
    assert member["substitute_for_id"] is None
    assert member["decision"]["reference"] == "KKR Hovedstaden 2024-04-19 pkt. 4.1"
    assert member["decision"]["outcome"] == "noted"


def test_on_a_day_the_suppleant_points_at_that_days_member(client, app):
    seat = make.seat()
    first = make.appoint(seat, make.person("Første Medlem Eksempel"), date(2022, 1, 1), date(2023, 6, 30))
    second = make.appoint(seat, make.person("Andet Medlem Eksempel"), date(2023, 7, 1))
    suppleant = make.appoint(seat, make.person("Samme Suppleant Eksempel"), date(2022, 1, 1), role=Role.substitute)
    db.session.commit()

    def points_at(query: str) -> str:
        (row,) = [row for row in get(client, "/api/v1/memberships" + query)["results"]
                  if row["id"] == f"memberships/{suppleant.id}"]
        return row["substitute_for_id"]

    assert points_at("?as_of=2022-06-01") == f"memberships/{first.id}"
    assert points_at("?as_of=2024-06-01") == f"memberships/{second.id}"
    assert points_at("") == f"memberships/{first.id}"  # without a day: the member on the suppleant's first day


def test_a_suppleant_without_a_member_that_day_points_at_nobody(client, rar):
    vacant = make.seat(rar["successor"], "Plads 2")
    suppleant = make.appoint(vacant, make.person("Sune Suppleant Eksempel"), date(2025, 7, 1), role=Role.substitute)
    db.session.commit()
    assert get(client, f"/api/v1/memberships/{suppleant.id}")["substitute_for_id"] is None


def test_recommendations_waiting_for_the_minister_are_not_public(client, rar):
    waiting = f"memberships/{rar['waiting'].id}"
    assert waiting not in {row["id"] for row in results(client, "/api/v1/memberships")}
    assert waiting not in {row["id"] for row in results(client, "/api/v1/memberships?as_of=2024-07-01")}
    waiting = rar["waiting"]
    get(client, f"/api/v1/memberships/{waiting.id}", 404)
    # Nor is the person, who has never held a seat.
    assert "Vera Venter Eksempel" not in {row["name"] for row in results(client, "/api/v1/persons")}
    get(client, f"/api/v1/persons/{waiting.person_id}", 404)


def test_persons_show_name_municipality_and_party_never_contact_details_or_gender(client, rar):
    kofoed = get(client, f"/api/v1/persons/{rar['kofoed'].id}")
    assert kofoed == {"id": f"persons/{rar['kofoed'].id}", "name": "Lotte Kofoed", "sort_name": "Kofoed, Lotte",
                      "given_name": "Lotte", "family_name": "Kofoed", "area_id": "areas/147",
                      "municipality": {"id": "areas/147", "name": "Frederiksberg", "classification": "kommune",
                                       "identifier": "0147",
                                       "identifiers": [{"scheme": "kommunekode", "identifier": "0147"}],
                                       "parent_id": "areas/1084"},
                      "party_id": "parties/F", "party": SF, "council_mandates": [], "identifiers": [], "links": [],
                      "sources": []}
    text = str(get(client, "/api/v1/persons"))
    assert "lotte@example.dk" not in text
    assert "12345678" not in text
    assert "woman" not in text


def test_persons_on_a_day_are_those_holding_a_seat(client, rar):
    def names(query: str) -> list[str]:
        return [row["name"] for row in results(client, "/api/v1/persons" + query)]

    assert names("?as_of=2024-04-19") == ["Lotte Kofoed", "Marie-Louise Peschardt Jørgensen", "Esat Sentürk"]
    assert names("?as_of=2024-11-01") == ["Marie-Louise Peschardt Jørgensen"]
    assert names(f"?organization_id={rar['school'].organisation_id}") == ["Esat Sentürk"]


def test_filters_by_party_and_municipality(client, rar):
    def ids(url: str) -> list[str]:
        return [row["id"] for row in results(client, url)]

    assert ids("/api/v1/memberships?on_behalf_of_id=parties/B") == [f"memberships/{rar['senturk'].id}"]
    assert ids("/api/v1/memberships?on_behalf_of_id=B") == [f"memberships/{rar['senturk'].id}"]
    peschardt = [f"memberships/{rar['peschardt_substitute'].id}", f"memberships/{rar['peschardt_member'].id}"]
    assert ids("/api/v1/memberships?area_id=areas/167") == peschardt
    assert ids("/api/v1/memberships?area_id=areas/167&role=member") == peschardt[1:]
    # A region holds its municipalities: Frederiksberg, Hvidovre and Høje-Taastrup lie in Region Hovedstaden.
    assert len(ids("/api/v1/memberships?area_id=areas/1084")) == 4
    assert [row["name"] for row in results(client, "/api/v1/persons?party_id=parties/B")] == ["Esat Sentürk"]
    assert [row["name"] for row in results(client, "/api/v1/persons?area_id=areas/0167")] == [
        "Marie-Louise Peschardt Jørgensen"]
    assert results(client, "/api/v1/memberships?on_behalf_of_id=999999") == []
    areas = {row["id"]: row for row in results(client, "/api/v1/areas?limit=1000")}
    assert areas["areas/167"] == {"id": "areas/167", "name": "Hvidovre", "classification": "kommune",
                                  "identifier": "0167", "identifiers": [{"scheme": "kommunekode",
                                                                         "identifier": "0167"}],
                                  "parent_id": "areas/1084"}
    assert areas["areas/1084"]["name"] == "Region Hovedstaden"
    assert {"id": "parties/B", "name": "Parti B", "classification": "party", "letter": "B",
            "identifiers": [{"scheme": "listebogstav", "identifier": "B"}], "links": [], "sources": []
            } in results(client, "/api/v1/parties")


def test_organizations_carry_dissolution_date_and_successor(client, rar):
    organization = get(client, f"/api/v1/organizations/{rar['rar'].id}")
    assert organization == {
        "id": f"organizations/{rar['rar'].id}", "name": "RAR Hovedstaden", "short_name": "RAR",
        "other_names": [{"name": "RAR"}], "classification": "other", "founding_date": None,
        "dissolution_date": "2025-06-30", "successor_id": f"organizations/{rar['successor'].id}",
        "appointing_authority": "Beskæftigelsesministeren", "appointing_authority_is_external": True,
        "identifiers": [], "links": [], "sources": [],
    }

    def names(query: str = "") -> list[str]:
        return [row["name"] for row in results(client, "/api/v1/organizations" + query)]

    assert names() == ["Regionalt beskæftigelsesråd Hovedstaden", "RAR Hovedstaden", "Skoletjenesten"]
    assert names("?as_of=2024-11-01") == ["RAR Hovedstaden"]
    assert names("?as_of=2025-07-01") == ["Regionalt beskæftigelsesråd Hovedstaden"]
    assert names("?classification=party") == ["Parti B", "SF – Socialistisk Folkeparti"]
    assert names("?classification=party&as_of=2025-07-01") == ["Parti B", "SF – Socialistisk Folkeparti"]
    assert names("?classification=council") == []


def test_the_parties_are_organizations_paged_by_letter(client, rar):
    make.party("Ø", "Enhedslisten")
    make.party("A+F+Ø", "Valggruppe A, F og Ø")
    db.session.commit()
    seen, url = [], "/api/v1/organizations?classification=party&limit=2"
    while url:
        page = get(client, url)
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(["parties/A+F+Ø", "parties/B", "parties/F", "parties/Ø"])
    assert len(set(seen)) == 4
    assert get(client, "/api/v1/parties/%C3%98")["name"] == "Enhedslisten"
    assert get(client, "/api/v1/parties/A%2BF%2B%C3%98")["id"] == "parties/A+F+Ø"
    # As if in one list, the bodies before the parties.
    assert len(results(client, "/api/v1/organizations?classification=party&after=organizations/1")) == 4
    assert results(client, "/api/v1/organizations?after=parties/A") == []


def test_legal_basis_is_the_organizations_source(client, rar):
    rar["rar"].legal_basis = "Lov om organisering og understøttelse af beskæftigelsesindsatsen m.v. § 22"
    rar["successor"].legal_basis = "https://www.retsinformation.dk/eli/lta/2025/123"
    db.session.commit()
    assert get(client, f"/api/v1/organizations/{rar['rar'].id}")["sources"] == [
        {"url": f"http://localhost/organisationer/{rar['rar'].id}",
         "note": "Lovgrundlag: Lov om organisering og understøttelse af beskæftigelsesindsatsen m.v. § 22"}]
    assert get(client, f"/api/v1/organizations/{rar['successor'].id}")["sources"] == [
        {"url": "https://www.retsinformation.dk/eli/lta/2025/123", "note": "Lovgrundlag"}]


def test_election_periods_are_events_and_every_reference_resolves(client, rar):
    assert results(client, "/api/v1/events") == [
        {"id": "events/2022-2025", "name": "Valgperioden 2022-2025", "classification": "legislative period",
         "start_date": "2022-01-01", "end_date": "2025-12-31"}]
    assert results(client, "/api/v1/events?as_of=2026-01-01") == []
    member = get(client, f"/api/v1/memberships/{rar['peschardt_member'].id}")
    for field in ("id", "person_id", "organization_id", "post_id", "on_behalf_of_id", "area_id",
                  "legislative_period_id"):
        resolved = get(client, f"/api/v1/{quote(member[field])}")
        assert resolved["id"] == member[field]
    assert get(client, f"/api/v1/{member['decision']['id']}")["reference"] == "KKR Hovedstaden 2024-04-19 pkt. 4.1"
    assert get(client, "/api/v1/areas/1084")["classification"] == "region"


def test_posts_show_the_party_group_holding_them_per_election_period(client, rar):
    post = get(client, f"/api/v1/posts/{rar['seat'].id}")
    assert post == {
        "id": f"posts/{rar['seat'].id}", "label": "Plads 1", "role": "medlem", "seat_kind": "voting",
        "ex_officio": None, "pool_rank": None, "filled_by": "kkr", "appointing_authority": "Beskæftigelsesministeren",
        "appointing_authority_is_external": True, "nominated_by": None,
        "organization_id": f"organizations/{rar['rar'].id}", "position": 0,
        "start_date": None, "end_date": None, "has_substitute": True,
        "party_allocations": [{"election_period": "2022-2025", "legislative_period_id": "events/2022-2025",
                               "start_date": "2022-01-01", "end_date": "2025-12-31", "party": SF}],
        "links": [], "sources": [],
    }
    # A seat closes with its body.
    assert [row["id"] for row in results(client, "/api/v1/posts?as_of=2024-11-01")] == [f"posts/{rar['seat'].id}"]
    assert [row["id"] for row in results(client, f"/api/v1/posts?organization_id={rar['school'].organisation_id}")
            ] == [f"posts/{rar['school'].id}"]


def test_following_next_reads_every_row_once_even_while_rows_are_added(client, app):
    for i in range(5):
        make.seat(make.organisation(f"Organisation {i}"))
    db.session.commit()
    seen, url = [], "/api/v1/posts?limit=2"
    while url:
        page = get(client, url)
        seen += [int(row["id"].removeprefix("posts/")) for row in page["results"]]
        if len(seen) == 2:
            make.seat(make.organisation("Added while paging"))
            db.session.commit()
        url = page["next"]
    assert seen == sorted(set(seen))
    assert len(seen) == 6


def test_next_keeps_the_filters(client, rar):
    page = get(client, "/api/v1/memberships?as_of=2024-04-19&limit=1")
    assert page["next"].startswith("http://localhost/api/v1/memberships?")
    assert "as_of=2024-04-19" in page["next"]
    assert "limit=1" in page["next"]
    assert "after=" in page["next"]


@pytest.mark.parametrize("query", [
    "as_of=i-går", "as_of=2024-02-30", "as_of=20240419", "as_of=2024-W16-5", "limit=0", "limit=1001", "limit=ti",
    "after=-1", "organization_id=RAR", "organization_id=1.5", "organization_id=99999999999",
    "organization_id=" + "9" * 5000, "role=formand", "organisation_id=1", "limit=1&limit=2",
])
def test_bad_parameters_get_a_json_400_that_says_why(client, app, query):
    error = get(client, f"/api/v1/memberships?{query}", 400)
    assert error["status"] == 400
    assert error["title"] == "Bad Request"
    assert error["detail"]


def test_an_unknown_parameter_is_named_with_the_ones_that_exist(client, app):
    detail = get(client, "/api/v1/posts?organisation_id=1", 400)["detail"]
    assert "'organisation_id'" in detail
    assert "organization_id" in detail


def test_single_objects_take_no_parameters(client, rar):
    get(client, f"/api/v1/organizations/{rar['rar'].id}?as_of=2024-04-19", 400)


@pytest.mark.parametrize("path", [
    "/api/v1/organizations/999", "/api/v1/posts/999", "/api/v1/persons/999", "/api/v1/memberships/999",
    "/api/v1/organizations/99999999999", "/api/v1/persons/abc", "/api/v1/parties/ZZ", "/api/v1/parties/%00",
    "/api/v1/areas/999", "/api/v1/areas/Atlantis", "/api/v1/events/1900-1903", "/api/v1/decisions/999",
])
def test_missing_objects_are_a_json_404(client, app, path):
    error = get(client, path, 404)
    assert error["status"] == 404


@pytest.mark.parametrize("path", ["/api/v1/findes-ikke", "/api/v2/organizations", "/api/"])
def test_unknown_paths_under_api_are_a_json_404(client, app, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 404


def test_the_api_cannot_be_written_to(client, app):
    response = client.post("/api/v1/organizations", json={"name": "Ny"})
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"
    assert "GET" in response.headers["Allow"]


def test_any_website_may_read_the_api(client, rar):
    for url in ("/api/v1/memberships", "/api/v1/persons/999", "/api/v1/memberships?limit=0"):
        assert client.get(url).headers["Access-Control-Allow-Origin"] == "*"


def test_the_rest_of_the_site_stays_html(client, app):
    response = client.get("/findes-ikke")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_openapi_document_is_valid_openapi_3_1_and_served(client, app):
    Draft202012Validator(OPENAPI_31).validate(DOCUMENT)
    for schema in DOCUMENT["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    assert get(client, "/api/v1/openapi.json") == DOCUMENT


# Lists that need a login (security in the document) are checked signed in, in test_api_nominations.py.
@pytest.mark.parametrize("path", [path for path, item in DOCUMENT["paths"].items()
                                  if "{" not in path and "security" not in item["get"]])
def test_every_documented_list_answers_as_documented(client, rar, path):
    get(client, path)


LISTS = ["/api/v1/organizations?as_of=2024-04-19", "/api/v1/posts?as_of=2024-04-19", "/api/v1/persons?as_of=2024-04-19",
         "/api/v1/memberships?as_of=2024-04-19", "/api/v1/parties?", "/api/v1/areas?", "/api/v1/events?",
         "/api/v1/organizations?classification=party",
         # Without a day too: a post's appointing authority is its body's unless it has its own.
         "/api/v1/posts?", "/api/v1/memberships?"]


def test_each_list_is_a_fixed_number_of_queries_however_long_the_page(client, app):
    def queries() -> dict[str, int]:
        counts = {}
        for url in LISTS:
            with make.queries() as statements:
                assert get(client, url + "&limit=1000")["results"]
            counts[url] = len(statements)
        return counts

    def add(prefix: str, n: int) -> None:
        for i in range(n):
            seat = make.seat(make.organisation(f"{prefix} {i}"))
            db.session.add(SeatAllocation(seat=seat, period=period, party=make.party(f"{prefix[0]}{i}")))
            member = make.person(f"{prefix} medlem {i}", f"{prefix} kommune {i}", party_letter=f"{prefix[0]}{i}")
            make.appoint(seat, member, date(2022, 1, 1), decision=make.decision(number=f"{len(prefix)}.{i}"))
            make.appoint(seat, make.person(f"{prefix} suppleant {i}"), date(2022, 1, 1), role=Role.substitute)
        db.session.commit()

    period = ElectionPeriod(name="2022-2025", start_date=date(2022, 1, 1), end_date=date(2025, 12, 31))
    add("Lille", 1)
    small = queries()
    add("Stor", 20)
    # One query a list; persons bring their council mandates in one more, memberships also the election periods
    # (for carrying over).
    assert queries() == small == dict.fromkeys(LISTS, 1) | {"/api/v1/persons?as_of=2024-04-19": 2,
                                                          "/api/v1/memberships?as_of=2024-04-19": 3,
                                                          "/api/v1/memberships?": 3}
