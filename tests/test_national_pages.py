"""A national registry's public pages and the dashboard: the same number of SQL statements for a small and a ten
times larger registry (issue 15). Timings are not tests; query counts are."""

import re
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
    held = db.session.scalar(sa.select(Appointment.id).join(Appointment.seat).where(Seat.organisation_id == body)
                             .order_by(Appointment.id.desc()))
    public = [
        "/", "/?as_of=2020-06-01", f"/?efter={body}", f"/?foer={body + 40}", f"/organisationer/{body}",
        f"/organisationer/{body}?as_of=2020-06-01", f"/organisationer/{body}?historik={held}",
        f"/personer/{person}", "/soeg?q=organisation", "/soeg?q=person", f"/soeg?q=org&efter=organisation-{body}",
        f"/soeg?q=person&efter=person-{person}",
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


def test_the_search_pages_by_name_and_merges_people_and_bodies_in_order(client, app):
    add_bodies(0, 5)  # 5 bodies and 25 people, all found by "0"
    for name in ("Organisation 00001 Formand", "Organisation 00003 Næstformand", "Aase Organisation 0"):
        db.session.add(Person(name=name))
    make.user("haan")  # the secretariat finds people who never held a seat too
    db.session.commit()
    make.login(client, "haan")
    expected = sorted(db.session.execute(sa.select(Person.sort_name, Person.name)).all()
                      + db.session.execute(sa.select(Organisation.sort_name, Organisation.name)).all())
    shown, path, pages = [], "/soeg?q=0", 0
    while path:
        html = client.get(path).text
        shown += re.findall(r'<a href="/(?:personer|organisationer)/\d+">([^<]+)</a>', html)
        found = re.search(r'rel="next" href="([^"]+)"', html)
        path = found.group(1).replace("&amp;", "&") if found else None
        pages += 1
    assert shown == [name for _, name in expected]
    assert pages == 2


def test_a_body_shows_its_latest_history_a_page_at_a_time(client, app):
    add_bodies(0, 1)
    body = db.session.scalar(sa.select(Organisation.id))
    seat = db.session.scalar(sa.select(Seat.id).where(Seat.organisation_id == body).order_by(Seat.id))
    person = db.session.scalar(sa.select(Person.id))
    db.session.execute(sa.insert(Appointment), [
        {"seat_id": seat, "person_id": person, "role": "member", "start_date": date(2000 + year, 1, 1),
         "end_date": date(2000 + year, 12, 31), "status": "appointed"} for year in range(10)])
    db.session.commit()
    # 20 in the two periods and 10 older: the latest 25 first, member before suppleant on the same day.
    first = client.get(f"/organisationer/{body}?as_of=2020-06-01").text
    history = first.split('id="historik"')[1]
    assert history.count("<tr>") == 26  # the header and 25 rows
    assert history.index("01.01.2022") < history.index("01.01.2018") < history.index("01.01.2009")
    assert "01.01.2005" in history
    assert "01.01.2004" not in history
    assert "Pladser</h2>" in first.split('id="historik"')[0]
    older = re.search(r'rel="next" href="([^"]+)"', history).group(1).replace("&amp;", "&")
    assert "as_of=2020-06-01" in older
    second = client.get(older).text.split('id="historik"')[1]
    assert second.count("<tr>") == 6
    assert "01.01.2004" in second
    assert "01.01.2000" in second
    assert "01.01.2005" not in second
    assert "De seneste udpegninger" in second
    assert 'rel="next"' not in second
    assert client.get(f"/organisationer/{body}?historik=abc").status_code == 400
    other = db.session.scalar(sa.select(Organisation.id).where(Organisation.id != body)) or body + 1
    assert client.get(f"/organisationer/{other}?historik={seat}").status_code == 404
