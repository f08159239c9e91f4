"""When a door comes back to the walk list within a canvass, and how far a turf's walk has got.

An outcome that retries (``outcomes.Outcome.retry``: Not home, Come back later) brings the door back
after the canvass's set hours, up to its set number of knocks; any other outcome finishes the door.
The contacts saved together at one door (one per person spoken with) are one knock.

Pure. The walk list sends each door's state as computed here, the canvass's rule and the outcome
table as data; the phone (``static/js/knocks.js``) applies that data to the knocks it made since.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import outcomes

DEFAULT_REKNOCK_HOURS = 4
DEFAULT_MAX_ATTEMPTS = 3

TODO, LATER, DONE = "todo", "later", "done"


@dataclass(frozen=True)
class ReknockRule:
    """A canvass's rule: retried doors come back after ``hours``, up to ``max_attempts`` knocks."""
    hours: int = DEFAULT_REKNOCK_HOURS
    max_attempts: int = DEFAULT_MAX_ATTEMPTS


@dataclass(frozen=True)
class KnockState:
    state: str                      # TODO, LATER (back after ``back_after``) or DONE
    attempts: int                   # knocks so far in this canvass
    back_after: datetime | None = None
    last_outcome: str | None = None
    last_at: datetime | None = None


def knock_state(knocks: Iterable[tuple[str, datetime]], now: datetime,
                rule: ReknockRule = ReknockRule()) -> KnockState:
    """The door's state in one canvass from its knocks there (outcome, time), any order."""
    visits = {at: outcome for outcome, at in knocks}  # the contacts of one visit share its time
    if not visits:
        return KnockState(TODO, 0)
    at = max(visits)
    outcome = visits[at]
    attempts = len(visits)
    fact = outcomes.BY_CODE.get(outcome)
    if fact is None or not fact.retry or attempts >= rule.max_attempts:
        return KnockState(DONE, attempts, last_outcome=outcome, last_at=at)
    back_after = at + timedelta(hours=rule.hours)
    if now >= back_after:
        return KnockState(TODO, attempts, last_outcome=outcome, last_at=at)
    return KnockState(LATER, attempts, back_after, outcome, at)


@dataclass(frozen=True)
class Progress:
    """How far a turf's walk has got in a canvass: ``done`` of ``doors`` finished, ``later`` waiting
    for their hours to come back, ``attempted`` knocked at least once. The one definition that My
    turfs and the turf's phone page both show."""
    doors: int
    done: int
    later: int
    attempted: int

    def as_dict(self) -> dict:
        return {"doors": self.doors, "done": self.done, "later": self.later, "attempted": self.attempted}


def progress(states: Iterable[KnockState]) -> Progress:
    """Count the walk list's doors by their knock state."""
    states = list(states)
    return Progress(doors=len(states), done=sum(s.state == DONE for s in states),
                    later=sum(s.state == LATER for s in states), attempted=sum(s.attempts > 0 for s in states))
