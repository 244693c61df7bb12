"""`flask registry backup FILE` and `flask registry restore FILE`: the whole database to one file and back.

SQLite
    backup: SQLite's online backup API (sqlite3.Connection.backup) copies every page in one step, inside one
    read transaction: a consistent snapshot while the app goes on reading and writing (WAL). Written to
    FILE.part, switched out of WAL mode (one self-contained file), synced and renamed to FILE, so a failed
    backup never leaves a half file under the real name.
    restore: the file is copied to a scratch file beside the live database (LIVE.restore.part), checked
    there (integrity, a registry at all, schema revision known to this code), and only then copied with the
    backup API into the live database. The backup API writes the destination in one write transaction:
    either all pages are replaced or, on any error, none.

PostgreSQL
    backup: `pg_dump --format=custom` of the configured database to FILE.part, renamed to FILE. pg_dump reads
    one snapshot (repeatable read), so the copy is consistent while the app runs.
    restore: in place, in ONE transaction. The archive is checked first without touching the database
    (`pg_restore --list` reads its table of contents; the alembic_version row is read from its data), then
    `pg_restore --clean --if-exists --no-owner --no-privileges` turns it into SQL that psql runs inside a
    BEGIN ... COMMIT of ours, preceded by dropping every table, view, sequence and function of the
    registry in the schema `public` (so tables of a newer schema revision, absent from an older backup, do
    not survive and trip up `db upgrade`). COMMIT is sent only when pg_restore finished without an error;
    on any error psql stops and the transaction is rolled back: the database is as before. Restoring in
    place was chosen over "restore into a new database and point DATABASE_URL at it" because PostgreSQL's
    transactional DDL makes it atomic, and the operator changes nothing else. A `lock_timeout` makes a
    restore fail clearly, instead of waiting, while workers still hold the tables: stop them first.
    Grants and ownership are not restored (--no-owner --no-privileges): the objects belong to the user
    that restores, which should be the registry's own database user.

The connection to PostgreSQL is passed to pg_dump/pg_restore/psql in the environment (PGHOST, PGUSER,
PGPASSWORD, ...), never on the command line, so the password is not in the process list; messages name
the database without the password. The binaries are found on PATH (or under /usr/lib/postgresql/*/bin).

A restore refuses, leaving the database untouched: a missing file, a file that is not a backup, a backup
of the other kind of database, a damaged backup, and a backup taken with a newer schema revision than this
code knows (alembic_version against the migrations). An older revision is restored; run `db upgrade` after.

Both commands write an audit entry (action "backup"/"restore", actor cli:backup/cli:restore); the entry for
a restore is written into the restored database after the restore.
"""

import contextlib
import glob
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from registry.audit.services import Actor, acting_as, record
from registry.extensions import db

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
KINDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """A refusal or failure, in Danish, safe to show (no passwords)."""


@dataclass(frozen=True)
class Archive:
    path: Path
    kind: str             # "sqlite" or "postgresql"
    revision: str         # alembic_version in the backup
    current: bool         # the revision is this code's head (no `db upgrade` needed after restoring)


# --- what the code knows -------------------------------------------------------------------------------------

def _revisions() -> tuple[str, set[str]]:
    """The migrations' head and every revision in their history."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", current_app.extensions["migrate"].directory)
    script = ScriptDirectory.from_config(config)
    return script.get_current_head(), {rev.revision for rev in script.walk_revisions()}


def _check_revision(revision: str | None, path: Path) -> bool:
    if revision is None:
        raise BackupError(f"'{path}' er ikke en sikkerhedskopi af registret (den har ingen skemaversion).")
    head, known = _revisions()
    if revision not in known:
        raise BackupError(
            f"Sikkerhedskopien '{path}' er taget med en nyere udgave af registret (skemaversion {revision}); "
            f"denne udgave kender højst skemaversion {head}. Opdatér programmet først; intet er ændret.")
    return revision == head


def _dialect() -> str:
    name = db.engine.dialect.name
    if name not in KINDS:
        raise BackupError(f"Sikkerhedskopiering understøtter kun SQLite og PostgreSQL, ikke {name}.")
    return name


def describe_database() -> str:
    """The configured database, without its password."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        return f"SQLite-filen {url.database}"
    return f"PostgreSQL-databasen {url.database} på {url.host or 'localhost'}"


