"""Hardening every response: security headers, a nonce-based Content-Security-Policy, cookies that
are Secure under https, and sign-in attempts throttled per account and per address.

The policy allows no inline script except the few blocks our own templates
mark with this request's nonce (the maps' set-up that Folium writes); any
script injected into a page has no nonce and does not run.
"""
from __future__ import annotations

import secrets

from flask import Flask, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

TILES = "https://tile.openstreetmap.org"  # map tiles: the one thing pages load from elsewhere

limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)


def csp_nonce() -> str:
    """This request's nonce, for ``<script nonce="...">`` in templates."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy(nonce: str) -> str:
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",  # Leaflet positions every tile and marker with inline styles
        f"img-src 'self' data: {TILES}",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "worker-src 'self'",
        "manifest-src 'self'",
    ])


def wire_security(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(), microphone=()")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response

    app.wsgi_app = SecureCookies(app.wsgi_app)


class SecureCookies:
    """Under https every cookie is Secure, whatever the configuration says. A WSGI wrapper, because the
    session and remember-me cookies are written after the app's own after-request hooks have run."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("wsgi.url_scheme") != "https":
            return self.wsgi_app(environ, start_response)

        def secure_start_response(status, headers, exc_info=None):
            headers = [(name, value + "; Secure") if name.lower() == "set-cookie" and "; secure" not in value.lower()
                       else (name, value) for name, value in headers]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, secure_start_response)


def sign_in_account() -> str:
    """The account a sign-in attempt is for: throttled on its own, whatever address it comes from."""
    return "account:" + (request.form.get("email") or "").strip().casefold()


def failed(response) -> bool:
    """Only refused sign-ins count toward the limits; a successful one redirects."""
    return response.status_code == 401
