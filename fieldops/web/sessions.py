"""Who a request is from: a session or remember-me cookie checked against the database on every request,
or a bearer token alone.

A session and its remember-me cookie hold "user id:session version:sign-in time" (``User.get_id``).
Signing out, a new password and deactivation raise the user's session version, so every cookie issued
before stops signing anyone in, copies included; and a sign-in lasts at most ``REMEMBER_COOKIE_DURATION``,
however its cookies are kept.
"""
from __future__ import annotations

import time

from flask import current_app, g, jsonify, request, session
from flask_login import login_user, logout_user

from ..extensions import db, login_manager
from ..models import User
from ..services import users


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def user_for_session(session_id: str) -> User | None:
    """The user a session or remember-me cookie names, if it is still good; else None (and the stale
    cookie is dropped)."""
    user = _still_good(session_id)
    if user is None:
        session.pop("_user_id", None)
        if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
            session["_remember"] = "clear"  # Flask-Login deletes the remember-me cookie with the answer
    return user


def _still_good(session_id: str) -> User | None:
    parts = (session_id or "").split(":")
    if len(parts) != 3 or not all(part.isdigit() and len(part) < 19 for part in parts):
        return None  # a cookie from before session versions: sign in again
    user_id, version, began = (int(part) for part in parts)
    lifetime = current_app.config["REMEMBER_COOKIE_DURATION"].total_seconds()
    if not began or time.time() - began > lifetime:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    user.signed_in_at = began
    return user


def authenticate_bearer():
    """Before every request: a request with a bearer header is that token's user, or a 401; the cookie
    is never consulted. The user is looked up once and kept for the request."""
    token = bearer_token()
    if token is None:
        return None
    user = users.user_for_token(token)
    if user is None:
        return jsonify(error="that bearer token is not valid: it is unknown or revoked, or its user is "
                             "deactivated"), 401
    g.bearer_user = user
    login_manager._update_request_context_with_user(user)  # current_user for this request only, no session
    return None


def by_bearer() -> bool:
    """Was this request authenticated by a bearer token (so no cookie, and no CSRF, is involved)?"""
    return g.get("bearer_user") is not None


def start(user: User, remember: bool) -> None:
    """Sign the user in on this browser with a fresh session (no fixation)."""
    session.clear()
    user.signed_in_at = int(time.time())
    login_user(user, remember=remember)


def restart(user: User) -> None:
    """After the user's session version changed on this request (a new password): keep this browser signed in."""
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    start(user, remember)


def end(user: User, response) -> None:
    """Sign out: every session and remember-me cookie of the user stops working, here and everywhere."""
    users.end_sessions(user)
    logout_user()
    session.clear()
    config = current_app.config
    response.delete_cookie(config.get("REMEMBER_COOKIE_NAME", "remember_token"),
                           path=config.get("REMEMBER_COOKIE_PATH", "/"), domain=config.get("REMEMBER_COOKIE_DOMAIN"))
