"""Shared column helpers for the models."""
from __future__ import annotations

from datetime import datetime, timezone


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware (stored as UTC on both databases)."""
    return datetime.now(timezone.utc)
