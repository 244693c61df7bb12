"""The national-scale benchmark (issue 15): a registry of all five KKRs over six election periods.

    .venv/bin/python -m tests.benchmarks.national [ROWS] [--seconds 5] [--keep] [--no-explain]
    .venv/bin/python -m tests.benchmarks.national --url postgresql+psycopg://…/bench_nat_… (a kept database)

1. Writes a CSV file of ROWS appointments (default 300,000) in the export's format, deterministically
   (tests/benchmarks/national_data.py: ~ROWS/90 bodies, ~ROWS/5 people, one KKR decision per body and period).
2. Makes a fresh PostgreSQL database, migrates it, adds the six election periods and a secretariat user
   through the CLI, and imports the file with `flask registry import-csv` in a child process (its time and
   peak RSS), then ANALYZE. The same file is COPYed into a staging table, best of three, for comparison.
3. Times the export (`csv_export.export`, in-process, best of three; the CLI once for its peak RSS) against
   `COPY (SELECT <the same join>) TO STDOUT`, best of three.
4. Serves the app with gunicorn (2 sync workers) and times each page with wrk (8 connections, --latency),
   against the trivial /api/v1/parties in the same run; prints a markdown table.
5. Runs each page once in-process, records its SQL (before_cursor_execute) and prints
   EXPLAIN (ANALYZE, BUFFERS) of each distinct SELECT, flagging a Seq Scan on a table of more than
   10,000 rows.
6. Drops the database, unless --keep.

Only the public entry points are used (URLs, CLI commands, csv_export.export), so the script keeps
working while they change inside. Not a test: timings vary with the machine; compare the ratios.
"""

import argparse
import http.client
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault("REGISTRY_INSTANCE_PATH", tempfile.mkdtemp(prefix="registry-bench-"))
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import psycopg  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from registry import create_app  # noqa: E402
from registry.exchange import csv_export  # noqa: E402
from registry.extensions import db  # noqa: E402
from tests.benchmarks import databases  # noqa: E402
from tests.benchmarks.national_data import PERIODS, write_registry_csv  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "bench_nat_"
AS_OF = "2024-04-18"
USERNAME, PASSWORD = f"benchmark-{uuid.uuid4().hex[:6]}", "national-benchmark-" + uuid.uuid4().hex
TRIVIAL = "/api/v1/parties"
BIG_TABLE = 10_000

# The export's join as PostgreSQL alone would run it (registry/exchange/csv_export.py): the same tables,
# the council mandate on the line's day, the same order, and the Danish words of the enums.
COPY_EXPORT = """
SELECT o.name, s.label, CASE a.role WHEN 'member' THEN 'medlem' ELSE 'suppleant' END, p.name, r.letter, m.name,
       a.start_date, a.end_date,
       CASE a.end_reason WHEN 'resigned' THEN 'udtrådt' WHEN 'term_ended' THEN 'periode udløbet'
            WHEN 'body_dissolved' THEN 'organisation nedlagt' WHEN 'replaced' THEN 'erstattet'
            WHEN 'deceased' THEN 'afgået ved døden' WHEN 'other' THEN 'andet' END,
       coalesce(s.appointing_authority, o.appointing_authority),
       CASE WHEN mt.council_name IS NOT NULL THEN mt.council_name || ' ' || mt.date || ' pkt. ' || i.number END,
       a.office, a.office_title, a.office_chosen_by, a.office_start, a.office_end, s.kind, s.ex_officio,
       s.pool_rank, s.filled_by, s.nominated_by, o.follows_election_period, o.term_years, o.term_start,
       o.end_date, s.end_date, council.name, held.office
FROM appointments a
JOIN seats s ON s.id = a.seat_id
JOIN organisations o ON o.id = s.organisation_id
JOIN persons p ON p.id = a.person_id
LEFT JOIN parties r ON r.id = a.party_id
LEFT JOIN municipalities m ON m.id = p.municipality_id
LEFT JOIN decisions d ON d.id = a.decision_id
LEFT JOIN agenda_items i ON i.id = d.item_id
LEFT JOIN meetings mt ON mt.id = i.meeting_id
LEFT JOIN LATERAL (
    SELECT cm.municipality_id, cm.office FROM council_mandates cm
    WHERE cm.person_id = a.person_id
      AND cm.start_date <= CASE WHEN a.end_date < current_date THEN a.end_date ELSE current_date END
      AND (cm.end_date IS NULL
           OR cm.end_date >= CASE WHEN a.end_date < current_date THEN a.end_date ELSE current_date END)
    ORDER BY cm.start_date DESC, cm.id DESC LIMIT 1) held ON true
LEFT JOIN municipalities council ON council.id = held.municipality_id
WHERE a.status = 'appointed'
ORDER BY o.sort_name, o.name, o.id, s.position, s.label, s.id, a.role, a.start_date, a.id
"""


