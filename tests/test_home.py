"""The public home page: today's holders per organisation, in Danish, with the CSV link."""

from datetime import date

from registry.appointments.models import Role
from registry.extensions import db
from tests import factories as make


def page(client, query: str = "") -> str:
    response = client.get("/" + query)
    assert response.status_code == 200
    return response.text


def test_home_lists_bodies_with_todays_holders_in_danish(client, app):
    seat = make.seat(make.organisation("RAR Hovedstaden", appointing_authority="Beskæftigelsesministeren"))
    make.appoint(seat, make.person("Lotte Kofoed"), date(2022, 1, 1))
    make.appoint(seat, make.person("Marie-Louise Peschardt Jørgensen"), date(2022, 1, 1), role=Role.substitute)
    make.seat(make.organisation("Movia"))
    db.session.commit()
    html = page(client)
    assert '<html lang="da">' in html
    assert "RAR Hovedstaden" in html
    assert "Lotte Kofoed (F)" in html
    assert "Marie-Louise Peschardt Jørgensen (F)" in html
    assert "Ledig" in html  # Movia's seat
    assert "/export/appointments.csv?as_of=" in html


def test_as_of_shows_an_earlier_day(client, app):
    school = make.seat(make.organisation("Skoletjenesten", end_date=date(2024, 10, 31)), has_substitute=False)
    make.appoint(school, make.person("Esat Sentürk", party_letter="B"), date(2022, 1, 1), date(2024, 10, 31))
    db.session.commit()
    assert "Esat Sentürk (B)" in page(client, "?as_of=2024-04-19")
    assert "19. april 2024" in page(client, "?as_of=2024-04-19")
    assert "Skoletjenesten" not in page(client, "?as_of=2024-11-01")


def test_bad_date_is_a_danish_400_not_a_500(client, app):
    response = client.get("/?as_of=i-går")
    assert response.status_code == 400
    assert "Ugyldig dato" in response.text


def test_unknown_page_is_a_danish_404(client, app):
    response = client.get("/findes-ikke")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.text


def test_home_page_query_count_does_not_grow_with_the_registry(client, app):
    def queries() -> int:
        return make.count_queries(client, "/")

    def add_bodies(prefix: str, n: int) -> None:
        for i in range(n):
            seat = make.seat(make.organisation(f"{prefix} {i}"))
            make.appoint(seat, make.person(f"{prefix} person {i}"), date(2022, 1, 1))
            make.appoint(seat, make.person(f"{prefix} suppleant {i}"), date(2022, 1, 1), role=Role.substitute)
        db.session.commit()

    add_bodies("Lille", 2)
    small = queries()
    add_bodies("Stor", 20)
    assert queries() == small
