"""`flask registry backup FILE` / `restore FILE`: a backup restored into an empty database gives the same bytes in
every export; a refused restore leaves the database as it was; a SQLite backup taken while another connection
writes is a consistent copy."""

import sqlite3
import threading
from datetime import date

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from registry import backup
from registry.appointments import services as appointments
from registry.appointments.models import EndReason
from registry.audit.models import AuditEntry
from registry.extensions import db
from registry.meetings import services as agenda
from registry.meetings.models import Outcome
from registry.people.models import Gender, Person
from tests import factories as make
from tests import nomination_factories as nom
from tests.conftest import make_app

# Both databases: dumps and restores each database.
pytestmark = pytest.mark.both_databases


@pytest.fixture
def filled(app):
    """Organisations, seats, people with private data, appointments past and present, and a nomination put on
    an agenda and decided by KKR (seated from the effective date), one on the agenda not yet decided."""
    rar = nom.allocated_seat("F", "RAR Hovedstaden")
    other = nom.allocated_seat("B", "RAR Hovedstaden")
    school = nom.allocated_seat("B", "Æblerådet for Øresund", has_substitute=False)
    kofoed = nom.candidate("Lotte Kofoed", "F", municipality_name="Frederiksberg")
    kofoed.email = "lotte@example.org"
    peschardt = nom.candidate("Marie-Louise Peschardt Jørgensen", "F", gender=Gender.woman)
    decided = nom.nomination(rar, kofoed, substitute=peschardt, motivation="Erfaren; =SUM(A1)")
    agenda.place_on_agenda(decided, date(2024, 4, 19), "4.1", council="KKR Hovedstaden",
                                case_number="SAG-2024-01064", title="Udpegning til RAR Hovedstaden")
    agenda.decide(decided, Outcome.appointed, text="KKR Hovedstaden udpegede Lotte Kofoed (F).",
                       effective=date(2024, 7, 1))
    undecided = nom.nomination(other, nom.candidate("Esat Sentürk", "B", municipality_name="Høje-Taastrup"))
    agenda.place_on_agenda(undecided, date(2024, 4, 19), "4.2", council="KKR Hovedstaden")
    old = make.appoint(school, make.person("Anna Gammel", "Gentofte", "B"), date(2020, 1, 1),
                       decision=make.decision(date(2019, 12, 14), "5.2", Outcome.appointed))
    appointments.end(old, date(2023, 12, 31), EndReason.resigned)
    make.appoint(school, make.person("Ørjan Ny", "Tårnby", "B"), date(2024, 1, 1))
    make.user("haan")
    db.session.commit()


def run(runner, *args, input=None):
    return runner.invoke(args=["registry", *args], input=input)


def exports(runner) -> tuple[bytes, bytes]:
    appointments_csv = run(runner, "export-csv", "--all")
    decisions_csv = run(runner, "export-decisions")
    assert appointments_csv.exit_code == 0, appointments_csv.output
    assert decisions_csv.exit_code == 0, decisions_csv.output
    return appointments_csv.stdout_bytes, decisions_csv.stdout_bytes


def audit_rows(action: str | None = None) -> list[AuditEntry]:
    db.session.remove()
    query = sa.select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))


def revision() -> str:
    db.session.remove()
    return db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))


@pytest.fixture
def empty_url(dialect, tmp_path, request):
    """A brand new database: a SQLite file that does not exist yet, or an empty PostgreSQL database."""
    if dialect == "sqlite":
        return f"sqlite:///{tmp_path / 'empty' / 'restored.db'}"
    return request.getfixturevalue("new_postgres_database")()


