"""The pictures, in Chromium: a demo seat's holders over time and a demo body's parties against the
allocation, each with its text alternative and its table; checked with axe-core, on a phone's width without
the page scrolling sideways, and printed. Screenshots under test-output/screenshots/."""

import re

from playwright.sync_api import Locator, expect

# A day in the 2026-2029 period on which the demo's SSU is open (it closes at the end of 2026).
DAY = "2026-06-01"


def fits_the_width(section: Locator) -> None:
    """The picture, its legend and table take no more than the screen's width (the page's other tables are not
    this test's business)."""
    assert section.evaluate("section => [section, ...section.querySelectorAll(':scope > *')].every("
                            "element => element.getBoundingClientRect().right <= document.documentElement.clientWidth)")


def test_anyone_sees_a_seats_holders_over_time_on_screen_phone_and_paper(page, check_accessibility, screenshot):
    page.goto("/organisationer")
    page.get_by_role("link", name=re.compile(r"^RAR Hovedstaden")).first.click()
    page.locator("section.seat-history").get_by_role("link", name="Plads 1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("RAR Hovedstaden, Plads 1")
    expect(page.get_by_role("heading", name="Tidslinje")).to_be_visible()
    picture = page.get_by_role("img", name=re.compile(r"^Pladsens medlemmer og suppleanter fra 2022 til \d{4}"))
    expect(picture).to_be_visible()
    # The text alternative names every holder, as the history table beside it does; the bars name them too.
    expect(picture).to_have_accessible_description(re.compile(r"Medlem: .*Suppleant: .*Marie-Louise Peschardt"))
    expect(picture.locator("text").filter(has_text="Marie-Louise Peschardt Jørgensen")).to_be_visible()
    expect(page.get_by_role("heading", name="Historik")).to_be_visible()
    expect(page.locator("table.timeline")).to_contain_text("Marie-Louise Peschardt Jørgensen")
    check_accessibility(page)
    screenshot(page, "plads-tidslinje")

    page.set_viewport_size({"width": 390, "height": 844})
    fits_the_width(page.locator("section.chart-timeline"))  # the picture scrolls inside its frame, by keyboard too
    expect(page.locator(".chart-scroll")).to_have_attribute("tabindex", "0")
    check_accessibility(page)
    screenshot(page, "plads-tidslinje-390")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    expect(picture).to_be_visible()
    screenshot(page, "plads-tidslinje-print")


def test_anyone_sees_a_bodys_parties_against_the_allocation_on_screen_phone_and_paper(
        page, check_accessibility, screenshot):
    page.goto("/organisationer")
    page.get_by_role("link", name=re.compile(r"^Sundhedssamarbejdsudvalget")).first.click()
    page.goto(page.url + f"?as_of={DAY}")
    chart = page.locator("section.chart-composition")
    expect(chart.get_by_role("heading", name="Partiernes medlemmer og pladser")).to_be_visible()
    picture = chart.get_by_role(
        "img", name="KKR's medlemmer pr. parti pr. 01.06.2026 mod pladserne i valgperioden 2026-2029")
    # KKR's three seats no party group holds this period are counted too, so the seats add up to KKR's five.
    expect(picture).to_have_accessible_description(
        "A – Socialdemokratiet: medlemmer 1, pladser 1; V – Venstre: medlemmer 1, pladser 1; "
        "Ikke fordelt: medlemmer 0, pladser 3; i alt: medlemmer 2, pladser 5.")
    expect(picture.locator("text").filter(has_text="1 af 1")).to_have_count(2)
    table = chart.get_by_role("table")
    expect(table.get_by_role("row", name="A – Socialdemokratiet 1 1")).to_be_visible()
    expect(table.get_by_role("row", name="V – Venstre 1 1")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "organisation-partier")

    page.set_viewport_size({"width": 390, "height": 844})
    fits_the_width(chart)
    screenshot(page, "organisation-partier-390")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    expect(picture).to_be_visible()
    screenshot(page, "organisation-partier-print")
