"""Hardening every response: security headers, a nonce-based Content-Security-Policy, cookies that
are Secure under https, the client's address behind trusted proxies, and throttles on sign-in attempts
and on the forms that send mail.

The policy allows no inline script except the few blocks our own templates
mark with this request's nonce (the maps' set-up that Folium writes); any
script injected into a page has no nonce and does not run.
"""
from __future__ import annotations

import hashlib
import math
import secrets
import time
from dataclasses import dataclass

from flask import Flask, current_app, g, request
from itsdangerous import BadSignature, URLSafeSerializer
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from werkzeug.middleware.proxy_fix import ProxyFix

from ..errors import InvalidInput
from ..domain.text import N_

TILES = "https://tile.openstreetmap.org"  # map tiles: the one thing pages load from elsewhere


def request_json(field: str = "body"):
    """The request's JSON body, or None when it is not JSON. A body nested deeper than the parser goes
    (``[[[[...]]]]`` 5,000 levels down) is a 400 that says so, never a 500: Python's parser raises
    RecursionError there, which Flask's ``silent`` does not catch."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        raise InvalidInput(N_("the JSON is nested too deeply to read: send flat objects"), field=field) from None


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
    app.extensions["fieldops_throttle"] = Throttle(app.config.get("RATELIMIT_STORAGE_URI") or "memory://",
                                                   app.config.get("RATELIMIT_KEY_PREFIX") or "fieldops")
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
        if request.endpoint != "static" and (request.cookies or "Authorization" in request.headers):
            # What a signed-in person sees holds voter data: never kept in a shared phone's browser cache,
            # and never shown again by Back after sign-out. (Told from the request, not by asking the database.)
            headers.setdefault("Cache-Control", "no-store")
        return response

    app.wsgi_app = SecureCookies(app.wsgi_app)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        # Outermost, so that everything inside sees the client's address and scheme. The Host header is
        # not taken from X-Forwarded-Host (links in e-mails use BASE_URL).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


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


class Throttle:
    """Counts attempts per bucket (an account, an address, a device) over moving windows such as
    "5 per minute; 20 per hour", in memory (one process) or in Redis (shared by every worker and host)."""

    def __init__(self, storage_uri: str, prefix: str):
        options = {"key_prefix": prefix} if storage_uri.split(":", 1)[0].startswith(("redis", "valkey")) else {}
        self.storage = storage_from_string(storage_uri, **options)
        self.windows = MovingWindowRateLimiter(self.storage)
        self.prefix = prefix

    def wait_seconds(self, limits: str, *bucket: str) -> int:
        """0 if another attempt is allowed in this bucket, else how long until one is."""
        waits = [self.windows.get_window_stats(item, self.prefix, *bucket).reset_time - time.time()
                 for item in parse_many(limits) if not self.windows.test(item, self.prefix, *bucket)]
        return max(1, math.ceil(max(waits))) if waits else 0

    def count(self, limits: str, *bucket: str) -> None:
        for item in parse_many(limits):
            self.windows.hit(item, self.prefix, *bucket)

    def reset(self) -> None:
        self.storage.reset()


def throttle() -> Throttle:
    return current_app.extensions["fieldops_throttle"]


def reset_throttle() -> None:
    """Forget every count (tests: attempts in one test must not throttle the next)."""
    throttle().reset()


def _hashed(text: str) -> str:
    """Buckets and cookies name accounts by a hash: no e-mail addresses in Redis keys or in a shared phone's cookies."""
    return hashlib.sha256(text.strip().casefold().encode()).hexdigest()[:24]


# A browser that has signed in to an account before carries a signed "device" cookie naming it
# (OWASP's device cookies). Wrong passwords from elsewhere lock out only strangers: the account's
# own phone still signs in with the right password, and is limited only by its own wrong tries.
DEVICE_COOKIE = "fieldops_device"
DEVICE_DAYS = 365
DEVICE_ACCOUNTS = 5  # a shared phone remembers the last five accounts signed in on it


def _device_signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="fieldops-device")


def _device() -> dict:
    try:
        device = _device_signer().loads(request.cookies.get(DEVICE_COOKIE, ""))
    except BadSignature:
        return {}
    return device if isinstance(device, dict) and isinstance(device.get("a"), list) else {}


@dataclass(frozen=True)
class SignInAttempt:
    """The buckets one sign-in attempt counts in: the device's own when it has signed in to this account
    before, else the account's and the address's."""
    buckets: tuple[tuple[str, tuple[str, ...]], ...]

    def wait_seconds(self) -> int:
        return max((throttle().wait_seconds(limits, *bucket) for limits, bucket in self.buckets), default=0)

    def refused(self) -> None:
        for limits, bucket in self.buckets:
            throttle().count(limits, *bucket)


def sign_in_attempt(email: str) -> SignInAttempt:
    config, account = current_app.config, _hashed(email or "")
    device = _device()
    if account in device.get("a", []):
        return SignInAttempt(((config["LOGIN_LIMIT_PER_DEVICE"], ("sign-in", "device", str(device.get("d")), account)),))
    return SignInAttempt(((config["LOGIN_LIMIT_PER_ACCOUNT"], ("sign-in", "account", account)),
                          (config["LOGIN_LIMIT_PER_ADDRESS"], ("sign-in", "address", request.remote_addr or ""))))


def remember_device(response, email: str) -> None:
    """After a successful sign-in: this browser is one of the account's own devices from now on."""
    device = _device()
    accounts = [a for a in device.get("a", []) if a != _hashed(email)]
    value = {"d": device.get("d") or secrets.token_urlsafe(12), "a": [_hashed(email), *accounts][:DEVICE_ACCOUNTS]}
    response.set_cookie(DEVICE_COOKIE, _device_signer().dumps(value), max_age=DEVICE_DAYS * 86400, httponly=True,
                        samesite="Lax", secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))


MAIL_LIMIT_PER_ADDRESS = "10 per hour"   # reset and join e-mails one address may ask for
MAIL_LIMIT_PER_RECIPIENT = "3 per hour"  # ... and one mailbox may receive


def mail_request_wait(kind: str, email: str) -> int:
    """Count a request that sends an e-mail (a reset, a join link); 0 if it may go, else seconds to wait.
    Counted whether or not the address has an account, so the answer says nothing about accounts."""
    buckets = ((MAIL_LIMIT_PER_ADDRESS, (kind, "address", request.remote_addr or "")),
               (MAIL_LIMIT_PER_RECIPIENT, (kind, "to", _hashed(email or ""))))
    wait = max(throttle().wait_seconds(limits, *bucket) for limits, bucket in buckets)
    if not wait:
        for limits, bucket in buckets:
            throttle().count(limits, *bucket)
    return wait