def test_a_backup_restored_into_an_empty_database_gives_byte_identical_exports(app, runner, filled, tmp_path,
                                                                               empty_url):
    before = exports(runner)
    assert b"Lotte Kofoed" in before[0]
    assert b"Lotte Kofoed" in before[1]
    entries_before = [(e.id, e.action, e.entity, e.entity_id) for e in audit_rows()]
    file = tmp_path / "registry.backup"

    result = run(runner, "backup", str(file))
    assert result.exit_code == 0, result.output
    assert "gemt" in result.output
    assert not (tmp_path / "registry.backup.part").exists()
    assert file.stat().st_mode & 0o777 == 0o600  # personal data: for the operator's eyes only
    [entry] = audit_rows("backup")
    assert entry.actor == "cli:backup"
    assert entry.changes["file"] == str(file)

    target = make_app(empty_url)
    with target.app_context():
        target_runner = target.test_cli_runner()
        result = run(target_runner, "restore", "--yes", str(file))
        assert result.exit_code == 0, result.output
        assert exports(target_runner) == before
        restored = audit_rows()
        # The trail came along, and the restore itself is its newest entry.
        assert [(e.id, e.action, e.entity, e.entity_id) for e in restored[:len(entries_before)]] == entries_before
        assert restored[-1].action == "restore"
        assert restored[-1].actor == "cli:restore"
        # Private fields came along too (they are not in the exports).
        assert db.session.scalar(sa.select(Person.email).where(Person.name == "Lotte Kofoed")) == "lotte@example.org"
        # The restored database is at the head revision and usable: the migrations have nothing to do.
        upgrade()
        db.session.remove()
        db.engine.dispose()


def test_restore_in_place_replaces_everything_including_tables_the_backup_does_not_have(app, runner, filled,
                                                                                       tmp_path, dialect):
    before = exports(runner)
    file = tmp_path / "registry.backup"
    assert run(runner, "backup", str(file)).exit_code == 0

    make.person("Kommer Senere", "Hvidovre", "F")
    db.session.execute(sa.text("CREATE TABLE from_a_newer_revision (id integer primary key)"))
    db.session.commit()
    assert exports(runner) == before  # a person without seats is not in the exports, but is in the database

    result = run(runner, "restore", str(file), input="y\n")
    assert result.exit_code == 0, result.output
    assert "Fortsæt?" in result.output
    assert exports(runner) == before
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count()).where(Person.name == "Kommer Senere")) == 0
    assert not sa.inspect(db.engine).has_table("from_a_newer_revision")
    upgrade()


@pytest.fixture
def newer_backup(app, runner, tmp_path, dialect):
    """A backup whose alembic_version is a revision this code does not know."""
    file = tmp_path / "newer.backup"
    if dialect == "sqlite":
        assert run(runner, "backup", str(file)).exit_code == 0
        with sqlite3.connect(file) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
        conn.close()
        return file
    head = revision()
    db.session.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    db.session.commit()
    assert run(runner, "backup", str(file)).exit_code == 0
    db.session.execute(sa.text("UPDATE alembic_version SET version_num = :head"), {"head": head})
    db.session.commit()
    return file


def _wrong_kind(tmp_path, dialect):
    file = tmp_path / "other-kind.backup"
    if dialect == "sqlite":
        file.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(200))
    else:
        with sqlite3.connect(file) as conn:
            conn.execute("CREATE TABLE t (x)")
        conn.close()
    return file


