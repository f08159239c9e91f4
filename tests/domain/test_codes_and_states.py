"""Outcome codes in their fixed order, and the one turf transition table."""
from __future__ import annotations

import pytest

from fieldops.domain.addresses import house_number_key, street_order_key
from fieldops.domain.outcomes import OUTCOME_CODES, OUTCOMES, REACHED_CODES, outcome
from fieldops.domain.turf_states import (Action, Holding, TransitionError, TurfState, by_hand, check_transition, offer,
                                         refusal, state_after_take_back, states_on_hand_out)


def test_outcomes_in_the_order_volunteers_see_them():
    assert OUTCOME_CODES == ("talked", "not_home", "come_back", "refused", "moved", "wrong_address",
                             "inaccessible", "deceased", "language_barrier", "hostile", "left_literature")
    assert [o.code for o in OUTCOMES if o.opens_survey] == ["talked"]
    assert REACHED_CODES == {"talked"}
    assert [o.code for o in OUTCOMES if o.do_not_contact] == ["hostile"]
    assert [o.code for o in OUTCOMES if o.retry] == ["not_home", "come_back"]
    assert all(o.finishes_door != o.retry for o in OUTCOMES)


def test_unknown_outcome_lists_valid_codes():
    with pytest.raises(ValueError, match="talked, not_home"):
        outcome("maybe")


@pytest.mark.parametrize("current, target", [
    ("draft", "open"), ("open", "checked_out"), ("checked_out", "completed"), ("checked_out", "open"),
    ("completed", "archived"), ("archived", "open"),
])
def test_allowed_transitions(current, target):
    assert check_transition(current, target).value == target


@pytest.mark.parametrize("current, target", [
    ("draft", "checked_out"), ("checked_out", "archived"), ("archived", "completed"), ("open", "lost"),
])
def test_refused_transitions(current, target):
    with pytest.raises(TransitionError):
        check_transition(current, target)


@pytest.mark.parametrize("action", [Action.RESHAPE, Action.DELETE])
@pytest.mark.parametrize("state", ["draft", "open", "checked_out", "completed"])
def test_a_held_turf_is_neither_reshaped_nor_deleted_in_any_state(state, action):
    assert "take it back first" in refusal(action, Holding(state, holders=1))
    assert "2 volunteers' hands" in refusal(action, Holding(state, holders=2))


@pytest.mark.parametrize("state", ["draft", "open", "checked_out", "completed", "archived"])
def test_a_held_turf_changes_state_only_by_being_taken_back(state):
    assert by_hand(Holding(state, holders=1)) == ()
    assert state_after_take_back("checked_out", 1) is TurfState.CHECKED_OUT  # someone still holds it
    assert state_after_take_back("checked_out", 0) is TurfState.OPEN
    assert state_after_take_back("completed", 0) is TurfState.COMPLETED


def test_checked_out_follows_only_from_handing_out():
    for state in TurfState:
        assert TurfState.CHECKED_OUT not in by_hand(Holding(state))
    assert "by handing it out" in refusal(Action.STATE, Holding("open"), "checked_out")
    assert states_on_hand_out("draft") == (TurfState.OPEN, TurfState.CHECKED_OUT)
    assert states_on_hand_out("open") == (TurfState.CHECKED_OUT,)
    assert states_on_hand_out("checked_out") == ()  # more volunteers join
    with pytest.raises(TransitionError, match="archived; open it first"):
        states_on_hand_out("archived")


def test_a_stale_checked_out_turf_nobody_holds_can_be_opened_by_hand():
    assert by_hand(Holding("checked_out")) == (TurfState.OPEN, TurfState.COMPLETED)


def test_only_unused_turfs_are_deleted_and_only_draft_or_open_block_turfs_reshaped():
    assert offer(Holding("open")).delete and offer(Holding("open")).reshape
    used = offer(Holding("open", used=True))
    assert not used.delete and used.reshape and "archive it instead" in refusal(Action.DELETE, Holding("open", used=True))
    assert not offer(Holding("completed")).reshape and offer(Holding("completed")).delete
    revisit = Holding("open", has_blocks=False)
    assert not offer(revisit).reshape and offer(revisit).delete
    assert "re-visit list" in refusal(Action.RESHAPE, revisit)
    assert offer(Holding("archived")).hand_out is False and offer(Holding("checked_out", holders=1)).hand_out


def test_house_numbers_sort_naturally():
    numbers = ["10", "2", "10b", "1", "10a", "Block C", "22-24"]
    assert sorted(numbers, key=house_number_key) == ["1", "2", "10", "10a", "10b", "22-24", "Block C"]


def test_units_of_one_building_stay_together():
    doors = [("Main St", "5", "B 12"), ("Main St", "5", "A 2"), ("Main St", "3", None), ("Main St", "5", "A 10")]
    ordered = sorted(doors, key=lambda d: street_order_key(*d))
    assert ordered == [("Main St", "3", None), ("Main St", "5", "A 2"), ("Main St", "5", "A 10"),
                       ("Main St", "5", "B 12")]
