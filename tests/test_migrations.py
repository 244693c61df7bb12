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


def test_database_rules_are_in_place(app, dialect):
    """The hand-written parts of the migration: the one-holder rule and the append-only audit trail."""
    if dialect == "postgresql":
        constraints = db.session.scalars(sa.text(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'appointments'::regclass AND contype = 'x'")).all()
        assert constraints == ["appointments_one_holder"]
        triggers = db.session.scalars(sa.text(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_entries'::regclass AND NOT tgisinternal")).all()
        assert triggers == ["audit_entries_append_only"]
    else:
        triggers = set(db.session.scalars(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
        assert triggers == {"appointments_one_holder_INSERT", "appointments_one_holder_UPDATE",
                            "audit_entries_append_only_UPDATE", "audit_entries_append_only_DELETE"}
        assert db.session.scalar(sa.text("PRAGMA foreign_keys")) == 1
        assert db.session.scalar(sa.text("PRAGMA journal_mode")) == "wal"
