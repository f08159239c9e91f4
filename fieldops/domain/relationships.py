"""Nobody taken for granted: who counts as a supporter, and when they have waited too long to hear from us.

Pure functions over plain values; ``services.relationships`` asks the same
questions of the database in one query.
"""
from __future__ import annotations

from datetime import datetime, timedelta

SUPPORTER_FROM = 4  # a last support answer of 4 or 5 (on the 1-to-5 scale) makes a supporter
DEFAULT_NEGLECT_DAYS = 30
MAX_NEGLECT_DAYS = 365


def is_supporter(last_support_answer: int | None) -> bool:
    """A supporter is a person whose last support answer was 4 or 5; an earlier 5 that fell to 2 is not."""
    return last_support_answer is not None and last_support_answer >= SUPPORTER_FROM


def neglect_cutoff(now: datetime, days: int) -> datetime:
    """Anyone last spoken with before this moment has not heard from us in ``days`` days."""
    return now - timedelta(days=days)


def is_neglected(last_support_answer: int | None, last_spoken_at: datetime | None, now: datetime,
                 days: int = DEFAULT_NEGLECT_DAYS) -> bool:
    """A supporter not spoken with in the last ``days`` days (or never, since the answer came some other way)."""
    return is_supporter(last_support_answer) and (last_spoken_at is None
                                                  or last_spoken_at < neglect_cutoff(now, days))
