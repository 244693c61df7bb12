"""The election-period round's pages in Chromium, each checked with axe-core and saved as a screenshot: the
secretariat's periods, composition, share-out, allocation grid, calls, progress, mandates and the constituent
meeting of the demo's 2026-2029 round, and the public composition page."""

import re

import pytest
from playwright.sync_api import Page, expect

SECRETARIAT_PAGES = [
    ("/valgperioder", "Valgperioder", "valgperioder"),
    ("/valgperioder/sammensaetning/rediger", "KKR's sammensætning og valggrupper", "sammensaetning-rediger"),
    ("/valgperioder/fordelinger", "Fordeling af pladser efter d'Hondt", "fordelinger"),
    ("/valgperioder/pladsfordeling", "Pladsfordeling", "pladsfordeling"),
    ("/opfordringer/valgperiode", "Opfordringer til en ny valgperiode", "opfordringer-valgperiode"),
    ("/runde", "Valgperiodens runde", "runde"),
    ("/mandater/import", "Importér kommunalbestyrelsernes medlemmer fra CSV", "mandater-import"),
    ("/mandater/ophoert", "Udpegede, hvis mandat er ophørt", "mandater-ophoert"),
    ("/moeder/runde", "Rundens indstillinger på dagsordenen", "moeder-runde"),
    ("/indstillinger/afventende", "Indstillinger, der afventer udpegning", "afventende"),
]


@pytest.mark.parametrize(("path", "heading", "name"), SECRETARIAT_PAGES, ids=[p[2] for p in SECRETARIAT_PAGES])
def test_the_secretariats_round_pages_are_accessible(page: Page, login, check_accessibility, screenshot, path,
                                                     heading, name):
    login(page, "gitb")
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    check_accessibility(page)
    screenshot(page, f"runde-{name}")


def test_the_constituent_meetings_annex_and_the_public_composition(page: Page, login, check_accessibility,
                                                                   screenshot):
    page.goto("/valgperioder/sammensaetning")
    expect(page.get_by_role("heading", level=1)).to_contain_text("KKR's sammensætning og pladsfordeling")
    check_accessibility(page)
    screenshot(page, "runde-sammensaetning")
    login(page, "gitb")
    page.goto("/moeder")
    page.get_by_role("link", name=re.compile("26.01.2026")).click()
    page.get_by_role("link", name="Bilag med alle indstillinger").click()
    expect(page.get_by_role("heading", level=2, name="5.2 Indstilling af medlemmer til SOSU H")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "runde-bilag")


# The forms of election periods and council mandates: empty, filled in, and refused with an error shown.

PERIOD_FORMS = [
    ("/valgperioder/ny", "Opret valgperiode", "valgperiode-ny"),
    # The period containing today, or the nearest: which one depends on the day and on what other tests created.
    ("/valgperioder/rediger", "Ret valgperioden", "valgperiode-rediger"),
]


@pytest.mark.parametrize(("path", "heading", "name"), PERIOD_FORMS, ids=[p[2] for p in PERIOD_FORMS])
def test_the_period_forms_are_accessible(page: Page, login, check_accessibility, screenshot, path, heading, name):
    login(page, "gitb")
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    check_accessibility(page)
    screenshot(page, f"runde-{name}")


def test_a_refused_period_form_is_accessible(page: Page, login, check_accessibility, screenshot):
    """Nothing filled in: each field says what it needs, and nothing is saved."""
    login(page, "gitb")
    page.goto("/valgperioder/ny")
    page.get_by_role("button", name="Opret valgperiode").click()
    expect(page.get_by_text("Skriv valgperiodens navn.")).to_be_visible()
    expect(page.get_by_text("Skriv valgperiodens første dag.")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "runde-valgperiode-ny-fejl")


def _lars_eksempels_page(page: Page) -> None:
    """The demo's Lars Eksempel, who sat on Gladsaxe's council until 31 December 2025."""
    page.goto("/soeg?q=lars eksempel")
    page.get_by_role("link", name="Lars Eksempel", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lars Eksempel")


def test_the_mandate_forms_are_accessible(page: Page, login, check_accessibility, screenshot):
    login(page, "gitb")
    _lars_eksempels_page(page)
    page.get_by_role("link", name="Registrér et mandat").click()
    expect(page).to_have_url(re.compile(r"/personer/\d+/mandater/ny$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nyt mandat for Lars Eksempel")
    check_accessibility(page)
    screenshot(page, "mandat-ny")

    # Refused: no first day. Nothing is saved.
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Skriv mandatets første dag.")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "mandat-ny-fejl")

    _lars_eksempels_page(page)
    page.get_by_role("link", name=re.compile(r"^Redigér\W+mandatet fra")).first.click()
    expect(page).to_have_url(re.compile(r"/personer/\d+/mandater/rediger\?mandat=\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Redigér mandat for Lars Eksempel")
    check_accessibility(page)
    screenshot(page, "mandat-rediger")

    # Without ?mandat=: the person's latest mandate.
    page.goto(page.url.split("?")[0])
    expect(page.get_by_role("heading", level=1)).to_contain_text("Redigér mandat for Lars Eksempel")
    expect(page.get_by_label("Første dag")).not_to_have_value("")
    check_accessibility(page)
