"""Resetting a password: by e-mail (the same answer whether or not the address has an account), or with a
one-time link an organizer makes; changing your own password. Each ends the other sessions and tokens."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from fieldops import unit_of_work
from fieldops.extensions import db
from fieldops.models import ApiToken, AuditEvent, MailMessage
from fieldops.services import mail, passwords
from tests.factories import PASSWORD, create_token
from tests.mailbox import mailbox  # noqa: F401  (fixture)

NEW = "a brand new password"
LINK = re.compile(r"https?://[^/\s]+(/password/reset/\S+)")


def outbox() -> list[MailMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(MailMessage).order_by(MailMessage.id)))


def reset_path(body: str) -> str:
    return LINK.search(body).group(1)


def test_forgot_password_mails_a_link_that_works_once(app, client, world, mailbox):
    assert 'href="/password/forgot"' in client.get("/login").get_data(as_text=True)
    answer = client.post("/password/forgot", data={"email": "Volunteer.A1@test.example"})
    assert answer.status_code == 200 and "If Volunteer.A1@test.example belongs to an account" in answer.get_data(
        as_text=True)
    assert unit_of_work.run(mail.send_due, mailbox.url, "Fieldops <noreply@test.example>").sent == 1
    received = mailbox.to("volunteer.a1@test.example")[0]
    assert received["Subject"] == "Choose a new Fieldops password"
    path = reset_path(received.get_content())
    form = client.get(path)
    assert form.status_code == 200 and "volunteer.a1@test.example" in form.get_data(as_text=True)
    mismatch = client.post(path, data={"password": NEW, "again": NEW + "!"})
    assert mismatch.status_code == 400 and "not the same" in mismatch.get_data(as_text=True)
    short = client.post(path, data={"password": "short", "again": "short"})
    assert short.status_code == 400 and "at least 10 characters" in short.get_data(as_text=True)
    done = client.post(path, data={"password": NEW, "again": NEW})
    assert done.status_code == 302 and client.get("/my/turfs").status_code == 200  # signed in
    again = client.get(path)
    assert again.status_code == 404 and "already used" in again.get_data(as_text=True)
    client.post("/logout")
    assert client.post("/login", data={"email": "volunteer.a1@test.example", "password": PASSWORD}).status_code == 401
    assert client.post("/login", data={"email": "volunteer.a1@test.example", "password": NEW}).status_code == 302


def test_the_answer_is_the_same_for_an_address_without_an_account(client, world):
    known = client.post("/password/forgot", data={"email": "organizer.a@test.example"})
    unknown = client.post("/password/forgot", data={"email": "nobody@test.example"})
    assert known.status_code == unknown.status_code == 200
    strip = lambda response, email: response.get_data(as_text=True).replace(email, "EMAIL")  # noqa: E731
    assert strip(known, "organizer.a@test.example") == strip(unknown, "nobody@test.example")
    assert [m.to_address for m in outbox()] == ["organizer.a@test.example"]


def test_reset_e_mails_are_limited_per_mailbox(client, world):
    for _ in range(3):
        assert client.post("/password/forgot", data={"email": "organizer.a@test.example"}).status_code == 200
    too_many = client.post("/password/forgot", data={"email": "organizer.a@test.example"})
    assert too_many.status_code == 429 and "Too many reset e-mails" in too_many.get_data(as_text=True)
    assert len(outbox()) == 3
    for _ in range(3):  # the same for an address without an account: the limit tells nothing either
        client.post("/password/forgot", data={"email": "nobody@test.example"})
    assert client.post("/password/forgot", data={"email": "nobody@test.example"}).status_code == 429


def test_reset_links_use_base_url_never_the_host_header(app, client, world):
    app.config["BASE_URL"] = "https://fieldops.example"
    try:
        client.post("/password/forgot", data={"email": "organizer.a@test.example"},
                    headers={"Host": "evil.example"})
    finally:
        app.config["BASE_URL"] = None
    body = outbox()[0].body
    assert "https://fieldops.example/password/reset/" in body and "evil.example" not in body


def test_a_reset_link_expires_and_a_forged_one_is_refused(app, client, world):
    user = world.users.volunteer_a1
    secret = app.config["SECRET_KEY"]
    expired = passwords.reset_token(user, secret, timedelta(seconds=-1))
    page = client.get(f"/password/reset/{expired}")
    assert page.status_code == 404 and "expired" in page.get_data(as_text=True)
    forged = passwords.reset_token(user, "another secret", passwords.BY_EMAIL)
    assert "not a valid password reset link" in client.get(f"/password/reset/{forged}").get_data(as_text=True)
    assert client.post(f"/password/reset/{expired}", data={"password": NEW, "again": NEW}).status_code == 404


def test_a_reset_ends_the_other_sessions_and_revokes_tokens(app, client, auth, world):
    token = create_token("volunteer.a1@test.example")
    phone = app.test_client()
    phone.post("/login", data={"email": "volunteer.a1@test.example", "password": PASSWORD, "remember": "y"})
    link = passwords.reset_token(world.users.volunteer_a1, app.config["SECRET_KEY"], passwords.BY_EMAIL)
    assert client.post(f"/password/reset/{link}", data={"password": NEW, "again": NEW}).status_code == 302
    assert phone.get("/my/turfs").status_code == 302
    assert client.get("/api/v1/me/turfs", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.get("/my/turfs").status_code == 200


def test_an_organizer_makes_a_one_time_link_for_a_volunteer(client, auth, world):
    auth.login("organizer.a@test.example")
    volunteer = world.users.volunteer_a1
    page = client.get(f"/volunteers/{volunteer.id}").get_data(as_text=True)
    assert "Show me a link to give them" in page
    shown = client.post(f"/volunteers/{volunteer.id}/reset-link", data={"send": "show"}).get_data(as_text=True)
    link = re.search(r'id="reset-link">([^<]+)<', shown).group(1)
    assert "old password still works" in shown
    emailed = client.post(f"/volunteers/{volunteer.id}/reset-link", data={"send": "email"})
    assert emailed.status_code == 302
    assert [m.to_address for m in outbox()] == ["volunteer.a1@test.example"]
    assert "Organizer A made you a link" in outbox()[0].body
    auth.logout()
    path = link.split("localhost", 1)[1]
    assert client.post(path, data={"password": NEW, "again": NEW}).status_code == 302
    assert client.get(reset_path(outbox()[0].body)).status_code == 404  # one password change kills every link
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "user.reset_link")) == 2


def test_organizers_make_links_only_for_their_own_volunteers(client, auth, world):
    auth.login("organizer.b@test.example")
    assert client.post(f"/volunteers/{world.users.volunteer_a1.id}/reset-link").status_code == 403
    auth.logout()
    auth.login("organizer.a@test.example")
    assert client.post(f"/volunteers/{world.users.organizer_a.id}/reset-link").status_code == 404  # not a volunteer
    assert client.post(f"/volunteers/{world.users.volunteer_c.id}/reset-link").status_code == 403


def test_changing_your_own_password(app, client, auth, world):
    token = create_token("organizer.a@test.example")
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"email": "organizer.a@test.example", "password": PASSWORD})
    auth.login("organizer.a@test.example", remember=True)
    assert "Change your password" in client.get("/account").get_data(as_text=True)
    wrong = client.post("/account/password", data={"current": "not it at all", "password": NEW, "again": NEW})
    assert wrong.status_code == 400 and "not your current password" in wrong.get_data(as_text=True)
    changed = client.post("/account/password", data={"current": PASSWORD, "password": NEW, "again": NEW})
    assert changed.status_code == 302
    assert client.get("/account").status_code == 200  # this browser stays signed in
    client.delete_cookie("session")
    assert client.get("/account").status_code == 200  # ... and its new remember-me cookie works
    assert elsewhere.get("/account").status_code == 302
    assert client.get("/api/v1/me/turfs", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert db.session.scalar(select(func.count(ApiToken.id)).where(ApiToken.revoked_at.is_(None))) == 0


@pytest.mark.parametrize("who", ["volunteer.a1@test.example", "lead.north@test.example", "admin@test.example"])
def test_every_role_has_a_my_account_page(client, auth, world, who):
    auth.login(who)
    page = client.get("/account").get_data(as_text=True)
    assert who in page and "API tokens" in page and 'href="/account">Account</a>' in page
