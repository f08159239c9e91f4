"""An organizer opens the office dashboard in real Chromium: the packed coverage map is drawn, and a
door on it leads to its household's timeline."""
from __future__ import annotations

from tests.api.test_contact_sync import doors_of
from tests.factories import PASSWORD

from .conftest import sign_in, wait_until


def test_the_coverage_map_draws_every_block_and_door_and_opens_a_timeline(desktop, live_server, world):
    page = desktop
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, "organizer.a@test.example", PASSWORD)
    page.goto(f"{live_server}/offices/{world.office_a.id}/dashboard")
    # The page embeds no block: the map asks for those in view (issue 18) and draws them when they come.
    wait_until(page, "window.fieldopsMap && window.fieldopsMap.loaded > 0"
                     " && window.fieldopsMap.blocks.getLayers().length === 16")
    assert page.evaluate("window.fieldopsMap.blocks.getLayers().length") == 16  # Alpha's blocks
    assert page.evaluate("window.fieldopsMap.doors.getLayers().length") == 80  # and its doors
    door = doors_of(world.turf_a1)[0]
    marker_url = page.evaluate(
        f"""(() => {{ const m = window.fieldopsMap.doors.getLayers().find(
                (l) => l.getPopup() && l.getPopup()._content({{}}).href.endsWith('/doors/{door}'));
             return m ? m.getPopup()._content({{}}).href : null; }})()""")
    assert marker_url and marker_url.endswith(f"/doors/{door}")
    page.goto(marker_url)
    assert page.locator("h1").inner_text().strip() != ""
    assert "Nobody has knocked or called here yet." in page.inner_text("#timeline")
    assert errors == []
