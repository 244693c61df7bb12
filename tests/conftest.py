"""Every test runs on SQLite; a test marked `both_databases` runs on PostgreSQL too.

A test is marked when its outcome can depend on the database: constraints,
triggers, sorting, import and export, as-of queries, concurrency, migrations.
Pages, headers, forms and catalogues read the same on both, so they run once.

The schema always comes from the migrations (never create_all), so the
database rules written by hand there are what the tests meet. SQLite: each
test gets a copy of a freshly migrated file. PostgreSQL: the suite (each
xdist worker) creates its own database, migrates it once, empties it after
each test and drops it at the end. With CI=true an unreachable PostgreSQL
fails the run.
"""

import functools
import hashlib
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
from hypothesis import settings

_instance = tempfile.mkdtemp(prefix="registry-test-instance-")
os.environ["REGISTRY_INSTANCE_PATH"] = _instance
os.environ["SECRET_KEY"] = "test-only-" + uuid.uuid4().hex

from registry import create_app  # noqa: E402
from registry.auth import models as auth_models  # noqa: E402
from registry.extensions import db  # noqa: E402

# Passwords: scrypt is slow by design (about 0.1 s a hash here), and the suite makes and checks the same few
# passwords thousands of times, which took a third of its time. In the tests only, a password gets the same
# salt each time it is hashed, and scrypt remembers its answers: the same hashes and the same checks, each
# paid for once. Every other part of the login (the throttle, the decoy hash, the audit) runs as in production.
auth_models.generate_password_hash = functools.cache(auth_models.generate_password_hash)
hashlib.scrypt = functools.cache(hashlib.scrypt)

# Property-based tests: `make test` tries enough examples to catch the usual (HYPOTHESIS_PROFILE=default);
# `make test-deep` ten times as many, for a night's run before a release.
settings.register_profile("default", max_examples=25)
settings.register_profile("deep", max_examples=250)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

POSTGRES_URL = os.environ.get("REGISTRY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
CI = os.environ.get("CI", "").lower() == "true"


def make_app(url: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "WTF_CSRF_ENABLED": False})


def migrate_empty(url: str) -> None:
    app = make_app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _postgres_reachable() -> str | None:
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return str(error).strip()


def pytest_sessionstart(session):
    if CI and (error := _postgres_reachable()):
        raise pytest.UsageError(f"CI=true needs PostgreSQL at {POSTGRES_URL}: {error}")


@pytest.fixture(scope="session")
def postgres_admin_url():
    if error := _postgres_reachable():
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {error}")
    return POSTGRES_URL


@pytest.fixture(scope="session")
def new_postgres_database(postgres_admin_url):
    """Makes empty PostgreSQL databases for the suite and drops them at the end."""
    created = []

    def make() -> str:
        name = f"registry_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        url = sa.make_url(postgres_admin_url).set(drivername="postgresql+psycopg", database=name)
        return url.render_as_string(hide_password=False)

    yield make
    with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
        for name in created:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_url(new_postgres_database):
    url = new_postgres_database()
    migrate_empty(url)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        _MIGRATED[url] = {table: rows for table in db.metadata.sorted_tables
                          if (rows := [dict(row) for row in conn.execute(sa.select(table)).mappings()])}
    engine.dispose()
    return url


# Per PostgreSQL database, the rows the migrations themselves wrote (reference data: Denmark's
# municipalities), which emptying it after a test puts back as they were.
_MIGRATED: dict[str, dict[sa.Table, list[dict]]] = {}


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    migrate_empty(f"sqlite:///{path}")
    return path


def pytest_generate_tests(metafunc):
    if "database_url" not in metafunc.fixturenames:
        return
    both = metafunc.definition.get_closest_marker("both_databases") is not None
    metafunc.parametrize("database_url", ["sqlite", "postgresql"] if both else ["sqlite"], indirect=True)


@pytest.fixture
def database_url(request, tmp_path):
    if request.param == "sqlite":
        path = tmp_path / "registry.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    empty(url)


def empty(url: str) -> None:
    """Deletes every row and restarts the ids, and puts back what the migrations wrote: as a fresh
    database would have them.

    DELETE of a few rows is about ten times faster than TRUNCATE, which
    rewrites every table's files. As replica, the session fires no triggers
    (the audit trail's append-only rule) and checks no foreign keys, so the
    order of the tables does not matter.
    """
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        for table in db.metadata.sorted_tables:
            conn.exec_driver_sql(f'DELETE FROM "{table.name}"')
        for (sequence,) in conn.exec_driver_sql(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"):
            conn.exec_driver_sql(f'ALTER SEQUENCE "{sequence}" RESTART')
        for table, rows in _MIGRATED.get(url, {}).items():
            conn.execute(table.insert(), rows)
            conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                 f"(SELECT MAX(id) FROM \"{table.name}\"))")
    engine.dispose()


@pytest.fixture
def app(database_url):
    app = make_app(database_url)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


class OwnContextClient(FlaskClient):
    """Each request in an app context of its own, as in production.

    The test itself holds an app context (and a database session) for its
    whole run; Flask would reuse it for every request, sharing the session
    and `g` between the test and all its requests. Hiding it during the
    request gives the request a fresh context, which sees only what the test
    has committed.
    """

    def open(self, *args, **kwargs):
        # Buffered, so a streamed response is read (and its context closed) inside the request.
        kwargs.setdefault("buffered", True)
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture
def client(app):
    app.test_client_class = OwnContextClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def dialect(app) -> str:
    return db.engine.dialect.name


def pytest_collection_modifyitems(config, items):
    # Slow-to-fast is not the point; grouping by database keeps one PostgreSQL setup warm.
    items.sort(key=lambda item: "postgresql" in item.nodeid)
