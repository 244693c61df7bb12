"""Browser tests: the system's Chromium, driven by Playwright, against the app served on 127.0.0.1.

They run on SQLite only. The database is not what they test (the rest of the
suite runs every rule on SQLite and PostgreSQL); the pages, the forms, the
keyboard and accessibility are. One live server for the whole session serves
a freshly migrated database with the demo data and the logins in USERS; it
runs with CSRF protection on, as in production, since the browser submits
the real forms. Every test gets a browser context of its own (no cookies
shared), so the order of tests does not matter, but the data does carry over:
a test that writes must write something no other test looks at.

Chromium is Debian's package (/usr/bin/chromium); a browser is never
downloaded. Without it the tests are skipped, except with CI=true, where
they fail.
"""

import os
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from playwright.sync_api import Page, expect, sync_playwright
from werkzeug.serving import make_server

from registry import create_app
from registry.audit.services import Actor, acting_as
from registry.auth.models import UserRole
from registry.auth.services import create_user
from registry.demo import load
from registry.extensions import db
from registry.people.models import Party

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    # The machines reach nothing but package registries; Chromium's own calls home must not be tried.
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
CI = os.environ.get("CI", "").lower() == "true"

AXE_VERSION = "4.14.1"
AXE = Path(__file__).parent / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

PASSWORD = "en lang adgangskode til browsertest"
# username: (role, name shown in the header, party letter of a party group user)
USERS = {
    "gitb": (UserRole.secretariat, "Gitte Testsekretær", None),
    "lars": (UserRole.viewer, "Lars Testlæser", None),
    "sfgruppe": (UserRole.party, "Signe Testpartigruppe", "F"),
    "radgruppe": (UserRole.party, "Rasmus Testpartigruppe", "B"),
}


@pytest.hookimpl(tryfirst=True)  # before `-m "not browser"` deselects by mark
def pytest_collection_modifyitems(items):
    """Every test in tests/browser is marked `browser`, those to come included."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_url(tmp_path_factory):
    """The app on a free port of 127.0.0.1, in a thread, with the demo data and USERS."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'registry.db'}"
    # Plain http on 127.0.0.1: a secure-only session cookie would never come back.
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        upgrade()
        with acting_as(Actor("test")):
            load()
            create_users()
            db.session.commit()
        db.session.remove()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()
    with app.app_context():
        db.engine.dispose()


def create_users() -> None:
    """The logins in USERS, with the password PASSWORD; a party group user belongs to the party of the letter."""
    for username, (role, name, letter) in USERS.items():
        party = db.session.scalar(sa.select(Party).filter_by(letter=letter)) if letter else None
        create_user(username, PASSWORD, role, party, name=name)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"the browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
        if CI:
            pytest.fail(f"CI=true: {message}", pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_url):
    # bypass_csp: axe-core goes in as an inline script, which a Content-Security-Policy would refuse.
    context = browser.new_context(base_url=live_url, viewport={"width": 1280, "height": 900}, locale="da-DK",
                                  bypass_csp=True)
    # A missing element fails in seconds, not after Playwright's default 30.
    context.set_default_timeout(5_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def password() -> str:
    """The password of every user in USERS."""
    return PASSWORD


@pytest.fixture
def login():
    """Log in through the login form, as a user of USERS."""

    def login(page: Page, username: str, password: str = PASSWORD) -> None:
        page.goto("/login")
        page.get_by_label("Brugernavn").fill(username)
        page.get_by_label("Adgangskode").fill(password)
        page.get_by_role("button", name="Log ind", exact=True).click()
        expect(page.get_by_role("button", name="Log ud")).to_be_visible()

    return login


@pytest.fixture
def check_accessibility():
    """Run axe-core on the page as it is now; no WCAG 2.1 A or AA violation may be found."""

    def check(page: Page) -> None:
        # After a click that navigates, the old document may still be going: check the new one, once loaded.
        page.wait_for_load_state()
        page.add_script_tag(path=AXE)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            WCAG_TAGS,
        )
        if violations := result["violations"]:
            raise AssertionError(f"axe-core {AXE_VERSION}: WCAG 2.1 A/AA violations on {page.url}\n"
                                 + "\n".join(map(_describe, violations)))

    return check


def _describe(violation: dict) -> str:
    lines = [f"{violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>"]
    for node in violation["nodes"]:
        lines.append(f"    {' > '.join(map(str, node['target']))}    {node['html']}")
        lines.extend(f"        {line}" for line in node["failureSummary"].splitlines())
    return "\n".join(lines)


@pytest.fixture(scope="session")
def screenshot_dir(request) -> Path:
    path = request.config.rootpath / "test-output" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def screenshot(screenshot_dir):
    """Save the whole page as test-output/screenshots/NAME.png, for a reviewer to look at."""

    def screenshot(page: Page, name: str) -> Path:
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return screenshot
