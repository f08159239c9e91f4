"""Upload a voter file, watch the import's progress, read its summary: in real Chromium, with and without JS."""
from __future__ import annotations

import time

from fieldops.services import import_jobs, territory
from tests.factories import PASSWORD
from tests.importers.conftest import voter_rows
from tests.jobs.slow_kinds import SLOW_DOORS

from .conftest import sign_in, wait_until


def upload_voters(page, live_server, world) -> None:
    page.goto(f"{live_server}/offices/{world.office_a.id}/import")
    page.select_option("#kind", "doors")
    voters = voter_rows(territory.office_blocks_frame(world.office_a)).to_csv(index=False).encode()
    page.set_input_files("#upload", {"name": "voters.csv", "mimeType": "text/csv", "buffer": voters})
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/columns")  # the column-mapping step (issue 21.1): the guesses are right, confirm
    page.click("form.column-mapping button[type=submit]")
    page.wait_for_url("**/jobs/*")


def _bar_value(page):
    """The progress bar's value, or None while the job's end reloads the page (the script's last act)."""
    try:
        return page.evaluate("document.querySelector('progress') && document.querySelector('progress').value")
    except Exception as error:  # playwright: "Execution context was destroyed ... because of a navigation"
        if "navigation" not in str(error) and "navigating" not in str(error):
            raise
        return None


def test_upload_then_progress_then_summary(desktop, live_server, world, job_mode, monkeypatch):
    monkeypatch.setitem(import_jobs.KIND_OF, "doors", SLOW_DOORS)  # the real import, paused after each step
    problems = []
    desktop.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    desktop.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(desktop, live_server, "organizer.a@test.example", PASSWORD)
    desktop.wait_for_url(f"**/offices/{world.office_a.id}")
    upload_voters(desktop, live_server, world)

    assert desktop.locator("h1").inner_text() == "Doors and people from voters.csv"
    job_url = desktop.url
    bars, running, deadline = [], None, time.monotonic() + 60
    while time.monotonic() < deadline and "Imported into Alpha" not in _content(desktop):
        # the script redraws the same page (no reload) until the job ends
        value = _bar_value(desktop)
        if value is not None and (not bars or value != bars[-1]):
            bars.append(value)
            if value > 0:
                running = desktop.locator(".job-state").inner_text()
            if len(bars) == 2:
                desktop.screenshot(path="/tmp/j-import-progress.png", full_page=True)
        desktop.wait_for_timeout(100)
    assert len(bars) >= 2 and bars == sorted(bars), bars  # redrawn in place as the job went on
    assert running == "Running"
    wait_until(desktop, "document.body.innerText.includes('Imported into Alpha')", timeout=30_000)
    assert desktop.url == job_url
    assert desktop.locator(".job-state").inner_text() == "Done"
    assert "48" in desktop.locator(".stats").inner_text()  # people
    desktop.screenshot(path="/tmp/j-import-done.png", full_page=True)

    desktop.click("text=Jobs of Alpha")
    assert "Doors and people from voters.csv" in desktop.locator("table.jobs").inner_text()
    desktop.screenshot(path="/tmp/j-jobs-list.png", full_page=True)
    assert problems == []  # no Content-Security-Policy refusal, no script error


def _content(page) -> str:
    """The page's HTML, or "" while its refresh is replacing it (read again on the next turn)."""
    try:
        return page.content()
    except Exception as error:  # playwright: "the page is navigating and changing the content"
        if "navigating" not in str(error):
            raise
        return ""


def test_without_javascript_the_page_refreshes_itself(browser, live_server, world, job_mode, monkeypatch):
    monkeypatch.setitem(import_jobs.KIND_OF, "doors", SLOW_DOORS)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        sign_in(page, live_server, "organizer.a@test.example", PASSWORD)
        page.wait_for_url(f"**/offices/{world.office_a.id}")
        upload_voters(page, live_server, world)
        assert page.locator(".job-state").inner_text() in ("Waiting", "Running")
        deadline = time.monotonic() + 60
        while "Imported into Alpha" not in _content(page):  # the <noscript> refresh, every 3 s
            assert time.monotonic() < deadline, "the page never showed the summary"
            page.wait_for_timeout(500)
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        page.screenshot(path="/tmp/j-import-nojs-phone.png", full_page=True)
    finally:
        context.close()
