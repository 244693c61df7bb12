"""The secretariat creates a body with its seats, closes it with a successor, and anyone sees the history.

Every page on the way is checked with axe-core and saved as a screenshot.
The bodies are new and fictitious, so no other browser test meets them.
"""

import re

from playwright.sync_api import Page, expect

OLD = "Eksempelrådet (browsertest)"
NEW = "Efterfølgerrådet (browsertest)"


def create_body(page: Page, name: str, short_name: str, start: str, check_accessibility=None, screenshot=None) -> None:
    page.goto("/organisationer")
    page.get_by_role("link", name="Opret organisation").click()
    if check_accessibility:
        check_accessibility(page)
        screenshot(page, "organisation-opret")
    page.get_by_label("Navn", exact=True).fill(name)
    page.get_by_label("Kort navn").fill(short_name)
    page.get_by_label("Type").select_option(label="Råd")
    page.get_by_label("Udpegende myndighed").fill("Beskæftigelsesministeren")
    page.get_by_label("KKR indstiller, en anden beskikker").select_option(label="Ja")
    page.get_by_label("Startdato").fill(start)
    page.get_by_role("button", name="Opret organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{name} ({short_name})")
    expect(page.get_by_text(f"{name} er oprettet.")).to_be_visible()


def add_seat(page: Page, label: str, suppleant: str) -> None:
    page.get_by_role("link", name="Tilføj plads").click()
    page.get_by_label("Pladsens navn").fill(label)
    page.get_by_label("Personlig suppleant").select_option(label=suppleant)
    page.get_by_role("button", name="Opret plads").click()
    expect(page.get_by_text(f"Pladsen {label} er oprettet.")).to_be_visible()


def roster_row(page: Page, label: str):
    return page.locator("table.roster tr").filter(has=page.get_by_role("rowheader", name=label, exact=True))


def test_secretariat_creates_a_body_with_seats_and_closes_it_with_a_successor(page, login, check_accessibility,
                                                                               screenshot):
    create_and_close(page, login, check_accessibility, screenshot)


def create_and_close(page: Page, login, check_accessibility=lambda page: None,
                     screenshot=lambda page, name: None) -> None:
    login(page, "gitb")
    page.goto("/organisationer")
    check_accessibility(page)
    screenshot(page, "organisationer")

    create_body(page, OLD, "ER", "2020-01-01", check_accessibility, screenshot)
    add_seat(page, "Plads 1", "Ja")
    add_seat(page, "Plads 2", "Nej")
    expect(roster_row(page, "Plads 1")).to_contain_text("Ledig")
    expect(roster_row(page, "Plads 2")).to_contain_text("Ingen suppleant på denne plads")
    check_accessibility(page)
    screenshot(page, "organisation-oprettet")

    page.get_by_role("link", name="Ret pladsen Plads 1").click()
    expect(page.get_by_label("Personlig suppleant")).to_have_value("ja")
    check_accessibility(page)
    screenshot(page, "plads-ret")
    page.go_back()

    # SF holds Plads 1 in the election period 2022-2025.
    page.get_by_role("link", name="Partigrupper for Plads 1").click()
    page.get_by_label("Valgperiode").select_option(label="2022-2025")
    page.get_by_label("Partigruppe").select_option(label="F – SF – Socialistisk Folkeparti")
    page.get_by_role("button", name="Gem fordelingen").click()
    expect(page.get_by_text("Fordelingen for 2022-2025 er gemt.")).to_be_visible()
    expect(page.get_by_role("row", name="2022-2025")).to_contain_text("SF – Socialistisk Folkeparti")
    check_accessibility(page)
    screenshot(page, "plads-partigrupper")
    page.get_by_role("link", name=f"Tilbage til {OLD}").click()
    expect(page.get_by_text("2022-2025: F – SF – Socialistisk Folkeparti")).to_be_visible()

    # The secretariat's front page lists the new seats as empty.
    page.goto("/sekretariat")
    vacant = page.locator("#ledige tr").filter(has_text=OLD)
    expect(vacant.filter(has_text="Plads 1")).to_contain_text("medlem og suppleant")
    expect(vacant.filter(has_text="Plads 2")).to_contain_text("medlem")
    check_accessibility(page)
    screenshot(page, "sekretariatet")

    create_body(page, NEW, "EF", "2025-01-01")

    page.goto("/organisationer")
    page.get_by_role("link", name=OLD, exact=True).click()
    page.get_by_role("link", name="Nedlæg organisationen").click()
    # A last day before the body began is refused on the form, and nothing changes.
    page.get_by_label("Sidste dag").fill("2019-12-31")
    page.get_by_label("Efterfølger").select_option(label=NEW)
    page.get_by_role("button", name="Nedlæg organisationen").click()
    # The refusal concerns the last day, so it is shown on that field.
    expect(page.get_by_label("Sidste dag")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#end_date-error")).to_contain_text(
        "Slutdatoen ligger før organisationens startdato 01.01.2020.")
    check_accessibility(page)
    screenshot(page, "organisation-nedlaeg-afvist")

    page.get_by_label("Sidste dag").fill("2024-12-31")
    page.get_by_role("button", name="Nedlæg organisationen").click()
    expect(page.get_by_text(f"{OLD} er nedlagt pr. 31.12.2024.")).to_be_visible()
    expect(page.locator("p.font-lead")).to_have_text(f"Nedlagt pr. 31.12.2024. Efterfølger: {NEW}.")
    expect(page.get_by_text("Organisationen fandtes ikke den dag.")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "organisation-nedlagt")

    # The successor links back to the body it replaced.
    page.get_by_role("link", name=NEW).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{NEW} (EF)")
    expect(page.get_by_role("link", name=OLD)).to_be_visible()
    check_accessibility(page)
    screenshot(page, "organisation-efterfoelger")