def _truncated(runner, tmp_path, dialect):
    file = tmp_path / "truncated.backup"
    assert run(runner, "backup", str(file)).exit_code == 0
    data = file.read_bytes()
    file.write_bytes(data[:len(data) * 2 // 3])
    return file


def _not_the_registry(tmp_path, dialect):
    if dialect != "sqlite":
        pytest.skip("a SQLite file without the registry's schema")
    file = tmp_path / "some.db"
    with sqlite3.connect(file) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    return file


@pytest.mark.parametrize(("case", "message"), [
    ("missing", "findes ikke"),
    ("not_a_backup", "er ikke en sikkerhedskopi"),
    ("wrong_kind", "sikkerhedskopi af en"),
    ("truncated", ""),
    ("not_the_registry", "ingen skemaversion"),
    ("newer_revision", "nyere udgave af registret"),
    ("declined", ""),
])
def test_a_refused_restore_leaves_the_database_as_it_was(app, runner, filled, tmp_path, dialect, request, case,
                                                         message):
    if case == "missing":
        file = tmp_path / "no-such.backup"
    elif case == "not_a_backup":
        file = tmp_path / "udpegninger.csv"
        file.write_bytes(run(runner, "export-csv", "--all").stdout_bytes)
    elif case == "wrong_kind":
        file = _wrong_kind(tmp_path, dialect)
    elif case == "truncated":
        file = _truncated(runner, tmp_path, dialect)
    elif case == "not_the_registry":
        file = _not_the_registry(tmp_path, dialect)
    elif case == "newer_revision":
        file = request.getfixturevalue("newer_backup")
    else:
        file = tmp_path / "good.backup"
        assert run(runner, "backup", str(file)).exit_code == 0
    make.person("Efter Kopien", "Hvidovre", "F")  # not in any backup: a restore would remove it
    db.session.commit()
    before, head = exports(runner), revision()

    result = run(runner, "restore", str(file), input="n\n")

    assert result.exit_code != 0
    assert message in result.output, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert exports(runner) == before
    assert revision() == head
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count()).where(Person.name == "Efter Kopien")) == 1
    assert audit_rows("restore") == []


def test_a_restore_while_a_process_still_uses_the_database_fails_clearly_and_changes_nothing(
        app, runner, filled, tmp_path, dialect, monkeypatch):
    """A worker in the middle of a transaction holds a table; the restore, one transaction that drops and
    recreates everything, gives up after the lock timeout and is rolled back."""
    file = tmp_path / "registry.backup"
    assert run(runner, "backup", str(file)).exit_code == 0
    make.person("Efter Kopien", "Hvidovre", "F")
    db.session.commit()
    before = exports(runner)
    monkeypatch.setattr(backup, "LOCK_TIMEOUT", "1s")
    if dialect == "sqlite":
        monkeypatch.setattr(backup, "SQLITE_TIMEOUT", 1)
        worker = sqlite3.connect(db.engine.url.database, isolation_level=None)
        worker.execute("BEGIN IMMEDIATE")  # a writer mid-transaction
        result = run(runner, "restore", "--yes", str(file))
        worker.execute("ROLLBACK")
        worker.close()
    else:
        worker = sa.create_engine(db.engine.url)
        with worker.connect() as conn:
            conn.execute(sa.text("SELECT count(*) FROM persons"))  # holds persons (ACCESS SHARE) till rollback
            result = run(runner, "restore", "--yes", str(file))
            conn.rollback()
        worker.dispose()
    assert result.exit_code == 1
    assert "uændret" in result.output, result.output
    assert "stop programmets processer" in result.output.lower(), result.output
    assert exports(runner) == before
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count()).where(Person.name == "Efter Kopien")) == 1


def test_a_postgresql_restore_whose_pg_restore_breaks_off_is_rolled_back(app, runner, filled, tmp_path, dialect,
                                                                          monkeypatch):
    """pg_restore has already sent SQL that drops a table when it fails: nothing is committed."""
    if dialect != "postgresql":
        pytest.skip("PostgreSQL's restore runs as SQL in one transaction")
    fake = tmp_path / "pg_restore"
    fake.write_text("#!/bin/sh\necho 'DROP TABLE IF EXISTS public.persons CASCADE;'\n"
                    "echo 'pg_restore: error: could not read from input file: end of file' >&2\nexit 1\n")
    fake.chmod(0o700)
    real_binary = backup._binary
    monkeypatch.setattr(backup, "_binary", lambda name: str(fake) if name == "pg_restore" else real_binary(name))
    before = exports(runner)
    db.session.remove()
    db.engine.dispose()
    with pytest.raises(backup.BackupError, match="uændret: pg_restore: error: could not read"):
        backup._restore_postgres(tmp_path / "whatever.backup")
    assert exports(runner) == before
    assert sa.inspect(db.engine).has_table("persons")


