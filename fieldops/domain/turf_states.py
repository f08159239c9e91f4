"""Turf states and the one table of allowed transitions between them."""
from __future__ import annotations

from enum import StrEnum


class TurfState(StrEnum):
    DRAFT = "draft"              # being drawn or cut; not yet for volunteers
    OPEN = "open"                # ready to hand out
    CHECKED_OUT = "checked_out"  # assigned to volunteers for a canvass
    COMPLETED = "completed"      # every door attempted, or closed by the organizer
    ARCHIVED = "archived"        # kept for history, out of every list


TRANSITIONS: dict[TurfState, frozenset[TurfState]] = {
    TurfState.DRAFT: frozenset({TurfState.OPEN, TurfState.ARCHIVED}),
    TurfState.OPEN: frozenset({TurfState.DRAFT, TurfState.CHECKED_OUT, TurfState.COMPLETED, TurfState.ARCHIVED}),
    TurfState.CHECKED_OUT: frozenset({TurfState.OPEN, TurfState.COMPLETED}),
    TurfState.COMPLETED: frozenset({TurfState.OPEN, TurfState.ARCHIVED}),
    TurfState.ARCHIVED: frozenset({TurfState.OPEN}),
}


class TransitionError(ValueError):
    """A turf was asked to move to a state it cannot reach from where it is."""


def check_transition(current: str, target: str) -> TurfState:
    """Return ``target`` as a TurfState if the move is allowed, else raise TransitionError."""
    try:
        source, destination = TurfState(current), TurfState(target)
    except ValueError:
        raise TransitionError(f"unknown turf state {target!r}") from None
    if destination not in TRANSITIONS[source]:
        allowed = ", ".join(sorted(_said(state) for state in TRANSITIONS[source])) or "none"
        raise TransitionError(f"a {_said(source)} turf cannot become {_said(destination)} (allowed: {allowed})")
    return destination


def _said(state: TurfState) -> str:
    """The state as people say it: 'checked out', not 'checked_out'."""
    return state.value.replace("_", " ")