def test_anyone_sees_a_closed_body_as_it_was_on_an_earlier_day(page, login, check_accessibility, screenshot):
    # The previous test's bodies, made here when this test runs on its own.
    page.goto("/organisationer")
    if page.get_by_role("link", name=OLD, exact=True).count() == 0:
        create_and_close(page, login)
        page.get_by_role("button", name="Log ud").click()
        page.goto("/organisationer")

    page.get_by_role("link", name=OLD, exact=True).click()
    expect(page.get_by_role("link", name="Ret oplysningerne")).to_have_count(0)
    page.get_by_label("Vis sammensætningen pr. dato").fill("2024-04-19")
    page.get_by_role("button", name="Vis", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]as_of=2024-04-19"))
    expect(page.get_by_role("heading", name="Sammensætning pr. 19. april 2024")).to_be_visible()
    expect(roster_row(page, "Plads 1")).to_contain_text("Ledig")
    expect(page.get_by_role("link", name="Hent udpegningerne pr. 19.04.2024 som CSV-fil")).to_have_attribute(
        "href", re.compile(r"^/export/appointments\.csv\?as_of=2024-04-19&organisation_id=\d+$"))
    check_accessibility(page)
    screenshot(page, "organisation-pr-2024-04-19")

    # On the home page of that day the body's heading leads to the same view.
    page.goto("/?as_of=2024-04-19")
    page.get_by_role("link", name=f"{OLD} (ER)").click()
    expect(page).to_have_url(re.compile(r"as_of=2024-04-19"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{OLD} (ER)")


def test_anyone_follows_a_body_from_the_home_page_to_its_members_and_history(page, check_accessibility, screenshot):
    page.goto("/")
    page.get_by_role("link", name="RAR Hovedstaden (RAR)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("RAR Hovedstaden (RAR)")
    row = roster_row(page, "Plads 1")
    expect(row).to_contain_text("Lotte Kofoed (F)")
    expect(row).to_contain_text("Marie-Louise Peschardt Jørgensen (F)")
    expect(page.get_by_role("heading", name="Pladsernes historik")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "organisation-rar-hovedstaden")
