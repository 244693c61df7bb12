"""One linear history from empty, down to base and up again, with no drift from the models."""

import ast

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from registry import PROJECT_ROOT
from registry.extensions import db
from tests.conftest import make_app


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return request.getfixturevalue("new_postgres_database")()


def test_history_is_one_line():
    config = Config(str(PROJECT_ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    script = ScriptDirectory.from_config(config)
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1


def _tables(engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def _drift(engine) -> list:
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), db.metadata)


def test_migrations_do_not_import_the_live_code():
    """A migration must do tomorrow what it did when it was written: what it needs of the app is copied in."""
    for path in (PROJECT_ROOT / "migrations" / "versions").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
        imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        assert not [name for name in imported if name.split(".")[0] == "registry"], path.name


def test_upgrade_from_empty_then_down_to_base_and_up_again_without_drift(empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
        assert _tables(db.engine) == set(db.metadata.tables)
        assert _drift(db.engine) == []

        downgrade(revision="base")
        assert _tables(db.engine) == set()

        upgrade()
        assert _tables(db.engine) == set(db.metadata.tables)
        assert _drift(db.engine) == []
        db.engine.dispose()


@pytest.mark.both_databases
def test_database_rules_are_in_place(app, dialect):
    """The hand-written parts of the migration: the one-holder rule and the append-only audit trail."""
    if dialect == "postgresql":
        constraints = db.session.scalars(sa.text(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'appointments'::regclass AND contype = 'x'")).all()
        assert constraints == ["appointments_one_holder"]
        triggers = db.session.scalars(sa.text(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_entries'::regclass AND NOT tgisinternal")).all()
        assert sorted(triggers) == ["audit_entries_append_only", "audit_entries_no_truncate"]
    else:
        triggers = set(db.session.scalars(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
        assert triggers == {"appointments_one_holder_INSERT", "appointments_one_holder_UPDATE",
                            "audit_entries_append_only_UPDATE", "audit_entries_append_only_DELETE"}
        assert db.session.scalar(sa.text("PRAGMA foreign_keys")) == 1
        assert db.session.scalar(sa.text("PRAGMA journal_mode")) == "wal"


def test_a_waiting_nomination_survives_the_upgrade_and_may_then_be_not_appointed(empty_database_url):
    """0009 replaces the status CHECK (on SQLite by recreating the table): the rows and the other rules stay."""
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade(revision="0008")
        with db.engine.begin() as conn:
            for statement in (
                "INSERT INTO municipalities (id, name, in_region) VALUES (1, 'Hvidovre', true)",
                "INSERT INTO parties (id, letter, name) VALUES (1, 'F', 'SF')",
                "INSERT INTO persons (id, name, sort_name, search_name, municipality_id, party_id, version) "
                "VALUES (1, 'Anna Andersen', 'andersen anna', 'anna andersen', 1, 1, 1)",
                "INSERT INTO organisations (id, name, sort_name, search_name, kind, appointing_authority, "
                "authority_is_external, gender_rule, follows_election_period, version) VALUES (1, 'RAR Hovedstaden', "
                "'rar hovedstaden', 'rar hovedstaden', 'other', 'Ministeren', true, 'none', true, 1)",
                "INSERT INTO seats (id, organisation_id, label, position, has_substitute, version) "
                "VALUES (1, 1, 'Plads 1', 1, false, 1)",
                "INSERT INTO nominations (id, seat_id, role, party_id, person_id, status, submitted_at, version) "
                "VALUES (1, 1, 'member', 1, 1, 'pending', '2024-04-01 10:00:00', 1)",
            ):
                conn.exec_driver_sql(statement)
        upgrade()
        with db.engine.begin() as conn:
            assert conn.exec_driver_sql("SELECT status, not_appointed_on FROM nominations").one() == ("pending", None)
            conn.exec_driver_sql("UPDATE nominations SET status = 'not_appointed', not_appointed_on = '2024-05-20'")
        for broken in ("UPDATE nominations SET status = 'nonsense'", "UPDATE nominations SET role = 'chair'",
                       "UPDATE nominations SET substitute_id = person_id"):
            with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
                conn.exec_driver_sql(broken)
        downgrade(revision="0008")
        with db.engine.begin() as conn:
            assert conn.exec_driver_sql("SELECT status FROM nominations").scalar() == "pending"
        db.engine.dispose()


def test_seats_and_appointments_keep_their_data_through_0012_and_back(empty_database_url):
    """0012 adds columns only: every seat becomes a voting seat KKR fills, no appointment gets an office; the
    one-holder triggers of 0001 survive on SQLite, and going back to 0011 keeps the rows."""
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade(revision="0011")
        with db.engine.begin() as conn:
            for statement in (
                "INSERT INTO persons (id, name, sort_name, search_name, version) "
                "VALUES (1, 'Anna Andersen', 'andersen anna', 'anna andersen', 1)",
                "INSERT INTO organisations (id, name, sort_name, search_name, kind, appointing_authority, "
                "authority_is_external, gender_rule, follows_election_period, warning_days, version) VALUES (1, "
                "'RAR Hovedstaden', 'rar hovedstaden', 'rar hovedstaden', 'other', 'Ministeren', true, 'none', true, "
                "90, 1)",
                "INSERT INTO seats (id, organisation_id, label, position, has_substitute, version) "
                "VALUES (1, 1, 'Plads 1', 1, true, 1)",
                "INSERT INTO appointments (id, seat_id, person_id, role, start_date, status, version) "
                "VALUES (1, 1, 1, 'member', '2022-01-01', 'appointed', 1)",
            ):
                conn.exec_driver_sql(statement)
        upgrade()
        with db.engine.begin() as conn:
            assert conn.exec_driver_sql(
                "SELECT kind, filled_by, ex_officio, pool_rank, appointing_authority, nominated_by FROM seats"
            ).one() == ("voting", "kkr", None, None, None, None)
            assert conn.exec_driver_sql("SELECT office, office_chosen_by FROM appointments").one() == (None, None)
            conn.exec_driver_sql("UPDATE appointments SET office = 'chair', office_chosen_by = 'body'")
        for broken in (
                "INSERT INTO appointments (id, seat_id, person_id, role, start_date, status, version) "
                "VALUES (2, 1, 1, 'member', '2023-01-01', 'appointed', 1)",  # the one-holder rule
                "UPDATE appointments SET office = 'other'",                   # an other office without its title
                "UPDATE appointments SET office_chosen_by = 'none'",
                "UPDATE seats SET kind = 'pooled_substitute', pool_rank = 1"):  # a pool rank with a suppleant
            with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
                conn.exec_driver_sql(broken)
        downgrade(revision="0011")
        with db.engine.begin() as conn:
            assert conn.exec_driver_sql("SELECT label, has_substitute FROM seats").one() == ("Plads 1", True)
            assert conn.exec_driver_sql("SELECT role, start_date FROM appointments").one()[0] == "member"
        upgrade()
        db.engine.dispose()


def test_organisations_nominations_come_with_0013_and_hold_the_downgrade_back(empty_database_url, capsys):
    """0013 lets a nomination name an organisation instead of a party group (on SQLite by recreating the table):
    the party groups' rows stay, the database takes exactly one of the two, and going back to 0012, which has no
    place for an organisation's nomination, is refused while one exists, with nothing changed."""
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade(revision="0012")
        with db.engine.begin() as conn:
            for statement in (
                "INSERT INTO parties (id, letter, name) VALUES (1, 'F', 'SF')",
                "INSERT INTO persons (id, name, sort_name, search_name, party_id, version) "
                "VALUES (1, 'Anna Andersen', 'andersen anna', 'anna andersen', 1, 1)",
                "INSERT INTO persons (id, name, sort_name, search_name, version) "
                "VALUES (2, 'Jens Erhverv', 'erhverv jens', 'jens erhverv', 1)",
                "INSERT INTO organisations (id, name, sort_name, search_name, kind, appointing_authority, "
                "authority_is_external, gender_rule, follows_election_period, warning_days, version) VALUES (1, "
                "'Erhvervshus Hovedstaden', 'erhvervshus hovedstaden', 'erhvervshus hovedstaden', 'other', "
                "'KKR Hovedstaden', false, 'none', true, 90, 1)",
                "INSERT INTO seats (id, organisation_id, label, position, has_substitute, nominated_by, version) "
                "VALUES (1, 1, 'Erhverv 1', 1, false, 'Dansk Industri', 1)",
                "INSERT INTO seats (id, organisation_id, label, position, has_substitute, version) "
                "VALUES (2, 1, 'Plads 2', 2, false, 1)",
                "INSERT INTO nominations (id, seat_id, role, party_id, person_id, status, submitted_at, version) "
                "VALUES (1, 2, 'member', 1, 1, 'submitted', '2024-04-01 10:00:00', 1)",
            ):
                conn.exec_driver_sql(statement)
        upgrade(revision="0013")
        with db.engine.begin() as conn:
            assert conn.exec_driver_sql("SELECT party_id, nominated_by, status FROM nominations").one() == (
                1, None, "submitted")
            conn.exec_driver_sql(
                "INSERT INTO nominations (id, seat_id, role, party_id, nominated_by, person_id, status, submitted_at, "
                "version) VALUES (2, 1, 'member', NULL, 'Dansk Industri', 2, 'submitted', '2024-04-02 10:00:00', 1)")
        for broken in (
                "UPDATE nominations SET nominated_by = 'Dansk Industri' WHERE id = 1",   # both
                "UPDATE nominations SET nominated_by = NULL WHERE id = 2",               # neither
                "UPDATE nominations SET substitute_id = person_id"):                      # 0003's rule stays
            with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
                conn.exec_driver_sql(broken)
        with pytest.raises(SystemExit):  # Flask-Migrate logs the migration's error and exits, as `flask db` does
            downgrade(revision="0012")
        assert "Cannot downgrade below 0013: 1 nomination(s) were made by an organisation" in capsys.readouterr().err
        with db.engine.begin() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0013"
            assert conn.exec_driver_sql("SELECT count(*) FROM nominations").scalar() == 2
            conn.exec_driver_sql("DELETE FROM nominations WHERE id = 2")
        downgrade(revision="0012")
        with db.engine.begin() as conn:
            assert conn.exec_driver_sql("SELECT party_id, person_id FROM nominations").one() == (1, 1)
            with pytest.raises(sa.exc.IntegrityError):
                conn.exec_driver_sql("UPDATE nominations SET party_id = NULL")
        upgrade()
        db.engine.dispose()
