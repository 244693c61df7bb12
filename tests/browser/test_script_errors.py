"""The pages' scripts run without an error: DKFDS starts its components one after the other, so one that throws
leaves every later one (radio toggles, responsive tables, tabs) unstarted."""

import pytest
from playwright.sync_api import Page

PAGES = ["/", "/organisationer", "/pladser", "/personer", "/moeder", "/login"]


@pytest.mark.parametrize("path", PAGES)
def test_a_page_runs_its_scripts_without_an_error(page: Page, path):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path)
    page.wait_for_load_state("load")
    assert errors == []


def test_the_secretariats_pages_run_their_scripts_without_an_error(page: Page, login):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, "gitb")
    for path in ("/sekretariat", "/indstillinger/ny", "/moeder/runde"):
        page.goto(path)
        page.wait_for_load_state("load")
    assert errors == []
