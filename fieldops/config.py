"""Configuration, read once from environment variables.

Every setting has a safe default for a laptop: SQLite in ``instance/`` and a
random secret key kept in ``instance/secret_key``. Production sets
``DATABASE_URL`` to PostgreSQL and ``SECRET_KEY`` to its own secret.
"""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _whole_number(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ValueError(f"{name} must be a whole number of 0 or more, not {value!r}")
    return int(value)


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgres://`` and ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one kept in instance/secret_key.

    Kept on disk so that sessions survive a restart and every gunicorn worker
    on the host signs cookies with the same key.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def from_environment() -> dict:
    """Return the app configuration built from the environment."""
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'fieldops.db'}"
    return {
        "SECRET_KEY": _secret_key(),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        # No ping before every checkout (a round trip on each request, about 5% of a sync worker's time):
        # PostgreSQL connections are recycled after DATABASE_POOL_RECYCLE_S seconds instead, younger than any
        # idle timeout of a proxy or firewall on the way, and a connection the server dropped (a restart)
        # fails one request with a 503 the phone retries, after which the pool starts afresh.
        # DATABASE_PRE_PING=1 brings the ping back (a network that drops connections at random).
        "DATABASE_PRE_PING": _bool("DATABASE_PRE_PING", False),
        "DATABASE_POOL_RECYCLE_S": _whole_number("DATABASE_POOL_RECYCLE_S", 300),
        # A canvassing weekend: Friday evening sign-in still works on Sunday night.
        "REMEMBER_COOKIE_DURATION": timedelta(days=int(os.environ.get("REMEMBER_DAYS", "3"))),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SECURE_COOKIES", False),
        "REMEMBER_COOKIE_SECURE": _bool("SECURE_COOKIES", False),
        # CSRF is checked by our own hook so that bearer-token API calls skip it.
        "WTF_CSRF_CHECK_DEFAULT": False,
        "WTF_CSRF_TIME_LIMIT": None,
        # Refused sign-ins: per account (whatever the address) and per address (whatever the account), from
        # browsers that never signed in to that account; a browser that did counts only its own.
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per minute; 20 per hour"),
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per minute; 100 per hour"),
        "LOGIN_LIMIT_PER_DEVICE": os.environ.get("LOGIN_LIMIT_PER_DEVICE", "5 per minute; 20 per hour"),
        # Redis when there is one (the counts are shared by every worker and host), else memory:// (one process:
        # under gunicorn -w 4 each worker would count on its own). RATELIMIT_STORAGE_URI overrides both.
        # Background jobs also go to RQ workers (`flask worker`) through it; unset, a thread of the web process runs them.
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        # The RQ queue the web processes send jobs to and `flask worker` takes them from (the same on every host).
        "JOB_QUEUE": os.environ.get("JOB_QUEUE") or None,
        "RATELIMIT_STORAGE_URI": (os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL")
                                  or "memory://"),
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "fieldops"),
        # How many reverse proxies in front of the app set X-Forwarded-For and -Proto (0: trust none of them).
        "TRUSTED_PROXIES": _whole_number("TRUSTED_PROXIES", 0),
        # Outgoing mail (password resets, invitations): smtp://user:password@host:port[?starttls=true], or smtps://.
        "MAIL_URL": os.environ.get("MAIL_URL") or None,
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Fieldops <fieldops@localhost>"),
        # The address people reach the app at, for links in e-mails (never taken from a request's Host header).
        "BASE_URL": (os.environ.get("BASE_URL") or "").rstrip("/") or None,
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_MB", "200")) * 1024 * 1024,
        "DEMO_PASSWORD": os.environ.get("DEMO_PASSWORD", "fieldops-demo"),
        # How far (metres) a household may be from a door at its street address and in its town and still be
        # one door with it; farther, it is a door of its own (domain/addresses.py has the rule).
        "DOOR_JOIN_DISTANCE_M": _whole_number("DOOR_JOIN_DISTANCE_M", 150),
        # An auto-cut over more free blocks than this runs as a background job (services/cut_jobs.py), not in the
        # request: planning 10,000 blocks takes longer than a web worker's timeout.
        "CUT_IN_JOB_BLOCKS": _whole_number("CUT_IN_JOB_BLOCKS", 3000),
        # An export job's file (contacts, voter data at rest) is dropped this many days after the job ended.
        "EXPORT_KEEP_DAYS": _whole_number("EXPORT_KEEP_DAYS", 7),
    }
