"""Re-knock rules: retried outcomes (Not home, Come back later) return after the canvass's hours, up to its
attempts; and the one definition of a walk's progress."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from fieldops.domain import outcomes
from fieldops.domain.reknock import KnockState, Progress, ReknockRule, knock_state, progress

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)
FOUR_HOURS_THREE_KNOCKS = ReknockRule(hours=4, max_attempts=3)


def ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


def test_a_door_nobody_knocked_is_to_do():
    assert knock_state([], NOW).state == "todo"


def test_not_home_comes_back_after_the_hours_and_not_before():
    later = knock_state([("not_home", ago(3))], NOW, FOUR_HOURS_THREE_KNOCKS)
    assert (later.state, later.attempts, later.back_after) == ("later", 1, ago(3) + timedelta(hours=4))
    assert (later.last_outcome, later.last_at) == ("not_home", ago(3))
    assert knock_state([("not_home", ago(4))], NOW, FOUR_HOURS_THREE_KNOCKS).state == "todo"
    assert knock_state([("come_back", ago(5))], NOW, FOUR_HOURS_THREE_KNOCKS).state == "todo"
    assert knock_state([("not_home", ago(3))], NOW, ReknockRule(hours=2, max_attempts=3)).state == "todo"


def test_the_attempts_run_out():
    knocks = [("not_home", ago(30)), ("not_home", ago(20)), ("not_home", ago(10))]
    assert knock_state(knocks, NOW, FOUR_HOURS_THREE_KNOCKS).state == "done"
    assert knock_state(knocks, NOW, ReknockRule(hours=4, max_attempts=4)).state == "todo"


def test_the_contacts_of_one_visit_are_one_knock():
    # Two people spoken with at one door: two contacts saved together, one knock.
    assert knock_state([("not_home", ago(30)), ("talked", ago(10)), ("talked", ago(10))], NOW).attempts == 2


def test_any_other_outcome_finishes_the_door_whatever_came_before():
    assert knock_state([("not_home", ago(9)), ("talked", ago(5))], NOW).state == "done"
    assert knock_state([("refused", ago(1))], NOW).state == "done"
    # Order of arrival does not matter: the latest knock decides.
    assert knock_state([("talked", ago(5)), ("not_home", ago(9))], NOW).state == "done"


def test_what_retries_comes_from_the_outcome_table(monkeypatch):
    monkeypatch.setitem(outcomes.BY_CODE, "refused", replace(outcomes.BY_CODE["refused"], retry=True))
    assert knock_state([("refused", ago(1))], NOW).state == "later"
    monkeypatch.setitem(outcomes.BY_CODE, "not_home", replace(outcomes.BY_CODE["not_home"], retry=False))
    assert knock_state([("not_home", ago(1))], NOW).state == "done"


@pytest.mark.parametrize("states, expected", [
    ([], Progress(0, 0, 0, 0)),
    ([KnockState("todo", 0), KnockState("later", 1), KnockState("done", 1), KnockState("done", 3),
      KnockState("todo", 2)], Progress(doors=5, done=2, later=1, attempted=4)),
])
def test_progress_counts_the_doors_by_state(states, expected):
    assert progress(states) == expected
