"""Times the bulk download, `flask registry export-popolo`, and measures its peak memory.

    .venv/bin/python -m tests.benchmarks.popolo [ROWS ...]
    .venv/bin/python -m tests.benchmarks.popolo --url postgresql+psycopg://.../registry [--url ...]

For each size (default 100,000 and 300,000 appointments) builds a throwaway PostgreSQL registry (ANALYZEd)
in the national shape of tests/benchmarks/export.py; or reads the registries given by --url as they are.
Then, best of three each, side by side: the document of the whole history, the document of one day, and
the appointments CSV of the whole history for comparison, each as the command a cron job would run, in a
process of its own: seconds, the document's size, and the process's peak resident memory (the most of the
three runs). Not a test: timings vary with the machine. The memory is what matters: it should hardly move
from 100,000 to 300,000.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("REGISTRY_INSTANCE_PATH", tempfile.mkdtemp(prefix="registry-bench-"))
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from registry import create_app  # noqa: E402
from registry.appointments.models import Appointment  # noqa: E402
from registry.extensions import db  # noqa: E402
from tests.benchmarks import databases  # noqa: E402
from tests.benchmarks.export import fill  # noqa: E402

FLASK = str(Path(sys.executable).with_name("flask"))
DAY = "2024-04-19"
COMMANDS = {
    "popolo, whole history": ["registry", "export-popolo"],
    f"popolo, as_of {DAY}": ["registry", "export-popolo", "--as-of", DAY],
    "CSV, whole history": ["registry", "export-csv", "--all"],
}


def run(url: str, args: list[str]) -> tuple[float, int, float]:
    """(seconds, bytes written, peak RSS in MB) of one command in a process of its own."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "out"
        began = time.perf_counter()
        process = subprocess.Popen([FLASK, "--app", "wsgi", *args, "--output", str(target)],
                                   env={**os.environ, "DATABASE_URL": url})
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - began
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise SystemExit(f"{args} failed with status {process.returncode}")
        return seconds, target.stat().st_size, usage.ru_maxrss / 1024


def measure(url: str) -> None:
    with create_app({"SQLALCHEMY_DATABASE_URI": url}).app_context():
        appointments = db.session.scalar(sa.select(sa.func.count()).select_from(Appointment))
        db.engine.dispose()
    for name, args in COMMANDS.items():
        runs = [run(url, args) for _ in range(3)]
        seconds = min(seconds for seconds, _, _ in runs)
        print(f"{appointments:>8} appointments  {name:<25} {seconds:7.1f} s  {runs[0][1] / 1e6:7.1f} MB written  "
              f"peak RSS {max(peak for _, _, peak in runs):5.0f} MB", flush=True)


def build(rows: int) -> tuple[str, str]:
    name, url = databases.create("bench_popolo_")
    with create_app({"SQLALCHEMY_DATABASE_URI": url}).app_context():
        upgrade()
        fill(rows)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("ANALYZE"))
        db.engine.dispose()
    return name, url


def main() -> None:
    args = sys.argv[1:]
    if "--url" in args:
        for url in args[1::2]:
            measure(url)
        return
    for rows in [int(arg) for arg in args] or [100_000, 300_000]:
        name, url = build(rows)
        try:
            measure(url)
        finally:
            databases.drop(name)


if __name__ == "__main__":
    main()
