"""The secretariat's and the public's journeys through the pages, in Chromium.

Each story ends on a page that is checked with axe-core and saved as a
screenshot under test-output/screenshots/.
"""

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.browser.menu import follow

HEADER = "organisation;plads;rolle;navn;parti;kommune;startdato;slutdato;ophørsårsag;udpegende_myndighed;indstilling"
# The export's whole header: the eleven columns above stay first; those about offices and seats follow, then
# those the registry derives (carrying over, the council mandate).
EXPORT_HEADER = (HEADER + ";hverv;hverv_valgt_af;hverv_start;hverv_slut;pladstype;embede;suppleant_nr;besættes_af;"
                 "indstilles_af;fortsætter_indtil_ny_er_udpeget;kommunalbestyrelse;kommunalt_hverv")
# Fictitious holders of a seat RAR Hovedstaden does not have in the demo data,
# so that no other test meets them.
NEW_HOLDERS = (HEADER + "\r\n"
               "RAR Hovedstaden;Plads 2;medlem;Test Eksempel;F;Albertslund;2026-01-01;;;Beskæftigelsesministeren;\r\n"
               "RAR Hovedstaden;Plads 2;suppleant;Tove Eksempel;F;Ishøj;2026-01-01;;;Beskæftigelsesministeren;\r\n"
               ).encode("utf-8-sig")
UNKNOWN_ROLE = (HEADER + "\r\n"
                "RAR Hovedstaden;Plads 3;kasserer;Test Eksempel;F;Albertslund;2026-01-01;;;"
                "Beskæftigelsesministeren;\r\n"
                ).encode("utf-8")


def organisation(page: Page, name: str) -> Locator:
    """The section of the roster about one organisation, found by its heading."""
    return page.locator("section").filter(has=page.get_by_role("heading", name=name, exact=True))


def show_roster_on(page: Page, day: str) -> None:
    page.get_by_label("Vis udpegninger pr. dato").fill(day)
    page.get_by_role("button", name="Vis", exact=True).click()
    expect(page).to_have_url(re.compile(rf"[?&]as_of={day}"))


def upload(page: Page, name: str, data: bytes) -> None:
    page.get_by_role("link", name="Importér CSV").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Importér udpegninger")
    page.get_by_label("CSV-fil med udpegninger").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    page.get_by_role("button", name="Kontrollér filen").click()


