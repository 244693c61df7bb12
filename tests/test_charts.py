"""The pictures: a seat's holders over time on its page, and a body's members by party against the election
period's allocation on the body's page. Server-rendered SVG that parses as XML, with a title, a text
alternative and a table beside it, no style attribute or script (the CSP), and a fixed number of queries."""

import html
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from registry.appointments import services
from registry.appointments.models import Appointment, EndReason, Role, Status
from registry.dates import today
from registry.extensions import db
from registry.organisations.models import ElectionPeriod, Seat, SeatAllocation, SeatFiller, SeatKind
from registry.organisations.timeline import draw
from tests import factories as make

SVG = "{http://www.w3.org/2000/svg}"


def chart(html: str, heading_id: str) -> str:
    """The chart's section of the page."""
    found = re.search(rf'<section class="chart[^"]*" aria-labelledby="{heading_id}">.*?</section>', html, re.S)
    assert found, f"no chart {heading_id} on the page"
    return found.group(0)


def svg(section: str) -> ET.Element:
    """The section's picture, parsed as XML: it fails here if it is not well-formed."""
    return ET.fromstring(re.search(r"<svg class=\"chart-svg\".*?</svg>", section, re.S).group(0))


def texts(picture: ET.Element) -> list[str]:
    return [" ".join("".join(text.itertext()).split()) for text in picture.iter(f"{SVG}text")]


def alternative(picture: ET.Element) -> tuple[str, str]:
    title, desc = picture.find(f"{SVG}title"), picture.find(f"{SVG}desc")
    assert picture.get("role") == "img"
    assert (picture.get("aria-labelledby"), picture.get("aria-describedby")) == (title.get("id"), desc.get("id"))
    return " ".join(title.text.split()), " ".join(desc.text.split())


def periods_around(day: date) -> tuple[ElectionPeriod, ElectionPeriod]:
    """The period that ended before this year and the one that runs now, as the real ones do."""
    past = ElectionPeriod(name=f"{day.year - 4}-{day.year - 1}", start_date=date(day.year - 4, 1, 1),
                          end_date=date(day.year - 1, 12, 31))
    now = ElectionPeriod(name=f"{day.year}-{day.year + 3}", start_date=date(day.year, 1, 1),
                         end_date=date(day.year + 3, 12, 31))
    db.session.add_all([past, now])
    db.session.flush()
    return past, now


# --- a seat's timeline ----------------------------------------------------------------------------------------


@pytest.fixture
def seat_with_history():
    """A seat of a body that follows the election period: a member who served the last period and one who
    serves this one; a suppleant since the last period who carries on until a successor is seated."""
    past, _ = periods_around(today())
    seat = make.seat(make.organisation("RAR Hovedstaden"), "Plads 1", has_substitute=True)
    make.appoint(seat, make.person("Lotte Kofoed"), past.start_date, past.end_date)
    make.appoint(seat, make.person("Anne Eksempel", party_letter="A"), past.end_date + timedelta(days=1))
    make.appoint(seat, make.person("Marie-Louise Peschardt Jørgensen"), past.start_date, role=Role.substitute)
    db.session.commit()
    return seat


def test_a_seats_page_draws_its_members_and_suppleants_across_the_periods(client, seat_with_history):
    page = client.get(f"/pladser/{seat_with_history.id}").text
    section = chart(page, "timeline-heading")
    picture = svg(section)
    title, desc = alternative(picture)
    year = today().year
    assert title == f"Pladsens medlemmer og suppleanter fra {year - 4} til {year + 3}"
    assert desc.startswith(f"Medlem: Lotte Kofoed (F) fra 01.01.{year - 4} til og med 31.12.{year - 1}; "
                           f"Anne Eksempel (A) fra 01.01.{year}, fortsat, forventet til og med 31.12.{year + 3}. "
                           f"Suppleant: Marie-Louise Peschardt Jørgensen (F) fra 01.01.{year - 4}, fortsat, "
                           f"efter periodens udløb 31.12.{year - 1}, indtil en ny er udpeget.")
    drawn = texts(picture)
    # The lanes, the names where they fit, the periods' names, the years and today.
    assert {"Medlem", "Suppleant", "Lotte Kofoed (F)", "Marie-Louise Peschardt Jørgensen (F)", "I dag",
            f"{year - 4}-{year - 1}", str(year)} <= set(drawn)
    # The carried-over time is hatched, the rest of this period drawn in outline, both named in the legend.
    fills = {rect.get("fill") for rect in picture.iter(f"{SVG}rect")}
    assert "url(#timeline-carried-substitute)" in fills
    assert any(rect.get("stroke-dasharray") for rect in picture.iter(f"{SVG}rect"))
    assert "Efter periodens udløb, indtil en ny er udpeget" in section
    assert "Kommende: til slutdatoen eller periodens forventede udløb" in section
    # The history table beside it says the same.
    history = page[page.index("<h2>Historik</h2>"):]
    for name in ("Lotte Kofoed", "Anne Eksempel", "Marie-Louise Peschardt Jørgensen"):
        assert name in history


