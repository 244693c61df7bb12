"""Nominations in Chromium: the party group's journey and the secretariat's, from a call for nominations to a
seated member, and the public history of KKR's decisions.

1. A party group (SF) answers the open call for a suppleant on RAR Hovedstaden's Plads 1 with a new
   person, changes its nomination and finds it in its list; another party group (Radikale Venstre) gets
   "Siden findes ikke" for it and does not see it in its list.
2. The secretariat sends one of SF's nominations back with a comment, which SF then sees; puts another
   on the agenda of a new KKR meeting, reads the drafted "Det indstilles, at KKR Hovedstaden ..." text,
   records KKR's decision (taken to note: the minister appoints to RAR) and the minister's appointment,
   and the public roster shows the new holders from that day.
3. The demo's item 4.1 (Peschardt, pending since 19 April 2024) is completed with the minister's
   appointment; the seat page shows her as member and Lotte Kofoed ended the day before, the public
   history shows the decision, and nobody logged out sees a nomination KKR has not decided.

This module has a live server of its own (its `live_url` overrides the session's): item 4.1's completion
changes RAR Hovedstaden's roster today, which the other browser tests read as the demo left it. Its
database is the demo data, the logins of conftest.USERS, and what `story` adds below: a fictitious second
seat on RAR Hovedstaden, allocated to SF this period, with SF's nominations for the secretariat to act on,
all made before the first test so that the tests can run in any order. The people are fictitious and
named "... Eksempel". Every page on the way is checked with axe-core and saved as a screenshot
test-output/screenshots/indstilling-*.png.
"""

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask import current_app
from flask_migrate import upgrade
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import make_server

from registry import create_app
from registry.appointments.models import Role
from registry.audit.services import Actor, acting_as
from registry.auth.models import User
from registry.dates import today
from registry.demo import load
from registry.extensions import db
from registry.meetings import services as agenda
from registry.meetings.models import AgendaItem, Meeting
from registry.nominations import services as nominations
from registry.nominations.models import Nomination
from registry.organisations.models import ElectionPeriod, Organisation, Seat, SeatAllocation
from registry.people.models import Gender, Municipality, Party, Person
from tests.browser.conftest import create_users
from tests.browser.menu import follow

RAR = "RAR Hovedstaden"
SF = "SF – Socialistisk Folkeparti"
TEST_SEAT = "Plads 2"  # fictitious: the demo's RAR Hovedstaden has one seat
NOTE = "Testdata til browsertesten af indstillinger."
# The new suppleant SF nominates through the form in journey 1.
NEW_SUPPLEANT = "Sofie Eksempel"
# SF's nominations made before the tests: one to be sent back; a member and suppleant to be seated on TEST_SEAT;
# one on the agenda of a later meeting, undecided.
RETURNED = "Ida Eksempel"
MEMBER, SUPPLEANT = "Bent Eksempel", "Cecilie Eksempel"
UNDECIDED = "Dorte Eksempel"

# Journey 2's dates lie ahead of the day the tests run: a new meeting, and the minister's appointment after it.
MEETING_DAY = today() + timedelta(days=21)
LATER_MEETING_DAY = today() + timedelta(days=49)
APPOINTED_DAY = MEETING_DAY + timedelta(days=14)
# Item 4.1 of 19 April 2024: the minister's appointment of Peschardt.
MINISTER_DAY = date(2024, 6, 1)


def short(day: date) -> str:
    return day.strftime("%d.%m.%Y")


@dataclass(frozen=True)
class Story:
    rar: int
    rar_seat: int
    test_seat: int
    returned: int
    placed: int
    demo_4_1: int
    meeting_4_1: int
    later_meeting: int


def _one(model, **key):
    return db.session.scalars(sa.select(model).filter_by(**key)).one()


def _person(name: str, municipality: str, gender: Gender) -> Person:
    person = Person(name=name, party_id=_one(Party, letter="F").id,
                    municipality_id=_one(Municipality, name=municipality).id, gender=gender,
                    office="Fiktiv person (testdata)")
    db.session.add(person)
    db.session.flush()
    return person


