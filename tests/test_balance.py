"""Balance per body: women, men and others among the members, withheld where a count would reveal a member's
gender, and each party's members against its seats in the election period; on the body's page, a report of
every body, and its CSV."""

from datetime import date

import pytest
import sqlalchemy as sa

from registry.appointments.models import Role
from registry.extensions import db
from registry.organisations.balance import GenderCount, balance_of, balances_on
from registry.organisations.models import ElectionPeriod, SeatAllocation, SeatFiller, SeatKind
from registry.people.models import Gender
from tests import factories as make

# Both databases: the counts are SQL over as-of appointments.
pytestmark = pytest.mark.both_databases

DAY = date(2024, 6, 1)


@pytest.mark.parametrize(("counts", "withheld"), [
    (GenderCount(women=1), True),                      # one member: the count is her gender
    (GenderCount(women=1, men=1), True),               # two: each knows the other's
    (GenderCount(women=3), True),                      # all alike: each member's gender is known
    (GenderCount(women=2, men=1), False),
    (GenderCount(women=2, unknown=1), False),          # the unknown one could be anything
    (GenderCount(), True),
])
def test_a_count_that_would_reveal_a_members_gender_is_withheld(counts, withheld):
    assert counts.withheld is withheld


def board(name: str, members: list[tuple[str, Gender | None, str]], allocation: list[str]):
    """A body whose seats are allocated to the parties in `allocation`, with the members on them."""
    period = db.session.scalar(sa.select(ElectionPeriod).filter_by(name="2022-2025")) or ElectionPeriod(
        name="2022-2025", start_date=date(2022, 1, 1), end_date=date(2025, 12, 31))
    organisation = make.organisation(name)
    for number, letter in enumerate(allocation, start=1):
        seat = make.seat(organisation, f"Plads {number}", has_substitute=True)
        db.session.add(SeatAllocation(seat=seat, period=period, party=make.party(letter)))
        if number <= len(members):
            person_name, gender, party = members[number - 1]
            person = make.person(person_name, party_letter=party, gender=gender)
            make.appoint(seat, person, date(2022, 1, 1))
            # A suppleant does not vote and is not counted.
            make.appoint(seat, make.person(f"Suppleant {person_name}", gender=Gender.man), date(2022, 1, 1),
                         role=Role.substitute)
    return organisation


def test_the_counts_and_the_parties_of_one_body(app):
    movia = board("Movia", [("Anne", Gender.woman, "A"), ("Birte", Gender.woman, "A"), ("Carl", Gender.man, "V"),
                            ("Dorte", None, "F")], ["A", "A", "V", "A", "Ø"])
    db.session.commit()
    balance = balance_of(movia, DAY)
    assert (balance.genders.women, balance.genders.men, balance.genders.other, balance.genders.unknown) == (
        2, 1, 0, 1)
    assert not balance.genders.withheld
    # F's member sits on an A seat; Ø's seat is vacant.
    assert [(share.party.letter, share.held, share.allocated) for share in balance.parties] == [
        ("A", 2, 3), ("F", 1, 0), ("V", 1, 1), ("Ø", 0, 1)]
    assert balances_on(date(2021, 6, 1), movia)[0].genders.total == 0  # before anyone was appointed


def test_the_pages_and_the_csv_withhold_what_would_reveal_a_gender(client, app):
    board("Movia", [("Anne", Gender.woman, "A"), ("Birte", Gender.woman, "A"), ("Carl", Gender.man, "V")],
          ["A", "A", "V"])
    single = board("Skoletjenesten", [("Eva Eneste", Gender.woman, "F")], ["F"])
    db.session.commit()
    report = " ".join(client.get("/balance?as_of=2024-06-01").text.split())
    assert "Balance i organerne: kvinder, mænd og partier" in report
    assert "lov nr. 1470 af 10. december 2024" in report
    assert "<td>3</td> <td>2</td><td>1</td><td>0</td><td>0</td>" in report
    assert '<td>1</td> <td colspan="4"><span aria-hidden="true">–</span><span class="sr-only">Skjult</span></td>' \
        in report

    body = " ".join(client.get(f"/organisationer/{single.id}?as_of=2024-06-01").text.split())
    assert "Balance: kvinder, mænd og partier" in body
    assert "<span class=\"sr-only\">Skjult</span>" in body
    assert "<td>0</td><td>1</td>" not in body

    lines = client.get("/export/balance.csv?as_of=2024-06-01").data.decode("utf-8-sig").splitlines()
    assert lines[0] == ("Organisation;Medlemmer;Kvinder;Mænd;Andet;Ikke oplyst;Partier (medlemmer/pladser);"
                        "Hele organet: medlemmer;Hele organet: kvinder;Hele organet: mænd;Hele organet: andet;"
                        "Hele organet: ikke oplyst")
    assert "Movia;3;2;1;0;0;A 2/2, V 1/1;3;2;1;0;0" in lines
    assert "Skoletjenesten;1;;;;;F 1/1;1;;;;" in lines


def test_the_whole_body_counts_the_seats_others_fill_and_only_voting_members(client, app):
    """KKR's two members alone would be withheld; with the region's three the whole body's counts show."""
    ssu = board("SSU", [("Anne", Gender.woman, "A"), ("Carl", Gender.man, "V")], ["A", "V"])
    for number, gender in enumerate((Gender.woman, Gender.woman, Gender.man), start=1):
        seat = make.seat(ssu, f"Regionen {number}", has_substitute=False, filled_by=SeatFiller.other,
                         appointing_authority="Regionsrådet")
        make.appoint(seat, make.person(f"Regionsmedlem {number}", gender=gender), date(2022, 1, 1))
    observer = make.seat(ssu, "Observatør", has_substitute=False, kind=SeatKind.observer)
    make.appoint(observer, make.person("Olga Observatør", gender=Gender.woman), date(2022, 1, 1))
    db.session.commit()
    balance = balance_of(ssu, DAY)
    assert (balance.genders.total, balance.genders.withheld) == (2, True)
    assert (balance.whole.women, balance.whole.men, balance.whole.withheld) == (3, 2, False)
    assert [(share.party.letter, share.held, share.allocated) for share in balance.parties] == [("A", 1, 1),
                                                                                              ("V", 1, 1)]
    lines = client.get("/export/balance.csv?as_of=2024-06-01").data.decode("utf-8-sig").splitlines()
    assert "SSU;2;;;;;A 1/1, V 1/1;5;3;2;0;0" in lines
    page = " ".join(client.get(f"/organisationer/{ssu.id}?as_of=2024-06-01").text.split())
    assert "<td>Hele organet</td><td>5</td> <td>3</td><td>2</td>" in page


def test_the_balance_export_and_page_take_the_same_queries_however_many_members(client, app):
    """The counts come grouped from the database: more bodies, members and parties add rows, not queries."""
    board("Movia", [("Anne", Gender.woman, "A"), ("Carl", Gender.man, "V"), ("Dorte", None, "F")], ["A", "V", "F"])
    db.session.commit()
    few = {url: make.count_queries(client, url) for url in ("/export/balance.csv?as_of=2024-06-01",
                                                            "/balance?as_of=2024-06-01")}
    for number in range(1, 6):
        board(f"Organ {number}", [(f"Medlem {number}-{seat}", gender, letter) for seat, (gender, letter) in
                                  enumerate([(Gender.woman, "A"), (Gender.man, "B"), (Gender.other, "Ø"),
                                             (None, "V")], start=1)], ["A", "B", "Ø", "V", "Å"])
    db.session.commit()
    assert {url: make.count_queries(client, url) for url in few} == few