# -- the database -----------------------------------------------------------------------------------------

def libpq(url: str) -> str:
    """The URL as psycopg takes it (without SQLAlchemy's +psycopg)."""
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def child_env(url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}


def flask(url: str, *args: str, stdin: str | None = None) -> tuple[float, float, str]:
    """Runs `flask --app wsgi ARGS` in a child process: seconds, the child's peak RSS in MB, its output.
    Fails with the output if the command did."""
    with tempfile.TemporaryFile() as out:
        began = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                                 env=child_env(url), stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT)
        if stdin is not None:
            child.stdin.write(stdin.encode())
        child.stdin.close()
        # wait4, not wait: the rusage of this child alone, whatever else this process has started.
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    if child.returncode:
        raise SystemExit(f"flask {' '.join(args)} failed ({child.returncode}):\n{output[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, output


def analyze(url: str) -> None:
    with psycopg.connect(libpq(url), autocommit=True) as conn:
        conn.execute("ANALYZE")


def scalar(url: str, sql: str):
    with psycopg.connect(libpq(url)) as conn:
        return conn.execute(sql).fetchone()


def build(url: str, rows: int, work: Path) -> dict:
    """Writes the file, migrates, imports; returns what was measured."""
    path = work / f"national-{rows}.csv"
    began = time.perf_counter()
    with open(path, "wb") as out:
        made = write_registry_csv(rows, out)
    print(f"file: {rows:,} lines, {path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - began:.1f} s: "
          f"{made.bodies:,} bodies, {made.seats:,} seats, {len(made.people):,} people, "
          f"{len(made.decisions):,} KKR decisions", flush=True)
    flask(url, "db", "upgrade")
    for first, last in PERIODS:
        flask(url, "registry", "add-period", f"{first.year}-{last.year}", first.isoformat(), last.isoformat())
    start_up, _, _ = flask(url, "registry", "--help")
    seconds, peak, output = flask(url, "registry", "import-csv", str(path))
    summary = " ".join(line for line in output.splitlines() if line.strip())[:300]
    print(f"import: {seconds:.1f} s ({rows / seconds:,.0f} lines/s), peak RSS {peak:.0f} MB "
          f"(a bare `flask registry --help` takes {start_up:.1f} s)\n  {summary}", flush=True)
    analyze(url)
    copy_seconds = copy_in(url, path)
    print(f"COPY of the file into a staging table: {copy_seconds:.2f} s ({rows / copy_seconds:,.0f} lines/s), "
          f"best of 3; the import takes {seconds / copy_seconds:.0f}× as long", flush=True)
    return {"import_s": seconds, "import_rss": peak, "copy_in_s": copy_seconds, "start_up_s": start_up, "path": path}


def copy_in(url: str, path: Path) -> float:
    """The same file into a staging table of text columns with COPY, best of three."""
    best = float("inf")
    with psycopg.connect(libpq(url)) as conn:
        for _ in range(3):
            conn.execute("DROP TABLE IF EXISTS bench_staging")
            columns = ", ".join(f'"{name}" text' for name in csv_export.HEADER)
            conn.execute(f"CREATE TEMP TABLE bench_staging ({columns})")
            began = time.perf_counter()
            with conn.cursor() as cursor, open(path, "rb") as data:
                with cursor.copy("COPY bench_staging FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true, "
                                 "ENCODING 'UTF8')") as copy:
                    while block := data.read(1 << 20):
                        copy.write(block)
            conn.commit()
            best = min(best, time.perf_counter() - began)
        conn.execute("DROP TABLE IF EXISTS bench_staging")
        conn.commit()
    return best


# -- export against COPY ----------------------------------------------------------------------------------

def export_vs_copy(url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    best_export, lines, size = float("inf"), 0, 0
    with app.app_context():
        for _ in range(3):
            db.session.remove()
            began = time.perf_counter()
            size = 0
            with open(os.devnull, "wb") as sink:
                for chunk in csv_export.export(None):
                    data = chunk if isinstance(chunk, bytes) else chunk.encode("utf-8")
                    size += len(data)
                    sink.write(data)
            best_export = min(best_export, time.perf_counter() - began)
        db.session.remove()
        db.engine.dispose()
    best_copy, copied = float("inf"), 0
    with psycopg.connect(libpq(url)) as conn:
        for _ in range(3):
            began = time.perf_counter()
            copied = 0
            with conn.cursor() as cursor:
                with cursor.copy(f"COPY ({COPY_EXPORT}) TO STDOUT WITH (FORMAT csv, DELIMITER ';')") as copy:
                    for block in copy:
                        copied += len(block)
            best_copy = min(best_copy, time.perf_counter() - began)
            conn.rollback()
    lines = scalar(url, "SELECT count(*) FROM appointments WHERE status = 'appointed'")[0]
    cli_seconds, cli_peak, _ = flask(url, "registry", "export-csv", "--all", "--output", os.devnull)
    print(f"export --all, in-process: {best_export:.2f} s ({lines / best_export:,.0f} rows/s, {size / 1e6:.1f} MB); "
          f"COPY of the same join: {best_copy:.2f} s ({lines / best_copy:,.0f} rows/s, {copied / 1e6:.1f} MB); "
          f"export at {best_copy / best_export:.0%} of COPY's throughput (best of 3 each)\n"
          f"`flask registry export-csv --all -o /dev/null`: {cli_seconds:.1f} s with start-up, "
          f"peak RSS {cli_peak:.0f} MB", flush=True)


# -- the pages --------------------------------------------------------------------------------------------

def pages(url: str) -> list[str]:
    """The pages timed, the trivial endpoint first; the person and body with the most appointments."""
    person, person_count = scalar(url, "SELECT person_id, count(*) FROM appointments GROUP BY person_id "
                                       "ORDER BY count(*) DESC, person_id LIMIT 1")
    body, body_count = scalar(url, "SELECT s.organisation_id, count(*) FROM appointments a JOIN seats s ON "
                                   "s.id = a.seat_id GROUP BY s.organisation_id ORDER BY count(*) DESC, "
                                   "s.organisation_id LIMIT 1")
    # And a body of the common kind: the one at the 90th percentile of appointments (the largest is one of
    # the few councils of 120 seats).
    typical, typical_count = scalar(url, "SELECT organisation_id, n FROM (SELECT s.organisation_id, count(*) AS n, "
                                         "percent_rank() OVER (ORDER BY count(*), s.organisation_id) AS rank "
                                         "FROM appointments a JOIN seats s ON s.id = a.seat_id "
                                         "GROUP BY s.organisation_id) AS bodies WHERE rank >= 0.9 ORDER BY rank "
                                         "LIMIT 1")
    print(f"person {person}: {person_count} appointments; organisation {body}: {body_count} appointments; "
          f"organisation {typical}: {typical_count} appointments", flush=True)
    return [
        TRIVIAL, "/", f"/?as_of={AS_OF}", "/beslutninger", "/api/v1/decisions?limit=100",
        f"/export/appointments.csv?as_of={AS_OF}", f"/personer/{person}", f"/organisationer/{body}",
        f"/organisationer/{typical}", "/soeg?q=an",
        "/sekretariat", "/organisationer", "/personer", "/moeder",
        "/api/v1/memberships?limit=1000", f"/api/v1/memberships?limit=1000&as_of={AS_OF}",
        "/api/v1/organizations", f"/api/v1/organizations?as_of={AS_OF}", "/api/v1/persons",
        f"/api/v1/persons?as_of={AS_OF}", "/api/v1/posts", f"/api/v1/posts?as_of={AS_OF}",
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, cookie: str | None = None) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        conn.close()


def session_cookie(set_cookie: str) -> str:
    return set_cookie.split(";", 1)[0]


def log_in(port: int) -> str:
    """The secretariat user's session cookie, from a login through the login form."""
    status, body, headers = get(port, "/login")
    cookie = session_cookie(headers["Set-Cookie"])
    html = body.decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    form = urllib.parse.urlencode({"csrf_token": token.group(1), "username": USERNAME, "password": PASSWORD})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", "/login", body=form, headers={"Cookie": cookie,
                                                       "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        raise SystemExit(f"login failed: {response.status}")
    return session_cookie(response.getheader("Set-Cookie"))


def serve(url: str, port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                               "--timeout", "300", "--log-level", "warning", "wsgi:app"],
                              cwd=ROOT, env=child_env(url))
    for _ in range(200):
        try:
            if get(port, TRIVIAL)[0] == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not answer")


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([0-9.]+)([a-z]+)", text).groups()
    return float(number) * UNITS[unit]


def run_wrk(port: int, path: str, seconds: float, cookie: str | None) -> dict:
    args = ["wrk", "-t2", "-c8", f"-d{seconds:.0f}s", "--latency", "--timeout", "120s"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*args, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                            check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    requests = re.search(r"(\d+) requests in", output)
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"timeout (\d+)", output)
    return {"p50": _ms(latency["50"]) if "50" in latency else None,
            "p99": _ms(latency["99"]) if "99" in latency else None,
            "requests": int(requests.group(1)) if requests else 0,
            "failed": int(failed.group(1)) if failed else 0,
            "timeouts": int(timeouts.group(1)) if timeouts else 0}


def run_threads(port: int, path: str, seconds: float, cookie: str | None) -> dict:
    """wrk's measurement in Python, where wrk is missing: 8 clients in a loop for `seconds`."""
    until = time.perf_counter() + seconds
    latencies: list[float] = []
    failed = [0]
    lock = threading.Lock()

    def client() -> None:
        while time.perf_counter() < until:
            began = time.perf_counter()
            status, _, _ = get(port, path, cookie)
            with lock:
                latencies.append((time.perf_counter() - began) * 1e3)
                failed[0] += status >= 400
    with ThreadPoolExecutor(8) as pool:
        for future in [pool.submit(client) for _ in range(8)]:
            future.result()
    latencies.sort()
    return {"p50": statistics.median(latencies), "p99": latencies[min(len(latencies) - 1, len(latencies) * 99 // 100)],
            "requests": len(latencies), "failed": failed[0], "timeouts": 0}


def time_pages(url: str, paths: list[str], seconds: float) -> None:
    """Serves the app and times every page."""
    port = free_port()
    server = serve(url, port)
    measure = run_wrk if shutil.which("wrk") else run_threads
    try:
        cookie = log_in(port)
        results = []
        for path in paths:
            # Twice: the first answer may fill caches (PostgreSQL's, the worker's).
            for _ in range(2):
                began = time.perf_counter()
                status, body, _ = get(port, path, cookie if path == "/sekretariat" else None)
                once = time.perf_counter() - began
            if status != 200:
                print(f"{path}: HTTP {status}", flush=True)
            # Long enough for a few answers of a slow page through 8 connections and 2 workers.
            duration = min(30.0, max(seconds, 6 * once))
            found = measure(port, path, duration, cookie if path == "/sekretariat" else None)
            results.append((path, len(body), found))
            print(f"  {path}: {len(body):,} bytes, {found['requests']} requests in {duration:.0f} s, "
                  f"p50 {_show(found['p50'])}", flush=True)
    finally:
        server.terminate()
        server.wait()
    baseline = results[0][2]["p50"]
    print(f"\nwrk, 8 connections, gunicorn with 2 sync workers; ratios to {TRIVIAL}'s p50 ({_show(baseline)})\n")
    print("| page | bytes | p50 | p99 | × trivial p50 | p99 × trivial p50 |")
    print("|---|---|---|---|---|---|")
    for path, size, found in results:
        p50, p99 = found["p50"], found["p99"]
        notes = []
        if found["failed"]:
            notes.append(f"{found['failed']} non-2xx")
        if found["timeouts"]:
            notes.append(f"{found['timeouts']} timeouts")
        print(f"| `{path}`{' (' + ', '.join(notes) + ')' if notes else ''} | {_size(size)} | {_show(p50)} | "
              f"{_show(p99)} | {_ratio(p50, baseline)} | {_ratio(p99, baseline)} |")
    print(flush=True)


def _show(ms: float | None) -> str:
    if ms is None:
        return "–"
    return f"{ms / 1e3:.2f} s" if ms >= 1000 else f"{ms:.1f} ms"


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB" if size >= 1e3 else f"{size} B"


def _ratio(ms: float | None, baseline: float | None) -> str:
    if ms is None or not baseline:
        return "–"
    return f"{ms / baseline:,.0f}×" if ms / baseline >= 10 else f"{ms / baseline:.1f}×"


# -- the plans --------------------------------------------------------------------------------------------

COPY_OUT = re.compile(r"^\s*COPY\s*\((.*)\)\s*TO\s+STDOUT", re.DOTALL | re.IGNORECASE)


class Recorder:
    """The SQL a request runs: SQLAlchemy's statements (before_cursor_execute) and the COPYs a page may send
    on the driver's own connection (psycopg's Cursor.copy), each as (statement, parameters)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.statements: list[tuple[str, object]] = []
        self._copy = psycopg.Cursor.copy

    def _sqlalchemy(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if not executemany:
            self.statements.append((statement, parameters))

    def __enter__(self) -> "Recorder":
        self.statements = []
        recorder, copy = self, self._copy

        def recorded_copy(cursor, statement, *args, **kwargs):
            text = statement.decode() if isinstance(statement, bytes) else \
                statement if isinstance(statement, str) else statement.as_string(cursor)
            recorder.statements.append((text, kwargs.get("params", args[0] if args else None)))
            return copy(cursor, statement, *args, **kwargs)

        psycopg.Cursor.copy = recorded_copy
        sa.event.listen(self.engine, "before_cursor_execute", self._sqlalchemy)
        return self

    def __exit__(self, *exc) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._sqlalchemy)
        psycopg.Cursor.copy = self._copy

    def selects(self) -> list[tuple[str, object]]:
        """The distinct queries to explain, in order: each SELECT, and the SELECT inside each COPY."""
        found: dict[str, object] = {}
        for statement, parameters in self.statements:
            if copied := COPY_OUT.match(statement):
                found.setdefault(copied.group(1), parameters)
            elif statement.lstrip().upper().startswith(("SELECT", "WITH")):
                found.setdefault(statement, parameters)
        return list(found.items())


def log_in_client(client) -> None:
    """The secretariat user logged in through the login form, as a browser would."""
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    response = client.post("/login", data={"csrf_token": token.group(1), "username": USERNAME,
                                           "password": PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"in-process login failed: {response.status_code}")


def explain(url: str, paths: list[str], plan_lines: int) -> None:
    """Each page once in-process, its SELECTs recorded and explained with ANALYZE and BUFFERS."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    shown: dict[str, tuple[int, float]] = {}
    flagged: list[tuple[str, str]] = []
    summary = []
    print("EXPLAIN (ANALYZE, BUFFERS) of every SELECT behind each page (one in-process request each)\n")
    with app.app_context(), psycopg.connect(libpq(url)) as plans:
        sizes = dict(plans.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'").fetchall())
        recorder = Recorder(db.engine)
        for path in paths:
            client = app.test_client()
            if path == "/sekretariat":
                log_in_client(client)
            with recorder:
                response = client.get(path)
                response.get_data()
            selects = recorder.selects()
            print(f"## {path}: HTTP {response.status_code}, {len(recorder.statements)} statements, "
                  f"{len(selects)} distinct SELECTs")
            slowest, page_flags = 0.0, 0
            for statement, parameters in selects:
                first_line = " ".join(statement.split())[:110]
                if statement in shown:
                    number, took = shown[statement]
                    slowest = max(slowest, took)
                    print(f"  Q{number} again ({took:.1f} ms): {first_line}")
                    continue
                plan = _plan(plans, statement, parameters)
                took = next((float(m.group(1)) for line in plan
                             if (m := re.search(r"Execution Time: ([0-9.]+) ms", line))), 0.0)
                shown[statement] = number, took = len(shown) + 1, took
                slowest = max(slowest, took)
                print(f"  Q{number} ({took:.1f} ms): {first_line}")
                for line in plan[:plan_lines]:
                    print(f"      {line}")
                for line in plan:
                    if (scan := re.search(r"Seq Scan on (\w+)", line)) and sizes.get(scan.group(1), 0) > BIG_TABLE:
                        flagged.append((f"{path} Q{number}", line.strip()))
                        page_flags += 1
                        print(f"   !! {line.strip()}  ({sizes[scan.group(1)]:,.0f} rows)")
            summary.append((path, response.status_code, len(recorder.statements), len(selects), slowest, page_flags))
            print()
        db.session.remove()
        db.engine.dispose()
    print("| page | HTTP | statements | distinct SELECTs | slowest SELECT | Seq Scans on tables > 10,000 rows |")
    print("|---|---|---|---|---|---|")
    for path, status, statements, distinct, slowest, page_flags in summary:
        print(f"| `{path}` | {status} | {statements} | {distinct} | {slowest:.1f} ms | {page_flags or ''} |")
    print(f"\n{len(flagged)} Seq Scans on tables of more than {BIG_TABLE:,} rows")
    for where, line in flagged:
        print(f"  {where}: {line}")


def _plan(conn: psycopg.Connection, statement: str, parameters) -> list[str]:
    """The plan as psycopg runs the statement: with the parameters SQLAlchemy gave (%% read as %), or
    none, as a COPY's inner SELECT was sent."""
    try:
        rows = conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).fetchall()
    except psycopg.Error as error:
        conn.rollback()
        return [f"(not explained: {str(error).splitlines()[0]})"]
    conn.rollback()
    return [row[0] for row in rows]


# -- all of it --------------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", nargs="?", type=int, default=300_000)
    parser.add_argument("--seconds", type=float, default=5.0, help="wrk's time per page, at least (default 5)")
    parser.add_argument("--keep", action="store_true", help="keep the database and print its URL")
    parser.add_argument("--url", help="use this database, built by an earlier --keep run, instead of building one")
    parser.add_argument("--no-explain", action="store_true", help="skip the EXPLAIN of every page's queries")
    parser.add_argument("--plan-lines", type=int, default=10, help="lines of each plan to print (default 10)")
    args = parser.parse_args()
    if args.url and not sa.make_url(args.url).database.startswith(PREFIX):
        raise SystemExit(f"--url must name a database this script built ({PREFIX}…)")
    name, url = (sa.make_url(args.url).database, args.url) if args.url else databases.create(PREFIX)
    try:
        with tempfile.TemporaryDirectory(prefix="registry-national-") as work:
            if not args.url:
                print(f"database {name}", flush=True)
                build(url, args.rows, Path(work))
            else:
                analyze(url)
            # The secretariat's page needs a login: a user of this run's own.
            flask(url, "users", "create", USERNAME, "--role", "secretariat", "--password-stdin",
                  stdin=PASSWORD + "\n")
            export_vs_copy(url)
            paths = pages(url)
            time_pages(url, paths, args.seconds)
            if not args.no_explain:
                explain(url, paths, args.plan_lines)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\nthis process's peak RSS: {peak:.0f} MB")
    finally:
        if args.keep or args.url:
            print(f"database kept: {url}")
        else:
            databases.drop(name)


if __name__ == "__main__":
    main()
