"""A national registry's public pages and the dashboard: the same number of SQL statements for a small and a ten
times larger registry (issue 15). Timings are not tests; query counts are."""

from datetime import date

import pytest
import sqlalchemy as sa

from registry.appointments.models import Appointment
from registry.extensions import db
from registry.organisations.models import ElectionPeriod, Organisation, Seat
from registry.people.models import Person
from registry.types import search_key, sort_key
from tests import factories as make

SEATS_PER_BODY = 5
PERIODS = ((date(2018, 1, 1), date(2021, 12, 31)), (date(2022, 1, 1), None))


def add_bodies(first: int, count: int) -> None:
    """`count` bodies of five seats, each with a member and a suppleant in two periods (20 appointments a body),
    written in bulk: the factories' services would take minutes at this size."""
    party = make.party("F")
    names = [f"Organisation {number:05}" for number in range(first, first + count)]
    db.session.execute(sa.insert(Organisation), [
        {"name": name, "sort_name": sort_key(name), "search_name": search_key(name),
         "appointing_authority": "KKR Hovedstaden"} for name in names])
    bodies = db.session.scalars(sa.select(Organisation.id).where(Organisation.name.in_(names))).all()
    db.session.execute(sa.insert(Seat), [{"organisation_id": body, "label": f"Plads {n}", "position": n,
                                          "has_substitute": True}
                                         for body in bodies for n in range(1, SEATS_PER_BODY + 1)])
    seats = db.session.scalars(sa.select(Seat.id).where(Seat.organisation_id.in_(bodies))).all()
    people = [f"Person {first:05}-{n:05}" for n in range(len(seats))]
    db.session.execute(sa.insert(Person), [{"name": name, "sort_name": sort_key(name), "search_name": search_key(name),
                                            "party_id": party.id} for name in people])
    persons = db.session.scalars(sa.select(Person.id).where(Person.name.in_(people))).all()
    db.session.execute(sa.insert(Appointment), [
        {"seat_id": seat, "person_id": persons[(i + shift) % len(persons)], "role": role, "party_id": party.id,
         "start_date": start, "end_date": end, "status": "appointed"}
        for i, seat in enumerate(seats) for shift, (start, end) in enumerate(PERIODS)
        for role in ("member", "substitute")])
    db.session.commit()


def counts(client, paths: list[str]) -> dict[str, int]:
    return {path: make.count_queries(client, path) for path in paths}


@pytest.mark.both_databases
def test_the_pages_ask_as_many_queries_of_a_registry_ten_times_larger(client, app):
    db.session.add_all([ElectionPeriod(name="2018-2021", start_date=date(2018, 1, 1), end_date=date(2021, 12, 31)),
                        ElectionPeriod(name="2022-2025", start_date=date(2022, 1, 1), end_date=date(2025, 12, 31)),
                        ElectionPeriod(name="2026-2029", start_date=date(2026, 1, 1), end_date=date(2029, 12, 31))])
    make.user("haan")
    db.session.commit()
    add_bodies(0, 50)  # 1,000 appointments
    body = db.session.scalar(sa.select(Organisation.id).order_by(Organisation.id))
    person = db.session.scalar(sa.select(Appointment.person_id).order_by(Appointment.id))
    public = [
        "/", "/?as_of=2020-06-01", f"/?efter={body}", f"/?foer={body + 40}", f"/organisationer/{body}",
        f"/organisationer/{body}?as_of=2020-06-01", f"/personer/{person}", "/soeg?q=organisation",
        "/soeg?q=person", "/soeg?q=org&side=2",
    ]
    small = counts(client, public)
    assert make.login(client, "haan").status_code == 302
    small_dashboard = make.count_queries(client, "/sekretariat")
    client.post("/logout")

    add_bodies(50, 450)  # 10,000 appointments
    assert counts(client, public) == small
    make.login(client, "haan")
    assert make.count_queries(client, "/sekretariat") == small_dashboard


def test_the_home_page_pages_by_name_and_keeps_the_day(client, app):
    add_bodies(0, 25)
    first = client.get("/?as_of=2020-06-01").text
    assert "Organisation 00000" in first
    assert "Organisation 00009" in first
    assert "Organisation 00010" not in first
    last = db.session.scalar(sa.select(Organisation.id).where(Organisation.name == "Organisation 00009"))
    assert f'href="/?efter={last}&amp;as_of=2020-06-01"' in first
    second = client.get(f"/?efter={last}&as_of=2020-06-01").text
    assert "Organisation 00010" in second
    assert "Organisation 00009" not in second
    assert "Forrige side" in second
    assert "Næste side" in second
    # Each body says how many members it has and how many places stand empty on the day.
    assert "5 medlemmer" in second
    assert "0 ledige" in second
    assert "Udpegninger pr. 1. juni 2020" in second


def test_a_bad_or_unknown_page_key_is_refused_not_a_500(client, app):
    add_bodies(0, 2)
    assert client.get("/?efter=abc").status_code == 400
    assert client.get("/?efter=999999").status_code == 404
