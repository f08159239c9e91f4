"""Password resets: a signed, expiring link that works once.

The link names the user and a fingerprint of the password it replaces, signed with the app's secret key:
nothing is stored, and once the password changes (by this link or any other way) every link made for the
old one stops working. People ask for one by e-mail themselves; an organizer makes one for a volunteer.
"""
from __future__ import annotations

import hashlib
from datetime import timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from ..errors import NotFound
from ..extensions import db
from ..models import User
from ..models._base import utcnow
from . import audit, users
from ..domain.text import N_

SALT = "fieldops-password-reset"
BY_EMAIL = timedelta(hours=2)      # whoever asked is at their inbox now
BY_ORGANIZER = timedelta(days=3)   # handed over at the office, used during a canvassing weekend
EXPIRED = "this password reset link has expired: ask for a new one"
USED = "this password reset link was already used (or the password has changed since): ask for a new one"


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def reset_token(user: User, secret: str, lifetime: timedelta) -> str:
    """The secret part of a reset link for the user, valid for ``lifetime`` and until the password changes."""
    return _serializer(secret).dumps({"u": user.id, "p": _fingerprint(user), "s": int(lifetime.total_seconds())})


def user_for_reset(token: str, secret: str) -> User:
    """The user a reset link is for, or NotFound saying why it no longer works."""
    longest = int(max(BY_EMAIL, BY_ORGANIZER).total_seconds())
    try:
        payload, signed_at = _serializer(secret).loads(token or "", max_age=longest, return_timestamp=True)
    except SignatureExpired:
        raise NotFound(EXPIRED) from None
    except BadSignature:
        raise NotFound(N_("this is not a valid password reset link: ask for a new one")) from None
    if not isinstance(payload, dict) or (utcnow() - signed_at).total_seconds() > payload.get("s", 0):
        raise NotFound(EXPIRED)
    user = db.session.get(User, payload.get("u"))
    if user is None or not user.active or payload.get("p") != _fingerprint(user):
        raise NotFound(USED)
    return user


def reset_with_link(token: str, secret: str, password: str) -> User:
    """Set a new password through a reset link (no commit); the link, other sessions and tokens stop working."""
    user = user_for_reset(token, secret)
    users.set_password(user, password, user.id, how="reset link")
    return user


def account_to_reset(email: str) -> User | None:
    """The active account with this e-mail, if any: a reset e-mail goes to it, and the page says the same
    either way."""
    return db.session.scalar(select(User).where(User.email == (email or "").strip().lower(), User.active))


def organizer_link(actor: User, volunteer: User, secret: str) -> str:
    """An organizer makes a one-time reset link for a volunteer of their office (audited; no commit)."""
    if not volunteer.active:
        raise NotFound(N_("%(volunteer)s is deactivated: reactivate them first"),
                       volunteer=volunteer.name)
    audit.record(actor.id, "user.reset_link", "user", volunteer.id, email=volunteer.email)
    return reset_token(volunteer, secret, BY_ORGANIZER)
