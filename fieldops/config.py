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
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
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
        # Refused sign-ins: per account (whatever the address) and per address (whatever the account).
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per minute; 20 per hour"),
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per minute; 100 per hour"),
        # memory:// (one process) by default; redis://127.0.0.1:6379 shares the counts between workers and hosts.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Background jobs go to RQ workers (`flask worker`) through this Redis; unset, a thread of the web process runs them.
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_MB", "200")) * 1024 * 1024,
        "DEMO_PASSWORD": os.environ.get("DEMO_PASSWORD", "fieldops-demo"),
    }
