"""The secretariat's front page: empty seats, terms and bodies ending soon, the latest changes."""

from datetime import timedelta

import pytest

from registry.appointments.models import Role
from registry.auth.models import UserRole
from registry.dates import today
from registry.extensions import db
from tests import factories as make


def login_as(client, role: UserRole = UserRole.secretariat, username: str = "haan") -> None:
    make.user(username, role, party_letter="F" if role is UserRole.party else None)
    db.session.commit()
    assert make.login(client, username).status_code == 302


def section(html: str, heading: str) -> str:
    """The part of the page under one h2, up to the next."""
    return html.split(heading, 1)[1].split("<h2", 1)[0]


def dashboard(client, query: str = "") -> str:
    response = client.get("/sekretariat" + query)
    assert response.status_code == 200
    return response.text


def test_anonymous_is_sent_to_login(client, app):
    response = client.get("/sekretariat")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_party_group_is_refused(client, app):
    login_as(client, UserRole.party, "sf")
    assert client.get("/sekretariat").status_code == 403


@pytest.mark.parametrize("role", [UserRole.admin, UserRole.secretariat, UserRole.viewer])
def test_secretariat_and_readers_see_the_front_page(client, app, role):
    login_as(client, role)
    assert "<h1>Sekretariatet</h1>" in dashboard(client)


def test_seats_without_a_member_or_a_suppleant_today_are_listed(client, app):
    day = today()
    start = day - timedelta(days=100)
    rar = make.organisation("RAR Hovedstaden")
    full = make.seat(rar, "Fuld plads", has_substitute=True)
    make.appoint(full, make.person("Lotte Kofoed"), start)
    make.appoint(full, make.person("Marie-Louise Peschardt Jørgensen"), start, role=Role.substitute)
    no_substitute = make.seat(rar, "Uden suppleant", has_substitute=True)
    make.appoint(no_substitute, make.person("Eksempel Et"), start)
    make.seat(rar, "Helt ledig", has_substitute=True)
    single = make.seat(rar, "Enkeltplads", has_substitute=False)
    make.appoint(single, make.person("Eksempel To"), start)
    left = make.seat(rar, "Udtrådt i går", has_substitute=False)
    make.appoint(left, make.person("Eksempel Tre"), start, day - timedelta(days=1))
    make.seat(make.organisation("Nedlagt råd", end_date=day - timedelta(days=1)), "Gammel plads")
    db.session.commit()
    login_as(client)
    vacant = section(dashboard(client), "Ledige pladser i dag")
    assert "Fuld plads" not in vacant
    assert "Enkeltplads" not in vacant
    assert "Gammel plads" not in vacant
    assert "<td>Uden suppleant</td>\n      <td>suppleant</td>" in vacant
    assert "<td>Helt ledig</td>\n      <td>medlem og suppleant</td>" in vacant
    assert "<td>Udtrådt i går</td>\n      <td>medlem</td>" in vacant


def test_terms_ending_within_90_days_by_default_are_listed(client, app):
    day = today()
    seat = make.seat(make.organisation("Movia"), "Plads 1", has_substitute=True)
    make.appoint(seat, make.person("Snart Færdig"), day - timedelta(days=10), day + timedelta(days=30))
    make.appoint(seat, make.person("Senere Færdig"), day - timedelta(days=10), day + timedelta(days=200),
                 role=Role.substitute)
    db.session.commit()
    login_as(client)
    ending = section(dashboard(client), "Udpegninger, der snart udløber")
    assert "Snart Færdig</a> (F)" in ending
    assert "Senere Færdig" not in ending
    assert (day + timedelta(days=30)).strftime("%d.%m.%Y") in ending


def test_the_windows_are_configurable(client, app):
    """Closing bodies by DASHBOARD_ENDING_DAYS; ending terms by each body's warning days."""
    app.config["DASHBOARD_ENDING_DAYS"] = 365
    day = today()
    seat = make.seat(make.organisation("Movia", warning_days=365), "Plads 1")
    make.appoint(seat, make.person("Senere Færdig"), day - timedelta(days=10), day + timedelta(days=200))
    make.organisation("Skoletjenesten", end_date=day + timedelta(days=300))
    db.session.commit()
    login_as(client)
    html = dashboard(client)
    assert "Senere Færdig</a> (F)" in section(html, "Udpegninger, der snart udløber")
    assert "Skoletjenesten" in section(html, "Organisationer, der nedlægges inden for 365 dage")


def test_bodies_closing_soon_are_listed_with_their_successor(client, app):
    day = today()
    successor = make.organisation("Sundhedsråd Hovedstaden")
    make.organisation("Sundhedssamarbejdsudvalget", end_date=day + timedelta(days=20), successor=successor)
    make.organisation("Lukket for længe siden", end_date=day - timedelta(days=20))
    db.session.commit()
    login_as(client)
    closing = section(dashboard(client), "Organisationer, der nedlægges inden for 90 dage")
    assert "Sundhedssamarbejdsudvalget" in closing
    assert "Sundhedsråd Hovedstaden" in closing
    assert "Lukket for længe siden" not in closing


def test_the_latest_changes_say_who_changed_what(client, app):
    organisation = make.organisation("Movia")
    db.session.commit()
    login_as(client)
    client.post(f"/organisationer/{organisation.id}/rediger", data={
        "name": "Movia", "kind": "other", "appointing_authority": "KKR Hovedstaden",
        "authority_is_external": "nej", "gender_rule": "none", "follows_election_period": "ja",
        "version": organisation.version, "note": "Trafikselskab"})
    changes = section(dashboard(client), "Seneste ændringer")
    assert f'haan tilføjede en note til <a href="/organisationer/{organisation.id}">Movia</a>' in changes
    assert f'Systemet oprettede organisationen <a href="/organisationer/{organisation.id}">Movia</a>' in changes
    assert "loggede ind" not in changes
    assert "login" not in changes


def test_long_lists_come_a_page_at_a_time(client, app):
    for i in range(30):
        make.seat(make.organisation(f"Eksempelråd {i:02d}"), "Plads 1")
    db.session.commit()
    login_as(client)
    first = section(dashboard(client), "Ledige pladser i dag")
    assert "Eksempelråd 00" in first
    assert "Eksempelråd 29" not in first
    assert 'href="/sekretariat?ledige=2#ledige"' in first
    second = section(dashboard(client, "?ledige=2"), "Ledige pladser i dag")
    assert "Eksempelråd 29" in second
    assert "Eksempelråd 00" not in second
    assert client.get("/sekretariat?ledige=x").status_code == 400


def test_the_front_page_query_count_does_not_grow_with_the_registry(client, app):
    day = today()
    login_as(client)

    def add(prefix: str, n: int) -> None:
        successor = make.organisation(f"{prefix} efterfølger")
        for i in range(n):
            organisation = make.organisation(f"{prefix} {i}", end_date=day + timedelta(days=10), successor=successor)
            make.seat(organisation, "Tom plads")
            seat = make.seat(organisation, "Plads med suppleant", has_substitute=True)
            make.appoint(seat, make.person(f"{prefix} medlem {i}"), day - timedelta(days=5), day + timedelta(days=5))
        db.session.commit()

    add("Lille", 1)
    small = make.count_queries(client, "/sekretariat")
    add("Stor", 20)
    assert make.count_queries(client, "/sekretariat") == small
