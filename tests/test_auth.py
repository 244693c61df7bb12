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
    ("https://evil.example/", "/sekretariat"),
    ("//evil.example/", "/sekretariat"),
])
def test_login_returns_only_to_pages_on_this_site(client, app, target, expected):
    make.user("haan")
    db.session.commit()
    response = client.post(f"/login?next={target}", data={"username": "haan", "password": make.PASSWORD})
    assert response.headers["Location"] == expected


@pytest.mark.parametrize("role, start", [(UserRole.admin, "/sekretariat"), (UserRole.viewer, "/sekretariat"),
                                         (UserRole.party, "/partigruppe")])
def test_without_a_next_page_each_role_lands_on_its_own_start_page(client, app, role, start):
    make.user("bruger", role, party_letter="F" if role is UserRole.party else None)
    db.session.commit()
    response = make.login(client, "bruger")
    assert response.headers["Location"] == start and client.get(start).status_code == 200


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


# --- Passwords: scrypt with the parameters kept in one place, rehashed on login when they change --------

import json  # noqa: E402
import logging  # noqa: E402
import threading  # noqa: E402
from datetime import timedelta  # noqa: E402

from werkzeug.security import generate_password_hash  # noqa: E402

from registry.auth import services  # noqa: E402
from registry.auth.models import PASSWORD_METHOD, LoginFailure, User  # noqa: E402
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
    assert method == PASSWORD_METHOD and len(salt) == 16 and len(digest) == 128
    assert not user.password_needs_rehash and user.check_password(make.PASSWORD)


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
    assert user.password_hash.startswith(PASSWORD_METHOD + "$") and user.check_password(make.PASSWORD)
    assert user.session_token == token  # the same password: the user's other sessions stay
    (rehash,) = [e for e in audit("update") if e.entity == "users" and e.actor == "haan"]
    assert rehash.changes == {"password_hash": ["***", "***"]} and rehash.user_id == user.id


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
        assert secret not in trail and secret not in caplog.text and secret not in stored_failures


# --- Throttling: per account in users.failed_logins/locked_until, per address in login_failures ----------

