"""KKR's meetings in Chromium (issue 14, point 5): the secretariat creates a meeting with date, time, place and
case number, corrects it, picks it from the list to put a nomination on its agenda (the "Nyt møde" fields show
only when asked for), reads the drafted agenda text in full-width fields, and records KKR's decision for the
meeting before it has been held: a warning, not a refusal, and the decision text follows the outcome chosen.

This module has a live server of its own (its `live_url` overrides the session's), with the demo data, the
logins of conftest.USERS and a fictitious seat on RAR Hovedstaden with SF's nomination of "Maja Eksempel" for
it, so that what it changes is seen by no other test. Every page on the way is checked with axe-core and saved
as test-output/screenshots/moede-*.png.
"""

import re
import threading
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from registry import create_app
from registry.appointments.models import Role
from registry.audit.services import Actor, acting_as
from registry.auth.models import User
from registry.dates import today
from registry.demo import load
from registry.extensions import db
from registry.nominations import services as nominations
from registry.organisations.models import ElectionPeriod, Organisation, Seat, SeatAllocation
from registry.people.models import Gender, Municipality, Party, Person
from tests.browser.conftest import create_users

CANDIDATE = "Maja Eksempel"
NOTE = "Testdata til browsertesten af møder."
# A meeting a month ahead: no demo meeting lies near it.
MEETING_DAY = today() + timedelta(days=30)
PLACE = "Eksempelvej 1, 2600 Glostrup (testdata)"


def short(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _one(model, **key):
    return db.session.scalars(sa.select(model).filter_by(**key)).one()


def _story() -> int:
    """SF's submitted nomination for a fictitious second seat on RAR Hovedstaden; its id."""
    rar = _one(Organisation, name="RAR Hovedstaden")
    sf, sf_user = _one(Party, letter="F"), _one(User, username="sfgruppe")
    seat = Seat(organisation_id=rar.id, label="Plads 2", position=2, has_substitute=False, note=NOTE)
    db.session.add(seat)
    db.session.flush()
    db.session.add(SeatAllocation(seat_id=seat.id, period_id=_one(ElectionPeriod, name="2026-2029").id,
                                  party_id=sf.id, note=NOTE))
    person = Person(name=CANDIDATE, party_id=sf.id, municipality_id=_one(Municipality, name="Ishøj").id,
                    gender=Gender.woman, office="Fiktiv person (testdata)")
    db.session.add(person)
    db.session.flush()
    return nominations.submit(seat, Role.member, sf, person, motivation="Testdata.", by=sf_user).id


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, int]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('meetings') / 'registry.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        upgrade()
        with acting_as(Actor("test")):
            load()
            create_users()
            nomination_id = _story()
            db.session.commit()
        db.session.remove()
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, name="live-server-meetings", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}", nomination_id
    http.shutdown()
    http.server_close()
    thread.join()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def live_url(server) -> str:
    return server[0]


@pytest.fixture
def step(check_accessibility, screenshot):
    def step(page: Page, name: str) -> None:
        check_accessibility(page)
        screenshot(page, f"moede-{name}")

    return step


def flash(page: Page, text: str):
    return expect(page.get_by_role("status").filter(has_text=text))