def _story() -> Story:
    """What the journeys need beyond the demo data; the ids of what they visit."""
    rar = _one(Organisation, name=RAR)
    sf, sf_user = _one(Party, letter="F"), _one(User, username="sfgruppe")
    period = _one(ElectionPeriod, name="2026-2029")
    seat = Seat(organisation_id=rar.id, label=TEST_SEAT, position=2, has_substitute=True, note=NOTE)
    db.session.add(seat)
    db.session.flush()
    db.session.add(SeatAllocation(seat_id=seat.id, period_id=period.id, party_id=sf.id, note=NOTE))
    db.session.flush()
    returned = nominations.submit(seat, Role.member, sf, _person(RETURNED, "Ishøj", Gender.woman),
                                  motivation="Ida Eksempel kender arbejdsmarkedet (testdata).", by=sf_user)
    placed = nominations.submit(seat, Role.member, sf, _person(MEMBER, "Albertslund", Gender.man),
                                substitute=_person(SUPPLEANT, "Ballerup", Gender.woman),
                                motivation="Et medlem og en personlig suppleant (testdata).", by=sf_user)
    undecided = nominations.submit(seat, Role.member, sf, _person(UNDECIDED, "Gladsaxe", Gender.woman),
                                   by=sf_user)
    council = current_app.config["COUNCIL_NAME"]
    agenda.place_on_agenda(undecided, LATER_MEETING_DAY, "2.1", council=council)
    meeting_4_1 = _one(Meeting, council_name=council, date=date(2024, 4, 19))
    item_4_1 = _one(AgendaItem, meeting_id=meeting_4_1.id, number="4.1")
    return Story(rar=rar.id, rar_seat=_one(Seat, organisation_id=rar.id, label="Plads 1").id, test_seat=seat.id,
                 returned=returned.id, placed=placed.id,
                 demo_4_1=_one(Nomination, item_id=item_4_1.id).id, meeting_4_1=meeting_4_1.id,
                 later_meeting=_one(Meeting, council_name=council, date=LATER_MEETING_DAY).id)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Story]]:
    """This module's live server, as conftest's live_url makes the session's, with the story's data added.
    (Its directory must not be named browser*: test_appointments_journey looks for the session's there.)"""
    url = f"sqlite:///{tmp_path_factory.mktemp('nominations') / 'registry.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        upgrade()
        with acting_as(Actor("test")):
            load()
            create_users()
            story = _story()
            db.session.commit()
        db.session.remove()

    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, name="live-server-nominations", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}", story
    http.shutdown()
    http.server_close()
    thread.join()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def live_url(server) -> str:
    return server[0]


@pytest.fixture(scope="module")
def story(server) -> Story:
    return server[1]


