"""Pacing toward a goal: done to date, the pace needed from today to the goal date, the pace of the
last 7 days and the day the goal is reached at that pace.

Pure functions over plain numbers and dates. Every day is a day on the office's clock: the caller
passes the office's today (``domain.time_zones.today``) and counts done per office-local day.

- ``days_left``: the days from today to the goal date, both included (a goal due today has 1 day
  left; one whose date has passed, 0);
- ``pace_needed``: what is left divided by the days left, per day (0 once the goal is reached;
  None when the date has passed with work still to do: no pace reaches it any more);
- ``pace_7d``: what was done in the last 7 days (today and the 6 before it) divided by 7, per day;
- ``projected_finish``: today plus the whole days the rest takes at ``pace_7d`` (today when the goal
  is already reached; None when nothing was done in the last 7 days: at that pace, never).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

PACE_DAYS = 7


@dataclass(frozen=True)
class Pace:
    goal: int
    done: int
    remaining: int
    percent: float         # done / goal, 0..1 and beyond (4 places)
    days_left: int
    pace_needed: float | None
    pace_7d: float
    projected_finish: date | None
    on_track: bool | None  # reached by the goal date at the last 7 days' pace; None without a projection

    def as_dict(self) -> dict:
        return {"goal": self.goal, "done": self.done, "remaining": self.remaining, "percent": self.percent,
                "days_left": self.days_left, "pace_needed": self.pace_needed, "pace_7d": self.pace_7d,
                "projected_finish": self.projected_finish.isoformat() if self.projected_finish else None,
                "on_track": self.on_track}


def days_left(today: date, due: date) -> int:
    """Days from today to the goal date, both included; 0 once the date has passed."""
    return max((due - today).days + 1, 0)


def pace(goal: int, done: int, done_last_7_days: int, today: date, due: date) -> Pace:
    """Where one goal stands today (see the module's docstring for each figure)."""
    remaining = max(goal - done, 0)
    left = days_left(today, due)
    if remaining == 0:
        needed: float | None = 0.0
    else:
        needed = round(remaining / left, 1) if left else None
    rate = done_last_7_days / PACE_DAYS
    if remaining == 0:
        finish: date | None = today
    elif rate > 0:
        finish = today + timedelta(days=math.ceil(remaining / rate))
    else:
        finish = None
    return Pace(goal=goal, done=done, remaining=remaining, percent=round(done / goal, 4) if goal else 1.0,
                days_left=left, pace_needed=needed, pace_7d=round(rate, 1), projected_finish=finish,
                on_track=None if finish is None else finish <= due)


def last_week_start(today: date) -> date:
    """The first of the 7 days ``pace_7d`` counts (today is the last)."""
    return today - timedelta(days=PACE_DAYS - 1)


def cumulative(per_day: list[tuple[date, int]], until: date) -> list[tuple[date, int]]:
    """Running totals of per-day counts (in any order), one point per day that had any, up to ``until``."""
    total, out = 0, []
    for day, count in sorted(per_day):
        if day > until:
            break
        total += count
        out.append((day, total))
    return out


def goal_line(start: date, due: date, goal: int) -> list[tuple[date, float]]:
    """The straight line from nothing on ``start`` to the goal on its date: the pace that was planned."""
    return [(start, 0.0), (max(due, start), float(goal))]


def projection_line(today: date, done: int, result: Pace) -> list[tuple[date, float]]:
    """From today's total to the goal at the last 7 days' pace; empty without a projection."""
    if result.projected_finish is None or result.remaining == 0:
        return []
    return [(today, float(done)), (result.projected_finish, float(result.goal))]


def share_of(part: int, whole: int) -> float:
    """The part's share of the whole (0 when the whole is empty), 4 places: a team's share of its office's
    doors, by which it takes its part of the office's goal."""
    return round(min(part / whole, 1.0), 4) if whole > 0 and part > 0 else 0.0


def scaled(goal: int, share: float) -> int:
    """A goal's part for a share of it, rounded up: a share of a goal is never 0 while the share is not."""
    return math.ceil(goal * share - 1e-9) if goal and share else 0


def ranked(offices: list[dict]) -> dict[str, list[int]]:
    """Office ids ranked by percent of goal (highest first) and by projected finish (soonest first;
    offices without a projection last), from dicts with "id", "percent" and "projected_finish" (a date
    or None). Offices without a goal (percent None) are left out."""
    with_goal = [o for o in offices if o.get("percent") is not None]
    by_percent = sorted(with_goal, key=lambda o: (-o["percent"], o["id"]))
    by_finish = sorted(with_goal, key=lambda o: (o["projected_finish"] is None, o["projected_finish"] or date.max,
                                                 o["id"]))
    return {"percent": [o["id"] for o in by_percent], "finish": [o["id"] for o in by_finish]}
