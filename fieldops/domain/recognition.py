"""Fair recognition: what a volunteer's table shows beside raw knocks, which invite fake data when ranked
alone. Conversations, promises kept, and streaks of days in a row canvassing.

Pure functions over plain dates, which are days on the office's clock.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Streak:
    current: int   # days in a row up to today (or up to yesterday, when today has no knock yet)
    longest: int   # the longest run of days in a row ever


def streak(days: Iterable[date], today: date) -> Streak:
    """Days in a row canvassing. A run still counts as current while today is not over: a volunteer who
    canvassed every day up to yesterday has a current streak until today ends without a knock."""
    ordered = sorted(set(d for d in days if d <= today))
    longest = run = 0
    previous = None
    for day in ordered:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = run if previous is not None and (today - previous).days <= 1 else 0
    return Streak(current=current, longest=longest)


def fair_order(rows: list[dict]) -> list[dict]:
    """Volunteers ordered by conversations, then promises kept, then the current streak, then name:
    never by knocks first."""
    return sorted(rows, key=lambda r: (-r["conversations"], -r.get("promises_kept", 0), -r.get("streak", 0),
                                       r["name"]))
