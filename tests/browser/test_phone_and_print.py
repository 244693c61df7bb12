"""A phone's narrow screen, the menus with the keyboard and without JavaScript, and print (issue 14, points 7
and 11).

At 390 px (a phone held upright) no page may be wider than the screen: a table scrolls sideways in its own
frame (DKFDS's table--responsive-scroll), and the menu is DKFDS's drawer behind the header's "Menu" button.
On paper (print media) the menus, forms and function links go, and the footer says where the page came from.
Each page is checked with axe-core and saved under test-output/screenshots/.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD
from tests.browser.menu import follow

PHONE = {"width": 390, "height": 844}
# An A4 sheet at 96 dpi, less the print stylesheet's margins (1.5 cm at each side, 1.5 cm and 1.8 cm at the top
# and bottom): what one printed page holds.
A4 = {"width": 794, "height": 1123}
A4_PRINTABLE_HEIGHT = 1123 - round((1.5 + 1.8) / 2.54 * 96)

PUBLIC_PAGES = ["/", "/organisationer", "/pladser", "/personer", "/partier/F", "/kommuner/147", "/login", "/balance",
                "/moeder", "/beslutninger"]


def context(browser, live_url, viewport: dict, javascript: bool = True):
    # bypass_csp: axe-core goes in as an inline script, which the Content-Security-Policy would refuse.
    return browser.new_context(base_url=live_url, viewport=viewport, locale="da-DK", bypass_csp=True,
                               java_script_enabled=javascript)


@pytest.fixture
def phone(browser, live_url):
    phone = context(browser, live_url, PHONE)
    phone.set_default_timeout(5_000)
    yield phone.new_page()
    phone.close()


@pytest.fixture
def phone_without_javascript(browser, live_url):
    phone = context(browser, live_url, PHONE, javascript=False)
    phone.set_default_timeout(5_000)
    yield phone.new_page()
    phone.close()


@pytest.fixture
def desktop_without_javascript(browser, live_url):
    desktop = context(browser, live_url, {"width": 1280, "height": 900}, javascript=False)
    desktop.set_default_timeout(5_000)
    yield desktop.new_page()
    desktop.close()


def log_in(page: Page, username: str, name: str) -> None:
    """The login form; the user's name stays in the header at every width (the function links move into the
    phone's menu drawer)."""
    page.goto("/login")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind", exact=True).click()
    # In the header: the dashboard's recent changes name the user too.
    expect(page.get_by_role("banner").get_by_text(name)).to_be_visible()


def page_width(page: Page) -> int:
    page.wait_for_load_state()
    return page.evaluate("document.documentElement.scrollWidth")


def open_organisation(page: Page, name: str) -> None:
    page.goto("/")
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


# --- The phone ----------------------------------------------------------------------------------------

def test_no_public_page_is_wider_than_a_phone(phone, check_accessibility, screenshot):
    for path in PUBLIC_PAGES:
        phone.goto(path)
        assert page_width(phone) <= PHONE["width"], path
    phone.goto("/")
    check_accessibility(phone)
    screenshot(phone, "telefon-forside")

    open_organisation(phone, "RAR Hovedstaden (RAR)")
    assert page_width(phone) <= PHONE["width"]
    check_accessibility(phone)
    screenshot(phone, "telefon-organisation")

    # A name in the roster leads to the person; on the person's page each body leads back.
    phone.get_by_role("link", name="Lotte Kofoed (F)", exact=True).first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Lotte Kofoed")
    assert page_width(phone) <= PHONE["width"]
    check_accessibility(phone)
    screenshot(phone, "telefon-person")
    phone.get_by_role("link", name="RAR Hovedstaden", exact=True).first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("RAR Hovedstaden (RAR)")


def test_a_wide_table_scrolls_in_its_frame_and_the_keyboard_reaches_it(phone):
    phone.goto("/beslutninger")
    frame = phone.locator(".table--responsive-scroll").first
    assert frame.evaluate("frame => frame.scrollWidth > frame.clientWidth")  # the table is wider than the phone
    assert page_width(phone) <= PHONE["width"]  # … the page is not
    frame.focus()
    phone.keyboard.press("ArrowRight")
    expect(frame).to_be_focused()
    phone.wait_for_function("frame => frame.scrollLeft > 0", arg=frame.element_handle())


