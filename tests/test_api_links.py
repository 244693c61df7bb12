"""The links in the API's objects (a membership's decision, a body's legal basis) are built once per request
from the address of the first (serializers._link): they must still follow each request's own host, and
PUBLIC_URL where it is set."""

from datetime import date

from registry import config
from registry.extensions import db
from tests import factories as make


def _sources(client, url: str, **kwargs) -> list[dict]:
    return [row["sources"] for row in client.get(url, **kwargs).get_json()["results"]]


def test_membership_links_follow_each_request_and_public_url(app, client):
    seat = make.seat(make.organisation(legal_basis="Lov om en aktiv beskæftigelsesindsats § 13"))
    first = make.appoint(seat, make.person("Lotte Kofoed"), date(2022, 1, 1), date(2023, 12, 31),
                         decision=make.decision(date(2021, 12, 14), "4.1"))
    second = make.appoint(seat, make.person("Marie Jørgensen"), date(2024, 1, 1),
                          decision=make.decision(date(2023, 12, 12), "7"))
    db.session.commit()

    def expected(base: str) -> list[list[dict]]:
        return [[{"url": f"{base}/beslutninger/{first.decision_id}", "note": "KKR Hovedstaden 2021-12-14 pkt. 4.1"}],
                [{"url": f"{base}/beslutninger/{second.decision_id}", "note": "KKR Hovedstaden 2023-12-12 pkt. 7"}]]

    assert _sources(client, "/api/v1/memberships") == expected("http://localhost")
    assert _sources(client, "/api/v1/memberships", base_url="https://other.example") == expected(
        "https://other.example")
    app.config.update(config.public_url("https://register.example.dk"))
    public = "https://register.example.dk"
    assert _sources(client, "/api/v1/memberships", base_url=public) == expected(public)
    assert client.get("/api/v1/organizations", base_url=public).get_json()["results"][0]["sources"] == [
        {"url": f"https://register.example.dk/organisationer/{seat.organisation_id}",
         "note": "Lovgrundlag: Lov om en aktiv beskæftigelsesindsats § 13"}]
