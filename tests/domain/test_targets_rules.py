"""Universes, pacing and fair recognition as pure rules, with figures computed by hand."""
from __future__ import annotations

from datetime import date

import pytest

from fieldops.domain.pacing import cumulative, goal_line, pace, projection_line, ranked
from fieldops.domain.recognition import fair_order, streak
from fieldops.domain.universes import PersonFacts, describe, matches, parse_definition
from fieldops.errors import InvalidInput

TODAY = date(2026, 12, 3)


def test_pace_toward_a_goal_computed_by_hand():
    # 1,000 doors by Dec 12; 400 done, 210 of them in the last 7 days.
    result = pace(1000, 400, 210, TODAY, date(2026, 12, 12))
    assert result.remaining == 600
    assert result.days_left == 10            # Dec 3 to Dec 12, both included
    assert result.pace_needed == 60.0        # 600 / 10
    assert result.pace_7d == 30.0            # 210 / 7
    assert result.projected_finish == date(2026, 12, 23)  # 600 / 30 = 20 days after today
    assert result.on_track is False and result.percent == 0.4


def test_a_part_day_more_rounds_the_projection_up_and_a_goal_due_today_has_one_day():
    assert pace(1000, 399, 210, TODAY, date(2026, 12, 12)).projected_finish == date(2026, 12, 24)  # 601/30 = 20.03
    due_today = pace(100, 90, 7, TODAY, TODAY)
    assert (due_today.days_left, due_today.pace_needed, due_today.pace_7d) == (1, 10.0, 1.0)
    assert due_today.projected_finish == date(2026, 12, 13)


def test_past_reached_and_idle_goals():
    late = pace(100, 50, 14, TODAY, date(2026, 12, 1))
    assert (late.days_left, late.pace_needed) == (0, None)  # no pace reaches a date that has passed
    assert late.projected_finish == date(2026, 12, 28) and late.on_track is False  # 50 / 2 a day
    done = pace(100, 120, 0, TODAY, date(2026, 12, 10))
    assert (done.remaining, done.pace_needed, done.projected_finish, done.on_track) == (0, 0.0, TODAY, True)
    assert done.percent == 1.2
    idle = pace(100, 10, 0, TODAY, date(2026, 12, 10))
    assert (idle.pace_7d, idle.projected_finish, idle.on_track) == (0.0, None, None)
    assert idle.pace_needed == 11.2  # 90 / 8 = 11.25, to one place


def test_chart_lines():
    assert cumulative([(date(2026, 12, 2), 5), (date(2026, 12, 1), 3), (date(2026, 12, 9), 4)], TODAY) == [
        (date(2026, 12, 1), 3), (date(2026, 12, 2), 8)]
    assert goal_line(date(2026, 11, 1), date(2026, 12, 12), 1000) == [(date(2026, 11, 1), 0.0),
                                                                     (date(2026, 12, 12), 1000.0)]
    result = pace(1000, 400, 210, TODAY, date(2026, 12, 12))
    assert projection_line(TODAY, 400, result) == [(TODAY, 400.0), (date(2026, 12, 23), 1000.0)]
    assert projection_line(TODAY, 10, pace(100, 10, 0, TODAY, TODAY)) == []


def test_offices_ranked_by_percent_and_by_projected_finish():
    offices = [{"id": 1, "percent": 0.5, "projected_finish": date(2026, 12, 20)},
               {"id": 2, "percent": 0.9, "projected_finish": None},
               {"id": 3, "percent": 0.5, "projected_finish": date(2026, 12, 10)},
               {"id": 4, "percent": None, "projected_finish": None}]
    assert ranked(offices) == {"percent": [2, 1, 3], "finish": [3, 1, 2]}


def test_streaks_are_days_in_a_row_and_today_is_not_over():
    days = [date(2026, 11, 28), date(2026, 11, 29), date(2026, 11, 30), date(2026, 12, 2), date(2026, 12, 3)]
    assert streak(days, TODAY) == streak(days + [date(2026, 12, 3)], TODAY)
    assert (streak(days, TODAY).current, streak(days, TODAY).longest) == (2, 3)
    assert streak(days, date(2026, 12, 4)).current == 2   # nothing yet today: yesterday's run still counts
    assert streak(days, date(2026, 12, 5)).current == 0
    assert streak([], TODAY).current == streak([], TODAY).longest == 0


def test_fair_order_puts_conversations_before_knocks():
    rows = [{"name": "Fast", "knocks": 300, "conversations": 5, "promises_kept": 0, "streak": 1},
            {"name": "Listener", "knocks": 40, "conversations": 25, "promises_kept": 3, "streak": 4},
            {"name": "Keeper", "knocks": 40, "conversations": 25, "promises_kept": 5, "streak": 0}]
    assert [r["name"] for r in fair_order(rows)] == ["Keeper", "Listener", "Fast"]


def test_definitions_are_checked_and_bad_fields_named():
    spec = parse_definition({"support": ["3", 4, "none"], "contacted_this": "no", "age_min": "18",
                             "tags": {"Ward": ["7", "8"]}, "voted": False})
    assert spec.support == (3, 4) and spec.support_none and spec.contacted_this is False
    assert spec.as_dict() == {"support": [3, 4, "none"], "contacted_this": False, "age_min": 18, "voted": False,
                              "tags": {"ward": ["7", "8"]}}
    assert parse_definition(spec.as_dict()) == spec  # saved and read back: the same universe
    for bad, field in [({"support": [6]}, "support"), ({"colour": "red"}, "colour"), ({"age_min": "x"}, "age_min"),
                       ({"age_min": 40, "age_max": 30}, "age_max"), ({"status": ["do_not_contact"]}, "status"),
                       ({"voted": "perhaps"}, "voted"), ({"tags": {"ward": 7}}, "tags"),
                       ({"not_spoken_days": 0}, "not_spoken_days")]:
        with pytest.raises(InvalidInput) as error:
            parse_definition(bad)
        assert f"field {field!r}" in error.value.message
    with pytest.raises(InvalidInput, match="JSON object"):
        parse_definition(["support"])


def test_who_matches():
    undecided_young = parse_definition({"support": [3, "none"], "age_max": 35, "voted": False})
    assert matches(undecided_young, PersonFacts(support=3, age=30))
    assert matches(undecided_young, PersonFacts(support=None, age=35))
    assert not matches(undecided_young, PersonFacts(support=4, age=30))
    assert not matches(undecided_young, PersonFacts(support=3, age=36))
    assert not matches(undecided_young, PersonFacts(support=3, age=None))  # an age range needs an age
    assert not matches(undecided_young, PersonFacts(support=3, age=30, voted=True))
    everyone = parse_definition({})
    assert matches(everyone, PersonFacts())
    assert not matches(everyone, PersonFacts(door_do_not_contact=True))  # never, whatever the universe says
    assert not matches(everyone, PersonFacts(status="moved"))
    assert not matches(parse_definition({"not_spoken_days": 30}), PersonFacts(days_since_spoken=10))
    assert matches(parse_definition({"not_spoken_days": 30}), PersonFacts(days_since_spoken=None))
    assert matches(parse_definition({"tags": {"ward": "7"}}), PersonFacts(tags={"ward": "7"}))
    assert not matches(parse_definition({"tags": {"ward": "7"}}), PersonFacts(tags={}))
    assert describe(everyone) == ["everyone we may contact"]
    assert describe(undecided_young) == ["support answer 3 or never answered", "has not voted yet", "aged 0 to 35"]
