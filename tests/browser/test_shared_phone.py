"""A phone shared by two volunteers (issue 15, security: queued contacts went out under the next user).
The outbox is per user: signing out with contacts waiting warns and keeps them for their owner; the next
volunteer never sends them; they go out, as their owner's, when that person signs in again."""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Contact
from tests.api.test_contact_sync import doors_of
from tests.factories import PASSWORD

from .conftest import sign_in, wait_until
from .test_phone_screens import open_turf, save_as, wait_for_contacts

A, B = "volunteer.a1@test.example", "volunteer.a2@test.example"


def outbox_owners(page) -> list:
    """Every contact kept in this browser's outbox, by owner (read straight from IndexedDB)."""
    return page.evaluate("""new Promise((resolve) => {
        const request = indexedDB.open("fieldops");
        request.onsuccess = () => {
            const all = request.result.transaction("outbox").objectStore("outbox").getAll();
            all.onsuccess = () => { resolve(all.result.map((c) => c.owner ?? null)); request.result.close(); };
        };
    })""")


def sign_out(page) -> None:
    page.click("form.sign-out button")


def test_contacts_left_at_sign_out_wait_for_their_owner_and_never_go_out_as_the_next_users(
        phone, live_server, world):
    page = phone
    a, b = world.users.volunteer_a1.id, world.users.volunteer_a2.id
    open_turf(page, live_server, A, "Alpha 1")
    page.context.set_offline(True)
    page.click("#next-open")
    save_as(page, "not_home")
    save_as(page, "refused")
    # Back online, but the server cannot be reached: the two contacts are still waiting at sign-out.
    page.route("**/api/v1/contacts", lambda route: route.abort())
    page.context.set_offline(False)
    wait_until(page, "document.getElementById('sync-count').textContent.startsWith('2 contacts waiting')")
    sign_out(page)
    warning = page.locator("#sign-out-warning")
    warning.wait_for()
    assert "2 contacts have not reached the server yet" in warning.inner_text()
    assert "sent when you sign in here again" in warning.inner_text()
    page.screenshot(path="/tmp/b-phone-sign-out-warning.png")
    page.click("#sign-out-warning button:has-text('Stay signed in')")  # a change of mind keeps A signed in
    assert page.url.endswith(f"/canvass/{world.turf_a1.id}") and not page.locator("#sign-out-warning").count()
    sign_out(page)
    page.click("#sign-out-warning button:has-text('Sign out, keep')")
    page.wait_for_url("**/login**")
    assert outbox_owners(page) == [a, a]

    # B signs in on the same browser, the server is reachable again, and B records and syncs.
    page.unroute("**/api/v1/contacts")
    open_turf(page, live_server, B, "Alpha 2")
    wait_until(page, "document.getElementById('sync-count').textContent.startsWith('All contacts synced')")
    page.click("#next-open")
    save_as(page, "talked")
    page.click("#sync-now")
    contacts = wait_for_contacts(1)
    page.wait_for_timeout(1500)  # time for anything else to (wrongly) go out
    db.session.expire_all()
    contacts = db.session.scalars(select(Contact)).all()
    assert [(c.volunteer_id, c.outcome) for c in contacts] == [(b, "talked")]  # nothing of A's under B
    assert sorted(outbox_owners(page)) == [a, a]
    sign_out(page)  # B has nothing waiting: no warning
    page.wait_for_url("**/login**")

    # A signs in again: A's contacts go out, stored as A's.
    sign_in(page, live_server, A, PASSWORD)
    page.wait_for_url("**/my/turfs")
    contacts = wait_for_contacts(3)
    assert sorted((c.volunteer_id, c.outcome) for c in contacts) == sorted(
        [(a, "not_home"), (a, "refused"), (b, "talked")])
    wait_until(page, "document.getElementById('sync-status').hidden")
    assert outbox_owners(page) == []


def test_contacts_an_earlier_version_kept_without_owner_wait_until_someone_claims_them(phone, live_server, world):
    """Before the outbox was per user, nobody knew whose a waiting contact was: it is sent only when the
    volunteer says it is theirs."""
    page = phone
    page.goto(f"{live_server}/login")
    legacy = {"id": str(uuid.uuid4()), "door_id": doors_of(world.turf_a1)[0], "canvass_id": world.canvass_north.id,
              "outcome": "not_home", "answers": {}, "note": "", "follow_ups": [], "address": "Alpha street 0 1",
              "recorded_at": (datetime.now(timezone.utc) - timedelta(hours=1)).isoformat(), "queued_at": 1}
    page.evaluate("""(contact) => new Promise((resolve) => {
        const request = indexedDB.open("fieldops", 1);
        request.onupgradeneeded = () => {
            request.result.createObjectStore("outbox", { keyPath: "id" });
            request.result.createObjectStore("rejected", { keyPath: "id" });
        };
        request.onsuccess = () => {
            const tx = request.result.transaction("outbox", "readwrite");
            tx.objectStore("outbox").put(contact);
            tx.oncomplete = () => { request.result.close(); resolve(); };
        };
    })""", legacy)
    sign_in(page, live_server, A, PASSWORD)
    page.wait_for_url("**/my/turfs")
    box = page.locator("#unowned-box")
    box.wait_for()
    assert "1 contact recorded on this phone before" in box.inner_text() and "Alpha street 0 1" in box.inner_text()
    page.wait_for_timeout(1500)
    assert wait_for_contacts(1, timeout=0) == []  # not sent on its own
    page.click("#claim-unowned")
    contacts = wait_for_contacts(1)
    assert [(c.id, c.volunteer_id) for c in contacts] == [(legacy["id"], world.users.volunteer_a1.id)]
    wait_until(page, "document.getElementById('unowned-box').hidden")
    assert json.dumps(outbox_owners(page)) == "[]"
