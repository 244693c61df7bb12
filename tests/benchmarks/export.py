"""Times the three CSV exports against PostgreSQL's COPY of the same join.

    .venv/bin/python -m tests.benchmarks.export [--only NAME] [ROWS ...]

For each size (default 100,000 and 300,000 appointments) builds a throwaway
registry on SQLite and on PostgreSQL (ANALYZEd) in the national shape: six
election periods, a member and a suppleant on every seat in each, a KKR
decision per body and period, people holding several seats, council mandates.
Then, best of three each, side by side: the appointments export of the whole
history, the history of indstillinger and the balance on a day as served; on
PostgreSQL also the same file written in Python (the path before PostgreSQL
wrote the files itself), and `COPY (SELECT <the same join>) TO STDOUT`, with
PostgreSQL's default settings, read by psql into /dev/null; lines/s and the
ratios of throughput. Prints the process's peak memory. --only times one export (appointments, decisions
or balance), the others' time saved. Not a test: timings
vary with the machine.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import date, timedelta

os.environ.setdefault("REGISTRY_INSTANCE_PATH", tempfile.mkdtemp(prefix="registry-bench-"))
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from registry import create_app  # noqa: E402
from registry.appointments.models import Appointment, EndReason, Role  # noqa: E402
from registry.appointments.services import active_on  # noqa: E402
from registry.csvfiles import write  # noqa: E402
from registry.exchange import csv_balance, csv_decisions, csv_export  # noqa: E402
from registry.extensions import db  # noqa: E402
from registry.mandates.models import CouncilMandate  # noqa: E402
from registry.meetings import history  # noqa: E402
from registry.meetings.models import AgendaItem, Decision, Meeting, Outcome  # noqa: E402
from registry.models import Municipality, Organisation, Party, Person, Seat  # noqa: E402
from registry.organisations.models import ElectionPeriod  # noqa: E402
from registry.people.models import Gender  # noqa: E402
from registry.types import search_key, sort_key  # noqa: E402
from tests.benchmarks import databases  # noqa: E402

POSTGRES_URL = databases.POSTGRES_URL
PERIODS = [(date(year, 1, 1), date(year + 3, 12, 31)) for year in range(2002, 2026, 4)]
BALANCE_DAY = date(2024, 4, 18)


def fill(rows: int) -> None:
    """rows appointments: a member and a suppleant on rows/12 seats in each of six election periods, about nine
    seats a body, one KKR decision per body and period, people holding several seats, council mandates. Bulk."""
    seats = max(rows // (2 * len(PERIODS)), 1)
    bodies = max(seats // 9, 1)
    people = max(rows // 5, 1)
    db.session.add_all([ElectionPeriod(name=f"{start.year}-{end.year}", start_date=start, end_date=end)
                        for start, end in PERIODS])
    db.session.add_all([Party(letter=letter, name=f"Parti {letter}") for letter in "ABCFIKMOVØÅ"])
    db.session.add_all([Municipality(name=f"Kommune {i}", code=i) for i in range(29)])
    db.session.flush()
    # Every tenth body has terms of its own: four years from 1 June 2003, or two from each appointment.
    names = [f"{'Ærø ' if i % 7 == 0 else ''}Organisation {i:05}" for i in range(bodies)]
    db.session.execute(sa.insert(Organisation), [
        {"name": names[i], "sort_name": sort_key(names[i]), "search_name": search_key(names[i]),
         "appointing_authority": "KKR Hovedstaden",
         "follows_election_period": i % 10 != 0, "term_years": (4 if i % 20 == 0 else 2) if i % 10 == 0 else None,
         "term_start": date(2003, 6, 1) if i % 20 == 0 else None, "version": 1} for i in range(bodies)])
    org_ids = db.session.scalars(sa.select(Organisation.id).order_by(Organisation.id)).all()
    db.session.execute(sa.insert(Seat), [
        {"organisation_id": org_ids[i % bodies], "label": f"Plads {i}", "position": i, "has_substitute": True,
         "version": 1} for i in range(seats)])
    db.session.execute(sa.insert(Person), [
        {"name": f"Person {i}", "sort_name": f"person {i}", "search_name": f"person {i}",
         "municipality_id": 1 + i % 29, "party_id": 1 + i % 11, "version": 1} for i in range(people)])
    db.session.execute(sa.insert(CouncilMandate), [
        {"person_id": 1 + i, "municipality_id": 1 + i % 29, "start_date": date(2014, 1, 1),
         "office": "borgmester" if i % 50 == 0 else None, "version": 1} for i in range(0, people, 2)])
    db.session.execute(sa.insert(Meeting), [
        {"council_name": "KKR Hovedstaden", "date": start - timedelta(days=30), "version": 1}
        for start, _ in PERIODS])
    meeting_ids = db.session.scalars(sa.select(Meeting.id).order_by(Meeting.date)).all()
    db.session.execute(sa.insert(AgendaItem), [
        {"meeting_id": meeting_id, "number": f"{b // 100 + 1}.{b % 100 + 1}", "position": b,
         "title": f"Udpegning til organisation {b}"} for meeting_id in meeting_ids for b in range(bodies)])
    item_ids = db.session.scalars(sa.select(AgendaItem.id).order_by(AgendaItem.id)).all()
    db.session.execute(sa.insert(Decision), [
        {"item_id": item_id, "outcome": Outcome.appointed, "text": "KKR udpegede de indstillede"}
        for item_id in item_ids])
    decision_ids = db.session.scalars(sa.select(Decision.id).order_by(Decision.id)).all()
    seat_ids = db.session.scalars(sa.select(Seat.id).order_by(Seat.id)).all()
    appointments = []
    for p, (start, end) in enumerate(PERIODS):
        last = p == len(PERIODS) - 1
        for s, seat_id in enumerate(seat_ids):
            for role in (Role.member, Role.substitute):
                appointments.append({
                    "seat_id": seat_id, "person_id": 1 + (s * 2 + (role is Role.substitute) + p * 7919) % people,
                    "party_id": 1 + s % 11, "role": role, "start_date": start + timedelta(days=s % 30),
                    "end_date": None if last else end, "end_reason": None if last else EndReason.term_ended,
                    "decision_id": decision_ids[p * bodies + s % bodies], "version": 1})
    db.session.execute(sa.insert(Appointment), appointments[:rows])
    db.session.commit()


def best_of_three(run: Callable[[], int]) -> tuple[float, int]:
    best, size = float("inf"), 0
    for _ in range(3):
        db.session.remove()
        began = time.perf_counter()
        size = run()
        best = min(best, time.perf_counter() - began)
    return best, size


def _drain(chunks: Iterable[str]) -> int:
    size = 0
    with open(os.devnull, "wb") as sink:
        for chunk in chunks:
            data = chunk.encode("utf-8")
            size += len(data)
            sink.write(data)
    return size


def _copy(database: str, statement: sa.Select) -> Callable[[], int]:
    """COPY of the statement by psql into /dev/null, as the issue measured it."""
    sql = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))

    def run() -> int:
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", POSTGRES_URL.rsplit("/", 1)[0] + "/" + database,
                        "-c", f"\\copy ({' '.join(sql.split())}) to '/dev/null' with (format csv)"], check=True)
        return 0
    return run


def _counted(statement: sa.Select) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))


def _appointments_join() -> sa.Select:
    """The export's own query, the raw columns unformatted."""
    return csv_export._query(csv_export.Selection(), date.today())


