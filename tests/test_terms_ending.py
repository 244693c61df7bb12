"""The terms ending within each body's warning (issue 15): the last day computed in SQL agrees with terms.py on
every kind of term rule, the list pages by a stable key with its count on the dashboard, and its own page
(/sekretariat/udloeb) asks as many queries for a long list as for a short one."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from registry.appointments.models import Appointment, Role, Status
from registry.auth.models import UserRole
from registry.dates import today
from registry.extensions import db
from registry.organisations.models import ElectionPeriod, SeatFiller
from registry.organisations.rosters import ending_within_warning, terms_ending
from registry.organisations.services import election_periods
from registry.organisations.terms import expected_end
from tests import factories as make


def every_kind_of_term(day: date) -> None:
    """Holders on bodies of every term rule, ending before, within and after their warning."""
    db.session.add_all([
        ElectionPeriod(name="Forrige", start_date=day - timedelta(days=1500), end_date=day - timedelta(days=40)),
        ElectionPeriod(name="Nu", start_date=day - timedelta(days=39), end_date=day + timedelta(days=60))])
    follows = make.organisation("Følger perioden")
    short = make.organisation("Kort varsel", warning_days=30)
    years = make.organisation("Fire år fra 1. juni", follows_election_period=False, term_years=4,
                              term_start=day - timedelta(days=4 * 365 - 50))
    own = make.organisation("Fire år fra udpegningen", follows_election_period=False, term_years=4)
    none = make.organisation("Ingen regel", follows_election_period=False)
    closing = make.organisation("Nedlægges", follows_election_period=False, end_date=day + timedelta(days=20))
    other = make.organisation("Andre udpeger")
    cases = [
        (follows, day - timedelta(days=10), None, {}),  # the period ends in 60 days
        (follows, day - timedelta(days=700), None, {}),  # the last period ended: carried over
        (follows, day - timedelta(days=700), day + timedelta(days=5), {}),  # an end date wins
        (short, day - timedelta(days=10), None, {}),  # 60 days, beyond a warning of 30
        (short, day - timedelta(days=10), day + timedelta(days=29), {}),
        (short, day - timedelta(days=10), day + timedelta(days=31), {}),
        (years, day - timedelta(days=100), None, {}),  # the term from the anchor ends in about 50 days
        (own, day - timedelta(days=4 * 365 - 30), None, {}),  # four years from its own first day
        (own, day - timedelta(days=100), None, {}),
        (none, day - timedelta(days=100), None, {}),  # nothing says when
        (none, day - timedelta(days=100), None, {"end_date": day + timedelta(days=45)}),  # the seat retires
        (closing, day - timedelta(days=100), None, {}),  # the body closes
        (other, day - timedelta(days=10), None, {"filled_by": SeatFiller.other}),  # not KKR's to renew
    ]
    for number, (body, start, end, seat_values) in enumerate(cases):
        seat = make.seat(body, f"Plads {number}", **seat_values)
        make.appoint(seat, make.person(f"Person {number:02}"), start, end)
        make.appoint(seat, make.person(f"Suppleant {number:02}"), start, end, role=Role.substitute)
    db.session.commit()


def by_python(day: date) -> list[tuple[int, date]]:
    """The list as terms.py decides it, over every seated appointment: what the SQL must agree with."""
    periods = election_periods()
    found = []
    for appointment in db.session.scalars(sa.select(Appointment).where(Appointment.status == Status.appointed)):
        seat = appointment.seat
        last = expected_end(appointment, periods)
        if (seat.filled_by is SeatFiller.kkr and appointment.start_date <= day
                and (appointment.end_date is None or appointment.end_date >= day)
                and last is not None and last <= day + timedelta(days=seat.organisation.warning_days)):
            found.append((last, seat.organisation.sort_name, appointment.id))
    return [(appointment_id, last) for last, _, appointment_id in sorted(found)]


@pytest.mark.both_databases
def test_the_last_day_in_sql_agrees_with_the_term_rules_and_pages_by_key(app):
    day = today()
    every_kind_of_term(day)
    expected = by_python(day)
    assert len(expected) == 16
    assert sorted((a.id, last) for a, last in ending_within_warning(day)) == sorted(expected)
    shown, after, totals = [], None, set()
    while True:
        page = terms_ending(day, after=after, size=3)
        shown += [(appointment.id, last) for appointment, last in page.ending]
        totals.add(page.total)
        if page.after is None:
            break
        after = page.after
    assert shown == expected
    assert totals == {16}


@pytest.mark.both_databases
def test_the_front_page_shows_the_first_with_a_count_and_the_list_pages_on_its_own(client, app):
    day = today()
    db.session.add(ElectionPeriod(name="Forrige", start_date=day - timedelta(days=1500),
                                  end_date=day - timedelta(days=40)))
    body = make.organisation("Movia")
    for number in range(60):
        make.appoint(make.seat(body, f"Plads {number:02}"), make.person(f"Fortsætter {number:02}"),
                     day - timedelta(days=700))
    make.user("haan", UserRole.secretariat)
    db.session.commit()
    make.login(client, "haan")
    front = client.get("/sekretariat").text
    ending = front[front.index('id="udloeb"'):front.index('id="nedlaeggelser"')]
    assert ending.count("udløbet uden efterfølger") == 10
    assert 'href="/sekretariat/udloeb"' in ending
    assert "Se alle 60 udpegninger, der udløber" in ending
    first = client.get("/sekretariat/udloeb").text
    assert "60 udpegninger udløber inden for organisationernes varsel" in first
    assert first.count("udløbet uden efterfølger") == 50
    assert "Fortsætter 00" in first
    assert "Fortsætter 50" not in first
    following = re.search(r'rel="next" href="([^"]+)"', first).group(1)
    second = client.get(following).text
    assert second.count("udløbet uden efterfølger") == 10
    assert "Fortsætter 50" in second
    assert 'rel="next"' not in second
    assert "Første side" in second
    assert client.get("/sekretariat/udloeb?efter=abc").status_code == 400
    assert client.get("/sekretariat/udloeb?efter=999999").status_code == 404


def test_the_list_asks_as_many_queries_for_many_as_for_few(client, app):
    day = today()
    db.session.add(ElectionPeriod(name="Forrige", start_date=day - timedelta(days=1500),
                                  end_date=day - timedelta(days=40)))
    body = make.organisation("Movia")

    def carried_over(first: int, count: int) -> None:
        for number in range(first, first + count):
            make.appoint(make.seat(body, f"Plads {number:03}"), make.person(f"Fortsætter {number:03}"),
                         day - timedelta(days=700))
        db.session.commit()

    carried_over(0, 3)
    make.user("haan", UserRole.secretariat)
    db.session.commit()
    make.login(client, "haan")
    paths = ["/sekretariat", "/sekretariat/udloeb"]
    few = [make.count_queries(client, path) for path in paths]
    carried_over(3, 120)
    assert [make.count_queries(client, path) for path in paths] == few
    last = db.session.scalar(sa.select(Appointment.id).order_by(Appointment.id))
    assert make.count_queries(client, f"/sekretariat/udloeb?efter={last}") == few[1] + 1


@pytest.mark.parametrize(("role", "status"), [(UserRole.secretariat, 200), (UserRole.admin, 200),
                                              (UserRole.viewer, 200), (UserRole.party, 403)])
def test_the_list_is_for_the_secretariat_and_readers(client, app, role, status):
    make.user("bruger", role, party_letter="F" if role is UserRole.party else None)
    db.session.commit()
    assert client.get("/sekretariat/udloeb").status_code == 302
    make.login(client, "bruger")
    assert client.get("/sekretariat/udloeb").status_code == status

