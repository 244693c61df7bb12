"""`flask users create|set-password|disable|enable`: the first admin and operations."""

from datetime import timedelta

import sqlalchemy as sa

from registry.auth.models import LoginDelay, User, UserRole
from registry.auth.services import load_user, username_key
from registry.dates import utcnow
from registry.extensions import db
from tests import factories as make

PASSWORD = "korrekt hest batteri"


def create(runner, *args, password=PASSWORD):
    return runner.invoke(args=["users", "create", *args, "--password-stdin"], input=password + "\n")


def user(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == username))


def test_create_admin_from_stdin(runner, app):
    result = create(runner, "ascm", "--role", "admin", "--name", "Anne Schmidt")
    assert result.exit_code == 0, result.output
    admin = user("ascm")
    assert admin.role is UserRole.admin
    assert admin.check_password(PASSWORD)
    assert PASSWORD not in admin.password_hash
    assert admin.password_hash.startswith("scrypt:")


def test_create_asks_twice_at_the_prompt(runner, app):
    result = runner.invoke(args=["users", "create", "haan", "--role", "secretariat"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert user("haan").check_password(PASSWORD)


def test_party_user_belongs_to_a_party(runner, app):
    make.party("F")
    db.session.commit()
    assert create(runner, "sf", "--role", "party", "--party", "F").exit_code == 0
    assert user("sf").party.letter == "F"


def test_refusals_are_clear_and_create_nothing(runner, app):
    make.party("F")
    db.session.commit()
    cases = [
        (("kort", "--role", "viewer"), "kort", "mindst 12 tegn"),
        (("sf", "--role", "party"), PASSWORD, "skal høre til et parti"),
        (("sf", "--role", "viewer", "--party", "F"), PASSWORD, "skal høre til et parti"),
        (("sf", "--role", "party", "--party", "X"), PASSWORD, "Ukendt parti 'X'"),
    ]
    for args, password, message in cases:
        result = create(runner, *args, password=password)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output, (args, result.output)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
    assert create(runner, "dup", "--role", "viewer").exit_code == 0
    result = create(runner, "dup", "--role", "viewer")
    assert result.exit_code == 1
    assert "allerede i brug" in result.output


def test_set_password_logs_out_existing_sessions(runner, app):
    create(runner, "ascm", "--role", "admin")
    old_session_id = user("ascm").get_id()
    assert load_user(old_session_id) is not None
    result = runner.invoke(args=["users", "set-password", "ascm", "--password-stdin"], input="et helt nyt kodeord\n")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert user("ascm").check_password("et helt nyt kodeord")
    assert load_user(old_session_id) is None


def test_commands_on_an_empty_database_say_to_run_the_migrations(tmp_path):
    from tests.conftest import make_app

    app = make_app(f"sqlite:///{tmp_path / 'tom.db'}")
    runner = app.test_cli_runner()
    for args in (["registry", "load-demo"], ["registry", "export-csv"], ["users", "set-password", "x"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 1, result.output
        assert "flask --app wsgi db upgrade" in result.output, result.output
    with app.app_context():
        db.engine.dispose()


def login_status(app, username: str, password: str = make.PASSWORD) -> int:
    """A login from a client of its own (the `client` fixture makes it one with its own app context)."""
    return make.login(app.test_client(), username, password).status_code


def test_disable_logs_the_user_out_everywhere_and_keeps_them_out(runner, app, client):
    from registry.audit.models import AuditEntry

    create(runner, "ascm", "--role", "admin")
    assert make.login(client, "ascm", PASSWORD).status_code == 302
    assert client.get("/import").status_code == 200
    old_token = user("ascm").session_token
    db.session.commit()

    result = runner.invoke(args=["users", "disable", "ascm"])
    assert result.exit_code == 0, result.output
    assert "spærret og logget ud alle steder" in result.output, result.output
    db.session.expire_all()
    disabled = user("ascm")
    assert not disabled.active
    assert disabled.session_token != old_token
    db.session.commit()
    assert client.get("/import").status_code == 302  # the open session is gone at once
    assert login_status(app, "ascm", PASSWORD) == 200  # and the right password does not let them in

    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity == "users", AuditEntry.action == "update")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.actor == "cli:users"
    assert entry.entity_id == disabled.id
    assert entry.changes["active"] == [True, False]
    assert entry.changes["session_token"] == ["***", "***"]


def test_enable_lets_the_user_in_again_and_lifts_a_lock(runner, app, client):
    create(runner, "ascm", "--role", "admin")
    runner.invoke(args=["users", "disable", "ascm"])
    for address in ("10.0.0.1", "127.0.0.1"):
        db.session.add(LoginDelay(username_key=username_key("ascm"), remote_addr=address, failures=7,
                                  delayed_until=utcnow() + timedelta(minutes=30)))
    db.session.commit()
    result = runner.invoke(args=["users", "enable", "ascm"])
    assert result.exit_code == 0, result.output
    assert "kan logge ind igen" in result.output, result.output
    db.session.expire_all()
    enabled = user("ascm")
    assert enabled.active
    assert db.session.scalars(sa.select(LoginDelay)).all() == []  # lifted from every address
    db.session.commit()
    assert login_status(app, "ascm", PASSWORD) == 302


def test_disable_and_enable_an_unknown_user_say_so(runner, app):
    for command in ("disable", "enable"):
        result = runner.invoke(args=["users", command, "ukendt"])
        assert result.exit_code == 1
        assert "Ukendt bruger 'ukendt'" in result.output
