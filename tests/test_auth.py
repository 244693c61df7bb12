"""Logging in and out, and the role check on pages that are not public."""

import pytest
import sqlalchemy as sa

from registry.audit.models import AuditEntry
from registry.auth.models import UserRole
from registry.extensions import db
from tests import factories as make


def test_secretariat_logs_in_and_out(client, app):
    make.user("haan")
    db.session.commit()
    response = make.login(client, "haan")
    assert response.status_code == 302
    assert "Log ud" in client.get("/").get_data(as_text=True)
    response = client.post("/logout", follow_redirects=True)
    assert "Du er logget ud" in response.get_data(as_text=True)
    assert "Log ind" in client.get("/").get_data(as_text=True)
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.in_(["login", "logout"])))
    assert list(actions) == ["login", "logout"]


@pytest.mark.parametrize("username, password", [("haan", "forkert adgangskode"), ("ukendt", make.PASSWORD)])
def test_wrong_login_gets_one_danish_message_for_both_cases(client, app, username, password):
    make.user("haan")
    db.session.commit()
    response = make.login(client, username, password)
    assert response.status_code == 200
    assert "Forkert brugernavn eller adgangskode." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.action == "login_failed"))


def test_empty_login_form_says_what_is_missing(client, app):
    html = client.post("/login", data={}).get_data(as_text=True)
    assert "Skriv dit brugernavn." in html and "Skriv din adgangskode." in html


def test_disabled_user_cannot_log_in(client, app):
    user = make.user("haan")
    user.active = False
    db.session.commit()
    assert "Forkert brugernavn" in make.login(client, "haan").get_data(as_text=True)


@pytest.mark.parametrize("target, expected", [
    ("/import", "/import"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
])
def test_login_returns_only_to_pages_on_this_site(client, app, target, expected):
    make.user("haan")
    db.session.commit()
    response = client.post(f"/login?next={target}", data={"username": "haan", "password": make.PASSWORD})
    assert response.headers["Location"] == expected


def test_anonymous_is_sent_to_login_and_viewer_is_refused(client, app):
    make.user("laeser", UserRole.viewer)
    db.session.commit()
    response = client.get("/import")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    make.login(client, "laeser")
    response = client.get("/import")
    assert response.status_code == 403
    assert "Du har ikke adgang til denne side." in response.get_data(as_text=True)


def test_party_group_user_is_refused_secretariat_pages(client, app):
    make.user("sf", UserRole.party, party_letter="F")
    db.session.commit()
    make.login(client, "sf")
    assert client.get("/import").status_code == 403


def test_a_copied_session_stops_working_after_password_change(client, app):
    from registry.auth.services import set_password

    user = make.user("haan")
    db.session.commit()
    make.login(client, "haan")
    assert client.get("/import").status_code == 200
    set_password(user, "en helt anden adgangskode")
    db.session.commit()
    assert client.get("/import").status_code == 302
