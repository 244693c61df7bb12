"""The end of an election period (issue 13, step 9): a body's holders carry on after the period's last day until
their successors are seated; seating a successor ends the predecessor the day before with "periode udløbet",
and a holder re-appointed to the same seat and role continues without a gap on a new appointment that rests on
the new decision."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from registry.appointments.models import Appointment, EndReason, Role
from registry.auth.models import UserRole
from registry.dates import local_date, today
from registry.errors import RuleViolation
from registry.extensions import db
from registry.meetings import services as meetings
from registry.meetings.models import Outcome
from registry.nominations.models import CallReason
from registry.organisations.models import ElectionPeriod
from registry.organisations.rosters import organisation_page
from registry.organisations.services import election_periods
from tests import factories as make
from tests import nomination_factories as nominate

# Both databases: as-of rosters and the appointments' dates.
pytestmark = pytest.mark.both_databases

CONSTITUENT = date(2026, 1, 26)


@pytest.fixture
def movia(app):
    """Movia follows the election period: Carla has held Plads 1 since 2022 with no end date entered."""
    db.session.add_all([ElectionPeriod(name="2022-2025", start_date=date(2022, 1, 1), end_date=date(2025, 12, 31))])
    nominate.current_period()  # 2026-2029
    seat = nominate.allocated_seat("C", "Movia", label="Plads 1", has_substitute=False)
    carla = make.person("Carla Eksempel", party_letter="C")
    make.appoint(seat, carla, date(2022, 1, 1))
    db.session.commit()
    return seat, carla


def roster_text(client, seat, day: str) -> str:
    return " ".join(client.get(f"/organisationer/{seat.organisation_id}?as_of={day}").text.split())


def seat_through_kkr(seat, person, effective: date):
    """A new-period nomination, put on the constituent meeting's agenda and appointed by KKR from the day."""
    nominate.call(seat, reason=CallReason.new_period, deadline=date(2099, 1, 1), party_letter="C")
    nomination = nominate.nomination(seat, person)
    meetings.place_on_agenda(nomination, CONSTITUENT, "5.1", council="KKR Hovedstaden")
    meetings.decide(nomination, Outcome.appointed, effective=effective)
    db.session.commit()
    return nomination


def test_a_holder_carries_on_after_the_period_until_the_successor_is_seated(client, movia):
    seat, carla = movia
    assert 'Carla Eksempel (C)</a> <span class="meta">til 31.12.2025</span>' in roster_text(client, seat, "2025-12-31")
    carried = roster_text(client, seat, "2026-02-01")
    assert 'Carla Eksempel (C)</a> <span class="meta">fortsætter, indtil ny er udpeget</span>' in carried
    successor = make.person("Dina Efterfølger", party_letter="C")
    seat_through_kkr(seat, successor, date(2026, 3, 1))
    held = db.session.scalars(sa.select(Appointment).where(Appointment.seat_id == seat.id)
                              .order_by(Appointment.start_date)).all()
    assert [(a.person.name, a.start_date, a.end_date, a.end_reason) for a in held] == [
        ("Carla Eksempel", date(2022, 1, 1), date(2026, 2, 28), EndReason.term_ended),
        ("Dina Efterfølger", date(2026, 3, 1), None, None)]
    roster = roster_text(client, seat, "2026-04-01")
    assert 'Dina Efterfølger (C)</a> <span class="meta">til 31.12.2029</span>' in roster
    page = organisation_page(seat.organisation, date(2026, 4, 1), election_periods())
    assert page.roster.carried_over == set()


