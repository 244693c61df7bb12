"""The one-holder rule and the other rules of appointing, on both databases."""

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from registry.appointments import services
from registry.appointments.models import Appointment, EndReason, Role, Status
from registry.errors import RuleViolation
from registry.extensions import db
from tests import factories as make

# Both databases: the one-holder constraint and as-of queries.
pytestmark = pytest.mark.both_databases


def count_appointments() -> int:
    return db.session.scalar(sa.select(sa.func.count(Appointment.id)))


def test_second_member_for_overlapping_dates_is_refused_with_a_danish_message(app):
    seat = make.seat()
    make.appoint(seat, make.person("Lotte Kofoed", "Frederiksberg"), date(2022, 1, 1))
    db.session.commit()

    with pytest.raises(RuleViolation) as refused:
        make.appoint(seat, make.person("Marie-Louise Peschardt Jørgensen"), date(2024, 4, 19))

    assert "har allerede Lotte Kofoed som medlem fra 01.01.2022 uden slutdato" in str(refused.value)
    db.session.rollback()
    assert count_appointments() == 1


def test_member_and_personal_suppleant_hold_one_seat_side_by_side(app):
    seat = make.seat(has_substitute=True)
    make.appoint(seat, make.person("Lotte Kofoed"), date(2022, 1, 1))
    make.appoint(seat, make.person("Marie-Louise Peschardt Jørgensen"), date(2022, 1, 1), role=Role.substitute)
    db.session.commit()
    assert count_appointments() == 2


def test_successor_may_start_the_day_after_the_last_day_but_not_on_it(app):
    seat = make.seat()
    make.appoint(seat, make.person("Første"), date(2022, 1, 1), date(2024, 4, 30))
    with pytest.raises(RuleViolation):
        make.appoint(seat, make.person("Anden"), date(2024, 4, 30))
    make.appoint(seat, make.person("Tredje"), date(2024, 5, 1))
    db.session.commit()
    assert count_appointments() == 2


def test_a_later_open_appointment_blocks_an_earlier_one_without_end(app):
    seat = make.seat()
    make.appoint(seat, make.person("Senere"), date(2025, 1, 1))
    with pytest.raises(RuleViolation):
        make.appoint(seat, make.person("Tidligere"), date(2024, 1, 1))


def test_pending_recommendation_does_not_take_the_seat(app):
    """Until the outside authority has appointed, the current holder stays."""
    seat = make.seat()
    make.appoint(seat, make.person("Lotte Kofoed"), date(2022, 1, 1))
    make.appoint(seat, make.person("Marie-Louise"), date(2024, 5, 1), status=Status.recommended)
    db.session.commit()
    assert count_appointments() == 2


def test_replace_ends_the_holder_the_day_before_the_successor_starts(app):
    seat = make.seat()
    kofoed = make.appoint(seat, make.person("Lotte Kofoed"), date(2022, 1, 1))
    successor = services.replace(kofoed, make.person("Marie-Louise"), date(2024, 6, 1))
    db.session.commit()
    assert kofoed.end_date == date(2024, 5, 31)
    assert kofoed.end_reason is EndReason.replaced
    assert successor.start_date == date(2024, 6, 1)
    assert successor.end_date is None


@pytest.mark.parametrize(
    ("arrange", "message"),
    [
        (lambda: (make.seat(has_substitute=False), Role.substitute, date(2024, 1, 1), None),
         "har ingen personlig suppleant"),
        (lambda: (make.seat(), Role.member, date(2024, 1, 1), date(2023, 12, 31)),
         "Slutdatoen ligger før startdatoen"),
        (lambda: (make.seat(make.organisation("Skoletjenesten", end_date=date(2024, 10, 31))), Role.member,
                  date(2024, 11, 1), None), "Skoletjenesten er nedlagt pr. 31.10.2024"),
        (lambda: (make.seat(make.organisation("Skoletjenesten", end_date=date(2024, 10, 31))), Role.member,
                  date(2024, 1, 1), date(2024, 12, 31)), "udpegningen skal slutte senest den dag"),
        (lambda: (make.seat(end_date=date(2023, 12, 31)), Role.member, date(2024, 1, 1), None),
         "Pladsen er nedlagt pr. 31.12.2023"),
        (lambda: (make.seat(make.organisation("Sundhedsudvalget", end_date=date(2099, 12, 31))), Role.member,
                  date(2100, 1, 1), None), "Sundhedsudvalget nedlægges pr. 31.12.2099"),
    ],
    ids=["no-suppleant-seat", "end-before-start", "body-closed", "past-closing", "seat-retired", "closes-later"],
)
def test_refusals_say_why_and_write_nothing(app, arrange, message):
    seat, role, start, end = arrange()
    db.session.commit()
    with pytest.raises(RuleViolation, match=message):
        services.appoint(seat, make.person(), role, start, end=end)
    db.session.rollback()
    assert count_appointments() == 0