def test_the_pictures_need_no_style_attribute_and_no_script(client, seat_with_history):
    section = chart(client.get(f"/pladser/{seat_with_history.id}").text, "timeline-heading")
    assert "style=" not in section
    assert "<style" not in section
    assert "<script" not in section


def test_a_seat_no_one_has_held_has_no_timeline(client, app):
    seat = make.seat(make.organisation("Skoletjenesten"), "Plads 1")
    db.session.commit()
    page = client.get(f"/pladser/{seat.id}").text
    assert "timeline-heading" not in page
    assert "Ingen har haft pladsen endnu." in page


def test_a_recommendation_is_not_drawn_as_holding_the_seat(client, seat_with_history):
    seat = db.session.get(Seat, seat_with_history.id)
    make.appoint(seat, make.person("Karen Indstillet"), today() + timedelta(days=30), status=Status.recommended)
    db.session.commit()
    make.user("sekr")
    db.session.commit()
    make.login(client, "sekr")
    page = client.get(f"/pladser/{seat.id}").text
    assert "Karen Indstillet" not in chart(page, "timeline-heading")
    assert "Karen Indstillet" in page  # the secretariat's history table shows it


def test_the_bars_are_split_into_served_carried_over_and_to_come(app):
    """Drawn for a fixed day: a member whose term ended carries on to today, hatched from the term's end."""
    day = date(2026, 12, 2)
    past, now = periods_around(day)
    seat = make.seat(make.organisation("RAR Hovedstaden"), "Plads 1", has_substitute=False)
    carried = make.appoint(seat, make.person("Lotte Kofoed"), date(2022, 1, 1))
    timeline = draw(seat, [carried], [past, now], day)
    [lane] = timeline.lanes
    [bar] = lane.bars
    assert lane.role is Role.member
    assert [(part.kind, part.first, part.last) for part in bar.parts] == [
        ("served", date(2022, 1, 1), date(2025, 12, 31)), ("carried", date(2026, 1, 1), day)]
    assert (timeline.first, timeline.last) == (date(2022, 1, 1), date(2026, 12, 31))
    assert bar.x == timeline.left
    assert bar.x + bar.width <= timeline.right_x
    assert timeline.left < timeline.today_x < timeline.right_x
    assert [mark.period.name for mark in timeline.periods] == ["2022-2025", "2026-2029"]
    assert len(timeline.boundaries) == 1  # the day the new period began; the range starts with the old one

    # Ended halfway through 2026, by a successor: carried over until then; the successor's term is still to come.
    services.end(carried, date(2026, 6, 30), EndReason.replaced)
    successor = make.appoint(seat, make.person("Hans Eksempel"), date(2026, 7, 1))
    timeline = draw(seat, [carried, successor], [past, now], day)
    first, second = timeline.lanes[0].bars
    assert [part.kind for part in first.parts] == ["served", "carried"]
    assert first.parts[-1].last == date(2026, 6, 30)
    assert [(part.kind, part.last) for part in second.parts] == [("served", day), ("ahead", date(2029, 12, 31))]
    assert timeline.last == date(2029, 12, 31)


def test_a_name_is_written_only_where_it_fits(app):
    day = date(2026, 12, 2)
    seat = make.seat(make.organisation("Movia"), "Plads 1", has_substitute=False)
    short = make.appoint(seat, make.person("Karin Kortvarig Langenavnsen"), date(2000, 1, 1), date(2000, 1, 31))
    long = make.appoint(seat, make.person("Bo Længe"), date(2000, 2, 1))
    timeline = draw(seat, [short, long], [], day)
    brief, lasting = timeline.lanes[0].bars
    assert brief.label is None
    assert lasting.label == "Bo Længe (F)"


def test_a_holder_yet_to_start_on_a_body_without_terms_is_drawn_to_come(app):
    seat = make.seat(make.organisation("Movia", follows_election_period=False), "Plads 1", has_substitute=False)
    future = make.appoint(seat, make.person("Fremtidig Eksempel"), date(2028, 3, 1))
    timeline = draw(seat, [future], [], date(2026, 12, 2))
    [bar] = timeline.lanes[0].bars
    assert [(part.kind, part.first, part.last) for part in bar.parts] == [
        ("ahead", date(2028, 3, 1), date(2028, 12, 31))]
    assert timeline.first == date(2026, 1, 1)
    assert timeline.left < timeline.today_x < bar.x


