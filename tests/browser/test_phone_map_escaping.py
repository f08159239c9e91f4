"""Text from imported files never becomes HTML on the phone's map (issue 15, security): a street name with
markup in it is shown as text in the map's tooltips, the list and the door, and redirects nobody."""
from __future__ import annotations

from fieldops.extensions import db
from fieldops.models import Door
from tests.api.test_contact_sync import doors_of

from .test_phone_screens import open_turf

MARKUP = '<img src=x onerror=alert(1)><meta http-equiv="refresh" content="0;url=http://example.com">'


def test_a_street_name_with_markup_is_text_on_the_phone_and_its_map(phone, live_server, world):
    first = db.session.get(Door, doors_of(world.turf_a1)[0])
    # Two doors at one address: the map draws them as a building, with a tooltip naming the street.
    db.session.add_all([Door(office_id=first.office_id, block_id=first.block_id, source_id=f"evil-{n}", street=MARKUP,
                             house_number="1", unit=unit, lat=first.lat + 0.0004, lon=first.lon, name=MARKUP)
                        for n, unit in enumerate(["A", "B"])])
    db.session.commit()
    page = phone
    navigations, dialogs = [], []
    page.route("http://example.com/**", lambda route: route.fulfill(body="<h1>Fake sign-in</h1>",
                                                                     content_type="text/html"))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_turf(page, live_server)
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.wait_for_selector("#mini-map path.leaflet-interactive")
    building = page.locator("#mini-map path.leaflet-interactive[d*='a7,7']")  # the building's bigger marker
    assert building.count() == 1
    building.hover()
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert tooltip.inner_text() == f"{MARKUP} 1: 2 of 2 units to knock"
    single = page.locator("#mini-map path.leaflet-interactive[d*='a5,5']").first
    single.hover()
    page.wait_for_timeout(300)
    assert page.locator(f"#door-list .door-address:has-text('{MARKUP[:20]}')").count() == 2
    page.locator("#door-list .door-button", has_text=MARKUP[:20]).first.click()
    assert page.inner_text("#door-address") == f"{MARKUP} 1 A"
    page.wait_for_timeout(1500)  # a refresh of 0 s would have happened by now
    assert page.locator("img[src=x], meta[http-equiv]").count() == 0  # nothing became HTML
    assert navigations == [] and dialogs == []
    assert page.url.endswith(f"/canvass/{world.turf_a1.id}")
