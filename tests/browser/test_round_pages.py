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
    expect(page.get_by_role("heading", level=2, name="5.1 Udpegning til SOSU H")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "runde-bilag")
