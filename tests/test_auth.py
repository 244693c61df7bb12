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
    assert "Log ud" in client.get("/").text
    response = client.post("/logout", follow_redirects=True)
    assert "Du er logget ud" in response.text
    assert "Log ind" in client.get("/").text
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.in_(["login", "logout"])))
    assert list(actions) == ["login", "logout"]


@pytest.mark.parametrize(("username", "password"), [("haan", "forkert adgangskode"), ("ukendt", make.PASSWORD)])
def test_wrong_login_gets_one_danish_message_for_both_cases(client, app, username, password):
    make.user("haan")
    db.session.commit()
    response = make.login(client, username, password)
    assert response.status_code == 200
    assert "Forkert brugernavn eller adgangskode." in response.text
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.action == "login_failed"))


def test_empty_login_form_says_what_is_missing(client, app):
    html = client.post("/login", data={}).text
    assert "Skriv dit brugernavn." in html
    assert "Skriv din adgangskode." in html


def test_disabled_user_cannot_log_in(client, app):
    user = make.user("haan")
    user.active = False
    db.session.commit()
    assert "Forkert brugernavn" in make.login(client, "haan").text


@pytest.mark.parametrize(("target", "expected"), [
    ("/import", "/import"),
    ("https://evil.example/", "/sekretariat"),
    ("//evil.example/", "/sekretariat"),
    # Browsers drop tabs and line breaks: "/\t/evil.example" is "//evil.example".
    ("/%09/evil.example", "/sekretariat"),
    ("/%0a/x", "/sekretariat"),
    ("/%0d%0aSet-Cookie:x=1", "/sekretariat"),
    ("/\\evil.example", "/sekretariat"),
    ("/%5Cevil.example", "/sekretariat"),
    ("/organisationer?side=2", "/organisationer?side=2"),
])
def test_login_returns_only_to_pages_on_this_site(client, app, target, expected):
    make.user("haan")
    db.session.commit()
    response = client.post(f"/login?next={target}", data={"username": "haan", "password": make.PASSWORD})
    assert response.headers["Location"] == expected


@pytest.mark.parametrize(("role", "start"), [(UserRole.admin, "/sekretariat"), (UserRole.viewer, "/sekretariat"),
                                         (UserRole.party, "/partigruppe")])
def test_without_a_next_page_each_role_lands_on_its_own_start_page(client, app, role, start):
    make.user("bruger", role, party_letter="F" if role is UserRole.party else None)
    db.session.commit()
    response = make.login(client, "bruger")
    assert response.headers["Location"] == start
    assert client.get(start).status_code == 200


def test_anonymous_is_sent_to_login_and_viewer_is_refused(client, app):
    make.user("laeser", UserRole.viewer)
    db.session.commit()
    response = client.get("/import")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    make.login(client, "laeser")
    response = client.get("/import")
    assert response.status_code == 403
    assert "Du har ikke adgang til denne side." in response.text


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


# --- Passwords: scrypt with the parameters kept in one place, rehashed on login when they change --------

import json  # noqa: E402
import logging  # noqa: E402
import threading  # noqa: E402
from datetime import timedelta  # noqa: E402

from werkzeug.security import generate_password_hash  # noqa: E402

from registry.auth import services  # noqa: E402
from registry.auth.models import PASSWORD_METHOD, LoginDelay, LoginFailure, User  # noqa: E402
from registry.dates import utcnow  # noqa: E402


def snapshot(rows: list) -> list:
    """Rows read in a transaction of their own and detached: on SQLite a transaction left open would keep
    seeing its old snapshot, and could not write after the app's requests and commands have."""
    for row in rows:
        db.session.expunge(row)
    db.session.commit()
    return rows


def account(username: str = "haan") -> User:
    db.session.commit()
    return snapshot([db.session.scalar(sa.select(User).where(User.username == username))])[0]


