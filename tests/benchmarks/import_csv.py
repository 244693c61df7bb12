"""Times the appointments CSV import on SQLite and PostgreSQL.

    .venv/bin/python -m tests.benchmarks.import_csv [ROWS[,ROWS…]] [--postgres] [--once]

Writes a file of ROWS appointments (default 100,000: 500 bodies, ROWS/4 seats,
a member and a suppleant on each in two election periods, the earlier ones
ended, one in ten citing a KKR decision) and, on each database, three times:
imports it into an empty, freshly migrated database (commit included), then
imports the same file again (every line unchanged). Prints the best time of
each and the process's peak memory during the imports of that size (the
resident set's high-water mark, reset before each size where Linux allows).
--postgres skips SQLite; --once imports once instead of three times, for a
large file: `import_csv 1000000 --postgres --once`. The peak memory includes
the file (made in the process) and, for the import again, the registry's
appointments that import loads to compare with. BENCH_DATABASE_PREFIX names the
PostgreSQL databases (bench_import_…). Not a test: timings vary with the machine.
"""

import csv
import io
import os
import resource
import sys
import tempfile
import time

os.environ.setdefault("REGISTRY_INSTANCE_PATH", tempfile.mkdtemp(prefix="registry-bench-"))
os.environ.setdefault("SECRET_KEY", "benchmark-only")

from flask_migrate import upgrade  # noqa: E402

from registry import create_app  # noqa: E402
from registry.audit.services import Actor, acting_as  # noqa: E402
from registry.exchange.csv_export import BASE_HEADER as HEADER  # noqa: E402
from registry.exchange.csv_import import import_csv  # noqa: E402
from registry.extensions import db  # noqa: E402
from registry.people.reference import DENMARK, PARTIES  # noqa: E402
from tests.benchmarks import databases  # noqa: E402

PERIODS = [("2018-01-01", "2021-12-31", "periode udløbet"), ("2022-01-01", "", "")]


def make_file(rows: int) -> bytes:
    municipalities = [name for _, name, _ in DENMARK]
    letters = [letter for letter, _ in PARTIES]
    persons = max(rows * 2 // 5, 1)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    seats = max(rows // 4, 1)
    written = 0
    for seat in range(seats):
        for start, end, reason in PERIODS:
            for role in ("medlem", "suppleant"):
                if written == rows:
                    break
                person = (written * 7919) % persons
                reference = f"KKR Hovedstaden 2021-{1 + seat % 12:02}-15 pkt. {1 + seat % 9}.1" \
                    if written % 10 == 0 else ""
                writer.writerow([f"Organisation {seat % 500:03}", f"Plads {seat // 500 + 1}", role,
                                 f"Person {person:06}", letters[person % len(letters)],
                                 municipalities[person % len(municipalities)], start, end, reason,
                                 "KKR Hovedstaden", reference])
                written += 1
    return buffer.getvalue().encode("utf-8-sig")


def timed_import(data: bytes) -> tuple[float, dict]:
    db.session.remove()
    began = time.perf_counter()
    with acting_as(Actor("benchmark")):
        result = import_csv(data, dry_run=False)
        assert result.ok, result.errors[:5]
        db.session.commit()
    return time.perf_counter() - began, result.created


def reset_peak() -> None:
    """Start the resident set's high-water mark afresh (Linux: /proc/self/clear_refs), if allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def peak_mb() -> float:
    """The resident set's high-water mark since reset_peak, or since the process began."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(make_url, rows: int, data: bytes, runs: int = 3) -> None:
    first = again = float("inf")
    first_peak = 0.0
    reset_peak()
    for _ in range(runs):
        url, drop = make_url()
        try:
            app = create_app({"SQLALCHEMY_DATABASE_URI": url})
            with app.app_context():
                upgrade()
                seconds, created = timed_import(data)
                first = min(first, seconds)
                first_peak = max(first_peak, peak_mb())
                assert created["udpegninger"] == rows, created
                seconds, created = timed_import(data)
                again = min(again, seconds)
                assert not any(created.values()), created
                dialect = db.engine.dialect.name
                db.session.remove()
                db.engine.dispose()
        finally:
            drop()
    print(f"{dialect:<10} {rows:>8} rows  into empty {first:6.2f} s ({rows / first:>7,.0f} rows/s)  "
          f"same file again {again:6.2f} s ({rows / again:>7,.0f} rows/s)  peak RSS {first_peak:.0f} MB into "
          f"empty, {peak_mb():.0f} MB with the import again",
          flush=True)


def sqlite_database():
    tmp = tempfile.TemporaryDirectory()
    return f"sqlite:///{tmp.name}/bench.db", tmp.cleanup


def postgres_database():
    name, url = databases.create("bench_import_")
    return url, lambda: databases.drop(name)


def main() -> None:
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    sizes = [int(size) for size in arguments[0].split(",")] if arguments else [100_000]
    runs = 1 if "--once" in sys.argv else 3
    for rows in sizes:
        data = make_file(rows)
        print(f"file: {rows:,} rows, {len(data) / 1e6:.1f} MB", flush=True)
        if "--postgres" not in sys.argv:
            measure(sqlite_database, rows, data, runs)
        measure(postgres_database, rows, data, runs)
        del data


if __name__ == "__main__":
    main()
