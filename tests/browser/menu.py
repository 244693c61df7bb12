"""The main menu as a user works it: a link in a sub-menu is reached by opening its menu button first
(DKFDS's dropdown, started by static/registry.js)."""

from playwright.sync_api import Page


def follow(page: Page, link: str) -> None:
    """Click the main menu's link, opening the sub-menu that holds it if it is closed."""
    page.wait_for_load_state()
    menu = page.get_by_role("navigation", name="Hovedmenu")
    target = menu.get_by_role("link", name=link, exact=True)
    if not target.count():
        hidden = page.get_by_role("link", name=link, exact=True, include_hidden=True)
        menu.locator(".submenu").filter(has=hidden).get_by_role("button").click()
    target.click()
