"""Times an election-period round of 400 seat roles (200 seats with a member and a personal suppleant) across
60 bodies and 12 party groups, on PostgreSQL: the calls in one step, every nomination onto the constituent
meeting's agenda, and KKR's decisions for the whole meeting. Prints each step's time and SQL statements.

    .venv/bin/python -m tests.benchmarks.round [SEATS]

As in a real round, every seat role has a holder from the previous period (2022-2025) who carries on until a
successor is seated: every third seat's party group re-nominates its member and suppleant (re-appointed for a
new term), the others nominate new people. KKR's decisions end all the holders the day before the new ones are
seated ("periode udløbet"); the benchmark checks that they did (every holder ended, the re-nominated seated
again) before it prints the step's time, so it cannot time work that was not done.

The registry is built through the services (with ANALYZE afterwards, as production's autovacuum may lag),
then each step runs once in its own transaction. Not a test: timings vary with the machine; the query counts
of the three steps are tests (tests/test_round_calls.py, tests/test_constituent.py).
"""

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta

os.environ.setdefault("REGISTRY_INSTANCE_PATH", tempfile.mkdtemp(prefix="registry-bench-"))
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from registry import create_app  # noqa: E402
from registry.appointments.models import Appointment, EndReason, Role  # noqa: E402
from registry.auth.models import User, UserRole  # noqa: E402
from registry.extensions import db  # noqa: E402
from registry.meetings import constituent  # noqa: E402
from registry.models import ElectionPeriod, Organisation, Party, Person, Seat, SeatAllocation  # noqa: E402
from registry.nominations import period as round_calls  # noqa: E402
from registry.nominations import services as nominations  # noqa: E402
from tests.benchmarks import databases  # noqa: E402

BODIES, PARTIES = 60, 12
# The holders' first day, in the previous period; every RENOMINATED-th seat's holders are nominated again.
HELD_FROM, RENOMINATED = date(2022, 1, 1), 3
MEETING, EFFECTIVE = date(2027, 1, 26), date(2027, 2, 1)


def build(seats: int) -> ElectionPeriod:
    """The period, its allocation, and the previous period's holders, carried over until successors are seated."""
    previous = ElectionPeriod(name="2022-2025", start_date=date(2022, 1, 1), end_date=date(2025, 12, 31))
    period = ElectionPeriod(name="2026-2029", start_date=date(2026, 1, 1), end_date=date(2029, 12, 31))
    parties = [Party(letter=f"P{i}", name=f"Parti {i}") for i in range(PARTIES)]
    bodies = [Organisation(name=f"Organ {i:02}", appointing_authority="KKR Hovedstaden") for i in range(BODIES)]
    db.session.add_all([previous, period, *parties, *bodies])
    db.session.flush()
    db.session.add_all([User(username=f"parti{i}", role=UserRole.party, party_id=party.id,
                             email=f"parti{i}@example.org", password_hash="x" * 20)
                        for i, party in enumerate(parties)])
    rows = [Seat(organisation=bodies[i % BODIES], label=f"Plads {i}", position=i, has_substitute=True)
            for i in range(seats)]
    db.session.add_all(rows)
    db.session.flush()
    db.session.add_all([SeatAllocation(seat_id=seat.id, period_id=period.id, party_id=parties[i % PARTIES].id)
                        for i, seat in enumerate(rows)])
    for i, seat in enumerate(rows):
        party = parties[i % PARTIES]
        for role, title in ((Role.member, "medlem"), (Role.substitute, "suppleant")):
            holder = Person(name=f"Siddende {title} {i}", party_id=party.id)
            db.session.add(Appointment(seat=seat, person=holder, role=role, party_id=party.id, start_date=HELD_FROM))
    db.session.commit()
    return period


def holders(seat_id: int) -> dict[Role, Person]:
    """The seat's holders from the previous period, by role."""
    return {held.role: held.person for held in db.session.scalars(
        sa.select(Appointment).where(Appointment.seat_id == seat_id, Appointment.start_date == HELD_FROM))}


