"""The secretariat's main journeys end to end, as one story told only through the pages.

Log in, create a body with two seats, create three people, appoint a member and a
personal suppleant, replace the member, close the body with its running appointments
ended, and then, logged out, see the public roster and the as-of view change accordingly.

Every page on the way is checked with axe-core, and every step is saved as a
screenshot test-output/screenshots/rejse-*.png. The body and the people are
fictitious and named for this test alone, since the live server's database is
shared by all the browser tests. The dates lie before 27 November 2026, so the
story reads the same on any later day.
"""

import re

from playwright.sync_api import Locator, Page, expect

from tests.browser.menu import follow

BODY = "Journeyrådet (testdata)"
MEMBER = ("Jytte Rejsemedlem", "F – SF – Socialistisk Folkeparti", "Albertslund")
SUPPLEANT = ("Rune Rejsesuppleant", "F – SF – Socialistisk Folkeparti", "Ishøj")
SUCCESSOR = ("Frida Rejseafløser", "A – Socialdemokratiet", "Ishøj")

START, CHANGE, LAST_DAY = "2025-01-01", "2026-03-01", "2026-10-31"
BEFORE_CHANGE, AFTER_CHANGE, AFTER_CLOSING = "2026-02-01", "2026-05-01", "2026-11-01"


def option(person: tuple[str, str, str]) -> str:
    """The person as the appointment forms' <select> shows them: name (party letter, municipality)."""
    name, party, municipality = person
    return f"{name} ({party[0]}, {municipality})"


def seat_row(scope: Locator | Page, page: Page, label: str) -> Locator:
    """A roster's row for one seat, found by its row header."""
    return scope.get_by_role("row").filter(has=page.get_by_role("rowheader", name=label, exact=True))


def body_on_home_page(page: Page) -> Locator:
    return page.locator("section").filter(has=page.get_by_role("heading", name=BODY, exact=True))


