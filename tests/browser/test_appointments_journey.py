"""The secretariat's journey from the appointment on, in Chromium: appoint a member and a
personal suppleant, replace the member, and see the public roster, today and on an earlier
day, change accordingly. Every page on the way is checked with axe-core and saved as a screenshot.

The body is made for this test in its setup, through the services, on the live server's
database, so that no other test meets it and it meets no other test's data.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from registry import create_app
from registry.audit.services import Actor, acting_as
from registry.dates import today
from registry.extensions import db
from registry.organisations.models import Organisation, Seat
from registry.people.models import Municipality, Party, Person

BODY = "Testrådet for browsertest"
MEMBER, SUPPLEANT, SUCCESSOR = "Karin Testmedlem", "Sune Testsuppleant", "Ulla Testefterfølger"


@pytest.fixture(scope="module")
def body(live_url, tmp_path_factory) -> dict:
    """A body with one seat that has a personal suppleant, and three people to seat on it; nobody holds it yet."""
    # The live server's database: the one file tests/browser/conftest.py's live_url made under the session's tmp.
    # (pytest also links it as browsercurrent/, hence the set.)
    [path] = {found.resolve() for found in tmp_path_factory.getbasetemp().glob("browser*/registry.db")}
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SESSION_COOKIE_SECURE": False})
    with app.app_context(), acting_as(Actor("test")):
        organisation = Organisation(name=BODY, appointing_authority="KKR Hovedstaden",
                                    note="Testdata til browsertesten.")
        seat = Seat(organisation=organisation, label="Plads 1", position=1, has_substitute=True)
        party = {letter: db.session.query(Party).filter_by(letter=letter).one() for letter in ("A", "F")}
        place = {name: db.session.query(Municipality).filter_by(name=name).one()
                 for name in ("Albertslund", "Ishøj")}
        db.session.add_all([
            organisation, seat,
            Person(name=MEMBER, party=party["F"], municipality=place["Albertslund"]),
            Person(name=SUPPLEANT, party=party["F"], municipality=place["Ishøj"]),
            Person(name=SUCCESSOR, party=party["A"], municipality=place["Ishøj"]),
        ])
        db.session.commit()
        ids = {"organisation": organisation.id, "seat": seat.id}
        db.session.remove()
        db.engine.dispose()
    return ids


def roster_section(page: Page):
    return page.locator("section").filter(has=page.get_by_role("heading", name=BODY, exact=True))


def check(page: Page, check_accessibility, screenshot, name: str) -> None:
    check_accessibility(page)
    screenshot(page, name)


def appoint(page: Page, person_option: str, day: str) -> None:
    page.get_by_label("Person", exact=True).select_option(label=person_option)
    page.get_by_label("Startdato").fill(day)
    page.get_by_role("button", name="Udpeg", exact=True).click()


def test_secretariat_appoints_member_and_suppleant_then_replaces_the_member(page, login, body, check_accessibility,
                                                                             screenshot):
    start = today() - timedelta(days=200)
    change = today() - timedelta(days=100)
    before_change = today() - timedelta(days=150)

    login(page, "gitb")
    page.goto(f"/pladser?organisation={body['organisation']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Pladser i {BODY}")
    page.get_by_role("link", name=re.compile(rf"^Plads 1\W+{BODY}$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{BODY}, Plads 1")
    expect(page.get_by_text("Ingen har haft pladsen endnu.")).to_be_visible()
    check(page, check_accessibility, screenshot, "plads-tom")

    # The member.
    page.get_by_role("link", name="Udpeg medlem").click()
    expect(page.get_by_label("Plads", exact=True)).to_have_value(str(body["seat"]))
    expect(page.get_by_label("Rolle")).to_have_value("member")
    check(page, check_accessibility, screenshot, "udpeg-medlem")
    appoint(page, f"{MEMBER} (F, Albertslund)", start.isoformat())
    expect(page.get_by_text(f"{MEMBER} er udpeget som medlem")).to_be_visible()

    # The personal suppleant.
    page.get_by_role("link", name="Udpeg personlig suppleant").click()
    expect(page.get_by_label("Rolle")).to_have_value("substitute")
    appoint(page, f"{SUPPLEANT} (F, Ishøj)", start.isoformat())
    expect(page.get_by_text(f"{SUPPLEANT} er udpeget som suppleant")).to_be_visible()
    check(page, check_accessibility, screenshot, "plads-medlem-og-suppleant")

    # A second member on the same days is refused on the form, in Danish.
    page.get_by_role("link", name="Udpeg medlem").click()
    appoint(page, f"{SUCCESSOR} (A, Ishøj)", start.isoformat())
    expect(page.get_by_text(re.compile(rf"har allerede {MEMBER} som medlem"))).to_be_visible()
    check(page, check_accessibility, screenshot, "udpeg-afvist")
    page.go_back()
    page.go_back()

    # The member is replaced: the old one ends the day before the new one starts.
    page.goto(f"/pladser/{body['seat']}")
    page.get_by_role("link", name=re.compile(rf"^Erstat\W+{MEMBER} som medlem$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Erstat {MEMBER} som medlem")
    check(page, check_accessibility, screenshot, "erstat-medlem")
    page.get_by_label("Efterfølger", exact=True).select_option(label=f"{SUCCESSOR} (A, Ishøj)")
    page.get_by_label("Efterfølgerens startdato").fill(change.isoformat())
    page.get_by_role("button", name="Erstat", exact=True).click()
    expect(page.get_by_text(f"{SUCCESSOR} afløser {MEMBER} som medlem")).to_be_visible()
    last_day = (change - timedelta(days=1)).strftime("%d.%m.%Y")
    member_row = page.get_by_role("row").filter(has_text=MEMBER)
    expect(member_row).to_contain_text(last_day)
    expect(member_row).to_contain_text("erstattet")
    check(page, check_accessibility, screenshot, "plads-tidslinje")

    # The public roster: today the successor and the suppleant; before the change, the first member.
    page.get_by_role("button", name="Log ud").click()
    page.goto("/")
    roster = roster_section(page)
    expect(roster).to_contain_text(f"{SUCCESSOR} (A)")
    expect(roster).to_contain_text(f"{SUPPLEANT} (F)")
    expect(roster).not_to_contain_text(MEMBER)
    check(page, check_accessibility, screenshot, "forside-efter-erstatning")

    page.get_by_label("Vis udpegninger pr. dato").fill(before_change.isoformat())
    page.get_by_role("button", name="Vis", exact=True).click()
    expect(page).to_have_url(re.compile(rf"[?&]as_of={before_change.isoformat()}"))
    roster = roster_section(page)
    expect(roster).to_contain_text(f"{MEMBER} (F)")
    expect(roster).not_to_contain_text(SUCCESSOR)
    check(page, check_accessibility, screenshot, "forside-foer-erstatning")

    # The first member's own page keeps the history, publicly, without private details.
    page.goto(f"/soeg?q={MEMBER.split()[1].lower()}")
    check(page, check_accessibility, screenshot, "soegning")
    page.get_by_role("link", name=MEMBER).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MEMBER)
    expect(page.get_by_role("row").filter(has_text=BODY)).to_contain_text("erstattet")
    expect(page.get_by_text("E-mail")).to_have_count(0)
    check(page, check_accessibility, screenshot, "person")


def test_anyone_sees_a_partys_and_a_municipalitys_seats(page, check_accessibility, screenshot):
    page.goto("/partier/F?as_of=2024-04-19")
    expect(page.get_by_role("heading", level=1)).to_have_text("SF – Socialistisk Folkeparti (F)")
    expect(page.get_by_role("row").filter(has_text="RAR Hovedstaden")).to_have_count(2)
    check(page, check_accessibility, screenshot, "parti")
    page.goto("/kommuner/169?as_of=2024-04-19")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Høje-Taastrup")
    expect(page.get_by_role("row").filter(has_text="Esat Sentürk")).to_contain_text("Skoletjenesten")
    check(page, check_accessibility, screenshot, "kommune")


def test_secretariat_edits_a_person_and_sees_the_merge_confirmation(page, login, check_accessibility, screenshot):
    login(page, "gitb")
    page.goto("/personer/ny")
    page.get_by_label("Navn").fill("Vera Testdublet")
    page.get_by_label("Kommune").select_option(label="Ishøj")
    page.get_by_label("E-mail").fill("vera@example.dk")
    check(page, check_accessibility, screenshot, "person-opret")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Vera Testdublet er oprettet.")).to_be_visible()
    expect(page.get_by_text("vera@example.dk")).to_be_visible()
    check(page, check_accessibility, screenshot, "person-sekretariat")

    page.get_by_role("link", name="Læg sammen med en anden registrering af samme person").click()
    page.get_by_label("Den anden registrering af samme person").select_option(label="Lotte Kofoed (F, Frederiksberg)")
    check(page, check_accessibility, screenshot, "person-sammenlaeg")
    page.get_by_role("button", name="Se hvad der sker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekræft sammenlægning")
    expect(page.get_by_text("Intet er gemt endnu.")).to_be_visible()
    check(page, check_accessibility, screenshot, "person-sammenlaeg-bekraeft")
    page.get_by_role("link", name="Fortryd").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vera Testdublet")
