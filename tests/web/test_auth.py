"""Signing in and out, remember-me, and CSRF on forms."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime


def test_sign_in_then_out(client, auth, world):
    response = auth.login("organizer.a@test.example")
    assert response.status_code == 302
    assert client.get(f"/offices/{world.office_a.id}").status_code == 200
    out = auth.logout()
    assert out.status_code == 302 and "/login" in out.headers["Location"]
    assert client.get(f"/offices/{world.office_a.id}").status_code == 302


def test_wrong_password_is_refused_with_a_message(client, auth, world):
    response = auth.login("organizer.a@test.example", "not the password")
    assert response.status_code == 401
    assert "do not match" in response.get_data(as_text=True)
    assert client.get("/my/turfs").status_code == 302


def test_inactive_user_cannot_sign_in(client, auth, world):
    from fieldops.extensions import db
    world.users.organizer_a.active = False
    db.session.commit()
    assert auth.login("organizer.a@test.example").status_code == 401


def test_remember_me_lasts_a_weekend(client, auth, world):
    response = auth.login("volunteer.a1@test.example", remember=True)
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    assert cookies, "remember-me cookie not set"
    expires = parsedate_to_datetime(cookies[0].split("Expires=")[1].split(";")[0])
    lasts = expires - datetime.now(timezone.utc)
    assert timedelta(days=2, hours=23) < lasts <= timedelta(days=3, minutes=1)
    assert "HttpOnly" in cookies[0]


def test_sign_in_without_remember_sets_no_remember_cookie(client, auth, world):
    response = auth.login("volunteer.a1@test.example")
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]


def test_next_only_follows_local_paths(client, world):
    response = client.post("/login?next=https://evil.example/", data={
        "email": "organizer.a@test.example", "password": "correct horse battery"})
    assert response.headers["Location"] == "/"


def test_forms_need_a_csrf_token(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/login", data={"email": "organizer.a@test.example",
                                                "password": "correct horse battery"})
        assert response.status_code == 400
        assert "CSRF" in response.get_data(as_text=True)
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        ok = client.post("/login", data={"email": "organizer.a@test.example",
                                          "password": "correct horse battery", "csrf_token": token})
        assert ok.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