def test_secretariat_creates_staffs_replaces_and_closes_a_body_and_the_public_sees_it(page, login,
                                                                                       check_accessibility,
                                                                                       screenshot):
    def step(name: str) -> None:
        check_accessibility(page)
        screenshot(page, f"rejse-{name}")

    main_menu = page.get_by_role("navigation", name="Hovedmenu")

    # 1. Log in as the secretariat.
    login(page, "gitb")
    expect(page.get_by_role("banner").get_by_text("Gitte Testsekretær")).to_be_visible()
    step("01-logget-ind")

    # 2. A new body, from the list of all bodies.
    follow(page, "Alle organisationer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alle organisationer")
    step("02-organisationer")
    page.get_by_role("link", name="Opret organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Opret organisation")
    page.get_by_label("Navn", exact=True).fill(BODY)
    page.get_by_label("Type").select_option(label="Råd")
    page.get_by_label("Udpegende myndighed").fill("KKR Hovedstaden")
    page.get_by_label("Startdato").fill("2024-01-01")
    step("03-opret-organisation")
    page.get_by_role("button", name="Opret organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BODY)
    expect(page.get_by_text(f"{BODY} er oprettet. Tilføj nu organisationens pladser.")).to_be_visible()
    expect(page.get_by_text("Ingen pladser registreret.")).to_be_visible()
    step("04-organisation-oprettet")

    # 3. Two seats, the first with a personal suppleant.
    page.get_by_role("link", name="Tilføj plads").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ny plads i {BODY}")
    page.get_by_label("Pladsens navn").fill("Plads 1")
    page.get_by_label("Personlig suppleant").select_option(label="Ja")
    step("05-tilfoej-plads")
    page.get_by_role("button", name="Opret plads").click()
    expect(page.get_by_text("Pladsen Plads 1 er oprettet.")).to_be_visible()
    page.get_by_role("link", name="Tilføj plads").click()
    page.get_by_label("Pladsens navn").fill("Plads 2")
    expect(page.get_by_label("Personlig suppleant")).to_have_value("nej")
    page.get_by_role("button", name="Opret plads").click()
    expect(page.get_by_text("Pladsen Plads 2 er oprettet.")).to_be_visible()
    expect(seat_row(page, page, "Plads 1")).to_contain_text("Ledig")
    expect(seat_row(page, page, "Plads 2")).to_contain_text("Ingen suppleant på denne plads")
    step("06-to-pladser")

    # 4a. The three people, through "Opret person": the appointment form picks existing people.
    for number, (name, party, municipality) in enumerate((MEMBER, SUPPLEANT, SUCCESSOR), start=7):
        follow(page, "Opret person")
        expect(page.get_by_role("heading", level=1)).to_have_text("Opret person")
        page.get_by_label("Navn").fill(name)
        page.get_by_label("Kommune").select_option(label=municipality)
        page.get_by_label("Parti", exact=True).select_option(label=party)
        if number == 7:
            step("07-opret-person")
        page.get_by_role("button", name="Gem").click()
        expect(page.get_by_text(f"{name} er oprettet.")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        if number == 7:
            step("08-person-oprettet")

    # 4b. The member, from the main menu's "Ny udpegning", then the suppleant from the seat's page.
    follow(page, "Ny udpegning")
    expect(page.get_by_role("heading", level=1)).to_have_text("Udpeg til en plads")
    page.get_by_label("Plads", exact=True).select_option(label=f"Plads 1, {BODY}")
    page.get_by_label("Person", exact=True).select_option(label=option(MEMBER))
    page.get_by_label("Rolle").select_option(label="Medlem")
    page.get_by_label("Startdato").fill(START)
    step("09-udpeg-medlem")
    page.get_by_role("button", name="Udpeg", exact=True).click()
    expect(page.get_by_text(f"{MEMBER[0]} er udpeget som medlem fra 01.01.2025.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{BODY}, Plads 1")
    step("10-plads-med-medlem")

    page.get_by_role("link", name="Udpeg personlig suppleant").click()
    expect(page.get_by_label("Rolle")).to_have_value("substitute")
    page.get_by_label("Person", exact=True).select_option(label=option(SUPPLEANT))
    page.get_by_label("Startdato").fill(START)
    page.get_by_role("button", name="Udpeg", exact=True).click()
    expect(page.get_by_text(f"{SUPPLEANT[0]} er udpeget som suppleant fra 01.01.2025.")).to_be_visible()
    timeline = page.locator("table.timeline")
    expect(timeline.get_by_role("row").filter(has_text=MEMBER[0])).to_contain_text("Medlem")
    expect(timeline.get_by_role("row").filter(has_text=SUPPLEANT[0])).to_contain_text("Suppleant")
    step("11-plads-med-medlem-og-suppleant")

    # 5. The member is replaced; the first member's last day becomes the day before.
    page.get_by_role("link", name=re.compile(rf"^Erstat\W+{MEMBER[0]} som medlem$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Erstat {MEMBER[0]} som medlem")
    page.get_by_label("Efterfølger", exact=True).select_option(label=option(SUCCESSOR))
    page.get_by_label("Efterfølgerens startdato").fill(CHANGE)
    step("12-erstat-medlem")
    page.get_by_role("button", name="Erstat", exact=True).click()
    expect(page.get_by_text(f"{SUCCESSOR[0]} afløser {MEMBER[0]} som medlem fra 01.03.2026.")).to_be_visible()
    replaced = timeline.get_by_role("row").filter(has_text=MEMBER[0])
    expect(replaced).to_contain_text("28.02.2026")
    expect(replaced).to_contain_text("erstattet")
    step("13-plads-efter-erstatning")

    # 6. The body is closed. Refused while appointments run past the last day, unless they are ended too.
    follow(page, "Alle organisationer")
    page.get_by_role("link", name=BODY, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BODY)
    page.get_by_role("link", name="Nedlæg organisationen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Nedlæg {BODY}")
    page.get_by_label("Sidste dag").fill(LAST_DAY)
    expect(page.get_by_label("Afslut løbende udpegninger")).to_have_value("nej")
    step("14-nedlaeg")
    page.get_by_role("button", name="Nedlæg organisationen").click()
    refusal = page.locator("#end_appointments-error")  # on the choice that would end them
    expect(refusal).to_contain_text("Udpegninger løber ud over slutdatoen")
    expect(refusal).to_contain_text(SUCCESSOR[0])
    expect(refusal).to_contain_text(SUPPLEANT[0])
    step("15-nedlaeg-afvist")

    page.get_by_label("Sidste dag").fill(LAST_DAY)
    page.get_by_label("Afslut løbende udpegninger").select_option(label="Ja")
    page.get_by_role("button", name="Nedlæg organisationen").click()
    expect(page.get_by_text(f"{BODY} er nedlagt pr. 31.10.2026. 2 udpegninger er afsluttet samme dag.")
           ).to_be_visible()
    expect(page.locator("p.font-lead")).to_have_text("Nedlagt pr. 31.10.2026.")
    expect(page.get_by_text("Organisationen fandtes ikke den dag.")).to_be_visible()
    history = page.get_by_role("table", name=f"Udpegninger i {BODY}")
    for name in (SUCCESSOR[0], SUPPLEANT[0]):
        ended = history.get_by_role("row").filter(has_text=name)
        expect(ended).to_contain_text("31.10.2026")
        expect(ended).to_contain_text("organisation nedlagt")
    step("16-organisation-nedlagt")

    # 7. Logged out, the public sees the body gone today, and as it was on earlier days.
    page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_text("Du er logget ud.")).to_be_visible()
    expect(page.get_by_role("link", name="Log ind")).to_be_visible()
    main_menu.get_by_role("link", name="Udpegninger i dag").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Udpegninger i dag")
    expect(page.get_by_role("heading", name="RAR Hovedstaden (RAR)")).to_be_visible()  # the roster is there
    expect(page.get_by_role("heading", name=BODY)).to_have_count(0)
    expect(page.get_by_text(SUCCESSOR[0])).to_have_count(0)
    step("17-forside-i-dag")

    # Before the change, through the home page's own as-of form: the first member and the suppleant.
    page.get_by_label("Vis udpegninger pr. dato").fill(BEFORE_CHANGE)
    page.get_by_role("button", name="Vis", exact=True).click()
    expect(page).to_have_url(re.compile(rf"[?&]as_of={BEFORE_CHANGE}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Udpegninger pr. 1. februar 2026")
    body = body_on_home_page(page)
    expect(seat_row(body, page, "Plads 1")).to_contain_text(f"{MEMBER[0]} (F)")
    expect(seat_row(body, page, "Plads 1")).to_contain_text(f"{SUPPLEANT[0]} (F)")
    expect(seat_row(body, page, "Plads 2")).to_contain_text("Ledig")
    expect(body).not_to_contain_text(SUCCESSOR[0])
    expect(body).to_contain_text("nedlægges pr. 31.10.2026")
    step("18-forside-foer-erstatning")

    # After the change: the replacement and the same suppleant.
    page.goto(f"/?as_of={AFTER_CHANGE}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Udpegninger pr. 1. maj 2026")
    body = body_on_home_page(page)
    expect(seat_row(body, page, "Plads 1")).to_contain_text(f"{SUCCESSOR[0]} (A)")
    expect(seat_row(body, page, "Plads 1")).to_contain_text(f"{SUPPLEANT[0]} (F)")
    expect(body).not_to_contain_text(MEMBER[0])
    step("19-forside-efter-erstatning")

    # The body's heading leads to its own page on the same day, which shows the same.
    body.get_by_role("link", name=BODY).click()
    expect(page).to_have_url(re.compile(rf"/organisationer/\d+\?as_of={AFTER_CHANGE}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(BODY)
    expect(page.get_by_role("link", name="Nedlæg organisationen")).to_have_count(0)
    expect(page.get_by_role("heading", name="Sammensætning pr. 1. maj 2026")).to_be_visible()
    roster = page.locator("table.roster")
    expect(seat_row(roster, page, "Plads 1")).to_contain_text(f"{SUCCESSOR[0]} (A)")
    expect(seat_row(roster, page, "Plads 1")).to_contain_text(f"{SUPPLEANT[0]} (F)")
    expect(roster).not_to_contain_text(MEMBER[0])
    step("20-organisation-efter-erstatning")

    # And before the change, through the body page's as-of form.
    page.get_by_label("Vis sammensætningen pr. dato").fill(BEFORE_CHANGE)
    page.get_by_role("button", name="Vis", exact=True).click()
    expect(page).to_have_url(re.compile(rf"[?&]as_of={BEFORE_CHANGE}"))
    expect(page.get_by_role("heading", name="Sammensætning pr. 1. februar 2026")).to_be_visible()
    roster = page.locator("table.roster")
    expect(seat_row(roster, page, "Plads 1")).to_contain_text(f"{MEMBER[0]} (F)")
    expect(seat_row(roster, page, "Plads 1")).to_contain_text(f"{SUPPLEANT[0]} (F)")
    expect(seat_row(roster, page, "Plads 2")).to_contain_text("Ledig")
    expect(roster).not_to_contain_text(SUCCESSOR[0])
    step("21-organisation-foer-erstatning")

    # The day after the last day, the body is gone from the roster and its page says so.
    page.get_by_label("Vis sammensætningen pr. dato").fill(AFTER_CLOSING)
    page.get_by_role("button", name="Vis", exact=True).click()
    expect(page.get_by_text("Organisationen fandtes ikke den dag.")).to_be_visible()
    expect(page.locator("table.roster")).to_have_count(0)
    page.goto(f"/?as_of={AFTER_CLOSING}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Udpegninger pr. 1. november 2026")
    expect(page.get_by_role("heading", name=BODY)).to_have_count(0)
