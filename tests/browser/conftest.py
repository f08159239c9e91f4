"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright."""
from __future__ import annotations

import os
import time

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make test`, which installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            # No host but the app's resolves: a map's tile requests fail at once instead of waiting on a DNS
            # server that never answers for the outside world (3.5 s a page; 48 s of the browser tests).
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def sign_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")


def wait_until(page, expression: str, timeout: float = 10_000) -> None:
    """Poll a JavaScript expression until it is truthy. Playwright's wait_for_function polls with eval
    inside the page, which our Content-Security-Policy (rightly) forbids; page.evaluate is not eval."""
    deadline = time.monotonic() + timeout / 1000
    while not _evaluated(page, expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout / 1000:.0f} s: {expression}")
        page.wait_for_timeout(100)


def _evaluated(page, expression: str):
    """The expression's value, or None while the page is between two documents: a page that reloads
    itself (a job's page when the job ends) destroys the context an evaluate was running in."""
    try:
        return page.evaluate(expression)
    except PlaywrightError as error:
        if "Execution context was destroyed" in str(error) or "navigat" in str(error):
            return None
        raise