def audit(action: str | None = None) -> list[AuditEntry]:
    db.session.commit()
    stmt = sa.select(AuditEntry).order_by(AuditEntry.id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return snapshot(list(db.session.scalars(stmt)))


def test_passwords_are_hashed_with_scrypt_and_the_current_parameters(app):
    user = make.user("haan")
    db.session.commit()
    assert PASSWORD_METHOD == "scrypt:32768:8:1"
    method, salt, digest = user.password_hash.split("$")
    assert method == PASSWORD_METHOD
    assert len(salt) == 16
    assert len(digest) == 128
    assert not user.password_needs_rehash
    assert user.check_password(make.PASSWORD)


@pytest.mark.parametrize("old_method", ["pbkdf2:sha256:1000", "scrypt:16384:8:1", "scrypt:32768:4:1"])
def test_an_old_hash_is_replaced_on_the_next_successful_login(client, app, old_method):
    user = make.user("haan")
    user.password_hash = generate_password_hash(make.PASSWORD, method=old_method)
    db.session.commit()
    token = user.session_token
    assert account().password_needs_rehash
    assert make.login(client, "haan", "forkert adgangskode").status_code == 200
    assert account().password_hash.startswith(old_method + "$")  # a wrong password changes nothing
    assert make.login(client, "haan").status_code == 302
    user = account()
    assert user.password_hash.startswith(PASSWORD_METHOD + "$")
    assert user.check_password(make.PASSWORD)
    assert user.session_token == token  # the same password: the user's other sessions stay
    (rehash,) = [e for e in audit("update") if e.entity == "users" and e.actor == "haan"]
    assert rehash.changes == {"password_hash": ["***", "***"]}
    assert rehash.user_id == user.id


def test_a_hash_werkzeug_cannot_read_matches_no_password(client, app):
    user = make.user("haan")
    user.password_hash = "argon2$noget$andet"
    db.session.commit()
    assert not account().check_password(make.PASSWORD)
    assert make.login(client, "haan").status_code == 200


def test_passwords_over_128_characters_are_refused(app):
    from registry.errors import RuleViolation

    with pytest.raises(RuleViolation, match="højst være 128 tegn"):
        services.check_password_rules("x" * 129)
    services.check_password_rules("x" * 128)


def test_no_password_or_hash_is_ever_logged_or_audited(client, app, runner, caplog):
    user = make.user("haan")
    user.password_hash = generate_password_hash(make.PASSWORD, method="pbkdf2:sha256:1000")  # to be rehashed
    db.session.commit()
    secrets_seen = {make.PASSWORD, "forkert adgangskode", "et helt nyt kodeord", user.password_hash}
    caplog.set_level(logging.DEBUG)
    # SQL tracing (echo) writes every statement's parameters and rows: a developer's switch, never on in
    # production. Everything else is captured at DEBUG.
    caplog.set_level(logging.WARNING, logger="sqlalchemy")
    make.login(client, "haan", "forkert adgangskode")
    make.login(client, make.PASSWORD, "forkert adgangskode")  # the password typed in the username field
    make.login(client, "haan")
    secrets_seen.add(account().password_hash)
    client.post("/logout")
    runner.invoke(args=["users", "set-password", "haan", "--password-stdin"], input="et helt nyt kodeord\n")
    secrets_seen.add(account().password_hash)
    secrets_seen |= {value.split("$")[-1] for value in set(secrets_seen) if "$" in value}
    trail = json.dumps([(e.action, e.changes) for e in audit()], ensure_ascii=False)
    stored_failures = json.dumps([f.username for f in db.session.scalars(sa.select(LoginFailure))])
    assert {"login_failed", "login", "logout", "update"} <= {e.action for e in audit()}
    for secret in secrets_seen:
        assert secret not in trail
        assert secret not in caplog.text
        assert secret not in stored_failures


# --- Throttling: per username and address in login_delays, per address in login_failures ------------------

def test_the_lock_grows_from_one_minute_and_is_capped():
    throttle = services.Throttle(lock_after=5, lock_minutes=1, lock_max_minutes=60, address_limit=20,
                                 address_window=timedelta(minutes=15))
    minutes = [throttle.lock_for(n) and throttle.lock_for(n).total_seconds() / 60 for n in range(1, 14)]
    assert minutes == [None, None, None, None, 1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert throttle.lock_for(10**6) == timedelta(minutes=60)


def test_the_settings_are_the_documented_ones(app):
    assert services.Throttle.from_config(app.config) == services.Throttle(
        lock_after=5, lock_minutes=1, lock_max_minutes=60, address_limit=20, address_window=timedelta(minutes=15))


HOME = "127.0.0.1"  # the test client's address


def delay(username: str = "haan", remote_addr: str = HOME) -> LoginDelay | None:
    """The pair's row, or None when the pair has no failures on record."""
    db.session.commit()
    row = db.session.scalar(sa.select(LoginDelay).filter_by(username_key=services.username_key(username),
                                                            remote_addr=remote_addr))
    return snapshot([row])[0] if row else None


def failures(username: str = "haan", remote_addr: str = HOME) -> int:
    return row.failures if (row := delay(username, remote_addr)) else 0


def lift_delay() -> None:
    """As if every delay had run out."""
    db.session.execute(sa.update(LoginDelay).values(delayed_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def minutes_delayed(username: str = "haan") -> float:
    return (delay(username).delayed_until - utcnow()).total_seconds() / 60


def address_failures(remote_addr: str = HOME) -> int:
    db.session.commit()
    return db.session.scalar(sa.select(sa.func.count(LoginFailure.id)).filter_by(remote_addr=remote_addr))


def test_five_failures_delay_the_username_from_that_address_with_a_growing_delay(client, app, monkeypatch):
    make.user("haan")
    db.session.commit()
    for n in range(1, 5):
        response = make.login(client, "haan", f"forkert nummer {n}")
        assert response.status_code == 200
        assert "Forkert brugernavn eller adgangskode." in response.text
        assert failures() == n
        assert delay().delayed_until is None
    assert make.login(client, "haan", "forkert nummer 5").status_code == 200
    assert failures() == 5
    assert 0.9 < minutes_delayed() <= 1

    # While delayed, not even the right password is checked: an attacker learns nothing from a guess.
    def must_not_be_called(*args):
        raise AssertionError("the password was checked during the delay")

    monkeypatch.setattr(services, "password_matches", must_not_be_called)
    response = make.login(client, "haan")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "60"
    assert "med dette brugernavn fra din adresse" in response.text
    assert "Prøv igen om 1 minut." in response.text
    assert failures() == 5  # a refused attempt does not lengthen the delay ...
    assert address_failures() == 6  # ... but it counts against the address
    monkeypatch.undo()

    for count, minutes in ((6, 2), (7, 4), (8, 8)):
        lift_delay()
        assert make.login(client, "haan", "forkert igen").status_code == 200
        assert failures() == count
        assert minutes - 0.1 < minutes_delayed() <= minutes
    assert "Prøv igen om 8 minutter." in make.login(client, "haan").text

    db.session.execute(sa.update(LoginDelay).values(failures=40))
    lift_delay()
    make.login(client, "haan", "forkert igen")
    assert 59.9 < minutes_delayed() <= 60  # the cap

    lift_delay()
    assert make.login(client, "haan").status_code == 302  # the right password once the delay has run out
    assert delay() is None

    actions = [(e.action, e.entity_id, (e.changes or {}).get("refused")) for e in audit()
               if e.action in ("login", "login_failed", "lockout")]
    user_id = account().id
    assert actions.count(("login_failed", user_id, None)) == 9
    assert actions.count(("login_failed", user_id, "locked")) == 2
    assert actions.count(("lockout", user_id, None)) == 5
    assert actions[-1] == ("login", user_id, None)
    (first_lockout, *_) = audit("lockout")
    assert first_lockout.changes == {"username": "haan", "failures": 5, "remote_addr": HOME,
                                     "until": first_lockout.changes["until"]}


def test_a_strangers_guesses_do_not_lock_the_owner_out_from_elsewhere(client, app):
    make.user("haan")
    db.session.commit()
    address(client, "10.0.0.66")
    for n in range(6):
        make.login(client, "haan", f"gæt nummer {n}")
    assert make.login(client, "haan").status_code == 429  # the stranger's address is delayed ...
    address(client, "10.0.0.7")
    assert make.login(client, "haan").status_code == 302  # ... the owner's is not


def test_unknown_and_known_usernames_get_the_same_answers(client, app):
    """Nothing in the answers tells whether a username exists: the same pages, the same statuses, the same
    delay."""
    make.user("haan")
    db.session.commit()
    answers = {}
    for username in ("haan", "hann"):
        address(client, f"10.0.0.{len(answers) + 1}")
        answers[username] = [(response.status_code, response.headers.get("Retry-After"),
                              response.text.replace(username, "BRUGER"))
                             for response in (make.login(client, username, "forkert") for _ in range(7))]
    assert answers["haan"] == answers["hann"]
    assert [status for status, _, _ in answers["hann"]] == [200] * 5 + [429] * 2


def test_trying_on_through_a_delay_uses_up_the_address(client, app):
    app.config.update(LOGIN_ADDRESS_LIMIT=8)
    make.user("haan")
    db.session.commit()
    address(client, "10.0.0.66")
    statuses = [make.login(client, "haan", "gæt").status_code for _ in range(8)]
    assert statuses == [200] * 5 + [429] * 3
    # Eight attempts from the address: now even another username is refused, for the address.
    response = make.login(client, "sekretariat", "gæt")
    assert response.status_code == 429
    assert "fra din adresse" in response.text


def test_the_username_is_kept_only_as_a_keyed_hash(client, app):
    make.login(client, "mit hemmelige kodeord", "gæt")
    (row,) = db.session.scalars(sa.select(LoginDelay)).all()
    assert "kodeord" not in row.username_key
    assert row.username_key == services.username_key("  MIT  hemmelige KODEORD ")  # folded as typed
    app.config["SECRET_KEY"] = "en anden hemmelighed"
    assert services.username_key("mit hemmelige kodeord") != row.username_key


def test_a_success_sets_the_count_back(client, app):
    make.user("haan")
    db.session.commit()
    for _ in range(4):
        make.login(client, "haan", "forkert adgangskode")
    assert make.login(client, "haan").status_code == 302
    assert delay() is None
    client.post("/logout")
    for _ in range(4):
        make.login(client, "haan", "forkert adgangskode")
    assert delay().delayed_until is None  # four, not eight


def test_a_disabled_account_counts_failures_too_and_never_logs_in(client, app):
    user = make.user("haan")
    user.active = False
    db.session.commit()
    for _ in range(5):
        assert make.login(client, "haan").status_code == 200
    assert delay().delayed_until is not None


def address(client, ip: str):
    client.environ_base["REMOTE_ADDR"] = ip


def test_the_address_limit_counts_unknown_usernames_and_refuses_with_429(client, app):
    app.config.update(LOGIN_ADDRESS_LIMIT=3, LOGIN_ADDRESS_WINDOW_MINUTES=15)
    make.user("haan")
    db.session.commit()
    address(client, "10.0.0.66")
    for name in ("admin", "root", "test"):
        response = make.login(client, name, "gæt gæt gæt gæt")
        assert response.status_code == 200
        assert "Forkert brugernavn eller adgangskode." in response.text
    failures_seen = db.session.scalars(sa.select(LoginFailure)).all()
    assert [(f.remote_addr, f.username) for f in failures_seen] == [("10.0.0.66", None)] * 3
    unknown = audit("login_failed")
    assert [(e.entity, e.entity_id, e.changes, e.remote_addr) for e in unknown] == \
        [(None, None, {"unknown_user": True, "failures": 1}, "10.0.0.66")] * 3

    response = make.login(client, "haan")  # the right password, from a refused address
    assert response.status_code == 429
    assert "fra din adresse" in response.text
    assert "Prøv igen om 15 minutter." in response.text
    assert "Log ud" not in client.get("/").text
    assert delay("haan", "10.0.0.66") is None  # not counted against the pair: it was not tried
    assert audit("login_failed")[-1].changes == {"unknown_user": True, "refused": "address"}

    address(client, "10.0.0.7")  # another address is not limited
    assert make.login(client, "haan").status_code == 302


def test_the_address_window_slides(client, app):
    app.config.update(LOGIN_ADDRESS_LIMIT=3, LOGIN_ADDRESS_WINDOW_MINUTES=15)
    address(client, "10.0.0.66")
    now = utcnow()
    # Three failures, 14, 10 and 2 minutes ago: the address may try again when the oldest is 15 minutes old.
    for minutes in (14, 10, 2):
        db.session.add(LoginFailure(at=now - timedelta(minutes=minutes), remote_addr="10.0.0.66"))
    db.session.commit()
    assert "Prøv igen om 1 minut." in make.login(client, "ukendt", "gæt gæt gæt gæt").text
    db.session.execute(sa.update(LoginFailure).where(LoginFailure.at < now - timedelta(minutes=12))
                       .values(at=now - timedelta(minutes=16)))
    db.session.commit()
    assert make.login(client, "ukendt", "gæt gæt gæt gæt").status_code == 200


def test_failures_and_delays_older_than_a_day_are_deleted(client, app):
    old, recent = utcnow() - timedelta(days=2), utcnow() - timedelta(hours=2)
    db.session.add_all([LoginFailure(at=old, remote_addr="10.0.0.1"), LoginFailure(at=recent, remote_addr="10.0.0.1")])
    db.session.add_all([LoginDelay(username_key="a" * 64, remote_addr="10.0.0.1", failures=2, last_at=old),
                        LoginDelay(username_key="b" * 64, remote_addr="10.0.0.1", failures=2, last_at=recent)])
    db.session.commit()
    make.login(client, "ukendt", "gæt gæt gæt gæt")
    assert db.session.scalar(sa.select(sa.func.count(LoginFailure.id))) == 2
    assert set(db.session.scalars(sa.select(LoginDelay.username_key))) == {"b" * 64, services.username_key("ukendt")}


@pytest.mark.both_databases
def test_parallel_guesses_cannot_pass_the_limit(app):
    """Ten wrong passwords at once for one username from one address (as from several workers): the count
    is exact, and only five passwords are checked before the pair is delayed."""
    make.user("haan")
    db.session.commit()
    start = threading.Barrier(10)
    statuses = []

    def guess(n: int) -> None:
        client = app.test_client()
        start.wait()
        statuses.append(make.login(client, "haan", f"forkert nummer {n}").status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * 5 + [429] * 5
    assert failures() == 5
    assert delay().delayed_until is not None
    assert len(audit("lockout")) == 1
    assert len(audit("login_failed")) == 10


@pytest.mark.both_databases
def test_the_counter_is_raised_in_the_database_not_in_python(app):
    """Two workers adding to the same stale read would lose a count; one upsert adds in the database."""
    with make.queries() as statements:
        for _ in range(2):
            services.begin_login("haan", HOME, services.Throttle.from_config(app.config), utcnow())
            db.session.commit()
    writes = [s for s in statements if s.startswith(("INSERT", "UPDATE"))]
    assert len(writes) == 2
    assert all("ON CONFLICT" in write and "failures = (login_delays.failures + " in write for write in writes)
    assert failures() == 2


# --- Sessions end on the server: logout, a new password, a disabled user ----------------------------------

def copy_session(source, target) -> None:
    target.set_cookie("session", source.get_cookie("session").value)


def test_a_copied_cookie_stops_working_after_logout(client, app):
    make.user("haan")
    db.session.commit()
    make.login(client, "haan")
    thief = app.test_client()
    copy_session(client, thief)
    assert thief.get("/import").status_code == 200
    assert client.post("/logout").status_code == 302
    response = thief.get("/import")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_copied_cookie_stops_working_after_a_new_password(client, app, runner):
    make.user("haan")
    db.session.commit()
    make.login(client, "haan")
    thief = app.test_client()
    copy_session(client, thief)
    assert thief.get("/import").status_code == 200
    result = runner.invoke(args=["users", "set-password", "haan", "--password-stdin"], input="et helt nyt kodeord\n")
    assert result.exit_code == 0, result.output
    assert thief.get("/import").status_code == 302
    assert client.get("/import").status_code == 302
    assert make.login(client, "haan", "et helt nyt kodeord").status_code == 302


def test_login_starts_a_new_session(client, app):
    make.user("haan")
    db.session.commit()
    with client.session_transaction() as before:
        before["planted"] = "af en angriber"
    make.login(client, "haan")
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after["_user_id"].startswith(f"{account().id}:")