def test_the_party_group_uses_its_page_and_the_menu_drawer_on_a_phone(phone, check_accessibility, screenshot):
    log_in(phone, "sfgruppe", "Signe Testpartigruppe")
    phone.goto("/partigruppe")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Partigruppen")
    assert page_width(phone) <= PHONE["width"]
    check_accessibility(phone)
    screenshot(phone, "telefon-partigruppe")

    phone.get_by_role("button", name="Menu", exact=True).click()
    drawer = phone.get_by_role("dialog", name="Menu")
    expect(drawer).to_be_visible()
    drawer.get_by_role("link", name="Indstillinger", exact=True).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Indstillinger")
    assert page_width(phone) <= PHONE["width"]


def test_the_secretariat_opens_a_sub_menu_in_the_menu_drawer_on_a_phone(phone, check_accessibility, screenshot):
    log_in(phone, "gitb", "Gitte Testsekretær")
    phone.get_by_role("button", name="Menu", exact=True).click()
    drawer = phone.get_by_role("dialog", name="Menu")
    expect(drawer.get_by_role("button", name="Luk menuen")).to_be_focused()
    drawer.get_by_role("button", name="Sekretariatet").click()
    expect(drawer.get_by_role("button", name="Sekretariatet")).to_have_attribute("aria-expanded", "true")
    expect(drawer.get_by_role("link", name="Opret person")).to_be_visible()
    expect(drawer.get_by_role("link", name="Importér CSV")).to_be_visible()
    expect(drawer.get_by_role("button", name="Log ud")).to_be_visible()
    check_accessibility(phone)
    screenshot(phone, "telefon-menu-sekretariatet")

    # Escape closes the drawer and gives the focus back to the button that opened it.
    phone.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect(phone.get_by_role("button", name="Menu", exact=True)).to_be_focused()

    # Opened again, the drawer shows the sub-menu as it was left.
    phone.get_by_role("button", name="Menu", exact=True).click()
    drawer.get_by_role("link", name="Opret person").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Opret person")


def test_without_javascript_a_phone_shows_the_whole_menu_as_a_list(phone_without_javascript, screenshot):
    phone = phone_without_javascript
    phone.goto("/")
    expect(phone.get_by_role("button", name="Menu", exact=True)).to_be_hidden()
    menu = phone.get_by_role("navigation", name="Hovedmenu")
    for link in ("Udpegninger i dag", "Alle organisationer", "Balance", "Personer", "Møder", "Valgperiode"):
        expect(menu.get_by_role("link", name=link, exact=True)).to_be_visible()
    expect(phone.get_by_role("link", name="Log ind")).to_be_visible()
    assert page_width(phone) <= PHONE["width"]
    screenshot(phone, "telefon-uden-javascript")
    menu.get_by_role("link", name="Møder", exact=True).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("KKR-møder")


# --- The wide screen's menu: keyboard, and without JavaScript ------------------------------------------

def test_the_sub_menus_work_with_the_keyboard(page, login, check_accessibility, screenshot):
    login(page, "gitb")
    menu = page.get_by_role("navigation", name="Hovedmenu")
    button = menu.get_by_role("button", name="Sekretariatet")
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    expect(menu.get_by_role("link", name="Overblik")).to_be_focused()
    check_accessibility(page)
    screenshot(page, "menu-sekretariatet")
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu.get_by_role("link", name="Overblik")).to_be_hidden()

    follow(page, "Revisionsspor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Revisionsspor")
    expect(menu.get_by_role("button", name="Sekretariatet")).to_be_visible()
    expect(page.get_by_role("banner").get_by_text("Gitte Testsekretær, sekretariat")).to_be_visible()