def test_end_records_last_day_and_reason(app):
    appointment = make.appoint(make.seat(), make.person("Lotte Kofoed"), date(2022, 1, 1))
    services.end(appointment, date(2024, 4, 30), EndReason.resigned)
    db.session.commit()
    assert (appointment.end_date, appointment.end_reason) == (date(2024, 4, 30), EndReason.resigned)
    with pytest.raises(RuleViolation, match="før startdatoen"):
        services.end(make.appoint(make.seat(label="Plads 2"), make.person("B"), date(2024, 1, 1)),
                     date(2023, 1, 1), EndReason.resigned)


# The backstop: rows that bypass the service still cannot overlap.

def _raw_insert(seat_id, person_id, start, end=None, role="member", status="appointed"):
    db.session.execute(sa.insert(Appointment.__table__).values(
        seat_id=seat_id, person_id=person_id, role=role, status=status, start_date=start, end_date=end, version=1))


def test_database_refuses_overlapping_insert_that_bypasses_the_service(app):
    seat, person = make.seat(), make.person()
    db.session.commit()
    _raw_insert(seat.id, person.id, date(2022, 1, 1), date(2024, 4, 30))
    db.session.commit()
    with pytest.raises(IntegrityError, match="appointments_one_holder"):
        _raw_insert(seat.id, person.id, date(2024, 4, 30))  # the shared last day overlaps
    db.session.rollback()
    # Adjacent, another role, or only recommended: all allowed.
    _raw_insert(seat.id, person.id, date(2024, 5, 1))
    _raw_insert(seat.id, person.id, date(2023, 1, 1), role="substitute")
    _raw_insert(seat.id, person.id, date(2023, 1, 1), status="recommended")
    db.session.commit()
    assert count_appointments() == 4


def test_database_refuses_an_update_that_makes_two_appointments_overlap(app):
    seat, person = make.seat(), make.person()
    db.session.commit()
    _raw_insert(seat.id, person.id, date(2022, 1, 1), date(2022, 12, 31))
    _raw_insert(seat.id, person.id, date(2023, 1, 1))
    db.session.commit()
    with pytest.raises(IntegrityError, match="appointments_one_holder"):
        db.session.execute(sa.update(Appointment.__table__)
                           .where(Appointment.__table__.c.start_date == date(2022, 1, 1))
                           .values(end_date=None))
    db.session.rollback()


def test_constraint_backstop_becomes_the_danish_message(app, monkeypatch):
    """Two users saving at once: the service's check passes for both, the database refuses one."""
    seat = make.seat()
    make.appoint(seat, make.person("Først"), date(2022, 1, 1))
    db.session.commit()
    monkeypatch.setattr(services, "overlapping", lambda *args, **kwargs: None)
    with pytest.raises(RuleViolation, match="har allerede en indehaver som medlem i den periode"):
        make.appoint(seat, make.person("Samtidig"), date(2023, 1, 1))
    # The session stays usable, and the refused appointment is not written by a later commit.
    db.session.commit()
    assert count_appointments() == 1


def test_database_refuses_end_before_start(app):
    seat, person = make.seat(), make.person()
    db.session.commit()
    with pytest.raises(IntegrityError):
        _raw_insert(seat.id, person.id, date(2024, 1, 1), date(2023, 1, 1))
    db.session.rollback()


def test_an_appointment_to_a_body_with_a_closing_date_ends_with_the_body(app):
    """SSU closes by law on 31.12.2026: a new member serves until then, without anyone typing it."""
    seat = make.seat(make.organisation("Sundhedssamarbejdsudvalget", end_date=date(2026, 12, 31)))
    appointment = make.appoint(seat, make.person("Anne Eksempel"), date(2026, 1, 1))
    db.session.commit()
    assert appointment.end_date == date(2026, 12, 31)
    assert appointment.end_reason is None
    successor = services.replace(appointment, make.person("Bo Eksempel"), date(2026, 12, 1))
    assert (appointment.end_date, successor.end_date) == (date(2026, 11, 30), date(2026, 12, 31))


class _Deadlock(Exception):
    sqlstate = services.DEADLOCK_DETECTED


def test_a_race_postgresql_settles_by_deadlock_is_the_one_holder_refusal(app, monkeypatch):
    """Two overlapping holders written at once may each wait for the other's row in the constraint's check;
    PostgreSQL refuses one as a deadlock (40P01). That one gets the one-holder message, as the constraint's
    refusal would give; any other operational error stays an error."""
    seat = make.seat()
    person = make.person("Sen Ankomst")
    flush = db.session.flush

    def failing(orig: Exception):
        def flush_appointments(*args, **kwargs):
            if any(isinstance(row, Appointment) for row in db.session.new):
                raise OperationalError("INSERT INTO appointments ...", {}, orig)
            flush(*args, **kwargs)
        return flush_appointments

    monkeypatch.setattr(db.session, "flush", failing(_Deadlock("deadlock detected")))
    with pytest.raises(RuleViolation, match="har allerede"):
        services.appoint(seat, person, Role.member, date(2024, 1, 1))

    monkeypatch.setattr(db.session, "flush", failing(Exception("server closed the connection")))
    with pytest.raises(OperationalError):
        services.appoint(seat, person, Role.member, date(2024, 1, 1))