def test_the_lock_grows_from_one_minute_and_is_capped():
    throttle = services.Throttle(lock_after=5, lock_minutes=1, lock_max_minutes=60, address_limit=20,
                                 address_window=timedelta(minutes=15))
    minutes = [throttle.lock_for(n) and throttle.lock_for(n).total_seconds() / 60 for n in range(1, 14)]
    assert minutes == [None, None, None, None, 1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert throttle.lock_for(10**6) == timedelta(minutes=60)


def test_the_settings_are_the_documented_ones(app):
    assert services.Throttle.from_config(app.config) == services.Throttle(
        lock_after=5, lock_minutes=1, lock_max_minutes=60, address_limit=20, address_window=timedelta(minutes=15))


def lift_lock(username: str = "haan") -> None:
    """As if the lock had run out."""
    db.session.execute(sa.update(User).where(User.username == username)
                       .values(locked_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def minutes_locked(username: str = "haan") -> float:
    return (account(username).locked_until - utcnow()).total_seconds() / 60


def test_five_failures_lock_the_account_with_a_growing_delay(client, app, monkeypatch):
    make.user("haan")
    db.session.commit()
    for n in range(1, 5):
        response = make.login(client, "haan", f"forkert nummer {n}")
        assert response.status_code == 200 and "Forkert brugernavn eller adgangskode." in response.get_data(True)
        assert (account().failed_logins, account().locked_until) == (n, None)
    assert make.login(client, "haan", "forkert nummer 5").status_code == 200
    assert account().failed_logins == 5 and 0.9 < minutes_locked() <= 1

    # While locked, not even the right password is checked: an attacker learns nothing from a guess.
    def must_not_be_called(*args):
        raise AssertionError("the password was checked during the lock")

    monkeypatch.setattr(services, "password_matches", must_not_be_called)
    response = make.login(client, "haan")
    html = response.get_data(as_text=True)
    assert response.status_code == 429 and response.headers["Retry-After"] == "60"
    assert "midlertidigt spærret" in html and "Prøv igen om 1 minut." in html
    assert account().failed_logins == 5  # a refused attempt does not lengthen the lock
    monkeypatch.undo()

    for failures, minutes in ((6, 2), (7, 4), (8, 8)):
        lift_lock()
        assert make.login(client, "haan", "forkert igen").status_code == 200
        assert account().failed_logins == failures and minutes - 0.1 < minutes_locked() <= minutes
    assert "Prøv igen om 8 minutter." in make.login(client, "haan").get_data(as_text=True)

    db.session.execute(sa.update(User).values(failed_logins=40))
    lift_lock()
    make.login(client, "haan", "forkert igen")
    assert 59.9 < minutes_locked() <= 60  # the cap

    lift_lock()
    assert make.login(client, "haan").status_code == 302  # the right password once the lock has run out
    assert (account().failed_logins, account().locked_until) == (0, None)

    actions = [(e.action, e.entity_id, (e.changes or {}).get("refused")) for e in audit()
               if e.action in ("login", "login_failed", "lockout")]
    user_id = account().id
    assert actions.count(("login_failed", user_id, None)) == 9
    assert actions.count(("login_failed", user_id, "locked")) == 2
    assert actions.count(("lockout", user_id, None)) == 5
    assert actions[-1] == ("login", user_id, None)
    (first_lockout, *_) = audit("lockout")
    assert first_lockout.changes["failures"] == 5 and first_lockout.changes["username"] == "haan"


def test_a_success_sets_the_count_back(client, app):
    make.user("haan")
    db.session.commit()
    for _ in range(4):
        make.login(client, "haan", "forkert adgangskode")
    assert make.login(client, "haan").status_code == 302
    assert account().failed_logins == 0
    client.post("/logout")
    for _ in range(4):
        make.login(client, "haan", "forkert adgangskode")
    assert account().locked_until is None  # four, not eight


def test_a_disabled_account_counts_failures_too_and_never_logs_in(client, app):
    user = make.user("haan")
    user.active = False
    db.session.commit()
    for _ in range(5):
        assert make.login(client, "haan").status_code == 200
    assert account().locked_until is not None


def address(client, ip: str):
    client.environ_base["REMOTE_ADDR"] = ip


def test_the_address_limit_counts_unknown_usernames_and_refuses_with_429(client, app):
    app.config.update(LOGIN_ADDRESS_LIMIT=3, LOGIN_ADDRESS_WINDOW_MINUTES=15)
    make.user("haan")
    db.session.commit()
    address(client, "10.0.0.66")
    for name in ("admin", "root", "test"):
        response = make.login(client, name, "gæt gæt gæt gæt")
        assert response.status_code == 200 and "Forkert brugernavn eller adgangskode." in response.get_data(True)
    failures = db.session.scalars(sa.select(LoginFailure)).all()
    assert [(f.remote_addr, f.username) for f in failures] == [("10.0.0.66", None)] * 3
    unknown = audit("login_failed")
    assert [(e.entity, e.entity_id, e.changes, e.remote_addr) for e in unknown] == \
        [(None, None, {"unknown_user": True}, "10.0.0.66")] * 3

    response = make.login(client, "haan")  # the right password, from a refused address
    html = response.get_data(as_text=True)
    assert response.status_code == 429 and "fra din adresse" in html and "Prøv igen om 15 minutter." in html
    assert "Log ud" not in client.get("/").get_data(as_text=True)
    assert account().failed_logins == 0  # not counted against the account: it was not tried
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
    assert "Prøv igen om 1 minut." in make.login(client, "ukendt", "gæt gæt gæt gæt").get_data(True)
    db.session.execute(sa.update(LoginFailure).where(LoginFailure.at < now - timedelta(minutes=12))
                       .values(at=now - timedelta(minutes=16)))
    db.session.commit()
    assert make.login(client, "ukendt", "gæt gæt gæt gæt").status_code == 200


def test_failures_older_than_a_day_are_deleted(client, app):
    db.session.add(LoginFailure(at=utcnow() - timedelta(days=2), remote_addr="10.0.0.1"))
    db.session.add(LoginFailure(at=utcnow() - timedelta(hours=2), remote_addr="10.0.0.1"))
    db.session.commit()
    make.login(client, "ukendt", "gæt gæt gæt gæt")
    assert db.session.scalar(sa.select(sa.func.count(LoginFailure.id))) == 2


def test_parallel_guesses_cannot_pass_the_account_limit(app):
    """Ten wrong passwords at once, from ten clients (as from several workers): the count is exact, and only
    five passwords are checked before the account is locked."""
    make.user("haan")
    db.session.commit()
    start = threading.Barrier(10)
    statuses = []

    def guess(n: int) -> None:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.1.{n}"
        start.wait()
        statuses.append(make.login(client, "haan", f"forkert nummer {n}").status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * 5 + [429] * 5
    assert account().failed_logins == 5 and account().locked_until is not None
    assert len(audit("lockout")) == 1 and len(audit("login_failed")) == 10


def test_the_counter_is_raised_in_the_database_not_in_python(app):
    """Two workers adding to the same stale read would lose a count; one UPDATE adds in the database."""
    make.user("haan")
    db.session.commit()
    statements = []

    def remember(conn, cursor, statement, *args):
        statements.append(" ".join(statement.split()))

    sa.event.listen(db.engine, "before_cursor_execute", remember)
    try:
        services.begin_login("haan", services.Throttle.from_config(app.config), utcnow())
        db.session.commit()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", remember)
    writes = [s for s in statements if s.startswith("UPDATE")]
    assert len(writes) == 1 and "SET failed_logins=(users.failed_logins + " in writes[0]
    assert account().failed_logins == 1


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
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_copied_cookie_stops_working_after_a_new_password(client, app, runner):
    make.user("haan")
    db.session.commit()
    make.login(client, "haan")
    thief = app.test_client()
    copy_session(client, thief)
    assert thief.get("/import").status_code == 200
    result = runner.invoke(args=["users", "set-password", "haan", "--password-stdin"], input="et helt nyt kodeord\n")
    assert result.exit_code == 0, result.output
    assert thief.get("/import").status_code == 302 and client.get("/import").status_code == 302
    assert make.login(client, "haan", "et helt nyt kodeord").status_code == 302


def test_login_starts_a_new_session(client, app):
    make.user("haan")
    db.session.commit()
    with client.session_transaction() as before:
        before["planted"] = "af en angriber"
    make.login(client, "haan")
    with client.session_transaction() as after:
        assert "planted" not in after and after["_user_id"].startswith(f"{account().id}:")