def test_a_pooled_suppleants_seat_has_only_the_suppleants_lane(app):
    seat = make.seat(make.organisation("Politisk Uddannelses- og Praktikpladsforum"), "KKR-suppleant 1",
                     has_substitute=False, kind=SeatKind.pooled_substitute, pool_rank=1)
    held = make.appoint(seat, make.person("Tage Eksempel"), date(2026, 1, 1), role=Role.substitute)
    timeline = draw(seat, [held], [], date(2026, 12, 2))
    assert [lane.role for lane in timeline.lanes] == [Role.substitute]


def test_a_seat_without_suppleant_is_titled_by_its_members(client, app):
    seat = make.seat(make.organisation("Skoletjenesten"), "Plads 1", has_substitute=False)
    make.appoint(seat, make.person("Esat Sentürk", party_letter="B"), date(2022, 1, 1), date(2024, 10, 31))
    db.session.commit()
    picture = svg(chart(client.get(f"/pladser/{seat.id}").text, "timeline-heading"))
    title, desc = alternative(picture)
    assert title == f"Pladsens medlemmer fra 2022 til {today().year}"
    assert desc.startswith("Medlem: Esat Sentürk (B) fra 01.01.2022 til og med 31.10.2024. I dag er ")


def test_the_seat_page_takes_as_many_queries_however_long_its_history(client, seat_with_history):
    seat_id = seat_with_history.id

    def add_holders(n: int, first_day: date) -> None:
        current = db.session.scalar(sa.select(Appointment).where(Appointment.seat_id == seat_id,
                                                                 Appointment.role == Role.member,
                                                                 Appointment.end_date.is_(None)))
        for i in range(n):
            current = services.replace(current, make.person(f"Holder {i}", party_letter="V"),
                                       first_day + timedelta(days=i))
        db.session.commit()

    start = date(today().year, 1, 2)
    add_holders(2, start)
    few = make.count_queries(client, f"/pladser/{seat_id}")
    add_holders(40, start + timedelta(days=10))
    assert make.count_queries(client, f"/pladser/{seat_id}") == few
    svg(chart(client.get(f"/pladser/{seat_id}").text, "timeline-heading"))  # still well-formed


# --- a body's parties against the allocation ----------------------------------------------------------------


@pytest.fixture
def body():
    """Three seats this period, two of them F's and one A's: F has one member, A one, and V one on F's seat."""
    _, now = periods_around(today())
    organisation = make.organisation("SOSU H")
    for number, (letter, holder) in enumerate([("F", "F"), ("A", "A"), ("F", "V")], start=1):
        seat = make.seat(organisation, f"Plads {number}", has_substitute=False)
        db.session.add(SeatAllocation(seat=seat, period=now, party=make.party(letter, f"Parti {letter}")))
        make.appoint(seat, make.person(f"Medlem {number}", party_letter=holder), now.start_date)
    db.session.commit()
    return organisation


def test_a_bodys_page_draws_each_partys_members_against_its_seats(client, body):
    page = client.get(f"/organisationer/{body.id}").text
    section = chart(page, "composition-heading")
    picture = svg(section)
    title, desc = alternative(picture)
    year = today().year
    assert title == f"KKR's medlemmer pr. parti i dag mod pladserne i valgperioden {year}-{year + 3}"
    assert desc == ("A – Parti A: medlemmer 1, pladser 1; F – Parti F: medlemmer 1, pladser 2; "
                    "V – Parti V: medlemmer 1, pladser 0; i alt: medlemmer 3, pladser 3.")
    assert texts(picture) == ["A – Parti A", "1 af 1", "F – Parti F", "1 af 2", "V – Parti V", "1 af 0"]
    # A filled square per member, an empty one for F's seat without its member, a hatched one for V's.
    fills = [rect.get("fill") for rect in picture.iter(f"{SVG}rect") if rect.get("stroke")]
    assert fills.count("#0b3d73") == 2
    assert fills.count("#ffffff") == 1
    assert fills.count("url(#composition-over)") == 1
    assert "Plads i fordelingen uden partiets medlem" in section
    assert "Medlem ud over partiets pladser" in section
    # The table beside it.
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td>(\d+)</td><td>(\d+)</td></tr>', section)
    assert rows == [("A – Parti A", "1", "1"), ("F – Parti F", "1", "2"), ("V – Parti V", "1", "0"),
                    ("I alt", "3", "3")]
    assert "Ikke fordelt" not in section  # every seat is allocated, every member for a party
    assert f'<caption class="sr-only">{title}</caption>' in html.unescape(section)
    assert "style=" not in section
    assert "<script" not in section


