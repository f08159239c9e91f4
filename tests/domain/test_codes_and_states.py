"""Outcome codes in their fixed order, and the one turf transition table."""
from __future__ import annotations

import pytest

from fieldops.domain.addresses import house_number_key, street_order_key
from fieldops.domain.outcomes import OUTCOME_CODES, OUTCOMES, REACHED_CODES, outcome
from fieldops.domain.turf_states import TransitionError, check_transition


def test_outcomes_in_the_order_volunteers_see_them():
    assert OUTCOME_CODES == ("talked", "not_home", "come_back", "refused", "moved", "wrong_address",
                             "inaccessible", "deceased", "language_barrier", "hostile")
    assert [o.code for o in OUTCOMES if o.opens_survey] == ["talked"]
    assert REACHED_CODES == {"talked"}
    assert outcome("hostile").do_not_return


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


def test_house_numbers_sort_naturally():
    numbers = ["10", "2", "10b", "1", "10a", "Block C", "22-24"]
    assert sorted(numbers, key=house_number_key) == ["1", "2", "10", "10a", "10b", "22-24", "Block C"]


def test_units_of_one_building_stay_together():
    doors = [("Main St", "5", "B 12"), ("Main St", "5", "A 2"), ("Main St", "3", None), ("Main St", "5", "A 10")]
    ordered = sorted(doors, key=lambda d: street_order_key(*d))
    assert ordered == [("Main St", "3", None), ("Main St", "5", "A 2"), ("Main St", "5", "A 10"),
                       ("Main St", "5", "B 12")]
