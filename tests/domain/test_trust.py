"""Trust flags on constructed cases: distance, pace and rate; an honest pace is never flagged."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fieldops.domain.trust import distance_flag, metres_between, too_fast, too_good

T0 = datetime(2026, 11, 23, 10, tzinfo=timezone.utc)


def test_distance_to_the_door_flags_at_100_and_300_metres():
    door = (60.1700, 24.9400)
    assert round(metres_between(*door, 60.1709, 24.9400)) == 100  # 0.0009 degrees of latitude
    assert distance_flag(metres_between(*door, 60.1700, 24.9401)) is None  # about 6 m
    assert distance_flag(150) == "far" and distance_flag(301) == "suspect" and distance_flag(100) is None
    assert distance_flag(None) is None  # no location shared: nothing to judge


def test_ten_doors_in_two_minutes_is_flagged_and_an_honest_pace_is_not():
    rushed = [(f"c{n}", n, T0 + timedelta(seconds=12 * n)) for n in range(10)]   # 108 s for ten doors
    assert too_fast(rushed) == {f"c{n}" for n in range(10)}
    honest = [(f"c{n}", n, T0 + timedelta(minutes=1.5 * n)) for n in range(40)]
    assert too_fast(honest) == set()
    same_door = [(f"c{n}", 7, T0 + timedelta(seconds=5 * n)) for n in range(12)]  # one door, many people
    assert too_fast(same_door) == set()


def test_a_near_perfect_contact_rate_over_many_knocks_is_flagged():
    assert too_good(40, 39) and not too_good(40, 30) and not too_good(10, 10)
