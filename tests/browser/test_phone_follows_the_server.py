"""The re-knock rule and the outcome facts have one source (issue 15, defect 3): the phone applies what the
walk list sends, to the knocks it makes offline too, so changing the Python changes what the phone does."""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

from fieldops.domain import outcomes
from fieldops.domain.reknock import DEFAULT_MAX_ATTEMPTS, DEFAULT_REKNOCK_HOURS
from fieldops.extensions import db

from .conftest import wait_until
from .test_phone_screens import open_turf

PHONE_SCRIPTS = [Path(__file__).parents[2] / "static" / "js" / name
                 for name in ("canvass.js", "knocks.js", "my-turfs.js", "outbox.js", "sign-out.js",
                              "people-at-door.js", "conditions.js")]


@contextmanager
def outcome_table_says(code: str, **facts):
    """Change one row of domain/outcomes.py's table for the duration, as an edit of the Python would."""
    row = outcomes.BY_CODE[code]
    before = {name: getattr(row, name) for name in facts}
    for name, value in facts.items():
        object.__setattr__(row, name, value)
    try:
        yield
    finally:
        for name, value in before.items():
            object.__setattr__(row, name, value)


def knock_offline(page, outcome: str, door: int | None = None) -> None:
    """Record ``outcome`` at the next door (or the list's ``door``-th), then show the list."""
    if page.is_visible("#back-to-list"):
        page.click("#back-to-list")
    if door is None:
        page.click("#next-open")
    else:
        page.locator("#door-list .door-button").nth(door).click()
    page.click(f"label.outcome:has(input[value={outcome}])")
    page.click("#save-contact")
    wait_until(page, "document.getElementById('saved-note').textContent.length > 0")
    if page.is_visible("#back-to-list"):
        page.click("#back-to-list")


def back_after_text(page, hours: int) -> list[str]:
    """'back after HH:MM' as the phone writes it, for a knock now (or a minute later, at a minute's turn)."""
    return page.evaluate(f"""[0, 60000].map((ms) => new Date(Date.now() + ms + {hours} * 3600 * 1000)
        .toLocaleTimeString([], {{ hour: "2-digit", minute: "2-digit" }}))""")


def door_status(page, index: int) -> str:
    return page.locator("#door-list .door-button").nth(index).locator(".door-status").inner_text()


def test_the_canvasss_hours_and_attempts_reach_the_phone_as_data(phone, live_server, world):
    world.canvass_north.reknock_hours, world.canvass_north.max_attempts = 7, 2
    db.session.commit()
    page = phone
    open_turf(page, live_server)
    page.context.set_offline(True)  # every knock below is applied by the phone, not the server
    knock_offline(page, "not_home")
    status = door_status(page, 0)
    assert status.startswith("Not home · back after ") and status.endswith("(knock 1 of 2)")
    assert any(f"back after {time} " in status for time in back_after_text(page, 7)), status
    assert page.inner_text("#progress").startswith("0 of 40 doors done · 1 to knock again later")
    # The second knock is the canvass's last: the door is done, whatever its outcome.
    knock_offline(page, "not_home", door=0)
    assert door_status(page, 0) == "Not home"
    assert page.inner_text("#progress").startswith("1 of 40 doors done")
    page.context.set_offline(False)


def test_a_changed_outcome_table_changes_what_the_phone_does(phone, live_server, world):
    page = phone
    with outcome_table_says("refused", retry=True), outcome_table_says("come_back", opens_survey=True):
        world.canvass_north.questions = [{"key": "support", "label": "Support?", "kind": "scale", "min": 1, "max": 5}]
        db.session.commit()
        open_turf(page, live_server)
        page.context.set_offline(True)
        knock_offline(page, "refused")
        status = door_status(page, 0)
        assert status.startswith("Refused · back after ") and status.endswith(f"(knock 1 of {DEFAULT_MAX_ATTEMPTS})")
        assert any(f"back after {time} " in status for time in back_after_text(page, DEFAULT_REKNOCK_HOURS))
        page.click("#next-open")
        page.click("label.outcome:has(input[value=come_back])")
        assert page.is_visible("#survey")  # the table says Come back later opens the survey now
        page.click("label.outcome:has(input[value=not_home])")
        assert page.is_hidden("#survey")
        page.context.set_offline(False)


def test_the_phone_scripts_restate_no_outcome_and_no_rule():
    """Outcome codes, hours and attempts come from the walk list; none is written in the JavaScript."""
    for path in PHONE_SCRIPTS:
        source = path.read_text(encoding="utf-8")
        for code in outcomes.OUTCOME_CODES:
            assert not re.search(rf"\b{code}\b", source), f"{path.name} names the outcome {code!r}"
        assert not re.search(r"(reknock_hours|max_attempts)\s*(\|\||\?\?|=(?!=))\s*\d", source), \
            f"{path.name} sets a re-knock default of its own"
        assert not re.search(r"\d+\s*\*\s*MS_PER_HOUR|MS_PER_HOUR\s*\*\s*\d+", source), \
            f"{path.name} writes a number of hours"
        assert not re.search(r"\b(retry|finishes_door|opens_survey|do_not_contact)\s*[:=]\s*(true|false)\b", source), \
            f"{path.name} sets an outcome fact of its own"