def current_revision() -> str | None:
    try:
        with db.engine.connect() as conn:
            if not sa.inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.OperationalError as error:  # the driver's own words name host and user, never the password
        raise BackupError(f"{describe_database()} kan ikke nås: {str(error.orig).strip()}") from None


# --- the public functions --------------------------------------------------------------------------------------

def backup(path: Path) -> int:
    """Write a backup of the configured database to `path`; returns its size in bytes."""
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"'{path}' er en mappe; angiv et filnavn.")
    if not path.parent.is_dir():
        raise BackupError(f"Mappen '{path.parent}' findes ikke.")
    partial = path.with_name(path.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        _private_file(partial)
        if _dialect() == "sqlite":
            _backup_sqlite(_sqlite_path(), partial)
        else:
            _backup_postgres(partial)
        _fsync(partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path.stat().st_size


def inspect(path: Path) -> Archive:
    """Tell what `path` is, and refuse it (BackupError) unless it can be restored into this database."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"Filen '{path}' findes ikke.") from None
    except IsADirectoryError:
        raise BackupError(f"'{path}' er en mappe, ikke en sikkerhedskopi.") from None
    except OSError as error:
        raise BackupError(f"Filen '{path}' kan ikke læses ({error.strerror}).") from None
    if head.startswith(SQLITE_MAGIC):
        kind = "sqlite"
    elif head.startswith(PGDUMP_MAGIC):
        kind = "postgresql"
    else:
        raise BackupError(f"'{path}' er ikke en sikkerhedskopi (hverken en SQLite-database eller en pg_dump-fil "
                          "i custom-format).")
    dialect = _dialect()
    if kind != dialect:
        raise BackupError(f"'{path}' er en sikkerhedskopi af en {KINDS[kind]}-database, men registret bruger "
                          f"{KINDS[dialect]}. Intet er ændret.")
    if kind == "sqlite":
        with _sqlite_scratch(path) as scratch:
            revision = _sqlite_revision(scratch, path)
    else:
        revision = _postgres_revision(path)
    return Archive(path, kind, revision, _check_revision(revision, path))


def restore(path: Path) -> Archive:
    """Replace the whole configured database with the backup in `path` (checked first; all or nothing)."""
    archive = inspect(path)
    db.session.remove()
    db.engine.dispose()  # no pooled connection of ours holds a lock, or a stale schema, during the swap
    if archive.kind == "sqlite":
        with _sqlite_scratch(archive.path) as scratch:
            # Checked again on the very copy that is restored.
            _check_revision(_sqlite_revision(scratch, archive.path), archive.path)
            _restore_sqlite(scratch, _sqlite_path())
    else:
        _restore_postgres(archive.path)
    db.engine.dispose()
    return archive


def audit(action: str, changes: dict) -> bool:
    """Record the event in the (possibly just restored) database; False when that database cannot take it."""
    try:
        with acting_as(Actor(f"cli:{action}")):
            record(db.session, action, changes=changes)
            db.session.commit()
        return True
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return False


# --- SQLite ----------------------------------------------------------------------------------------------------

SQLITE_TIMEOUT = 30  # seconds to wait for a process that holds a lock on the database


class _Busy(Exception):
    pass


def _give_up_after(seconds: float):
    """A progress callback for Connection.backup, which would otherwise retry a locked database forever."""
    began = time.monotonic()

    def progress(status, remaining, total):
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() - began > seconds:
            raise _Busy(f"databasen er låst af en anden proces (ventede {seconds} s)")

    return progress


def _sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("Kun en SQLite-database i en almindelig fil kan sikkerhedskopieres.")
    return Path(database)


def _backup_sqlite(live: Path, partial: Path) -> None:
    if not live.is_file():
        raise BackupError(f"Databasen '{live}' findes ikke.")
    # mode=rw: never create an empty database by mistake.
    source = sqlite3.connect(f"{live.resolve().as_uri()}?mode=rw", uri=True, timeout=30)
    target = sqlite3.connect(partial)
    try:
        # pages=-1: every page in one step, in one read transaction on the source -- a consistent snapshot,
        # while writers go on in WAL mode.
        source.backup(target, pages=-1, progress=_give_up_after(SQLITE_TIMEOUT))
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    except (sqlite3.Error, _Busy) as error:
        raise BackupError(f"Sikkerhedskopien kunne ikke tages: {error}") from None
    finally:
        target.close()
        source.close()


@contextlib.contextmanager
def _sqlite_scratch(path: Path):
    """A private copy of the backup beside the live database, deleted afterwards."""
    live = _sqlite_path()
    live.parent.mkdir(parents=True, exist_ok=True)
    scratch = live.with_name(live.name + ".restore.part")
    try:
        scratch.unlink(missing_ok=True)
        _private_file(scratch)
        shutil.copyfile(path, scratch)
        yield scratch
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(scratch) + suffix).unlink(missing_ok=True)


def _sqlite_revision(scratch: Path, original: Path) -> str | None:
    conn = sqlite3.connect(scratch)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        if conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
            raise BackupError(f"Sikkerhedskopien '{original}' er beskadiget (SQLite's kontrol fejlede).")
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
                            ).fetchone():
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.DatabaseError as error:
        raise BackupError(f"'{original}' kan ikke læses som SQLite-database ({error}).") from None
    finally:
        conn.close()


def _restore_sqlite(scratch: Path, live: Path) -> None:
    source = sqlite3.connect(scratch)
    target = sqlite3.connect(live, timeout=SQLITE_TIMEOUT)
    try:
        # One write transaction on the live database: all pages or none.
        source.backup(target, pages=-1, progress=_give_up_after(SQLITE_TIMEOUT))
        target.execute("PRAGMA journal_mode=WAL")
    except (sqlite3.Error, _Busy) as error:
        raise BackupError(f"Gendannelsen mislykkedes, og databasen er uændret: {error}. Stop programmets "
                          "processer, og prøv igen.") from None
    finally:
        target.close()
        source.close()


def _private_file(path: Path) -> None:
    """Create the file empty, readable by this user only: a backup holds personal data."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- PostgreSQL ------------------------------------------------------------------------------------------------

# libpq's connection parameters that may come in the URL's query, and the environment variable for each.
_LIBPQ_ENV = {
    "host": "PGHOST", "hostaddr": "PGHOSTADDR", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD",
    "dbname": "PGDATABASE", "passfile": "PGPASSFILE", "service": "PGSERVICE", "options": "PGOPTIONS",
    "application_name": "PGAPPNAME", "connect_timeout": "PGCONNECT_TIMEOUT", "sslmode": "PGSSLMODE",
    "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY", "sslrootcert": "PGSSLROOTCERT", "sslcrl": "PGSSLCRL",
    "sslnegotiation": "PGSSLNEGOTIATION", "requiressl": "PGREQUIRESSL", "gssencmode": "PGGSSENCMODE",
    "channel_binding": "PGCHANNELBINDING", "target_session_attrs": "PGTARGETSESSIONATTRS",
    "krbsrvname": "PGKRBSRVNAME", "sslsni": "PGSSLSNI", "require_auth": "PGREQUIREAUTH",
}


def _postgres_env() -> dict[str, str]:
    """The configured database as libpq environment variables (the password never on a command line)."""
    url = db.engine.url
    env = dict(os.environ)  # what libpq reads there (PGPASSFILE, PGSSLROOTCERT, ...) the app reads too
    env["PGCONNECT_TIMEOUT"] = "10"
    for key, value in url.query.items():
        if key not in _LIBPQ_ENV:
            raise BackupError(f"Parameteren '{key}' i DATABASE_URL kendes ikke af pg_dump.")
        env[_LIBPQ_ENV[key]] = value if isinstance(value, str) else value[-1]
    for name, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                        ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[name] = str(value)
    env.setdefault("PGAPPNAME", "kkr-registry-backup")
    return env


def _binary(name: str) -> str:
    if found := shutil.which(name):
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(re.search(r"/(\d+)/bin/", p).group(1)))
    if candidates:
        return candidates[-1]
    raise BackupError(f"Programmet {name} findes ikke (PostgreSQL's klientprogrammer, fx pakken "
                      "postgresql-client, skal være installeret og på PATH).")


def _run(args: list[str], what: str, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([_binary(args[0]), *args[1:]], env=_postgres_env(), capture_output=True, **kwargs)
    if result.returncode != 0:
        raise BackupError(f"{what}: {_tail(result.stderr)}")
    return result


def _tail(stderr: bytes, lines: int = 5) -> str:
    text = stderr.decode("utf-8", "replace").strip().splitlines()
    return " / ".join(text[-lines:]) or "ukendt fejl"


def _backup_postgres(partial: Path) -> None:
    _run(["pg_dump", "--format=custom", "--no-password", f"--file={partial}"],
         f"pg_dump kunne ikke tage en sikkerhedskopi af {describe_database()}")


def _postgres_revision(path: Path) -> str | None:
    what = f"'{path}' er ikke en brugbar pg_dump-fil"
    toc = _run(["pg_restore", "--list", str(path)], what).stdout.decode("utf-8", "replace")
    if not re.search(r"^\d+; \d+ \d+ TABLE DATA \S+ alembic_version ", toc, re.MULTILINE):
        return None
    sql = _run(["pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(path)],
               what).stdout.decode("utf-8", "replace")
    match = re.search(r"^COPY \S*alembic_version \(version_num\) FROM stdin;\n(.*?)^\\\.$", sql,
                      re.MULTILINE | re.DOTALL)
    rows = match.group(1).split() if match else []
    return rows[0] if rows else None


# Runs first in the restore's transaction: everything of ours in the schema public goes, whatever the
# revision, so the backup's schema is exactly what is left (extensions' own objects stay).
LOCK_TIMEOUT = "15s"  # how long the restore waits for a table that a running process still uses

_DROP_ALL = r"""
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype = 'e')
        ORDER BY c.relkind = 'S'
    LOOP
        EXECUTE format('DROP %s IF EXISTS public.%I CASCADE',
                       CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                      WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                       r.relname);
    END LOOP;
    FOR r IN
        SELECT p.oid::regprocedure AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                          AND d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', r.signature);
    END LOOP;
END
$$;
"""


def _restore_postgres(path: Path) -> None:
    env = _postgres_env()
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_err:
        # Our own transaction rather than psql --single-transaction: COMMIT goes only after pg_restore has
        # finished well, so a damaged archive cannot leave a half restore behind.
        psql = subprocess.Popen(
            [_binary("psql"), "--no-psqlrc", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1", "--file=-"],
            env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_err)
        pg_restore = subprocess.Popen(
            [_binary("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--file=-",
             str(path)], env=env, stdout=subprocess.PIPE, stderr=restore_err)
        restored = False
        try:
            psql.stdin.write(f"BEGIN;\nSET LOCAL lock_timeout = '{LOCK_TIMEOUT}';\n{_DROP_ALL}".encode())
            shutil.copyfileobj(pg_restore.stdout, psql.stdin, 1 << 20)
            restored = pg_restore.wait() == 0
            psql.stdin.write(b"\nCOMMIT;\n" if restored else b"\nROLLBACK;\n")
        except BrokenPipeError:  # psql stopped at an error; its transaction is rolled back
            pass
        finally:
            with contextlib.suppress(BrokenPipeError):
                psql.stdin.close()
            pg_restore.stdout.close()
            if pg_restore.poll() is None:
                pg_restore.kill()
            pg_restore.wait()
            psql_code = psql.wait()
        if not restored or psql_code != 0:
            restore_err.seek(0)
            psql_err.seek(0)
            detail = _tail(psql_err.read()) if psql_code != 0 else _tail(restore_err.read())
            hint = (" Databasen er i brug: stop programmets processer (workers), og prøv igen."
                    if "lock timeout" in detail else "")
            raise BackupError(f"Gendannelsen mislykkedes, og {describe_database()} er uændret: {detail}.{hint}")
