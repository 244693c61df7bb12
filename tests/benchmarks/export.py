"""Times the appointments CSV export on SQLite and PostgreSQL.

    .venv/bin/python -m tests.benchmarks.export [ROWS]

Builds a throwaway database of ROWS appointments (default 100,000) on each
database, exports the whole history three times and prints the best time and
the process's peak memory. Not a test: timings vary with the machine.
"""

import os
import resource
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta

os.environ.setdefault("REGISTRY_INSTANCE_PATH", tempfile.mkdtemp(prefix="registry-bench-"))
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import psycopg  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from registry import create_app  # noqa: E402
from registry.appointments.models import Appointment, Role  # noqa: E402
from registry.exchange import csv_export  # noqa: E402
from registry.extensions import db  # noqa: E402
from registry.models import Municipality, Organisation, Party, Person, Seat  # noqa: E402

POSTGRES_URL = os.environ.get("REGISTRY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def fill(rows: int) -> None:
    """rows/2 seats across 500 bodies, each with a member and a suppleant, written in bulk."""
    db.session.add_all([Party(letter=f"P{i}", name=f"Parti {i}") for i in range(10)])
    db.session.add_all([Municipality(name=f"Kommune {i}", code=i) for i in range(29)])
    db.session.add_all([Organisation(name=f"Organisation {i:03}", appointing_authority="KKR Hovedstaden")
                        for i in range(500)])
    db.session.flush()
    org_ids = db.session.scalars(sa.select(Organisation.id)).all()
    seats = rows // 2
    db.session.execute(sa.insert(Seat), [
        {"organisation_id": org_ids[i % 500], "label": f"Plads {i}", "position": i, "has_substitute": True,
         "version": 1} for i in range(seats)])
    db.session.execute(sa.insert(Person), [
        {"name": f"Person {i}", "sort_name": f"person {i}", "municipality_id": 1 + i % 29, "party_id": 1 + i % 10,
         "version": 1} for i in range(rows)])
    seat_ids = db.session.scalars(sa.select(Seat.id).order_by(Seat.id)).all()
    start = date(2022, 1, 1)
    db.session.execute(sa.insert(Appointment), [
        {"seat_id": seat_ids[i // 2], "person_id": i + 1, "party_id": 1 + i % 10,
         "role": Role.member if i % 2 == 0 else Role.substitute,
         "start_date": start + timedelta(days=i % 365), "version": 1} for i in range(rows)])
    db.session.commit()


def measure(url: str, rows: int) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        fill(rows)
        best = float("inf")
        for _ in range(3):
            db.session.remove()
            began = time.perf_counter()
            size = 0
            with open(os.devnull, "wb") as sink:
                for chunk in csv_export.export(None):
                    data = chunk.encode("utf-8")
                    size += len(data)
                    sink.write(data)
            best = min(best, time.perf_counter() - began)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{db.engine.dialect.name:<10} {rows:>8} rows  {best:6.2f} s  "
              f"{rows / best:>9,.0f} rows/s  {size / 1e6:5.1f} MB file  peak RSS {peak_mb:.0f} MB")
        db.engine.dispose()


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        measure(f"sqlite:///{tmp}/bench.db", rows)
    name = f"registry_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = sa.make_url(POSTGRES_URL).set(drivername="postgresql+psycopg", database=name)
        measure(url.render_as_string(hide_password=False), rows)
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
