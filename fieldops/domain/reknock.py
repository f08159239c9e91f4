"""When a door comes back to the walk list within a canvass: Not home and Come back later doors return
after the canvass's set hours, up to its set number of attempts; any other outcome finishes the door.

Pure; ``static/js/canvass.js`` applies the same rule on the phone, offline, to knocks it has not synced.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

RETRY_OUTCOMES = frozenset({"not_home", "come_back"})
DEFAULT_REKNOCK_HOURS = 4
DEFAULT_MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class KnockState:
    state: str                      # "todo", "later" (back after ``back_after``) or "done"
    attempts: int
    back_after: datetime | None = None


def knock_state(knocks: list[tuple[str, datetime]], now: datetime, reknock_hours: int = DEFAULT_REKNOCK_HOURS,
                max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> KnockState:
    """The door's state in one canvass from its knocks there (outcome, time), any order."""
    if not knocks:
        return KnockState("todo", 0)
    outcome, at = max(knocks, key=lambda knock: knock[1])
    attempts = len(knocks)
    if outcome not in RETRY_OUTCOMES or attempts >= max_attempts:
        return KnockState("done", attempts)
    back_after = at + timedelta(hours=reknock_hours)
    return KnockState("todo", attempts) if now >= back_after else KnockState("later", attempts, back_after)
