"""Volunteers as relationships, in pure functions: the ladder a volunteer climbs (prospect, first shift,
regular, leader), who has gone quiet, and retention (first-shift volunteers who came back)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PROSPECT, FIRST_SHIFT, REGULAR, LEADER = "prospect", "first_shift", "regular", "leader"
STAGE_LABELS = {PROSPECT: "Prospect", FIRST_SHIFT: "First shift", REGULAR: "Regular", LEADER: "Leader"}
REGULAR_SHIFTS = 3  # shifts attended to count as a regular
DEFAULT_QUIET_DAYS = 21  # a volunteer with no shift for this long is listed for a check-in


def ladder_stage(*, leads_team: bool, shifts_attended: int) -> str:
    """Where a volunteer stands: a team leader is a leader; 3 or more shifts attended, a regular; 1 or 2, past
    their first shift; none yet, a prospect (signed up, or met at a door and joined, but not yet come)."""
    if leads_team:
        return LEADER
    if shifts_attended >= REGULAR_SHIFTS:
        return REGULAR
    if shifts_attended >= 1:
        return FIRST_SHIFT
    return PROSPECT


def is_quiet(last_shift_day: date | None, joined_day: date, today: date, quiet_days: int) -> bool:
    """No shift attended for ``quiet_days`` days (counting from joining for someone who never came)."""
    since = last_shift_day or joined_day
    return (today - since).days >= quiet_days


@dataclass(frozen=True)
class Retention:
    """Of the volunteers who came to a first shift, how many came to another."""
    first_timers: int
    came_back: int

    @property
    def share(self) -> float | None:
        return round(self.came_back / self.first_timers, 3) if self.first_timers else None


def retention(shifts_attended: dict[int, int]) -> Retention:
    """``shifts_attended``: volunteer -> how many shifts they attended. First-timers are those with one or
    more; they came back with two or more."""
    came = [n for n in shifts_attended.values() if n >= 1]
    return Retention(first_timers=len(came), came_back=sum(1 for n in came if n >= 2))


def active_between(last_days: dict[int, list[date]], start: date, end: date) -> int:
    """How many volunteers were active (a shift attended or a knock made) on some day from ``start`` to
    ``end``, both included. ``last_days``: volunteer -> their active days."""
    return sum(1 for days in last_days.values() if any(start <= day <= end for day in days))
