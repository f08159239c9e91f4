"""Accounts in real Chromium: sign-out with "Keep me signed in", a reset by e-mail, an organizer's reset
link, deactivating a volunteer, joining by invitation, and My account for every role."""
from __future__ import annotations

import re

from fieldops import unit_of_work
from fieldops.services import mail
from tests.factories import PASSWORD, create_token
from tests.mailbox import mailbox  # noqa: F401  (fixture)

from .conftest import PHONE, sign_in
from .test_sign_in_flow import no_horizontal_scroll

SHOTS = "/tmp/c-{}.png"
NEW = "a brand new password"


def send_mail(app, mailbox) -> None:
    """What the mail worker does, once."""
    assert unit_of_work.run(mail.send_due, mailbox.url, "Fieldops <noreply@test.example>").sent >= 1


def test_sign_out_with_keep_me_signed_in_really_signs_out(browser, live_server, world):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.fill("#email", "volunteer.a1@test.example")
    page.fill("#password", PASSWORD)
    page.check("input[name=remember]")
    page.click("button[type=submit]")
    page.wait_for_url("**/my/turfs")
    copied = context.cookies()
    assert {c["name"] for c in copied} >= {"session", "remember_token"}
    page.click("text=Sign out")
    page.wait_for_url("**/login")
    assert "signed out" in page.inner_text(".flash")
    page.screenshot(path=SHOTS.format("signed-out"))
    assert "remember_token" not in {c["name"] for c in context.cookies()}
    page.go_back()
    page.wait_for_load_state()
    assert "/login" in page.url and "Alpha" not in page.content()
    page.goto(f"{live_server}/my/turfs")
    assert "/login" in page.url
    page.reload()
    assert "/login" in page.url
    context.close()
    # Someone who copied the cookies before sign-out gets nothing with them.
    thief = browser.new_context(viewport=PHONE)
    thief.add_cookies(copied)
    stolen = thief.new_page()
    stolen.goto(f"{live_server}/my/turfs")
    assert "/login" in stolen.url and "Alpha 1" not in stolen.content()
    thief.close()


def test_forgot_password_by_e_mail_on_a_phone(app, phone, live_server, world, mailbox):
    app.config["MAIL_URL"] = mailbox.url
    try:
        phone.goto(f"{live_server}/login")
        phone.click("#forgot-link")
        phone.fill("#email", "volunteer.a1@test.example")
        phone.click("button[type=submit]")
        assert "If volunteer.a1@test.example belongs to an account" in phone.inner_text("#reset-sent")
        assert no_horizontal_scroll(phone)
        phone.screenshot(path=SHOTS.format("forgot-sent"))
        send_mail(app, mailbox)
        link = re.search(r"http\S+/password/reset/\S+", mailbox.to("volunteer.a1@test.example")[0].get_content()).group(0)
        phone.goto(link)
        phone.fill("#password", NEW)
        phone.fill("#again", NEW)
        phone.screenshot(path=SHOTS.format("reset-form"))
        phone.click("button[type=submit]")
        phone.wait_for_url("**/my/turfs")
        assert "new password is set" in phone.inner_text(".flash")
        phone.goto(link)
        assert "already used" in phone.inner_text(".flash-error")
    finally:
        app.config["MAIL_URL"] = None


def test_the_lockout_offers_the_reset(phone, live_server, world):
    for _ in range(5):
        sign_in(phone, live_server, "volunteer.c@test.example", "not my password")
    sign_in(phone, live_server, "volunteer.c@test.example", PASSWORD)
    alert = phone.inner_text("[role=alert]")
    assert "Too many wrong passwords" in alert and "ask your organizer to reset" not in alert
    phone.screenshot(path=SHOTS.format("locked"), full_page=True)
    phone.click("text=Get a link to choose a new password")
    assert phone.input_value("#email") == "volunteer.c@test.example"