def test_backup_refuses_a_directory_that_does_not_exist_and_leaves_no_file(app, runner, filled, tmp_path):
    result = run(runner, "backup", str(tmp_path / "nowhere" / "registry.backup"))
    assert result.exit_code == 1
    assert "findes ikke" in result.output
    assert not (tmp_path / "nowhere").exists()


def test_a_sqlite_backup_taken_while_another_connection_writes_is_consistent(app, runner, tmp_path, dialect):
    """A writer commits pairs of rows as fast as it can; the backup must hold whole pairs only."""
    if dialect != "sqlite":
        pytest.skip("the SQLite online backup")
    live = db.engine.url.database
    insert = ("INSERT INTO audit_entries (at, actor, action, entity, entity_id) "
              "VALUES ('2024-01-01 00:00:00', 'probe', 'probe', 'pair', ?)")
    with sqlite3.connect(live) as conn:  # enough pages that copying them takes a moment
        conn.executemany(insert.replace("'pair'", "'ballast'"), [(i,) for i in range(40_000)])
    conn.close()
    stop, started, pairs = threading.Event(), threading.Event(), [0]

    def writer():
        conn = sqlite3.connect(live, isolation_level=None, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        while not stop.is_set():
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(insert, (pairs[0],))
            conn.execute(insert, (pairs[0],))
            conn.execute("COMMIT")
            pairs[0] += 1
            if pairs[0] == 20:
                started.set()
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert started.wait(30)
        during = pairs[0]
        file = tmp_path / "during.backup"
        result = run(runner, "backup", str(file))
        after = pairs[0]
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    with sqlite3.connect(file) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        counts = copy.execute("SELECT entity_id, count(*) FROM audit_entries WHERE entity = 'pair' "
                              "GROUP BY entity_id ORDER BY entity_id").fetchall()
    copy.close()
    assert counts, "the writer wrote before the backup"
    assert {n for _, n in counts} == {2}  # no half transaction
    assert [k for k, _ in counts] == list(range(len(counts)))  # no gap: a prefix of the writer's commits
    assert during <= len(counts) <= after + 1
    assert not list(tmp_path.glob("*.part"))


def test_the_postgresql_password_is_passed_in_the_environment_and_never_shown(tmp_path, monkeypatch):
    url = "postgresql+psycopg://registry:Hemmelig-Kode-42@127.0.0.1:1/registret?sslmode=disable"
    secret_app = make_app(url)
    calls = []
    real_run = backup.subprocess.run

    def spy(args, **kwargs):
        calls.append((args, kwargs["env"]))
        return real_run(args, **kwargs)

    monkeypatch.setattr(backup.subprocess, "run", spy)
    if backup.shutil.which("pg_dump") is None:
        pytest.skip("pg_dump not installed")
    with secret_app.app_context():
        with pytest.raises(backup.BackupError) as refused:
            backup.backup(tmp_path / "x.backup")
        db.engine.dispose()
    [(args, env)] = calls
    assert not any("Hemmelig" in arg for arg in args)
    assert env["PGPASSWORD"] == "Hemmelig-Kode-42"
    assert env["PGUSER"] == "registry"
    assert env["PGDATABASE"] == "registret"
    assert env["PGPORT"] == "1"
    assert env["PGSSLMODE"] == "disable"
    assert "Hemmelig" not in str(refused.value)
    assert "registret" in str(refused.value)
    assert not list(tmp_path.iterdir())
    with secret_app.app_context():  # the command checks the database first: a clean message, no traceback
        result = run(secret_app.test_cli_runner(), "backup", str(tmp_path / "x.backup"))
        db.engine.dispose()
    assert result.exit_code == 1, result.output
    assert "kan ikke nås" in result.output, result.output
    assert "Hemmelig" not in result.output
