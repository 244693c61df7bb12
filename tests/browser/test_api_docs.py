"""The API's documentation page (/api/v1/docs): Swagger UI draws every operation of the OpenAPI document, under the
registry's own Content-Security-Policy (no inline script or style), with no error in the console."""

import pytest
from playwright.sync_api import expect

from registry.api.openapi import DOCUMENT


@pytest.fixture
def strict_page(browser, live_url):
    """A page that keeps the Content-Security-Policy: the shared `page` fixture bypasses it for axe-core."""
    context = browser.new_context(base_url=live_url, viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_the_docs_page_shows_every_operation_without_an_error_or_a_refused_script_or_style(strict_page):
    console, errors = [], []
    strict_page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    strict_page.on("pageerror", lambda error: errors.append(str(error)))

    strict_page.goto("/api/v1/docs")

    for path, item in DOCUMENT["paths"].items():
        operation = strict_page.locator(f"#operations-{item['get']['tags'][0]}-{item['get']['operationId']}")
        expect(operation).to_contain_text(path)
    expect(strict_page.get_by_role("heading", name=DOCUMENT["info"]["title"])).to_be_visible()
    assert errors == []
    # A refused script or style is reported on the console, as an error naming the Content Security Policy.
    assert [line for line in console if line.startswith("error") or "Content Security Policy" in line] == []
    # The page was kept to the registry's policy, not a looser one.
    assert "style-src 'self';" in strict_page.request.get("/api/v1/docs").headers["content-security-policy"]


def test_an_operation_opens_with_its_description_and_example_answer(strict_page, screenshot):
    strict_page.goto("/api/v1/docs")
    operation = strict_page.locator("#operations-organizations-list_organizations")
    operation.locator(".opblock-summary").click()

    expect(operation).to_contain_text("follow `next`".replace("`", ""))
    expect(operation.locator(".responses-wrapper")).to_contain_text("results")
    screenshot(strict_page, "api-docs")


def test_the_docs_page_is_accessible_and_links_back_to_the_registry(page, check_accessibility):
    page.goto("/api/v1/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.get_by_role("link", name="the appointment registry")).to_have_attribute("href", "/")
    check_accessibility(page)

    page.locator("#operations-memberships-list_memberships .opblock-summary").click()
    expect(page.locator("#operations-memberships-list_memberships .responses-wrapper")).to_be_visible()
    check_accessibility(page)