def test_an_organizer_deactivates_a_volunteer_whose_phone_is_signed_out_at_once(browser, desktop, phone, live_server,
                                                                               world):
    sign_in(phone, live_server, "volunteer.a1@test.example", PASSWORD)
    phone.wait_for_url("**/my/turfs")
    sign_in(desktop, live_server, "organizer.a@test.example", PASSWORD)
    desktop.wait_for_url(f"**/offices/{world.office_a.id}")
    desktop.click("text=Volunteers")
    desktop.click("text=Volunteer A1")
    assert "Alpha 1" in desktop.inner_text("main")
    desktop.click("text=Show me a link to give them")
    assert "/password/reset/" in desktop.inner_text("#reset-link")
    desktop.screenshot(path=SHOTS.format("volunteer-page"), full_page=True)
    desktop.click("summary")
    desktop.click("button.danger:has-text('Deactivate Volunteer A1')")
    assert "1 turf taken back" in desktop.inner_text(".flash")
    desktop.screenshot(path=SHOTS.format("deactivated"), full_page=True)
    phone.reload()
    assert "/login" in phone.url
    desktop.click("text=Reactivate Volunteer A1")
    assert "may sign in again" in desktop.inner_text(".flash")


def test_joining_by_invitation_on_a_phone(app, desktop, phone, live_server, world, mailbox):
    app.config["MAIL_URL"] = mailbox.url
    try:
        sign_in(desktop, live_server, "organizer.c@test.example", PASSWORD)
        desktop.goto(f"{live_server}/offices/{world.office_c.id}/volunteers")
        desktop.fill("#uses", "2")
        desktop.click("text=Make an invitation link")
        link = desktop.inner_text("#invite-link")
        assert "0 of 2" in desktop.inner_text("#live-invites")
        desktop.screenshot(path=SHOTS.format("volunteers-page"), full_page=True)
        phone.goto(link)
        phone.fill("#name", "Noora")
        phone.fill("#email", "noora@test.example")
        phone.click("button[type=submit]")
        assert "Check your e-mail" in phone.inner_text("#join-sent")
        phone.screenshot(path=SHOTS.format("join-sent"))
        send_mail(app, mailbox)
        finish = re.search(r"http\S+/join/finish/\S+", mailbox.to("noora@test.example")[0].get_content()).group(0)
        phone.goto(finish)
        phone.fill("#password", "volunteering is fun")
        phone.fill("#again", "volunteering is fun")
        phone.screenshot(path=SHOTS.format("join-finish"))
        phone.click("button[type=submit]")
        phone.wait_for_url("**/my/turfs")
        assert "Welcome to Charlie" in phone.inner_text(".flash")
        assert no_horizontal_scroll(phone)
        desktop.reload()
        assert "1 of 2" in desktop.inner_text("#live-invites")
        desktop.click("#live-invites button.danger")
        assert "revoked" in desktop.inner_text(".flash")
    finally:
        app.config["MAIL_URL"] = None


def test_my_account_for_each_role(browser, live_server, world):
    create_token("lead.north@test.example", name="reporting script")
    for email, viewport, shot in [("volunteer.a1@test.example", PHONE, "account-volunteer"),
                                  ("organizer.a@test.example", {"width": 1280, "height": 800}, "account-organizer"),
                                  ("lead.north@test.example", {"width": 1280, "height": 800}, "account-lead"),
                                  ("admin@test.example", {"width": 1280, "height": 800}, "account-admin")]:
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        sign_in(page, live_server, email, PASSWORD)
        page.wait_for_load_state()
        page.click(".nav >> text=Account")
        assert email in page.inner_text("main")
        if email.startswith("lead"):
            assert "reporting script" in page.inner_text("table.tokens")
            page.click("table.tokens button.danger")
            assert "revoked" in page.inner_text(".flash")
        assert no_horizontal_scroll(page)
        page.screenshot(path=SHOTS.format(shot), full_page=True)
        context.close()
