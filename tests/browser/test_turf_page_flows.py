"""An organizer works a turf page in real Chromium: what a held turf offers, take back with a confirmation,
delete that asks first, and a paper sheet typed back in with answers and promises."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from fieldops.domain.surveys import check_questions
from fieldops.extensions import db
from fieldops.models import Contact, FollowUp, Turf
from tests.factories import PASSWORD

from .conftest import sign_in

SHOTS = "/tmp"  # screenshots to look at by eye; nothing asserts on them


def test_a_held_turf_is_taken_back_after_a_confirmation_and_can_then_be_edited(desktop, live_server, world):
    page = desktop
    sign_in(page, live_server, "organizer.a@test.example", PASSWORD)
    page.goto(f"{live_server}/turfs/{world.turf_a1.id}")
    assert page.locator(".held-notice").is_visible()
    assert page.locator("button", has_text="Split into halves").count() == 0
    assert page.locator("button[name=state]").count() == 0 and page.locator("text=Delete turf").count() == 0
    page.locator(".held-notice").scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/a-turf-checked-out.png", full_page=True)

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.click("button:has-text('Take back')")
    page.wait_for_timeout(300)
    assert questions and questions[0].startswith("Take Alpha 1 back from")
    db.session.expire_all()
    assert db.session.get(Turf, world.turf_a1.id).state == "checked_out"  # "no" kept it handed out
    assert page.locator("button:has-text('Take back')").is_enabled()  # and left the button usable

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Take back')")
    page.wait_for_selector("text=Taken back.")
    assert page.locator("strong", has_text="open").count() >= 1
    assert page.locator("button", has_text="Split into halves").is_visible()
    assert page.locator("text=archive it instead of deleting it").is_visible()
    page.screenshot(path=f"{SHOTS}/a-turf-taken-back.png", full_page=True)


def test_delete_asks_first_and_only_a_yes_deletes(desktop, live_server, world):
    page = desktop
    sign_in(page, live_server, "organizer.b@test.example", PASSWORD)
    turf_id = world.turf_b1.id
    page.goto(f"{live_server}/turfs/{turf_id}")
    page.screenshot(path=f"{SHOTS}/a-turf-draft.png", full_page=True)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("button:has-text('Delete turf')")
    page.wait_for_timeout(300)
    assert db.session.scalar(select(func.count(Turf.id)).where(Turf.id == turf_id)) == 1
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Delete turf')")
    page.wait_for_selector("text=Deleted Bravo 1")
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Turf.id)).where(Turf.id == turf_id)) == 0


def test_a_paper_sheet_typed_in_with_the_keyboard(desktop, live_server, world):
    world.canvass_north.questions = check_questions([
        {"key": "support", "label": "How likely are you to support us?", "kind": "scale"},
        {"key": "top_issue", "label": "What matters most?", "kind": "choice", "choices": ["Housing", "Schools"]},
        {"key": "helps", "label": "Would you help for an hour?", "kind": "yes_no"}])
    db.session.commit()
    page = desktop
    sign_in(page, live_server, "organizer.a@test.example", PASSWORD)
    page.goto(f"{live_server}/turfs/{world.turf_a1.id}/print")
    page.screenshot(path=f"{SHOTS}/a-printed-sheet.png", full_page=False)
    page.goto(f"{live_server}/turfs/{world.turf_a1.id}/paper")
    page.select_option("#volunteer", label="Volunteer A1")
    page.fill("#day", (date.today() - timedelta(days=1)).isoformat())
    first = page.locator("#paper-table input").first
    first.focus()
    page.keyboard.type("T")
    for code in ("4", "B", "Y", "CS"):  # Tab through Q1, Q2, Q3 and the promises, as a typist would
        page.keyboard.press("Tab")
        page.keyboard.type(code)
    page.keyboard.press("Tab")
    page.keyboard.type("Asked about the bus")
    page.keyboard.press("Tab")
    page.keyboard.type("nh")  # the second door: not home
    page.keyboard.press("Tab")
    page.keyboard.type("3")  # an answer on a door nobody talked at: refused, naming the row and box
    page.keyboard.press("Enter")
    page.wait_for_selector(".flash-error")
    assert "row 2, Q1: answers are written only for a conversation" in page.inner_text(".flash-error")
    assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"
    page.screenshot(path=f"{SHOTS}/a-type-in-error.png", full_page=False)
    assert db.session.scalar(select(func.count(Contact.id))) == 0
    page.keyboard.press("Control+a")  # the box to fix has the focus
    page.keyboard.press("Backspace")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=2 contacts from the paper list recorded")
    db.session.expire_all()
    talked = db.session.scalar(select(Contact).where(Contact.outcome == "talked"))
    assert talked.answers == {"support": 4, "top_issue": "Schools", "helps": True}
    assert sorted(db.session.scalars(select(FollowUp.kind))) == ["call_back", "yard_sign"]
