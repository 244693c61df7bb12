"""Security headers, cookies, the absolute lifetime of a login, and CSRF on every state-changing request."""

import re
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.routing import IntegerConverter

from registry import config, create_app, security
from registry.audit.models import AuditEntry
from registry.auth.models import UserRole
from registry.extensions import csrf, db
from registry.people.models import Person
from tests import factories as make
from tests.conftest import OwnContextClient

ROOT = Path(__file__).resolve().parent.parent
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def app(app):
    security.register(app)  # until create_app calls it; a second call does nothing
    return app


def log_in(client, username: str = "haan", role: UserRole = UserRole.secretariat) -> None:
    make.user(username, role)
    db.session.commit()
    assert make.login(client, username).status_code == 302


# --- Headers -----------------------------------------------------------------------------------------

EXPECTED_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
                "connect-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'")


def assert_security_headers(response) -> None:
    headers = response.headers
    assert headers["Content-Security-Policy"] == EXPECTED_CSP
    assert "unsafe-inline" not in EXPECTED_CSP
    assert "unsafe-eval" not in EXPECTED_CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize(("path", "status"), [
    ("/", 200),
    ("/login", 200),
    ("/personer", 200),
    ("/findes-ikke", 404),
    ("/import", 302),
    ("/api/v1/organizations", 200),
    ("/api/v1/openapi.json", 200),
    ("/api/v1/persons/999999", 404),
    ("/static/registry.js", 200),
    ("/sprog/en?next=/", 302),
])
def test_every_response_has_the_security_headers(client, app, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert_security_headers(response)
    assert "Strict-Transport-Security" not in response.headers  # plain http


def test_pages_for_a_logged_in_user_are_not_cached(client, app):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    log_in(client)
    for path in ("/", "/import", "/findes-ikke"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "Cookie" in response.headers["Vary"]
        assert_security_headers(response)


def test_hsts_only_over_https(client, app):
    response = client.get("/", base_url="https://registry.example")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/").headers


@pytest.mark.parametrize(("proxies", "expected"), [(1, "max-age=31536000"), (0, None)])
def test_hsts_behind_a_proxy_follows_x_forwarded_proto_only_when_the_proxy_is_trusted(database_url, proxies,
                                                                                       expected):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "TRUSTED_PROXIES": proxies})
    security.register(app)
    response = app.test_client().get("/", headers={"X-Forwarded-Proto": "https"}, buffered=True)
    assert response.headers.get("Strict-Transport-Security") == expected
    with app.app_context():
        db.engine.dispose()