@contextmanager
def other_page(browser: Browser, live_url: str) -> Iterator[Page]:
    """A second browser context, with no cookies of the first: another user at another desk."""
    context = browser.new_context(base_url=live_url, viewport={"width": 1280, "height": 900}, locale="da-DK",
                                  bypass_csp=True)
    context.set_default_timeout(5_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def step(check_accessibility, screenshot):
    """Check the page as it is now with axe-core, and save it as test-output/screenshots/indstilling-NAME.png."""

    def step(page: Page, name: str) -> None:
        check_accessibility(page)
        screenshot(page, f"indstilling-{name}")

    return step


def flash(page: Page, text: str):
    """The message the page was shown with, a status message (the nomination's own alerts are too)."""
    return expect(page.get_by_role("status").filter(has_text=text))


def go(page: Page, link: str) -> None:
    """Follow a link of the main menu."""
    follow(page, link)


def heading(page: Page, text: str | re.Pattern) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def row_with(page: Page, text: str):
    return page.get_by_role("row").filter(has_text=text)


def status(page: Page):
    """The nomination's status as its page states it: the <dd> after the <dt> "Status"."""
    return page.locator("dt", has_text=re.compile(r"^\s*Status\s*$")).locator("xpath=following-sibling::dd[1]")


# 1. The party group.

def test_party_group_nominates_a_new_suppleant_and_only_its_own_party_sees_it(page, browser, live_url, login, step):
    login(page, "sfgruppe")
    go(page, "Partigruppe")
    heading(page, f"Partigruppen {SF}")
    calls = page.locator("#opfordringer")
    call = calls.get_by_role("row").filter(has_text=f"{RAR}, Plads 1")
    expect(call).to_contain_text("Suppleant")
    # The seats SF holds this period: the demo's, and the story's fictitious one, which nobody holds yet.
    held = page.locator("#pladser").get_by_role("row").filter(has_text=RAR)
    expect(held.filter(has=page.get_by_role("link", name=re.compile(r"^Plads 1\W")))).to_have_count(1)
    # Nobody holds it; the story's nominations for it are on their way, so it is no longer offered as vacant.
    expect(held.filter(has=page.get_by_role("link", name=re.compile(rf"^{TEST_SEAT}\W")))).to_contain_text(
        "Ingen endnu")
    step(page, "01-partigruppe")

    # The call's link opens the form for the seat and the role.
    # (The link's hidden words name the seat; the accessible name has a space before their comma.)
    call.get_by_role("link", name=re.compile(rf"^Indstil\W+{RAR}, Plads 1$")).click()
    heading(page, "Ny indstilling")
    expect(page.locator("#seat")).to_have_text(f"{RAR}, Plads 1")
    expect(page.locator("#role")).to_have_text("Suppleant")
    expect(page.get_by_label("Partigruppe", exact=True)).to_have_count(0)  # always the user's own party
    expect(page.get_by_label("En person, der er registreret")).to_be_checked()
    # Nobody named: refused on the form, in Danish.
    page.get_by_role("button", name="Send indstilling").click()
    expect(page.get_by_label("Registreret kandidat")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#person-error")).to_contain_text("Vælg personen på listen.")
    step(page, "02a-ingen-kandidat")
    page.get_by_label("En ny person").check()
    page.get_by_label("Ny kandidats navn").fill(NEW_SUPPLEANT)
    page.get_by_label("Ny kandidats kommune").select_option(label="Hvidovre")
    page.get_by_label("Ny kandidats køn").select_option(label="Kvinde")
    page.get_by_label("Kandidatens hverv").fill("Fiktiv person (testdata)")
    page.get_by_label("Kandidatens e-mail").fill("sofie.eksempel@example.org")
    page.get_by_label("Motivation").fill("Sofie Eksempel er en fiktiv kandidat til browsertesten.")
    step(page, "02-ny-indstilling")
    page.get_by_role("button", name="Send indstilling").click()

    flash(page, f"Indstillingen af {NEW_SUPPLEANT} er sendt til sekretariatet.").to_be_visible()
    expect(page).to_have_url(re.compile(r"/indstillinger/\d+$"))
    nomination_url = page.url
    expect(status(page)).to_have_text(re.compile("indsendt", re.I))
    expect(page.get_by_role("main")).to_contain_text(NEW_SUPPLEANT)
    expect(page.get_by_role("main")).to_contain_text(f"{RAR}, Plads 1")
    # No other nomination for the suppleant is pending: the nomination is not its own rival.
    expect(page.get_by_text("verserende indstilling")).to_have_count(0)
    step(page, "03-indstilling-indsendt")

    # Changed before the secretariat has put it on an agenda.
    page.get_by_role("link", name="Ret indstillingen").click()
    heading(page, "Ret indstillingen")
    expect(page.get_by_label("Registreret kandidat").locator("option:checked")).to_contain_text(NEW_SUPPLEANT)
    page.get_by_label("Motivation").fill("Sofie Eksempel er en fiktiv kandidat; motivationen er rettet.")
    step(page, "04-ret-indstilling")
    page.get_by_role("button", name="Gem ændringer").click()
    flash(page, "Indstillingen er gemt og sendt til sekretariatet.").to_be_visible()
    expect(page).to_have_url(nomination_url)
    expect(page.get_by_role("main")).to_contain_text("motivationen er rettet")
    expect(status(page)).to_have_text(re.compile("indsendt", re.I))

    # In the party group's lists.
    go(page, "Indstillinger")
    heading(page, "Indstillinger")
    mine = row_with(page, NEW_SUPPLEANT)
    expect(mine).to_contain_text(f"{RAR}, Plads 1")
    expect(mine).to_contain_text(re.compile("indsendt", re.I))
    expect(page.get_by_label("Status")).to_have_count(0)  # the secretariat's filter
    step(page, "05-partiets-indstillinger")
    go(page, "Partigruppe")
    expect(page.locator("#indstillinger").get_by_role("link", name=NEW_SUPPLEANT)).to_be_visible()

    # The secretariat's forms are not the party group's.
    assert page.goto(nomination_url + "/dagsorden").status == 403
    assert page.goto(nomination_url + "/retur").status == 403

    # Another party group cannot tell the nomination exists; nobody logged out gets past the login.
    with other_page(browser, live_url) as radikale:
        radikale.goto(nomination_url)
        expect(radikale).to_have_url(re.compile(r"/login\b"))
        expect(radikale.get_by_text(NEW_SUPPLEANT)).to_have_count(0)
        login(radikale, "radgruppe")
        response = radikale.goto(nomination_url)
        assert response.status == 404
        heading(radikale, "Siden findes ikke.")
        expect(radikale.get_by_text(NEW_SUPPLEANT)).to_have_count(0)
        step(radikale, "06-andet-parti-404")
        assert radikale.goto(nomination_url + "/ret").status == 404
        go(radikale, "Indstillinger")
        heading(radikale, "Indstillinger")
        expect(radikale.get_by_role("main")).not_to_contain_text(NEW_SUPPLEANT)
        expect(radikale.get_by_role("main")).not_to_contain_text(MEMBER)
        step(radikale, "07-andet-partis-indstillinger")
        go(radikale, "Partigruppe")
        heading(radikale, "Partigruppen Radikale Venstre")
        expect(radikale.get_by_role("main")).not_to_contain_text(NEW_SUPPLEANT)
        step(radikale, "08-andet-partis-side")

    # Until the secretariat has put it on an agenda, the party group may also withdraw it.
    page.goto(nomination_url)
    page.get_by_role("link", name="Træk indstillingen tilbage").click()
    heading(page, "Træk indstillingen tilbage")
    step(page, "09-traek-tilbage")
    page.get_by_role("button", name="Træk tilbage").click()
    flash(page, "Indstillingen er trukket tilbage.").to_be_visible()
    expect(page).to_have_url(nomination_url)
    expect(status(page)).to_have_text(re.compile("trukket tilbage", re.I))
    expect(page.get_by_role("link", name="Ret indstillingen")).to_have_count(0)
    step(page, "09a-trukket-tilbage")


# 2. The secretariat.

def test_secretariat_returns_one_nomination_and_brings_another_from_agenda_to_seat(page, browser, live_url, login,
                                                                                  story, step):
    login(page, "gitb")
    go(page, "Indstillinger")
    heading(page, "Indstillinger")
    expect(page.get_by_label("Status")).to_have_value("handling")  # what waits for the secretariat
    expect(row_with(page, RETURNED)).to_contain_text(f"{RAR}, {TEST_SEAT}")
    expect(row_with(page, f"{MEMBER} og {SUPPLEANT}")).to_contain_text("F")
    step(page, "10-sekretariatets-indstillinger")

    # One goes back to the party group with a comment.
    page.get_by_role("link", name=RETURNED, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/indstillinger/{story.returned}$"))
    step(page, "11-indstilling-hos-sekretariatet")
    page.get_by_role("link", name="Send retur til partigruppen").click()
    heading(page, "Send indstillingen retur til partigruppen")
    page.get_by_label("Kommentar til partigruppen").fill("Oplys venligst kandidatens hverv (testdata).")
    step(page, "12-send-retur")
    page.get_by_role("button", name="Send retur").click()
    flash(page, f"Indstillingen er sendt retur til {SF}.").to_be_visible()
    expect(status(page)).to_have_text(re.compile("sendt retur", re.I))

    with other_page(browser, live_url) as sf:
        login(sf, "sfgruppe")
        go(sf, "Partigruppe")
        returned = sf.locator("#indstillinger").get_by_role("row").filter(has_text=RETURNED)
        expect(returned).to_contain_text(re.compile("sendt retur", re.I))
        expect(returned).to_contain_text("Oplys venligst kandidatens hverv (testdata).")
        step(sf, "13-partiet-ser-kommentaren")
        returned.get_by_role("link", name=RETURNED).click()
        expect(sf).to_have_url(re.compile(rf"/indstillinger/{story.returned}$"))
        comment = sf.get_by_role("status").filter(has=sf.get_by_role("heading", name="Sekretariatets kommentar"))
        expect(comment).to_contain_text("Oplys venligst kandidatens hverv (testdata).")
        step(sf, "14-returneret-indstilling")
        # Changed, it goes to the secretariat again.
        sf.get_by_role("link", name="Ret indstillingen").click()
        heading(sf, "Ret indstillingen")
        expect(sf.get_by_role("status").filter(has_text="Sekretariatets kommentar")).to_contain_text(
            "Oplys venligst kandidatens hverv (testdata).")
        sf.get_by_label("Motivation").fill("Ida Eksempel er kommunalbestyrelsesmedlem (testdata).")
        step(sf, "14a-ret-returneret-indstilling")
        sf.get_by_role("button", name="Gem ændringer").click()
        flash(sf, "Indstillingen er gemt og sendt til sekretariatet.").to_be_visible()
        expect(status(sf)).to_have_text(re.compile("indsendt", re.I))

    # The other onto the agenda of a new meeting.
    go(page, "Indstillinger")
    page.get_by_role("link", name=f"{MEMBER} og {SUPPLEANT}").click()
    expect(page).to_have_url(re.compile(rf"/indstillinger/{story.placed}$"))
    page.get_by_role("link", name="Sæt på dagsordenen").click()
    heading(page, "Sæt indstillingen på dagsordenen")
    page.get_by_label("Møde", exact=True).select_option(label="Nyt møde")
    page.get_by_label("Mødedato").fill(MEETING_DAY.isoformat())
    page.get_by_label("Mødested").fill("Eksempelvej 1, 2600 Glostrup (testdata)")
    page.get_by_label("Sagsnummer").fill("SAG-2026-00001")
    page.get_by_label("Punktnummer").fill("4.1")
    page.get_by_label("Sagsbehandler").fill("gitb")
    step(page, "15-saet-paa-dagsordenen")
    page.get_by_role("button", name="Sæt på dagsordenen").click()
    flash(page, f"Indstillingen er sat på dagsordenen for mødet den {short(MEETING_DAY)} som punkt 4.1."
          ).to_be_visible()
    expect(page).to_have_url(re.compile(r"/moeder/punkter/\d+$"))

    # The item's page drafts the agenda text, to copy or to keep as the item's own.
    heading(page, f"Punkt 4.1: Indstilling af medlem til {RAR}")
    expect(page.get_by_role("main")).to_contain_text("Sagsnummer SAG-2026-00001")
    expect(page.get_by_label("Titel")).to_have_value(f"Indstilling af medlem og suppleant til {RAR}")
    background = page.get_by_label("Baggrund")
    for paragraph in (f"Der skal indstilles et nyt medlem og en ny suppleant til {RAR}.",
                      "Det er beskæftigelsesministeren, der efter indstilling fra KKR Hovedstaden varetager den "
                      "endelige udpegning.",
                      f"Socialistisk Folkeparti indstiller, at {MEMBER} (F), Albertslund Kommune, udpeges som nyt "
                      f"medlem, og at {SUPPLEANT} (F), Ballerup Kommune, udpeges som ny suppleant til {RAR}."):
        expect(background).to_have_value(re.compile(re.escape(paragraph)))
    recommendation = ("Det indstilles, at KKR Hovedstaden tager Socialistisk Folkepartis indstilling af nyt medlem "
                      f"og ny suppleant til {RAR} til efterretning.")
    expect(page.get_by_label("Indstilling", exact=True)).to_have_value(recommendation)
    expect(page.get_by_text("Punktet har ingen gemt tekst endnu.")).to_be_visible()
    step(page, "16-punkt-med-udkast")
    page.get_by_role("button", name="Gem som punktets tekst").click()
    flash(page, "Teksten er gemt på punkt 4.1.").to_be_visible()
    expect(page.get_by_role("main").locator("p", has_text=recommendation)).to_have_count(1)
    step(page, "17-punkt-med-gemt-tekst")

    # After the meeting: KKR took it to note, since the minister appoints to RAR Hovedstaden.
    page.get_by_role("link", name=f"Registrér KKR's beslutning om {MEMBER}").click()
    heading(page, "Registrér KKR's beslutning")
    expect(page.get_by_label("KKR's beslutning").locator("option")).to_have_text(
        ["Indstillet", "Taget til efterretning", "Ikke tiltrådt"])
    page.get_by_label("KKR's beslutning").select_option(label="Taget til efterretning")
    step(page, "18-kkrs-beslutning")
    page.get_by_role("button", name="Registrér beslutningen").click()
    flash(page, "KKR's beslutning er registreret: taget til efterretning. Indstillingen afventer nu udpegningen "
          "fra Beskæftigelsesministeren.").to_be_visible()
    expect(status(page)).to_have_text(re.compile("afventer udpegning", re.I))
    step(page, "19-afventer-udpegning")

    # Until the minister has appointed, the seat stays empty.
    page.goto(f"/organisationer/{story.rar}?as_of={APPOINTED_DAY.isoformat()}")
    roster = page.locator("table.roster")
    expect(roster.get_by_role("row").filter(has_text=TEST_SEAT)).not_to_contain_text(MEMBER)

    # The minister's appointment: seated from its day.
    page.goto(f"/indstillinger/{story.placed}")
    page.get_by_role("link", name="Registrér udpegningen").click()
    heading(page, "Registrér udpegningen")
    page.get_by_label("Udpeget fra").fill(APPOINTED_DAY.isoformat())
    step(page, "20-registrer-udpegningen")
    page.get_by_role("button", name="Registrér udpegningen").click()
    flash(page, f"Udpegningen er registreret: {MEMBER} som medlem, {SUPPLEANT} som suppleant fra "
          f"{short(APPOINTED_DAY)}.").to_be_visible()
    expect(status(page)).to_have_text(re.compile("udpeget", re.I))
    step(page, "21-udpeget")

    # The public sees the new holders from that day, and not the day before.
    page.get_by_role("button", name="Log ud").click()
    page.goto(f"/organisationer/{story.rar}?as_of={APPOINTED_DAY.isoformat()}")
    heading(page, f"{RAR} (RAR)")
    seat_row = page.locator("table.roster").get_by_role("row").filter(has_text=TEST_SEAT)
    expect(seat_row).to_contain_text(f"{MEMBER} (F)")
    expect(seat_row).to_contain_text(f"{SUPPLEANT} (F)")
    step(page, "22-offentlig-organisation")
    page.goto(f"/organisationer/{story.rar}?as_of={(APPOINTED_DAY - timedelta(days=1)).isoformat()}")
    day_before = page.locator("table.roster").get_by_role("row").filter(has_text=TEST_SEAT)
    expect(day_before).not_to_contain_text(f"{MEMBER} (F)")
    expect(day_before).to_contain_text(f"ny fra {short(APPOINTED_DAY)}: {MEMBER}")  # coming, not seated
    page.goto(f"/pladser/{story.test_seat}")
    heading(page, f"{RAR}, {TEST_SEAT}")
    timeline = page.locator("table.timeline")
    for name, role in ((MEMBER, "Medlem"), (SUPPLEANT, "Suppleant")):
        held = timeline.get_by_role("row").filter(has_text=name)
        expect(held).to_contain_text(role)
        expect(held).to_contain_text(short(APPOINTED_DAY))
    step(page, "23-offentlig-plads")


# 3. Item 4.1 completed, and the public history.

def test_minister_appoints_item_4_1_and_the_public_sees_decisions_but_no_undecided_nomination(page, login, story,
                                                                                              step):
    login(page, "gitb")
    go(page, "Indstillinger")
    page.get_by_label("Status").select_option(label="Afventer udpegning")
    page.get_by_role("button", name="Vis", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]status=pending\b"))
    expect(page.get_by_label("Status")).to_have_value("pending")
    pending = row_with(page, "Marie-Louise Peschardt Jørgensen")
    expect(pending).to_contain_text("19.04.2024, punkt 4.1")
    step(page, "30-afventende-indstillinger")
    pending.get_by_role("link", name="Marie-Louise Peschardt Jørgensen").click()
    expect(page).to_have_url(re.compile(rf"/indstillinger/{story.demo_4_1}$"))
    expect(status(page)).to_have_text(re.compile("afventer udpegning", re.I))
    step(page, "31-punkt-4-1-afventer")

    page.get_by_role("link", name="Registrér udpegningen").click()
    heading(page, "Registrér udpegningen")
    # Before the meeting is refused, on the form, and nothing is saved.
    page.get_by_label("Udpeget fra").fill("2024-04-01")
    page.get_by_role("button", name="Registrér udpegningen").click()
    expect(page.get_by_text("Udpegningen kan ikke gælde fra før mødet den 19.04.2024.")).to_be_visible()
    step(page, "32-udpegning-foer-moedet")
    page.get_by_label("Udpeget fra").fill(MINISTER_DAY.isoformat())
    page.get_by_role("button", name="Registrér udpegningen").click()
    flash(page, "Udpegningen er registreret: Marie-Louise Peschardt Jørgensen som medlem fra 01.06.2024."
          ).to_be_visible()
    expect(status(page)).to_have_text(re.compile("udpeget", re.I))

    # The seat: Peschardt member from 1 June 2024, Lotte Kofoed's and her own suppleant's term end the day before.
    page.get_by_role("button", name="Log ud").click()
    page.goto(f"/pladser/{story.rar_seat}")
    heading(page, f"{RAR}, Plads 1")
    rows = page.locator("table.timeline").get_by_role("row")
    kofoed = rows.filter(has_text="Lotte Kofoed")
    expect(kofoed).to_contain_text("Medlem")
    expect(kofoed).to_contain_text("31.05.2024")
    expect(kofoed).to_contain_text("udtrådt")  # the call's reason: she resigned
    peschardt = rows.filter(has_text="Marie-Louise Peschardt Jørgensen")
    expect(peschardt.filter(has_text="Medlem")).to_contain_text("01.06.2024")
    expect(peschardt.filter(has_text="Suppleant")).to_contain_text("31.05.2024")
    step(page, "33-plads-1-efter-udpegningen")
    page.goto(f"/organisationer/{story.rar}")
    plads_1 = page.locator("table.roster").get_by_role("row").filter(has_text="Plads 1")
    expect(plads_1).to_contain_text("Marie-Louise Peschardt Jørgensen (F)")
    expect(plads_1).not_to_contain_text("Lotte Kofoed")

    # The public history of decisions: item 4.1 of 19 April 2024.
    go(page, "Beslutninger")
    heading(page, "Beslutninger om indstillinger")
    decision = page.get_by_role("row").filter(has_text="Marie-Louise Peschardt Jørgensen")
    expect(decision).to_contain_text("19.04.2024")
    expect(decision).to_contain_text("4.1")
    expect(decision).to_contain_text(re.compile("taget til efterretning", re.I))
    expect(decision).to_contain_text(short(MINISTER_DAY))
    step(page, "34-beslutninger")

    # A meeting's page shows its decisions to all, and the nominations KKR has yet to decide to nobody logged out.
    go(page, "Møder")
    heading(page, "KKR-møder")
    expect(row_with(page, "19.04.2024")).to_contain_text("SAG-2024-01064")
    step(page, "35-moeder")
    page.get_by_role("rowheader").get_by_role("link", name="19.04.2024").click()
    expect(page).to_have_url(re.compile(rf"/moeder/{story.meeting_4_1}$"))
    heading(page, "KKR Hovedstaden, mødet den 19. april 2024")
    item = page.locator("section").filter(has=page.get_by_role("heading", name=re.compile(r"^4\.1 ")))
    expect(item).to_contain_text("Det indstilles, at KKR Hovedstaden tager Socialistisk Folkepartis indstilling af "
                                 "nyt medlem og ny suppleant til RAR Hovedstaden til efterretning.")
    expect(item).to_contain_text(re.compile("taget til efterretning", re.I))
    expect(page.get_by_role("main")).not_to_contain_text("kun for sekretariatet")
    step(page, "36-moede-19-april-2024")
    page.goto(f"/moeder/{story.later_meeting}")
    expect(page.get_by_role("main")).to_contain_text("2.1")
    expect(page.get_by_role("main")).not_to_contain_text(UNDECIDED)
    step(page, "37-moede-offentligt")
    login(page, "gitb")
    page.goto(f"/moeder/{story.later_meeting}")
    expect(page.get_by_role("link", name=f"{UNDECIDED} som medlem")).to_be_visible()
    step(page, "38-moede-sekretariatet")