def _decisions_join() -> sa.Select:
    """Every decision with its meeting, item and the appointments resting on it, in the file's order."""
    return (sa.select(Meeting.council_name, Meeting.date, Meeting.case_number, AgendaItem.number, AgendaItem.title,
                      Organisation.name, Seat.label, Appointment.role, Person.name, Party.letter,
                      Municipality.name, Decision.outcome, Decision.text, Appointment.start_date)
            .select_from(Decision).join(Decision.item).join(AgendaItem.meeting)
            .outerjoin(Appointment, Appointment.decision_id == Decision.id).outerjoin(Appointment.seat)
            .outerjoin(Seat.organisation).outerjoin(Appointment.person)
            .outerjoin(Party, Appointment.party_id == Party.id)
            .outerjoin(Municipality, Person.municipality_id == Municipality.id)
            .order_by(Meeting.date.desc(), AgendaItem.position, AgendaItem.number, Decision.id, Appointment.role,
                      Appointment.id))


def _balance_join() -> sa.Select:
    """Every body's members on the day counted by gender, one line a body."""
    members = (sa.select(Seat.organisation_id, Person.gender).select_from(Appointment).join(Appointment.seat)
               .join(Appointment.person).where(Appointment.role == Role.member, active_on(BALANCE_DAY))
               .subquery())
    return (sa.select(Organisation.name, sa.func.count(members.c.gender),
                      *(sa.func.count().filter(members.c.gender == gender) for gender in Gender))
            .outerjoin(members, members.c.organisation_id == Organisation.id)
            .group_by(Organisation.id).order_by(Organisation.sort_name, Organisation.id))


# Each export: the file as served, the same file written in Python (the path every export took before
# PostgreSQL wrote them itself; SQLite's path), and the join COPY is timed on.
EXPORTS = {
    "appointments": (lambda: csv_export.export(None),
                     lambda: write(csv_export.HEADER, csv_export.rows(csv_export.Selection()), ";"),
                     _appointments_join),
    "decisions": (lambda: csv_decisions.export(history.Selection()),
                  lambda: write(csv_decisions.HEADER, csv_decisions.rows(history.Selection()), ";"),
                  _decisions_join),
    "balance": (lambda: csv_balance.export(BALANCE_DAY), lambda: csv_balance.export(BALANCE_DAY), _balance_join),
}


def measure(url: str, rows: int, database: str | None, only: str | None = None) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        fill(rows)
        if database:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(sa.text("ANALYZE"))
        for name, (export, in_python, joined) in EXPORTS.items():
            if only not in (None, name):
                continue
            lines = _counted(joined())
            seconds, size = best_of_three(lambda export=export: _drain(export()))
            line = (f"{db.engine.dialect.name:<10} {rows:>8} {name:<13} {lines:>8} lines {size / 1e6:5.1f} MB  "
                    f"export {seconds:6.2f} s {lines / seconds:>9,.0f} lines/s")
            if database:
                before, _ = best_of_three(lambda in_python=in_python: _drain(in_python()))
                copied, _ = best_of_three(_copy(database, joined()))
                line += (f"  | in Python {before:6.2f} s  | COPY {copied:6.2f} s {lines / copied:>9,.0f} lines/s"
                         f"  | of COPY's throughput: export {copied / seconds:4.0%}, in Python {copied / before:4.0%}")
            print(line, flush=True)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{db.engine.dialect.name:<10} {rows:>8} peak RSS {peak_mb:.0f} MB", flush=True)
        db.engine.dispose()


def main() -> None:
    args = sys.argv[1:]
    only = None
    if args[:1] == ["--only"]:
        only, args = args[1], args[2:]
        if only not in EXPORTS:
            sys.exit(f"--only: one of {', '.join(EXPORTS)}")
    sizes = [int(arg) for arg in args] or [100_000, 300_000]
    for rows in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            measure(f"sqlite:///{tmp}/bench.db", rows, None, only)
        name, url = databases.create("bench_export_")
        try:
            measure(url, rows, name, only)
        finally:
            databases.drop(name)


if __name__ == "__main__":
    main()
