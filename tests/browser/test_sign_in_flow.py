"""Signing in on a phone and on a desktop, in real Chromium."""
from __future__ import annotations

from tests.factories import PASSWORD

from .conftest import sign_in


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_volunteer_on_a_phone_reaches_their_turf(phone, live_server, world):
    sign_in(phone, live_server, "volunteer.a1@test.example", PASSWORD)
    phone.wait_for_url("**/my/turfs")
    assert phone.locator(".turf-name").all_inner_texts() == ["Alpha 1"]
    assert no_horizontal_scroll(phone)
    tap_height = phone.locator(".turf-card a").bounding_box()["height"]
    assert tap_height >= 48
    phone.click("text=Alpha 1")
    phone.wait_for_url(f"**/canvass/{world.turf_a1.id}")
    phone.wait_for_selector(".door-button")
    assert phone.locator("#door-list .door-button").count() == 40
    assert no_horizontal_scroll(phone)


def test_wrong_password_shows_a_message_and_stays(phone, live_server, world):
    sign_in(phone, live_server, "volunteer.a1@test.example", "wrong password!")
    assert "do not match" in phone.locator(".flash-error").inner_text()
    assert "/login" in phone.url


def test_sign_out_ends_the_session(desktop, live_server, world):
    sign_in(desktop, live_server, "organizer.a@test.example", PASSWORD)
    desktop.wait_for_url(f"**/offices/{world.office_a.id}")
    assert "Alpha 1" in desktop.inner_text("table.data")
    desktop.click("text=Sign out")
    desktop.wait_for_url("**/login")
    desktop.goto(f"{live_server}/offices/{world.office_a.id}")
    assert "/login" in desktop.url
