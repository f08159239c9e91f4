"""Re-knock rules: Not home and Come back later doors return after the canvass's hours, up to its attempts."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fieldops.domain.reknock import knock_state

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)


def ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


def test_a_door_nobody_knocked_is_to_do():
    assert knock_state([], NOW).state == "todo"


def test_not_home_comes_back_after_the_hours_and_not_before():
    later = knock_state([("not_home", ago(3))], NOW, reknock_hours=4, max_attempts=3)
    assert (later.state, later.attempts, later.back_after) == ("later", 1, ago(3) + timedelta(hours=4))
    assert knock_state([("not_home", ago(4))], NOW, reknock_hours=4, max_attempts=3).state == "todo"
    assert knock_state([("come_back", ago(5))], NOW, reknock_hours=4, max_attempts=3).state == "todo"


def test_the_attempts_run_out():
    knocks = [("not_home", ago(30)), ("not_home", ago(20)), ("not_home", ago(10))]
    assert knock_state(knocks, NOW, reknock_hours=4, max_attempts=3) == knock_state(knocks, NOW, 4, 3)
    assert knock_state(knocks, NOW, reknock_hours=4, max_attempts=3).state == "done"
    assert knock_state(knocks, NOW, reknock_hours=4, max_attempts=4).state == "todo"


def test_any_other_outcome_finishes_the_door_whatever_came_before():
    assert knock_state([("not_home", ago(9)), ("talked", ago(5))], NOW).state == "done"
    assert knock_state([("refused", ago(1))], NOW).state == "done"
    # Order of arrival does not matter: the latest knock decides.
    assert knock_state([("talked", ago(5)), ("not_home", ago(9))], NOW).state == "done"
