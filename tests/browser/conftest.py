"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against the live server."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
# How long an action or an expect() waits for its element or condition: a deadline, generous
# because the live server and Chromium share a loaded machine with the rest of the suite.
WAIT_MS = 30_000
expect.set_options(timeout=WAIT_MS)


@pytest.fixture(scope="package", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    between browser steps are still synchronous and safe. Only for this package: the variable
    must not leak into other tests (``check --deploy`` in a subprocess refuses it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="package")
def browser(_orm_beside_playwright: None) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser: Browser, live_server: LiveServer, viewport: dict[str, int]) -> Iterator[Page]:
    context = browser.new_context(viewport=viewport, locale="ja-JP", base_url=live_server.url)
    context.set_default_timeout(WAIT_MS)
    context.set_default_navigation_timeout(2 * WAIT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A 360×740 phone in Japanese."""
    yield from _page(browser, live_server, PHONE)


@pytest.fixture
def desktop(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A desktop browser for the ISMS office."""
    yield from _page(browser, live_server, DESKTOP)


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    # Wait until the login page is left (a glob such as "**/" matches the login page itself).
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def submit(button: Locator) -> None:
    """Click a form's button and wait for the page it leads to (POST, redirect, GET): a goto,
    a read of the page or of the database right after must not cut it short or run before it."""
    with button.page.expect_navigation():
        button.click()


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def open_menu(page: Page) -> None:
    """Unfold the header's menu where it is folded behind its button (phones)."""
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


def menu_link(page: Page, name: str) -> Locator:
    """A link of the header's menu, the menu unfolded first where needed."""
    open_menu(page)
    return page.locator(".site-nav").get_by_role("link", name=name, exact=True)