def test_seats_no_party_has_and_members_of_no_party_are_counted_too(client):
    """As SSU: A and V have a seat each, KKR's three other seats are not allocated; one of them is held by a
    member of no party, and an organisation's nominee sits on a seat of KKR's no party group nominates for.
    Another appointer's seat and an observer's are not KKR's voting seats and stay out."""
    _, now = periods_around(today())
    organisation = make.organisation("Sundhedssamarbejdsudvalget")
    for number, letter in enumerate("AV", start=1):
        seat = make.seat(organisation, f"Plads {number}", has_substitute=False)
        db.session.add(SeatAllocation(seat=seat, period=now, party=make.party(letter, f"Parti {letter}")))
        make.appoint(seat, make.person(f"Medlem {number}", party_letter=letter), now.start_date)
    for number in (3, 4, 5):
        make.seat(organisation, f"Plads {number}", has_substitute=False)
    unallocated = db.session.scalar(sa.select(Seat).where(Seat.label == "Plads 4"))
    make.appoint(unallocated, make.person("Uden Parti", party_letter=None), now.start_date)
    nominee = make.seat(organisation, "Praksisudvalget", has_substitute=False, nominated_by="Praksisudvalget")
    make.appoint(nominee, make.person("Læge", party_letter="V"), now.start_date, for_a_party=False)
    other = make.seat(organisation, "Regionsrådet 1", has_substitute=False, filled_by=SeatFiller.other)
    make.appoint(other, make.person("Regionspolitiker", party_letter="F"), now.start_date)
    make.seat(organisation, "Observatør", has_substitute=False, kind=SeatKind.observer)
    db.session.commit()

    section = chart(client.get(f"/organisationer/{organisation.id}").text, "composition-heading")
    picture = svg(section)
    _, desc = alternative(picture)
    assert desc == ("A – Parti A: medlemmer 1, pladser 1; V – Parti V: medlemmer 1, pladser 1; "
                    "Ikke fordelt: medlemmer 2, pladser 4; i alt: medlemmer 4, pladser 6.")
    assert texts(picture) == ["A – Parti A", "1 af 1", "V – Parti V", "1 af 1", "Ikke fordelt", "2 af 4"]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td>(\d+)</td><td>(\d+)</td></tr>', section)
    assert rows == [("A – Parti A", "1", "1"), ("V – Parti V", "1", "1"), ("Ikke fordelt", "2", "4"),
                    ("I alt", "4", "6")]
    assert "ingen partigruppe har i valgperioden" in html.unescape(section)
    # A square per seat: four filled, two empty, none hatched.
    fills = [rect.get("fill") for rect in picture.iter(f"{SVG}rect") if rect.get("stroke")]
    assert (fills.count("#0b3d73"), fills.count("#ffffff"), fills.count("url(#composition-over)")) == (4, 2, 0)


def test_a_body_whose_kkr_seats_no_party_has_shows_them_vacant(client):
    """Nothing allocated, and only a member of no party: the picture still counts each of KKR's seats."""
    _, now = periods_around(today())
    organisation = make.organisation("Erhvervshus")
    for number in (1, 2):
        make.seat(organisation, f"Erhverv {number}", has_substitute=False, nominated_by="Dansk Industri")
    seat = db.session.scalar(sa.select(Seat).where(Seat.label == "Erhverv 1"))
    make.appoint(seat, make.person("Direktør", party_letter=None), now.start_date)
    db.session.commit()
    section = chart(client.get(f"/organisationer/{organisation.id}").text, "composition-heading")
    assert texts(svg(section)) == ["Ikke fordelt", "1 af 2"]


def test_the_picture_is_of_the_pages_day(client, body):
    year = today().year
    title, _ = alternative(svg(chart(client.get(f"/organisationer/{body.id}?as_of={year}-06-01").text,
                                     "composition-heading")))
    assert title.startswith(f"KKR's medlemmer pr. parti pr. 01.06.{year} mod")
    # Before this period no one sat and nothing was allocated: no picture.
    assert "composition-heading" not in client.get(f"/organisationer/{body.id}?as_of={year - 1}-06-01").text


def test_the_body_page_takes_as_many_queries_however_many_parties_and_members(client, body):
    few = make.count_queries(client, f"/organisationer/{body.id}")
    period = db.session.scalar(sa.select(ElectionPeriod).order_by(ElectionPeriod.start_date.desc()))
    for number, letter in enumerate("BCDIKOØÆ", start=10):
        seat = make.seat(body, f"Plads {number}", has_substitute=False)
        db.session.add(SeatAllocation(seat=seat, period=period, party=make.party(letter, f"Parti {letter}")))
        make.appoint(seat, make.person(f"Medlem {number}", party_letter=letter), period.start_date)
    db.session.commit()
    assert make.count_queries(client, f"/organisationer/{body.id}") == few
