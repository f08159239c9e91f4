"""A volunteer's day on a phone in real Chromium: two contacts online, three offline after a reload, then sync."""
from __future__ import annotations

import json

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Contact
from tests.factories import PASSWORD

from .conftest import sign_in, wait_until

SUPPORT = [{"key": "support", "label": "How likely are you to support us?", "kind": "scale", "min": 1, "max": 5}]


def record(page, outcome: str, note: str, support: int | None = None, share_location: bool = False) -> None:
    """Knock on the next door: after a save the page opens the next door by itself."""
    if page.is_visible("#list-view"):
        page.click("#next-open")
    page.wait_for_selector("#door-view:not([hidden])")
    page.click(f"label.outcome:has(input[value={outcome}])")
    # The door's story and form fit a 360 px phone: nothing to scroll sideways, targets a thumb can hit.
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert page.locator("label.outcome").first.bounding_box()["height"] >= 44
    if support is not None:
        page.click(f"#survey-people .scale label:has(input[value='{support}'])")
    page.fill("#contact-note", note)
    page.set_checked("#share-location", share_location)
    address = page.inner_text("#door-address")
    page.click("#save-contact")
    # Saved: the page moves on to the next door (or back to the list after the last one).
    wait_until(page, f"document.getElementById('door-address').textContent !== {json.dumps(address)}"
                     " || !document.getElementById('list-view').hidden")


def wait_for_sync_text(page, prefix: str, timeout: float = 30000) -> None:
    try:
        wait_until(page, f"document.getElementById('sync-count').textContent.startsWith({json.dumps(prefix)})",
                   timeout=timeout)
    except Exception:
        raise AssertionError(f"sync bar still says {page.inner_text('#sync-count')!r}, waited for {prefix!r}") from None


def back_to_list(page) -> None:
    if page.is_visible("#back-to-list"):
        page.click("#back-to-list")
    page.wait_for_selector("#list-view:not([hidden])")


def test_contacts_made_offline_survive_a_reload_and_sync_when_back_online(phone, live_server, world):
    world.canvass_north.questions = SUPPORT
    db.session.commit()
    page = phone
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 60.1012, "longitude": 24.9021, "accuracy": 12})
    sign_in(page, live_server, "volunteer.a1@test.example", PASSWORD)
    page.wait_for_url("**/my/turfs")
    wait_until(page, "document.documentElement.dataset.offlineReady === 'yes'")
    page.click("text=Alpha 1")
    page.wait_for_selector("#door-list .door-button")
    wait_until(page, "document.documentElement.dataset.offlineReady === 'yes'")

    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    record(page, "talked", "Online one: wants safer crossings", support=4, share_location=True)
    record(page, "not_home", "Online two: nobody in")
    back_to_list(page)
    wait_for_sync_text(page, "All contacts synced")
    db.session.expire_all()
    assert len(db.session.scalars(select(Contact)).all()) == 2

    page.context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker  # the page came from the phone's cache
    page.wait_for_selector("#door-list .door-button")
    assert page.locator("#door-list .door-button").count() == 40
    assert "1 of 40 doors done · 1 to knock again later" in page.inner_text("#progress")
    record(page, "not_home", "Offline one")
    record(page, "refused", "Offline two: busy with the kids")
    record(page, "talked", "Offline three: asked about the library", support=2)
    back_to_list(page)
    wait_for_sync_text(page, "3 contacts waiting to sync")
    db.session.expire_all()
    assert len(db.session.scalars(select(Contact)).all()) == 2  # nothing reached the server while offline

    page.context.set_offline(False)
    wait_for_sync_text(page, "All contacts synced")
    db.session.expire_all()
    contacts = db.session.scalars(select(Contact).order_by(Contact.recorded_at)).all()
    assert [(c.outcome, c.note) for c in contacts] == [
        ("talked", "Online one: wants safer crossings"), ("not_home", "Online two: nobody in"),
        ("not_home", "Offline one"), ("refused", "Offline two: busy with the kids"),
        ("talked", "Offline three: asked about the library")]
    assert [c.answers for c in contacts] == [{"support": 4}, {}, {}, {}, {"support": 2}]
    assert {c.volunteer_id for c in contacts} == {world.users.volunteer_a1.id}
    # Only the contact made with the volunteer's consent carries the phone's position.
    assert (contacts[0].lat, contacts[0].lon, contacts[0].accuracy_m) == (60.1012, 24.9021, 12)
    assert all(c.lat is None for c in contacts[1:])
    assert len({c.door_id for c in contacts}) == 5 and {c.turf_id for c in contacts} == {world.turf_a1.id}
