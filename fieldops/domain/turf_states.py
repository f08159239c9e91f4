"""Turf states and the one table of what may be done to a turf, given its state and who holds it.

Every rule about a turf's life is here, pure, so that the services that act
and the page that offers the buttons ask the same question and get the same
answer:

- the state graph (``TRANSITIONS``): which state may follow which;
- an organizer's actions (``Action``): a state chosen by hand, a reshape
  (blocks added or removed, a split, either side of a merge) and a delete.
  Each takes the number of **active assignments** as an input: a turf in a
  volunteer's hands is never reshaped, re-stated, archived or deleted under
  them, so their walk list and their next contact stay valid. Take it back
  first;
- **checked out** is never chosen by hand: it follows from handing a turf out
  (``states_on_hand_out``), and a turf whose last assignment is taken back is
  open again (``state_after_take_back``).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from .text import N_, Phrase, Refused


class TurfState(StrEnum):
    DRAFT = "draft"              # being drawn or cut; not yet for volunteers
    OPEN = "open"                # ready to hand out
    CHECKED_OUT = "checked_out"  # assigned to volunteers for a canvass
    COMPLETED = "completed"      # every door attempted, or closed by the organizer
    ARCHIVED = "archived"        # kept for history, out of every list


class Action(StrEnum):
    STATE = "state"      # an organizer moves the turf to another state by hand
    RESHAPE = "reshape"  # blocks added or removed, split in parts, merged with another turf
    DELETE = "delete"    # gone for good, its blocks free again (merging a turf away deletes it too)


TRANSITIONS: dict[TurfState, frozenset[TurfState]] = {
    TurfState.DRAFT: frozenset({TurfState.OPEN, TurfState.ARCHIVED}),
    TurfState.OPEN: frozenset({TurfState.DRAFT, TurfState.CHECKED_OUT, TurfState.COMPLETED, TurfState.ARCHIVED}),
    TurfState.CHECKED_OUT: frozenset({TurfState.OPEN, TurfState.COMPLETED}),
    TurfState.COMPLETED: frozenset({TurfState.OPEN, TurfState.ARCHIVED}),
    TurfState.ARCHIVED: frozenset({TurfState.OPEN}),
}
# Only these turfs have blocks an organizer may move: the others are walked, done or stored.
RESHAPEABLE = frozenset({TurfState.DRAFT, TurfState.OPEN})
# A turf can be handed out from these; a draft is opened on the way.
HANDED_OUT_FROM = frozenset({TurfState.DRAFT, TurfState.OPEN, TurfState.CHECKED_OUT})


class TransitionError(Refused):
    """What was asked of a turf is not allowed in its state, or while volunteers hold it."""


@dataclass(frozen=True)
class Holding:
    """What the rules need to know about one turf besides the action asked."""
    state: str
    holders: int = 0         # active assignments: handed out and not taken back
    used: bool = False       # ever handed out or walked: it can then be archived, never deleted
    has_blocks: bool = True  # False for a re-visit turf of chosen doors, which has no blocks to reshape


@dataclass(frozen=True)
class Offer:
    """What an organizer can do to a turf right now: what the turf page shows as buttons."""
    states: tuple[TurfState, ...]   # the states it may be moved to by hand, in the order of the state list
    reshape: bool                   # add or remove blocks, split, merge another turf into it
    delete: bool
    hand_out: bool                  # may be handed out (to more volunteers, if already checked out)
    held_by: int                    # active assignments; when not 0 the page says to take it back first


def said(state: str) -> Phrase:
    """The state as people say it: 'checked out', not 'checked_out' (a Phrase: pages translate it)."""
    return Phrase(str(state).replace("_", " "))


def _state(value: str) -> TurfState:
    try:
        return TurfState(value)
    except ValueError:
        raise TransitionError(N_("unknown turf state %(value)r"), value=value) from None


def _held(holders: int) -> TransitionError:
    if holders == 1:
        return TransitionError(N_("it is in a volunteer's hands: take it back first, so their walk list does not "
                                  "change under them"))
    return TransitionError(N_("it is in %(holders)s volunteers' hands: take it back first, so their walk list "
                              "does not change under them"), holders=holders)


def refusal(action: Action, turf: Holding, target: str | None = None) -> str | None:
    """Why ``action`` cannot be done to the turf, or None if it can; ``target`` is the state asked for
    (``Action.STATE``)."""
    refused_by = refused(action, turf, target)
    return None if refused_by is None else str(refused_by)


def refused(action: Action, turf: Holding, target: str | None = None) -> TransitionError | None:
    """``refusal`` as the error itself, its words kept apart for the pages to translate."""
    source = _state(turf.state)
    if action is Action.STATE:
        destination = _state(target or "")
        if destination is source:
            return TransitionError(N_("it is already %(state)s"), state=said(source))
        if destination is TurfState.CHECKED_OUT:
            return TransitionError(N_("a turf is checked out by handing it out to volunteers, not by hand"))
        if turf.holders:
            return _held(turf.holders)
        if destination not in TRANSITIONS[source]:
            allowed = ", ".join(said(s) for s in TurfState
                                if s in TRANSITIONS[source] and s is not TurfState.CHECKED_OUT) or "none"
            return TransitionError(N_("a %(value)s turf cannot become %(value2)s (allowed: %(allowed)s)"),
                                   value=said(source), value2=said(destination), allowed=allowed)
        return None
    if turf.holders:
        return _held(turf.holders)
    if action is Action.RESHAPE:
        if not turf.has_blocks:
            return TransitionError(N_("it is a re-visit list of chosen doors, with no blocks to reshape"))
        if source not in RESHAPEABLE:
            return TransitionError(N_("it is %(state)s; only draft or open turfs are reshaped"), state=said(source))
    if action is Action.DELETE and turf.used:
        return TransitionError(N_("it has been handed out or walked; archive it instead to keep its history"))
    return None


def check(action: Action, turf: Holding, target: str | None = None) -> None:
    """Raise the TransitionError if ``action`` is not allowed (see ``refusal``)."""
    reason = refused(action, turf, target)
    if reason is not None:
        raise reason


def by_hand(turf: Holding) -> tuple[TurfState, ...]:
    """The states an organizer may move the turf to, in the order of the state list."""
    return tuple(s for s in TurfState if refusal(Action.STATE, turf, s) is None)


def offer(turf: Holding) -> Offer:
    """Every action that will succeed on the turf now, from the same rules the services check."""
    return Offer(states=by_hand(turf), reshape=refusal(Action.RESHAPE, turf) is None,
                 delete=refusal(Action.DELETE, turf) is None,
                 hand_out=_state(turf.state) in HANDED_OUT_FROM, held_by=turf.holders)


def states_on_hand_out(state: str) -> tuple[TurfState, ...]:
    """The states a turf passes through when handed out: a draft is opened, then checked out; a turf
    already checked out (more volunteers joining) stays as it is. TransitionError if it cannot be."""
    source = _state(state)
    if source not in HANDED_OUT_FROM:
        raise TransitionError(N_("it is %(value)s; open it first"), value=said(source))
    path = {TurfState.DRAFT: (TurfState.OPEN, TurfState.CHECKED_OUT), TurfState.OPEN: (TurfState.CHECKED_OUT,)}
    return path.get(source, ())


def state_after_take_back(state: str, holders_left: int) -> TurfState:
    """A checked-out turf that nobody holds any more is open again; otherwise the state stays."""
    source = _state(state)
    if source is TurfState.CHECKED_OUT and not holders_left:
        return TurfState.OPEN
    return source


def check_transition(current: str, target: str) -> TurfState:
    """Return ``target`` if the state graph allows the move, else raise TransitionError.

    The graph alone, without who holds the turf: organizers' actions go
    through ``check``, handing out and taking back through
    ``states_on_hand_out`` and ``state_after_take_back``.
    """
    source, destination = _state(current), _state(target)
    if destination not in TRANSITIONS[source]:
        allowed = ", ".join(sorted(said(state) for state in TRANSITIONS[source])) or "none"
        raise TransitionError(N_("a %(value)s turf cannot become %(value2)s (allowed: %(allowed)s)"),
                              value=said(source), value2=said(destination), allowed=allowed)
    return destination
