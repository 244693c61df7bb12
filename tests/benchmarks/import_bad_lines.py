"""Times the import's check of a file of nothing but bad lines, at growing sizes: the time must grow with
the file, not with its square.

    .venv/bin/python -m tests.benchmarks.import_bad_lines [LINES ...]

For each size (default 50,000, 100,000, 200,000 and 400,000 lines) it writes a file whose every line is
refused: half of them twice over when read (an unknown role and a date that is no date), the other half
when planned (well-formed, but a second holder of a seat that already has one, the rival the quadratic
version rescanned for), and checks it as the import page does (a dry
run, on SQLite: the check reads the registry once and is the same on both databases), and prints the
time, the time per 1,000 lines, the number of errors counted and the number kept to tell. Not a test:
timings vary with the machine.
"""

import os
import sys
import tempfile
import time

os.environ.setdefault("REGISTRY_INSTANCE_PATH", tempfile.mkdtemp(prefix="registry-bench-"))
os.environ.setdefault("SECRET_KEY", "benchmark-only")

from flask_migrate import upgrade  # noqa: E402

from registry import create_app  # noqa: E402
from registry.exchange.csv_export import BASE_HEADER as HEADER  # noqa: E402
from registry.exchange.csv_import import import_csv  # noqa: E402
from registry.extensions import db  # noqa: E402


def bad_file(lines: int) -> bytes:
    rows = [";".join(HEADER)]
    for n in range(lines):
        if n % 2:
            rows.append(f"Organisation {n % 500};Plads 1;formand;Person {n};F;Hvidovre;2024-13-{n % 40:02};;;"
                        "KKR Hovedstaden;")
        else:
            rows.append(f"Organisation {n % 500};Plads 1;medlem;Person {n};F;Hvidovre;2024-01-01;;;"
                        "KKR Hovedstaden;")
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


def main(sizes: list[int]) -> None:
    path = os.path.join(tempfile.mkdtemp(prefix="registry-bench-"), "registry.db")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        upgrade()
        print(f"{'lines':>9} {'seconds':>8} {'ms/1000 lines':>14} {'errors':>8} {'told':>5}")
        for lines in sizes:
            data = bad_file(lines)
            started = time.perf_counter()
            result = import_csv(data, dry_run=True)
            took = time.perf_counter() - started
            db.session.rollback()
            print(f"{lines:>9,} {took:>8.2f} {took / lines * 1e6:>14.1f} {result.error_count:>8,} "
                  f"{len(result.errors):>5}")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [50_000, 100_000, 200_000, 400_000])