def heading(page: Page, text: str | re.Pattern) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def test_a_meeting_from_its_creation_to_a_decision_recorded_before_it_is_held(page, server, login, step):
    _, nomination_id = server
    login(page, "gitb")

    # A new meeting, with date, time, place and case number.
    page.goto("/moeder")
    page.get_by_role("link", name="Nyt møde").click()
    heading(page, "Nyt møde")
    page.get_by_label("Dato").fill(MEETING_DAY.isoformat())
    page.get_by_label("Begynder kl.").fill("10:00")
    page.get_by_label("Slutter kl.").fill("12:00")
    page.get_by_label("Mødested").fill("Eksempelvej 1 (testdata)")
    page.get_by_label("Sagsnummer").fill("SAG-2026-09999")
    step(page, "nyt")
    page.get_by_role("button", name="Opret mødet").click()
    flash(page, f"Mødet den {short(MEETING_DAY)} er oprettet.").to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(f"{short(MEETING_DAY)} kl. 10:00–12:00")
    step(page, "oprettet")

    # Corrected: the full address.
    page.get_by_role("link", name="Ret mødets dato, tid, sted og sagsnummer").click()
    heading(page, f"Ret mødet den {short(MEETING_DAY)}")
    expect(page.get_by_label("Begynder kl.")).to_have_value("10:00")
    page.get_by_label("Mødested").fill(PLACE)
    step(page, "ret")
    page.get_by_role("button", name="Gem mødet").click()
    flash(page, "Mødets oplysninger er gemt.").to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(PLACE)

    page.goto("/moeder")
    expect(page.get_by_role("row").filter(has_text=short(MEETING_DAY))).to_contain_text("SAG-2026-09999")
    step(page, "liste")

    # The nomination onto the meeting's agenda: picked from the list, already chosen as the next to come.
    page.goto(f"/indstillinger/{nomination_id}/dagsorden")
    heading(page, "Sæt indstillingen på dagsordenen")
    choice = page.get_by_label("Møde", exact=True)
    label = f"{short(MEETING_DAY)} kl. 10:00, {PLACE} (SAG-2026-09999)"
    expect(choice.locator("option:checked")).to_have_text(label)
    new_meeting = page.get_by_role("group", name="Nyt møde")
    expect(new_meeting).to_be_hidden()
    choice.select_option(label="Nyt møde")
    expect(new_meeting).to_be_visible()
    expect(page.get_by_label("Mødedato")).to_be_enabled()
    step(page, "saet-paa-nyt-moede")
    choice.select_option(label=label)
    expect(new_meeting).to_be_hidden()
    page.get_by_label("Punktnummer").fill("4.7")
    page.get_by_label("Sagsbehandler").fill("gitb")
    step(page, "saet-paa-dagsordenen")
    page.get_by_role("button", name="Sæt på dagsordenen").click()
    flash(page, f"Indstillingen er sat på dagsordenen for mødet den {short(MEETING_DAY)} som punkt 4.7.")\
        .to_be_visible()

    # The drafted agenda text: wide fields, each tall enough to show all of its text.
    heading(page, "Punkt 4.7: Indstilling af medlem til RAR Hovedstaden")
    main = page.get_by_role("main").locator("h2").first.bounding_box()
    for name in ("Titel", "Baggrund", "Indstilling"):
        field = page.get_by_label(name, exact=True)
        box = field.bounding_box()
        assert box["width"] > 1000, f"{name} is {box['width']} px wide"
        assert box["x"] == main["x"], name
        assert field.evaluate("area => area.scrollHeight <= area.clientHeight"), f"{name} is cut off"
        # No more than a row to spare: the rows fit the text at the width the field has.
        assert field.evaluate("area => { if (area.rows === 1) return true; area.rows -= 1;"
                              " const cut = area.scrollHeight > area.clientHeight; area.rows += 1; return cut; }"), \
            f"{name} has rows to spare"
    step(page, "punkt-udkast")

    # KKR's decision, recorded for a meeting still to come: a warning, and the text follows the outcome.
    page.get_by_role("link", name=f"Registrér KKR's beslutning om {CANDIDATE}").click()
    heading(page, "Registrér KKR's beslutning")
    expect(page.get_by_role("status").filter(has_text="Mødet har ikke fundet sted endnu")).to_contain_text(
        f"Mødet den {short(MEETING_DAY)} ligger ude i fremtiden.")
    text = page.get_by_label("Beslutningens tekst")
    expect(text).to_have_value(re.compile(r"^KKR Hovedstaden tog Socialistisk Folkepartis indstilling"))
    page.get_by_label("KKR's beslutning").select_option(label="Ikke tiltrådt")
    expect(text).to_have_value(re.compile(r"^KKR Hovedstaden tiltrådte ikke Socialistisk Folkepartis indstilling "
                                          rf"af {CANDIDATE} \(F\), Ishøj Kommune, som medlem af RAR Hovedstaden\.$"))
    page.get_by_label("KKR's beslutning").select_option(label="Indstillet")
    expect(text).to_have_value(re.compile(r"^KKR Hovedstaden indstillede "))
    # A text of one's own stays, whatever is chosen after it.
    text.fill("KKR Hovedstaden indstillede kandidaten (egen tekst, testdata).")
    page.get_by_label("KKR's beslutning").select_option(label="Ikke tiltrådt")
    expect(text).to_have_value("KKR Hovedstaden indstillede kandidaten (egen tekst, testdata).")
    text.fill("")
    page.get_by_label("KKR's beslutning").select_option(label="Taget til efterretning")
    page.get_by_label("KKR's beslutning").select_option(label="Ikke tiltrådt")
    expect(text).to_have_value(re.compile(r"tiltrådte ikke"))
    page.get_by_text("Udkastet til teksten for hver beslutning").click()
    step(page, "beslutning-foer-moedet")
    page.get_by_role("button", name="Registrér beslutningen").click()
    flash(page, "KKR's beslutning er registreret: ikke tiltrådt.").to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Bemærk:")).to_have_text(
        f"Bemærk: KKR's beslutning er registreret for mødet den {short(MEETING_DAY)}, som ikke har fundet sted endnu.")
    expect(page.get_by_role("main")).to_contain_text("tiltrådte ikke")
    expect(page.get_by_role("main")).not_to_contain_text("udpegede")
    step(page, "beslutning-registreret")


def test_the_new_meeting_fields_are_there_without_javascript(browser, live_url, server, password, screenshot):
    """Without JavaScript the "Nyt møde" fieldset is always shown, and what is typed there counts only with
    "Nyt møde" chosen."""
    context = browser.new_context(base_url=live_url, viewport={"width": 1280, "height": 900}, locale="da-DK",
                                  java_script_enabled=False)
    context.set_default_timeout(5_000)
    page = context.new_page()
    try:
        page.goto("/login")
        page.get_by_label("Brugernavn").fill("gitb")
        page.get_by_label("Adgangskode").fill(password)
        page.get_by_role("button", name="Log ind", exact=True).click()
        page.goto("/moeder/runde")
        expect(page.get_by_role("group", name="Nyt møde")).to_be_visible()
        page.get_by_label("Møde", exact=True).select_option(label="Vælg et møde")
        page.get_by_role("button", name="Sæt alle på dagsordenen").click()
        expect(page.get_by_text("Vælg et møde på listen, eller vælg Nyt møde.")).to_be_visible()
        screenshot(page, "moede-runde-uden-javascript")
    finally:
        context.close()