def tab_to(page: Page, target: Locator, limit: int = 40) -> None:
    """Press Tab until the target has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} was not reached with {limit} presses of Tab")


def test_anyone_sees_who_sits_where_today(page, check_accessibility, screenshot):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Udpegninger i dag")
    rar = organisation(page, "RAR Hovedstaden (RAR)")
    expect(rar).to_contain_text("Lotte Kofoed (F)")
    expect(rar).to_contain_text("Marie-Louise Peschardt Jørgensen (F)")
    expect(page.get_by_role("link", name="Log ind")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "forside")


def test_anyone_sees_the_balance_of_the_bodies_from_the_menu(page, check_accessibility, screenshot):
    page.goto("/")
    follow(page, "Balance")
    expect(page.get_by_role("heading", level=1)).to_have_text("Balance i organerne: kvinder, mænd og partier")
    # The demo's bodies have one or two members each: every gender count is withheld.
    expect(page.get_by_role("row").filter(has_text="Movia")).to_contain_text("Skjult")
    expect(page.get_by_text("lov nr. 1470 af 10. december 2024")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "balance")


def test_anyone_sees_the_roster_of_an_earlier_day(page, check_accessibility, screenshot):
    page.goto("/")
    show_roster_on(page, "2024-04-19")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Udpegninger pr. 19. april 2024")
    expect(organisation(page, "Skoletjenesten")).to_contain_text("Esat Sentürk (B)")
    check_accessibility(page)
    screenshot(page, "forside-pr-2024-04-19")

    # Skoletjenesten's board was dissolved on 31 October 2024.
    show_roster_on(page, "2024-11-01")
    expect(page.get_by_role("heading", level=1)).to_contain_text("1. november 2024")
    expect(page.get_by_role("heading", name="Skoletjenesten")).to_have_count(0)
    expect(page.get_by_text("Esat Sentürk")).to_have_count(0)


def test_anyone_downloads_the_roster_as_csv(page):
    page.goto("/?as_of=2024-04-19")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Hent udpegningerne pr\. .* som CSV-fil$")).click()
    download = download_info.value
    assert download.suggested_filename == "udpegninger-2024-04-19.csv"
    lines = Path(download.path()).read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == EXPORT_HEADER
    assert any(line.startswith("Skoletjenesten;Plads 1;medlem;Esat Sentürk;B;") for line in lines)


def test_login_with_a_wrong_password_then_the_right_one_then_log_out(page, password, check_accessibility,
                                                                     screenshot):
    page.goto("/")
    page.get_by_role("link", name="Log ind").click()
    page.get_by_label("Brugernavn").fill("gitb")
    page.get_by_label("Adgangskode").fill("ikke den rigtige adgangskode")
    page.get_by_role("button", name="Log ind", exact=True).click()
    expect(page.get_by_text("Forkert brugernavn eller adgangskode.")).to_be_visible()
    expect(page.get_by_label("Adgangskode")).to_have_value("")
    check_accessibility(page)
    screenshot(page, "log-ind-forkert-adgangskode")

    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind", exact=True).click()
    expect(page.get_by_role("banner").get_by_text("Gitte Testsekretær")).to_be_visible()
    expect(page.get_by_role("link", name="Importér CSV")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "forside-logget-ind")

    page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_text("Du er logget ud.")).to_be_visible()
    expect(page.get_by_role("banner").get_by_text("Gitte Testsekretær")).to_have_count(0)
    expect(page.get_by_role("link", name="Log ind")).to_be_visible()


def test_login_and_logout_with_the_keyboard_only(page, password, check_accessibility, screenshot):
    page.goto("/login")
    expect(page.get_by_label("Brugernavn")).to_be_focused()  # autofocus
    page.keyboard.type("gitb")
    tab_to(page, page.get_by_label("Adgangskode"))
    page.keyboard.type(password)
    check_accessibility(page)
    screenshot(page, "log-ind")
    page.keyboard.press("Enter")
    expect(page.get_by_role("banner").get_by_text("Gitte Testsekretær")).to_be_visible()

    tab_to(page, page.get_by_role("button", name="Log ud"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Du er logget ud.")).to_be_visible()


def test_secretariat_imports_a_csv_after_seeing_what_it_will_do(page, login, check_accessibility, screenshot):
    login(page, "gitb")
    page.get_by_role("link", name="Importér CSV").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importér udpegninger fra CSV")
    check_accessibility(page)
    screenshot(page, "import")

    upload(page, "nye-holdere.csv", NEW_HOLDERS)
    expect(page.get_by_role("heading", level=1)).to_contain_text("nye-holdere.csv")
    expect(page.get_by_text("Alle 2 linjer er i orden.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Test Eksempel")).to_contain_text("Oprettes")
    expect(page.get_by_role("row").filter(has_text="Tove Eksempel")).to_contain_text("Oprettes")
    check_accessibility(page)
    screenshot(page, "import-kontrol")

    page.get_by_role("button", name="Importér", exact=True).click()
    expect(page.get_by_text("Importen er gennemført")).to_be_visible()
    rar = organisation(page, "RAR Hovedstaden (RAR)")
    expect(rar.get_by_role("row").filter(has_text="Plads 2")).to_contain_text("Test Eksempel (F)")
    expect(rar.get_by_role("row").filter(has_text="Plads 2")).to_contain_text("Tove Eksempel (F)")
    check_accessibility(page)
    screenshot(page, "import-gennemfoert")


def test_secretariat_sees_what_is_wrong_in_a_file_and_cannot_import_it(page, login, check_accessibility,
                                                                        screenshot):
    login(page, "gitb")
    upload(page, "ukendt-rolle.csv", UNKNOWN_ROLE)
    expect(page.get_by_role("alert")).to_contain_text("linje 2:")
    expect(page.get_by_text("Intet er gemt.")).to_be_visible()
    expect(page.get_by_role("button", name="Importér", exact=True)).to_have_count(0)
    check_accessibility(page)
    screenshot(page, "import-fejl")


def test_viewer_may_not_import(page, login, check_accessibility, screenshot):
    login(page, "lars")
    expect(page.get_by_role("link", name="Importér CSV")).to_have_count(0)
    page.goto("/import")
    expect(page.get_by_role("heading", name="Du har ikke adgang til denne side.")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "ingen-adgang")