def test_the_templates_hold_nothing_the_policy_would_block():
    """No inline script, event handler, style element or style attribute: the CSP would block them."""
    forbidden = re.compile(r"""style\s*=|<style|<script(?![^>]*\bsrc=)|\son[a-z]+\s*=|javascript:""", re.I)
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in sorted((ROOT / "templates").rglob("*.html"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if forbidden.search(line)]
    assert found == []
    scripts = (ROOT / "static" / "registry.js").read_text(encoding="utf-8")
    assert "eval(" not in scripts
    assert "new Function" not in scripts
    assert "setAttribute(\"style\"" not in scripts


def test_the_stylesheets_load_only_from_this_site():
    dkfds = next((ROOT / "static" / "vendor").glob("dkfds-*"))
    css = (dkfds / "css" / "dkfds.min.css").read_text(encoding="utf-8") + (ROOT / "static" / "registry.css").read_text()
    urls = set(re.findall(r"url\(([^)]*)\)", css))
    assert urls
    assert all(not re.match(r"""['"]?(https?:|//)""", url) for url in urls)
    assert "@import" not in css


# --- Cookies -----------------------------------------------------------------------------------------

def set_cookies(response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


@pytest.mark.parametrize("secure", [False, True])
def test_session_and_language_cookies_are_httponly_lax_and_secure_when_configured(client, app, secure):
    app.config["SESSION_COOKIE_SECURE"] = secure
    make.user("haan")
    db.session.commit()
    base = "https://localhost" if secure else "http://localhost"
    cookies = set_cookies(client.post("/login", base_url=base, data={"username": "haan", "password": make.PASSWORD}))
    language = set_cookies(client.get("/sprog/en", base_url=base))
    for cookie in (cookies["session"], language["lang"]):
        parts = [part.strip() for part in cookie.split(";")]
        assert "HttpOnly" in parts
        assert "SameSite=Lax" in parts
        assert ("Secure" in parts) is secure


def test_the_settings_come_from_the_environment(monkeypatch, tmp_path):
    settings = config.load(str(tmp_path))
    assert (settings["SESSION_COOKIE_SECURE"], settings["SESSION_COOKIE_HTTPONLY"],
            settings["SESSION_COOKIE_SAMESITE"], settings["SESSION_LIFETIME_HOURS"]) == (False, True, "Lax", 8)
    assert settings["PERMANENT_SESSION_LIFETIME"].total_seconds() == 8 * 3600
    assert (settings["LOGIN_ADDRESS_LIMIT"], settings["LOGIN_ADDRESS_WINDOW_MINUTES"]) == (20, 15)
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    monkeypatch.setenv("SESSION_LIFETIME_HOURS", "2")
    monkeypatch.setenv("LOGIN_ADDRESS_LIMIT", "50")
    settings = config.load(str(tmp_path))
    assert (settings["SESSION_COOKIE_SECURE"], settings["SESSION_LIFETIME_HOURS"]) == (True, 2)
    assert settings["WTF_CSRF_TIME_LIMIT"] == 2 * 3600
    assert settings["LOGIN_ADDRESS_LIMIT"] == 50
    monkeypatch.setenv("SESSION_LIFETIME_HOURS", "otte")
    with pytest.raises(RuntimeError, match="SESSION_LIFETIME_HOURS must be a number"):
        config.load(str(tmp_path))


# --- The absolute lifetime of a login ----------------------------------------------------------------

def age_login(client, seconds: float | None) -> None:
    with client.session_transaction() as session:
        if seconds is None:
            del session[security.LOGIN_AT]
        else:
            session[security.LOGIN_AT] = int(time.time() - seconds)


def test_a_login_ends_after_eight_hours_however_active(client, app):
    log_in(client)
    age_login(client, 8 * 3600 - 60)
    assert client.get("/import").status_code == 200
    age_login(client, 8 * 3600 + 1)
    response = client.get("/import", follow_redirects=True)
    assert response.request.path == "/login"
    assert "Du er blevet logget ud, fordi et login højst varer 8 timer. Log ind igen." in response.text
    assert client.get("/import").status_code == 302
    with client.session_transaction() as session:
        assert "_user_id" not in session
        assert security.LOGIN_AT not in session


def test_the_lifetime_is_configurable(client, app):
    app.config["SESSION_LIFETIME_HOURS"] = 1
    log_in(client)
    age_login(client, 3600 + 1)
    response = client.get("/", follow_redirects=True)
    assert "fordi et login højst varer 1 time." in response.text
    assert "Log ud" not in response.text


@pytest.mark.parametrize("seconds", [None, -3600])
def test_a_session_without_a_believable_login_time_is_ended(client, app, seconds):
    log_in(client)
    age_login(client, seconds)
    assert client.get("/import").status_code == 302


def test_a_login_after_the_expiry_works_again(client, app):
    log_in(client)
    age_login(client, 9 * 3600)
    client.get("/")
    assert make.login(client, "haan").status_code == 302
    assert client.get("/import").status_code == 200


# --- CSRF --------------------------------------------------------------------------------------------

@pytest.fixture
def csrf_app(database_url):
    """The app as in production: CSRF on (the other tests switch it off)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "WTF_CSRF_ENABLED": True})
    security.register(app)
    app.test_client_class = OwnContextClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def token(client) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").text).group(1)


def csrf_login(client, username: str, role: UserRole = UserRole.admin) -> None:
    make.user(username, role)
    db.session.commit()
    response = client.post("/login", data={"username": username, "password": make.PASSWORD,
                                           "csrf_token": token(client)})
    assert response.status_code == 302


def audit_count() -> int:
    db.session.commit()
    return db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))


def assert_refused(response) -> None:
    assert response.status_code == 400
    if response.is_json:
        assert response.get_json()["status"] == 400
    else:
        assert "Formularen kunne ikke sendes, fordi dens sikkerhedsnøgle mangler eller er udløbet." in response.text


def test_csrf_is_on_and_nothing_is_exempt():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config.get("WTF_CSRF_ENABLED", True)
    assert app.config.get("WTF_CSRF_CHECK_DEFAULT", True)
    assert "csrf" in app.extensions
    assert not csrf._exempt_views
    assert not csrf._exempt_blueprints


def test_a_forged_post_is_refused_and_changes_nothing(csrf_app):
    client = csrf_app.test_client()
    csrf_login(client, "ascm")
    other = csrf_app.test_client()
    others_token = token(other)  # a valid token, but from another session
    before = audit_count()
    person = {"name": "Lotte Kofoed", "municipality": "", "party": "", "gender": ""}
    for forged in (person, person | {"csrf_token": others_token}, person | {"csrf_token": "x" * 40}):
        assert_refused(client.post("/personer/ny", data=forged))
    assert_refused(client.post("/personer/ny", data=person, headers={"X-CSRFToken": others_token}))
    assert audit_count() == before
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 0
    # The same form with the session's own token gets past the check (to the form's own rules).
    own = token(client)
    assert client.post("/personer/ny", data=person | {"csrf_token": own}).status_code != 400


def test_logout_and_login_need_the_token_too(csrf_app):
    client = csrf_app.test_client()
    csrf_login(client, "ascm")
    assert_refused(client.post("/logout"))
    assert client.get("/import").status_code == 200  # a forged logout did not log out
    assert client.post("/logout", data={"csrf_token": token(client)}).status_code == 302
    assert client.get("/import").status_code == 302
    make.user("haan")
    db.session.commit()
    assert_refused(client.post("/login", data={"username": "haan", "password": make.PASSWORD}))


def test_every_state_changing_route_refuses_a_request_without_the_token(csrf_app):
    """Every rule in the URL map with POST, PUT, PATCH or DELETE: a new one is covered without a line here."""
    client = csrf_app.test_client()
    csrf_login(client, "ascm")
    before = audit_count()
    adapter = csrf_app.url_map.bind("localhost")
    checked = []
    for rule in csrf_app.url_map.iter_rules():
        for method in sorted(rule.methods & STATE_CHANGING):
            values = {name: 1 if isinstance(converter, IntegerConverter) else "x"
                      for name, converter in rule._converters.items()}
            path = adapter.build(rule.endpoint, values, method=method)
            response = client.open(path, method=method, data={"confirmed": "1", "name": "x"})
            assert response.status_code == 400, (rule.rule, method, response.status_code)
            assert_refused(response)
            checked.append((method, rule.rule))
    assert len(checked) >= 15
    assert ("POST", "/logout") in checked
    assert audit_count() == before
    assert client.get("/import").status_code == 200


# --- The public address (PUBLIC_URL): links never follow the request's Host header --------------------------

PUBLIC = "https://udpegninger.example.dk"


@pytest.fixture
def public_app(app, database_url):
    public = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "WTF_CSRF_ENABLED": False,
                         "PUBLIC_URL": PUBLIC + "/"})
    public.test_client_class = OwnContextClient
    return public


def test_a_foreign_host_header_is_refused_when_the_public_address_is_set(public_app):
    client = public_app.test_client()
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/api/v1/parties", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", base_url="http://udpegninger.example.dk").status_code == 200


def test_the_apis_next_link_is_built_on_the_public_address(public_app):
    make.organisation("Movia")
    make.organisation("RAR Hovedstaden")
    db.session.commit()
    client = public_app.test_client()
    # A plain-http request behind a proxy that is not trusted: the link is still the public https one.
    body = client.get("/api/v1/organizations?limit=1", base_url="http://udpegninger.example.dk").get_json()
    assert body["next"].startswith(PUBLIC + "/api/v1/organizations?")


def test_the_link_in_an_email_is_built_on_the_public_address_even_from_a_command(public_app):
    from registry.notifications.models import Message
    from tests import nomination_factories as nominate

    with public_app.app_context():
        nominate.party_user("sf", "F").email = "sf@example.org"
        nominate.nomination(nominate.allocated_seat("F"), nominate.candidate("Anna Andersen", "F"))
        db.session.commit()
        (message,) = db.session.scalars(sa.select(Message)).all()
        assert f"{PUBLIC}/indstillinger/{message.nomination_id}" in message.body


def test_the_public_address_must_be_a_plain_http_or_https_address():
    assert config.public_url(None) == {"PUBLIC_URL": None}
    settings = config.public_url("https://udpegninger.example.dk/registret/", "intern.example.dk")
    assert settings["SERVER_NAME"] == "udpegninger.example.dk"
    assert settings["APPLICATION_ROOT"] == "/registret"
    assert settings["TRUSTED_HOSTS"] == ["udpegninger.example.dk", "intern.example.dk"]
    for wrong in ("udpegninger.example.dk", "ftp://udpegninger.example.dk", "https://x.dk/?a=1"):
        with pytest.raises(RuntimeError, match="PUBLIC_URL"):
            config.public_url(wrong)


# --- A database outage: a plain 503 page that needs no database ----------------------------------------------

def test_an_unreachable_database_gives_a_danish_503_page_not_a_500(tmp_path):
    # A PostgreSQL that is not there: a closed port on this machine.
    down = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:1/registry",
                       "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}}, "TESTING": True})
    down.test_client_class = OwnContextClient
    client = down.test_client()
    for path in ("/", "/organisationer", "/personer"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert "Prøv igen om lidt." in response.text
        assert response.headers["Retry-After"] == "30"
    api = client.get("/api/v1/organizations")
    assert api.status_code == 503
    assert api.is_json


# --- Control characters: never in a single-line field, and no terminal escapes anywhere -------------------

# (A NUL is refused before any form, with a 400: security.py.)
@pytest.mark.parametrize("value", ["12 34\r\n56 78", "12 34\x1b[31m56", "12\x0734", "12\u202e34"])
def test_control_characters_are_refused_in_every_form(client, app, value):
    log_in(client, "gitb")
    person = make.person("Lotte Kofoed")
    db.session.commit()
    response = client.post(f"/personer/{person.id}/rediger", data={"name": "Lotte Kofoed", "phone": value,
                                                               "version": 1})
    assert response.status_code == 200
    assert "Feltet må ikke indeholde linjeskift, tabulatorer eller andre kontroltegn." in response.text
    db.session.expire_all()
    assert db.session.get(Person, person.id).phone is None


def test_line_breaks_are_welcome_in_a_text_area_but_escapes_are_not():
    from registry.forms import control_character

    assert not control_character("Første afsnit.\r\n\r\nAndet afsnit.\tSlut.", multiline=True)
    assert control_character("Første linje\nanden linje", multiline=False)
    assert control_character("farve \x1b[31m rød", multiline=True)
    assert control_character("\u2066skjult\u2069", multiline=True)


def test_a_text_area_takes_line_breaks_and_says_so_when_it_refuses_an_escape(app):
    from wtforms import TextAreaField

    from registry.forms import TEXT_AREA_MESSAGE, Form

    class Note(Form):
        note = TextAreaField()

    with app.test_request_context(method="POST", data={"note": "Første linje\r\nanden\ttekst"}):
        assert Note(meta={"csrf": False}).validate()
    with app.test_request_context(method="POST", data={"note": "farve \x1b[31m rød"}):
        form = Note(meta={"csrf": False})
        assert not form.validate()
        assert form.note.errors == [TEXT_AREA_MESSAGE]
