"""The party group's view of its own work and the nomination form, in Chromium (issue 14, points 1, 4 and 9).

SF's page shows each seat's state; the form asks for the seat first, then shows only what the chosen kind of
candidate needs (DKFDS's radio toggle, and static/nominations.js, which disables the hidden fields), narrows the
list of people by a search on the server, and puts every error at its field with a summary above the form.
Without JavaScript the same form shows every field and still works. The secretariat's list of nominations opens
on what it has to act on. Nothing is saved (the demo data on the session's server stays as it is); every page
on the way is checked with axe-core and saved as test-output/screenshots/partigruppe-*.png.
"""

import re

from playwright.sync_api import Browser, Page, expect


def choose_a_seat(page: Page) -> None:
    """Step 1: the first of the seats offered, as member or suppleant, whichever it takes."""
    seats = page.get_by_label("Plads", exact=True)
    expect(seats.locator("option")).not_to_have_count(1)  # SF has a seat waiting for a nomination
    seats.select_option(index=1)
    page.get_by_role("button", name="Videre").click()
    if page.locator("#rolle-error").count():
        page.get_by_label("Rolle", exact=True).select_option("substitute")
        page.get_by_role("button", name="Videre").click()
    expect(page.get_by_role("button", name="Send indstilling")).to_be_visible()


def test_the_party_groups_page_and_the_nomination_form_with_javascript(page: Page, login, check_accessibility,
                                                                      screenshot):
    login(page, "sfgruppe")
    page.goto("/partigruppe")
    seats = page.locator("#pladser")
    expect(seats.get_by_role("columnheader", name="Status")).to_be_visible()
    expect(seats.get_by_role("row").filter(has_text="RAR Hovedstaden")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "partigruppe-pladser")

    page.get_by_role("link", name="Ny indstilling").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny indstilling")
    check_accessibility(page)
    screenshot(page, "partigruppe-indstilling-trin-1")
    choose_a_seat(page)

    # A registered person is the first choice: the new person's fields are hidden and not sent.
    registered, new = page.get_by_label("En person, der er registreret").first, page.get_by_label("En ny person").first
    expect(registered).to_be_checked()
    expect(page.get_by_label("Registreret kandidat")).to_be_visible()
    expect(page.get_by_label("Ny kandidats navn")).to_be_hidden()
    expect(page.get_by_label("Ny kandidats navn")).to_be_disabled()
    check_accessibility(page)
    screenshot(page, "partigruppe-indstilling-trin-2")

    # The search narrows the list on the server, and the page comes back at the list.
    page.get_by_role("searchbox", name="Søg efter kandidat").fill("kofoed")
    page.get_by_role("button", name="Søg efter kandidat").click()
    expect(page).to_have_url(re.compile(r"/indstillinger/ny#person$"))
    expect(page.get_by_label("Registreret kandidat").locator("option")).to_have_text(
        ["Vælg en person", re.compile(r"^Lotte Kofoed \(F")])
    expect(page.get_by_text("1 person matcher søgningen.")).to_be_visible()

    # A new person instead: its fields show, the list is hidden and not sent.
    new.check()
    expect(page.get_by_label("Ny kandidats navn")).to_be_visible()
    expect(page.get_by_label("Registreret kandidat")).to_be_hidden()
    expect(page.get_by_label("Registreret kandidat")).to_be_disabled()
    page.get_by_label("Motivation").fill("Testdata: sendes ikke.")
    page.get_by_role("button", name="Send indstilling").click()
    # Refused at the field, and listed above the form; nothing is saved, what was typed stays.
    expect(page.locator("#new_name-error")).to_contain_text("Skriv den nye persons navn.")
    expect(page.get_by_label("Ny kandidats navn")).to_have_attribute("aria-invalid", "true")
    summary = page.get_by_role("alert").filter(has_text="Indstillingen er ikke gemt")
    expect(summary.get_by_role("link", name=re.compile("Ny kandidats navn"))).to_be_visible()
    expect(page.get_by_label("Motivation")).to_have_value("Testdata: sendes ikke.")
    expect(page.get_by_label("En ny person").first).to_be_checked()
    check_accessibility(page)
    screenshot(page, "partigruppe-indstilling-fejl")


def test_the_nomination_form_works_without_javascript(browser: Browser, live_url, password):
    context = browser.new_context(base_url=live_url, java_script_enabled=False, locale="da-DK")
    context.set_default_timeout(5_000)
    page = context.new_page()
    try:
        page.goto("/login")
        page.get_by_label("Brugernavn").fill("sfgruppe")
        page.get_by_label("Adgangskode").fill(password)
        page.get_by_role("button", name="Log ind", exact=True).click()
        page.goto("/indstillinger/ny")
        choose_a_seat(page)
        # Every alternative's fields show and are sent; the choice decides, and what does not fit it is refused.
        expect(page.get_by_label("Registreret kandidat")).to_be_visible()
        expect(page.get_by_label("Ny kandidats navn")).to_be_visible()
        page.get_by_label("Ny kandidats navn").fill("Testdata Uden Script")
        page.get_by_role("button", name="Send indstilling").click()
        expect(page.locator("#new_name-error")).to_contain_text("Du har valgt en registreret person.")
        expect(page.get_by_label("Ny kandidats navn")).to_have_value("Testdata Uden Script")
    finally:
        context.close()


def test_the_secretariats_list_opens_on_what_needs_action(page: Page, login, check_accessibility, screenshot):
    login(page, "gitb")
    page.goto("/indstillinger")
    filters = page.get_by_role("navigation", name="Vis indstillinger")
    expect(filters.locator("[aria-current=page]")).to_have_text("Til handling")
    expect(page.get_by_label("Status")).to_have_value("handling")
    check_accessibility(page)
    screenshot(page, "partigruppe-sekretariatets-indstillinger")
    filters.get_by_role("link", name="Alle").click()
    expect(page).to_have_url(re.compile(r"/indstillinger\?status=alle$"))
    expect(filters.locator("[aria-current=page]")).to_have_text("Alle")