def test_a_past_days_roster_shows_the_holder_carried_over_also_once_the_successor_is_seated(client, movia):
    """The end date entered when Dina was seated does not undo what 1 February was: Carla carrying on past the
    period's end, until 28 February as it turned out."""
    seat, carla = movia
    assert "fortsætter, indtil ny er udpeget" in roster_text(client, seat, "2026-02-01")  # before the seating
    seat_through_kkr(seat, make.person("Dina Efterfølger", party_letter="C"), date(2026, 3, 1))

    # Within the term: her last day, as it turned out.
    assert 'Carla Eksempel (C)</a> <span class="meta">til 28.02.2026</span>' in roster_text(client, seat, "2025-12-31")
    for day in ("2026-01-01", "2026-02-01", "2026-02-28"):
        carried = roster_text(client, seat, day)
        assert ('Carla Eksempel (C)</a> <span class="meta">fortsatte til 28.02.2026, indtil ny blev udpeget</span>'
                in carried), day
    after = roster_text(client, seat, "2026-03-01").split('<table class="table table--compact roster">')[1]
    assert "Carla Eksempel" not in after.split("</table>")[0]
    assert 'Dina Efterfølger (C)</a> <span class="meta">til 31.12.2029</span>' in after

    carla_held = db.session.scalar(sa.select(Appointment).where(Appointment.person_id == carla.id))
    assert organisation_page(seat.organisation, date(2026, 2, 1), election_periods()).roster.carried_over == {
        carla_held.id}
    assert organisation_page(seat.organisation, date(2025, 12, 31), election_periods()).roster.carried_over == set()


def test_a_holder_who_left_while_carried_over_is_not_said_to_have_waited_for_a_successor(client, movia):
    seat, carla = movia
    held = db.session.scalar(sa.select(Appointment).where(Appointment.person_id == carla.id))
    held.end_date, held.end_reason = date(2026, 2, 15), EndReason.resigned
    db.session.commit()
    carried = roster_text(client, seat, "2026-02-01")
    assert 'Carla Eksempel (C)</a> <span class="meta">fortsatte efter periodens udløb til 15.02.2026</span>' in carried


def test_todays_roster_says_until_when_a_holder_carries_on_once_the_successor_is_appointed(client, movia):
    """The period ended before today; Dina is appointed from a day to come, so Carla carries on until then."""
    seat, carla = movia
    first_day = today() + timedelta(days=30)
    seat_through_kkr(seat, make.person("Dina Efterfølger", party_letter="C"), first_day)
    roster = " ".join(client.get(f"/organisationer/{seat.organisation_id}").text.split())
    last_day = local_date(first_day - timedelta(days=1))
    assert (f'Carla Eksempel (C)</a> <span class="meta">fortsætter til {last_day}, indtil ny tiltræder</span>'
            in roster)
    assert f"ny fra {local_date(first_day)}: Dina Efterfølger" in roster


def test_a_holder_re_appointed_for_the_new_term_continues_without_a_gap_on_a_new_appointment(client, movia):
    seat, carla = movia
    nomination = seat_through_kkr(seat, carla, date(2026, 1, 26))
    held = db.session.scalars(sa.select(Appointment).where(Appointment.seat_id == seat.id)
                              .order_by(Appointment.start_date)).all()
    assert [(a.start_date, a.end_date, a.end_reason, a.decision_id) for a in held] == [
        (date(2022, 1, 1), date(2026, 1, 25), EndReason.term_ended, None),
        (date(2026, 1, 26), None, None, nomination.decision_id)]
    assert 'Carla Eksempel (C)</a> <span class="meta">til 31.12.2029</span>' in roster_text(client, seat, "2026-02-01")


def test_re_appointing_a_holder_within_the_same_term_is_still_refused(app, movia):
    seat, carla = movia
    make.appoint(make.seat(seat.organisation, "Plads 2", has_substitute=False), make.person("Else"), date(2026, 1, 1))
    current = db.session.scalar(sa.select(Appointment).where(Appointment.person_id == carla.id))
    meetings_day = date(2024, 4, 19)
    nomination = nominate.nomination(seat, carla, party_letter="C")
    meetings.place_on_agenda(nomination, meetings_day, "4.1", council="KKR Hovedstaden")
    with pytest.raises(RuleViolation, match="Carla Eksempel er allerede medlem på pladsen"):
        meetings.decide(nomination, Outcome.appointed, effective=date(2024, 5, 1))
    assert current.end_date is None
    assert Role.member is current.role


def test_the_dashboard_lists_a_seat_whose_term_ended_without_a_successor(client, movia):
    make.user("haan", UserRole.secretariat)
    db.session.commit()
    make.login(client, "haan")
    page = " ".join(client.get("/sekretariat").text.split())
    assert "31.12.2025 <strong>udløbet uden efterfølger</strong>" in page
    assert "Carla Eksempel" in page
