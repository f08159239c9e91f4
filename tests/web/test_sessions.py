"""Sign-out ends every session and remember-me cookie issued before it; a bearer header is authenticated by
its token alone, never by the cookie beside it."""
from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import event, select

from fieldops.extensions import db
from fieldops.models import ApiToken, User
from tests.factories import create_token


def cookie(client, name: str) -> str | None:
    found = client.get_cookie(name)
    return found.value if found else None


def signed_in(client) -> bool:
    return client.get("/my/turfs").status_code == 200


def test_sign_out_deletes_the_remember_cookie(client, auth, world):
    auth.login("volunteer.a1@test.example", remember=True)
    assert cookie(client, "remember_token")
    out = auth.logout()
    assert any(c.startswith("remember_token=;") for c in out.headers.getlist("Set-Cookie"))
    assert cookie(client, "remember_token") is None
    assert not signed_in(client)


def test_a_remember_cookie_kept_from_before_sign_out_no_longer_signs_in(app, client, auth, world):
    auth.login("volunteer.a1@test.example", remember=True)
    kept = cookie(client, "remember_token")
    auth.logout()
    thief = app.test_client()  # a browser with only the old remember-me cookie (the session is gone)
    thief.set_cookie("remember_token", kept)
    assert not signed_in(thief)


def test_a_session_cookie_copied_before_sign_out_no_longer_works(app, client, auth, world):
    auth.login("organizer.a@test.example")
    copied = cookie(client, "session")
    other = app.test_client()
    other.set_cookie("session", copied)
    assert other.get(f"/offices/{world.office_a.id}").status_code == 200  # the copy works while signed in
    auth.logout()
    assert other.get(f"/offices/{world.office_a.id}").status_code == 302


def test_sign_out_signs_out_the_other_devices_too(app, client, auth, world):
    phone = app.test_client()
    phone.post("/login", data={"email": "volunteer.a1@test.example", "password": "correct horse battery",
                               "remember": "y"})
    auth.login("volunteer.a1@test.example")
    assert signed_in(phone)
    auth.logout()
    assert not signed_in(phone)
    assert cookie(phone, "remember_token") is None  # the dead cookie is deleted on its next visit


def test_each_sign_in_gets_its_own_remember_cookie(client, auth, world):
    auth.login("volunteer.a1@test.example", remember=True)
    first = cookie(client, "remember_token")
    client.delete_cookie("session")
    client.delete_cookie("remember_token")
    time.sleep(1.1)  # sign-in times are kept to the second
    auth.login("volunteer.a1@test.example", remember=True)
    assert cookie(client, "remember_token") != first


def test_a_sign_in_lasts_no_longer_than_the_remember_duration(app, client, auth, world):
    auth.login("volunteer.a1@test.example", remember=True)
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(seconds=1)
    try:
        time.sleep(2.1)
        assert not signed_in(client)  # neither the session nor the remember-me cookie outlives it
        client.delete_cookie("session")
        assert not signed_in(client)
    finally:
        app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=3)


def test_a_session_from_before_session_versions_is_asked_to_sign_in(client, world):
    with client.session_transaction() as session:
        session["_user_id"] = str(world.users.organizer_a.id)  # what sessions held before this change
    assert client.get(f"/offices/{world.office_a.id}").status_code == 302


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_a_garbage_bearer_header_beside_a_cookie_is_refused_not_let_past_csrf(app, client, auth, world):
    auth.login("volunteer.a1@test.example")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/api/v1/contacts", json={"contacts": []}, headers=bearer("garbage"))
        assert response.status_code == 401 and "bearer token is not valid" in response.get_json()["error"]
        page = client.post(f"/follow-ups/1/kept", data={"result": "x"}, headers=bearer("garbage"))
        assert page.status_code == 401
        no_csrf = client.post("/api/v1/contacts", json={"contacts": []})  # the cookie alone still needs CSRF
        assert no_csrf.status_code == 400 and "CSRF" in no_csrf.get_data(as_text=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_bearer_token_decides_who_you_are_whatever_cookie_comes_with_it(client, auth, world):
    token = create_token("volunteer.c@test.example")
    auth.login("volunteer.a1@test.example")
    turfs = client.get("/api/v1/me/turfs", headers=bearer(token)).get_json()["turfs"]
    assert [t["name"] for t in turfs] == ["Charlie 1"]  # the token's volunteer, not the cookie's
    assert client.get(f"/api/v1/turfs/{world.turf_a1.id}/walklist", headers=bearer(token)).status_code == 403
    assert [t["name"] for t in client.get("/api/v1/me/turfs").get_json()["turfs"]] == ["Alpha 1"]


def test_a_sync_looks_its_token_up_once_and_writes_last_used_rarely(client, world):
    token = create_token("volunteer.a1@test.example")
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for _ in range(3):
            assert client.post("/api/v1/contacts", json={"contacts": []}, headers=bearer(token)).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    lookups = [s for s in statements if "token_hash" in s and s.lstrip().upper().startswith("SELECT")]
    writes = [s for s in statements if s.lstrip().upper().startswith("UPDATE") and "api_token" in s]
    assert len(lookups) == 3 and len(writes) == 1  # once per request; last_used_at once per 10 minutes
    assert db.session.scalar(select(ApiToken.last_used_at)) is not None
    assert db.session.scalar(select(User.session_version).where(User.email == "volunteer.a1@test.example")) == 1