@pytest.mark.parametrize("width", [1024, 1280])
def test_the_secretariats_header_keeps_its_menu_on_one_row(browser, live_url, width, screenshot):
    """The secretariat has the most menu items: on a laptop's screen they stay one row under the portal header
    (the header used to wrap to three)."""
    desktop = context(browser, live_url, {"width": width, "height": 900})
    page = desktop.new_page()
    log_in(page, "gitb", "Gitte Testsekretær")
    items = page.locator("nav.nav > ul.mainmenu > li")
    shown = [items.nth(index) for index in range(items.count()) if items.nth(index).is_visible()]
    tops = {round(item.bounding_box()["y"]) for item in shown}
    more_shown = page.locator("nav.nav li.more-option").is_visible()
    screenshot(page, f"header-secretariat-{width}")
    desktop.close()
    assert len(shown) >= 4
    if width >= 1280:  # every item fits; narrower, DKFDS moves the last ones under "Mere" rather than wrap
        assert not more_shown
    assert len(tops) == 1, tops

def test_without_javascript_a_sub_menu_opens_on_keyboard_focus(desktop_without_javascript, screenshot):
    page = desktop_without_javascript
    page.goto("/")
    menu = page.get_by_role("navigation", name="Hovedmenu")
    expect(menu.get_by_role("link", name="Møder", exact=True)).to_be_hidden()
    menu.get_by_role("button", name="KKR").focus()
    expect(menu.get_by_role("link", name="Møder", exact=True)).to_be_visible()
    page.keyboard.press("Tab")
    expect(menu.get_by_role("link", name="Møder", exact=True)).to_be_focused()
    screenshot(page, "menu-uden-javascript")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("KKR-møder")


# --- Print --------------------------------------------------------------------------------------------

def test_a_body_prints_its_roster_on_one_page_with_the_source(browser, live_url, check_accessibility, screenshot):
    paper = context(browser, live_url, A4)
    page = paper.new_page()
    try:
        open_organisation(page, "RAR Hovedstaden (RAR)")
        address = page.url
        page.emulate_media(media="print")
        for hidden in (page.get_by_role("navigation", name="Hovedmenu"), page.get_by_role("search"),
                       page.get_by_label("Vis sammensætningen pr. dato"), page.get_by_role("link", name="Log ind")):
            expect(hidden).to_be_hidden()
        source = page.locator(".print-source")
        expect(source).to_be_visible()
        expect(source).to_contain_text("Kilde: KKR Hovedstaden, udpegningsregistret.")
        expect(source).to_contain_text(re.compile(r"Oplysningerne gælder pr\. \d+\. \w+ \d{4}\."))
        # The address is printed from an attribute, so it is no text on the screen (nor Danish words on an
        # English page): the paper shows what the ::after content holds.
        printed = source.locator(".print-url").evaluate("span => getComputedStyle(span, '::after').content")
        assert printed == f'"{address}"'
        roster = page.locator("table.roster").first
        expect(roster).to_be_visible()
        assert roster.bounding_box()["height"] < A4_PRINTABLE_HEIGHT
        assert roster.evaluate("table => getComputedStyle(table).breakInside") == "avoid"
        check_accessibility(page)
        screenshot(page, "udskrift-organisation")

        page.emulate_media(media="screen")
        expect(source).to_be_hidden()
        expect(page.get_by_role("search")).to_be_visible()
    finally:
        paper.close()


def test_the_home_page_prints_without_menus_or_forms(browser, live_url, check_accessibility, screenshot):
    paper = context(browser, live_url, A4)
    page = paper.new_page()
    try:
        page.goto("/")
        page.emulate_media(media="print")
        expect(page.get_by_role("navigation", name="Hovedmenu")).to_be_hidden()
        expect(page.get_by_role("button", name="Vis", exact=True)).to_be_hidden()
        expect(page.get_by_role("link", name=re.compile("som CSV-fil")).first).to_be_hidden()
        expect(page.locator(".print-source")).to_contain_text("Oplysningerne gælder pr.")
        for section in page.locator("section.organisation").all()[:5]:
            assert section.evaluate("section => getComputedStyle(section).breakInside") == "avoid"
        check_accessibility(page)
        screenshot(page, "udskrift-forside")
    finally:
        paper.close()
