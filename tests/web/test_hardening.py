"""Hardening: security headers and a nonce-only script policy on every response, cookies, a fresh
session at sign-in, size limits, and the audit log admins read (sign-in throttling: test_sign_in_throttle)."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from fieldops import create_app
from fieldops.extensions import db
from fieldops.models import AuditEvent
from tests.factories import PASSWORD

SCRIPT_TAG = re.compile(r"<script(?P<attributes>[^>]*)>", re.I)


def policy(response) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
            for part in (p.strip() for p in response.headers["Content-Security-Policy"].split(";")) if part}


def test_every_kind_of_response_carries_the_security_headers(client, auth, world):
    auth.login("organizer.a@test.example")
    for path in ["/login", f"/offices/{world.office_a.id}", "/static/css/app.css", "/api/v1/openapi.json",
                 "/offices/99999", "/sw.js"]:
        response = client.get(path)
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"] == "same-origin", path
        rules = policy(response)
        assert "'unsafe-inline'" not in rules["script-src"] and "'unsafe-eval'" not in rules["script-src"], path
        assert rules["frame-ancestors"] == "'none'" and rules["object-src"] == "'none'", path
        assert "Strict-Transport-Security" not in response.headers  # plain http: no HSTS


@pytest.mark.parametrize("page", ["dashboard", "turfs", "compare", "canvass"])
def test_every_inline_script_carries_this_responses_nonce(client, auth, world, page):
    auth.login("admin@test.example" if page == "compare" else "organizer.a@test.example")
    path = {"dashboard": f"/offices/{world.office_a.id}/dashboard", "turfs": f"/offices/{world.office_a.id}/turfs",
            "compare": f"/regions/{world.north.id}/compare", "canvass": f"/canvass/{world.turf_a1.id}"}[page]
    response = client.get(path)
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", policy(response)["script-src"]).group(1)
    tags = [m.group("attributes") for m in SCRIPT_TAG.finditer(response.get_data(as_text=True))]
    assert tags
    for attributes in tags:
        # A JSON data block (the scripts' translations) is never run, so the policy does not apply to it.
        assert "src=" in attributes or f'nonce="{nonce}"' in attributes or 'type="application/json"' in attributes, \
            attributes
    assert client.get(path).headers["Content-Security-Policy"] != response.headers["Content-Security-Policy"]


def test_under_https_cookies_are_secure_and_hsts_is_sent(client, world):
    response = client.post("/login", data={"email": "organizer.a@test.example", "password": PASSWORD},
                           base_url="https://fieldops.example")
    assert response.status_code == 302
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in c and "HttpOnly" in c and "SameSite=Lax" in c for c in cookies
                           if c.startswith("session="))


def test_signing_in_starts_a_fresh_session(client, auth, world):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    auth.login("organizer.a@test.example")
    with client.session_transaction() as session:
        assert "planted" not in session and session.get("_user_id")


def test_an_oversized_upload_gets_a_413_that_says_the_limit(app, client, auth, world):
    auth.login("organizer.a@test.example")
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    try:
        response = client.post(f"/offices/{world.office_a.id}/import",
                               data={"kind": "blocks", "file": (io.BytesIO(b"x" * 2 * 1024 * 1024), "blocks.zip")})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 200 * 1024 * 1024
    assert response.status_code == 413 and "the limit is 1 MB" in response.get_data(as_text=True)


def test_role_changes_exports_and_deletions_reach_the_audit_log_that_admins_read(client, auth, runner, world):
    assert runner.invoke(args=["set-role", "volunteer.a2@test.example", "organizer", "--office", "Alpha"]).exit_code == 0
    bad = runner.invoke(args=["set-role", "volunteer.a2@test.example", "lead"])
    assert bad.exit_code != 0 and "give --region" in bad.output
    auth.login("organizer.a@test.example")
    assert client.get(f"/offices/{world.office_a.id}/contacts.csv").status_code == 200
    auth.logout()
    auth.login("organizer.b@test.example")
    assert client.post(f"/turfs/{world.turf_b1.id}/delete").status_code == 302  # never handed out
    auth.logout()
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"user.role", "export.contacts", "turf.delete"} <= actions
    auth.login("admin@test.example")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "user.role" in page and "volunteer.a2@test.example" in page
    only_roles = client.get("/admin/audit?action=user.role").get_data(as_text=True)
    assert "user.role" in only_roles and "user.create" not in only_roles


def test_an_anonymous_api_call_is_told_to_sign_in_even_with_csrf_on(world):
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": True,
                      "SQLALCHEMY_DATABASE_URI": db.engine.url.render_as_string(hide_password=False)})
    response = app.test_client().post("/api/v1/contacts", json={"contacts": []})
    assert response.status_code == 401 and "Bearer" in response.get_json()["error"]
