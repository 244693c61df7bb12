"""Bodies as they are, in Chromium: the demo's SSU with the region's chair, KKR's vice-chair and the seats others
fill; the forum with its pooled suppleants; Movia's observer; the ex officio seat. Then the secretariat adds an
observer seat and gives a member an office. Every page is checked with axe-core and saved as a screenshot."""

import re

from playwright.sync_api import Page, expect

from tests.browser.test_organisations_journey import create_body, roster_row


def body_page(page: Page, name: str) -> None:
    page.goto("/organisationer")
    page.get_by_role("link", name=re.compile(rf"^{re.escape(name)}")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def test_anyone_reads_a_whole_body_with_offices_observers_pooled_suppleants_and_other_appointers(
        page, check_accessibility, screenshot):
    body_page(page, "Sundhedssamarbejdsudvalget")
    expect(roster_row(page, "Plads 1")).to_contain_text("Anne Eksempel (A) Næstformand")
    region = page.locator("table.roster tr").filter(has_text="Regionsrådet 1")
    expect(region).to_contain_text("udpeget af Regionsrådet, Region Hovedstaden")
    expect(region).to_contain_text("Helle Eksempel (A) Formand (valgt af organisationen)")
    # KKR's two members alone would reveal a gender; the whole body's six do not.
    expect(page.get_by_role("row", name=re.compile(r"^Hele organet 6 3 3"))).to_be_visible()
    check_accessibility(page)
    screenshot(page, "organisation-hele-organet")

    body_page(page, "Politisk Uddannelses- og Praktikpladsforum")
    pool = page.locator("table.roster").filter(has_text="Fælles suppleanter, der træder til i rækkefølge")
    expect(pool.locator("tr").filter(has_text="KKR-suppleant 1")).to_contain_text("Tage Eksempel (C)")
    expect(pool.locator("tr").filter(has_text="FH-suppleant 1")).to_contain_text("indstilles af FH")
    check_accessibility(page)
    screenshot(page, "organisation-faelles-suppleanter")

    body_page(page, "Movia")
    expect(page.locator("table.roster tr").filter(has_text="Medarbejderobservatør")).to_contain_text("Observatør")
    body_page(page, "Copenhagen Capacity")
    expect(page.locator("table.roster tr").filter(has_text="Overborgmesteren")).to_contain_text(
        "Født medlem: overborgmester i Københavns Kommune")
    check_accessibility(page)


def test_secretariat_adds_an_observer_seat_and_gives_a_member_an_office(page, login, check_accessibility,
                                                                        screenshot):
    login(page, "gitb")
    create_body(page, "Hverv- og observatørrådet (browsertest)", "HOR", "2020-01-01")
    page.get_by_role("link", name="Tilføj plads").click()
    page.get_by_label("Pladsens navn").fill("Tilforordnet")
    page.get_by_label("Pladstype").select_option(label="Observatør")
    page.get_by_label("Besættes af").select_option(label="Anden udpeger")
    page.get_by_label("Udpegende myndighed for pladsen").fill("Rådet selv")
    check_accessibility(page)
    screenshot(page, "plads-observatoer")
    page.get_by_role("button", name="Opret plads").click()
    expect(page.get_by_text("Pladsen Tilforordnet er oprettet.")).to_be_visible()
    expect(page.locator("table.roster tr").filter(has_text="Tilforordnet")).to_contain_text(
        "Observatør · udpeget af Rådet selv")

    # The demo's Erhvervshus chair: KKR appointed her, and she leaves the office to the body on 1 July 2026.
    body_page(page, "Erhvervshus Hovedstaden")
    page.get_by_role("link", name="Formand", exact=True).first.click()  # the roster's, above the seats
    page.get_by_role("link", name="Hverv for Lise Eksempel").click()
    expect(page.get_by_label("Hverv i organisationen")).to_have_value("chair")
    check_accessibility(page)
    screenshot(page, "hverv")
    page.get_by_label("Til og med").fill("2026-06-30")
    page.get_by_role("button", name="Gem hvervet").click()
    expect(page.get_by_text("Lise Eksempel er formand.")).to_be_visible()
    body_page(page, "Erhvervshus Hovedstaden")
    expect(roster_row(page, "Formand")).not_to_contain_text("Formand (udpeget af KKR)")