def nominate_all(period: ElectionPeriod) -> None:
    """A member and a personal suppleant for every seat, as the party groups submit them: every RENOMINATED-th
    seat's holders again, new people for the others."""
    allocations = db.session.scalars(sa.select(SeatAllocation).where(SeatAllocation.period_id == period.id)
                                     .order_by(SeatAllocation.seat_id)).all()
    for n, allocation in enumerate(allocations):
        if n % RENOMINATED == 0:
            sitting = holders(allocation.seat_id)
            member, substitute = sitting[Role.member], sitting[Role.substitute]
        else:
            member = Person(name=f"Medlem {n}", party_id=allocation.party_id)
            substitute = Person(name=f"Suppleant {n}", party_id=allocation.party_id)
            db.session.add_all([member, substitute])
        nominations.submit(allocation.seat, Role.member, allocation.party, member, substitute=substitute)
    db.session.commit()


def check_round(seats: int) -> None:
    """The decisions did the round's work: every holder of the previous period ended the day before the new
    ones were seated, because the period ran out, and the re-nominated are seated again for the new term."""
    old = db.session.execute(sa.select(Appointment.end_date, Appointment.end_reason, sa.func.count())
                             .where(Appointment.start_date == HELD_FROM)
                             .group_by(Appointment.end_date, Appointment.end_reason)).all()
    assert old == [(EFFECTIVE - timedelta(days=1), EndReason.term_ended, 2 * seats)], old
    renominated = 2 * len(range(0, seats, RENOMINATED))
    again = db.session.scalar(sa.select(sa.func.count()).select_from(Appointment).where(
        Appointment.start_date == EFFECTIVE, Appointment.person_id.in_(
            sa.select(Appointment.person_id).where(Appointment.start_date == HELD_FROM))))
    seated = db.session.scalar(sa.select(sa.func.count()).select_from(Appointment)
                               .where(Appointment.start_date == EFFECTIVE, Appointment.end_date.is_(None)))
    assert (again, seated) == (renominated, 2 * seats), (again, renominated, seated)


def analyse() -> None:
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()


def timed(label: str, step, check: Callable[[], None] | None = None) -> None:
    """Run the step in its own transaction and print its time and statements; with a check, only once the
    check has found the step's work done (its queries not counted)."""
    statements = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    db.session.remove()
    sa.event.listen(db.engine, "before_cursor_execute", remember)
    began = time.perf_counter()
    try:
        result = step()
        db.session.commit()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", remember)
    elapsed = time.perf_counter() - began
    if check is not None:
        check()
    print(f"{label:<44} {elapsed:6.2f} s  {len(statements):>5} statements  ({len(result)} rows)")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return
    seats = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    name, url = databases.create("bench_round_")
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context(), app.test_request_context():
            upgrade()
            period_id = build(seats).id
            analyse()
            print(f"PostgreSQL, {seats} seats ({2 * seats} seat roles, each with a holder of the previous period), "
                  f"{BODIES} bodies, {PARTIES} party groups")

            def period():
                return db.session.get(ElectionPeriod, period_id)
            timed("calls for the whole period", lambda: round_calls.open_period_calls(period(), date(2027, 1, 15)))
            nominate_all(period())
            analyse()
            timed("every nomination onto the agenda", lambda: constituent.place_round(
                constituent.round_nominations(period()), MEETING, "5", council="KKR Hovedstaden"))
            analyse()
            timed("KKR's decisions for the whole meeting", lambda: constituent.decide_meeting(
                db.session.scalar(sa.select(constituent.Meeting).where(constituent.Meeting.date == MEETING)),
                {}, EFFECTIVE), check=lambda: check_round(seats))
            db.engine.dispose()
    finally:
        databases.drop(name)


if __name__ == "__main__":
    main()
