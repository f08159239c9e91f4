"""Issue 20's rules on hand-computed data: the volunteer ladder, retention, quiet volunteers, active weeks,
which shift reminders are due, the nearest free turf and the calendar file."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from fieldops.domain import shifts, volunteers

START = datetime(2026, 12, 5, 10, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("leads, attended, stage", [
    (False, 0, "prospect"), (False, 1, "first_shift"), (False, 2, "first_shift"), (False, 3, "regular"),
    (False, 9, "regular"), (True, 0, "leader"), (True, 5, "leader"),
])
def test_the_ladder(leads, attended, stage):
    assert volunteers.ladder_stage(leads_team=leads, shifts_attended=attended) == stage


def test_retention_is_the_share_of_first_shift_volunteers_who_came_back():
    # Six volunteers: two never came (0), two came once, one twice, one four times.
    kept = volunteers.retention({1: 0, 2: 0, 3: 1, 4: 1, 5: 2, 6: 4})
    assert (kept.first_timers, kept.came_back, kept.share) == (4, 2, 0.5)
    assert volunteers.retention({1: 1, 2: 1, 3: 3}).share == 0.333
    assert volunteers.retention({}).share is None and volunteers.retention({1: 0}).share is None


def test_quiet_volunteers_count_from_their_last_shift_or_from_joining():
    today = date(2026, 12, 3)
    assert volunteers.is_quiet(date(2026, 11, 12), date(2026, 1, 1), today, 21)      # 21 days: listed
    assert not volunteers.is_quiet(date(2026, 11, 13), date(2026, 1, 1), today, 21)  # 20 days
    assert volunteers.is_quiet(None, date(2026, 11, 1), today, 21)
    assert not volunteers.is_quiet(None, date(2026, 11, 30), today, 21)


def test_active_volunteers_in_a_week():
    days = {1: [date(2026, 11, 30)], 2: [date(2026, 11, 23), date(2026, 12, 6)], 3: [date(2026, 11, 29)]}
    assert volunteers.active_between(days, date(2026, 11, 30), date(2026, 12, 6)) == 2
    assert volunteers.active_between(days, date(2026, 11, 23), date(2026, 11, 29)) == 2


@pytest.mark.parametrize("hours_before, sent, due", [
    (25, set(), []), (24, set(), ["24h"]), (23, set(), ["24h"]), (23, {"24h"}, []),
    (2, {"24h"}, ["2h"]), (1.5, {"24h"}, ["2h"]), (1.5, {"24h", "2h"}, []),
    (1, set(), ["2h"]),  # signed up late: only the latest reminder
    (0, set(), []), (-1, set(), []),  # started: none
])
def test_reminders_due(hours_before, sent, due):
    assert shifts.reminders_due(START, START - timedelta(hours=hours_before), sent) == due


def test_the_2_hour_reminder_stands_for_the_24_hour_one():
    assert shifts.superseded("2h") == ["24h", "2h"] and shifts.superseded("24h") == ["24h"]


def test_the_nearest_free_turf_of_the_staging_point():
    turfs = [shifts.TurfPoint(1, 60.10, 24.90, free=False),   # right at the staging point, but taken
             shifts.TurfPoint(2, 60.11, 24.90, free=True),    # about 1.1 km north
             shifts.TurfPoint(3, 60.10, 24.92, free=True)]    # about 1.1 km east (0.02° of longitude at 60° N)
    assert shifts.nearest_free_turf(60.10, 24.90, turfs) == 3
    assert shifts.nearest_free_turf(60.105, 24.90, turfs) == 2
    assert shifts.nearest_free_turf(60.10, 24.90, turfs[:1]) is None


def test_a_shifts_plan_is_checked():
    now = START - timedelta(days=1)
    with pytest.raises(ValueError, match="^end: the shift ends before it starts"):
        shifts.check_plan(START, START, 5, now)
    with pytest.raises(ValueError, match="^capacity"):
        shifts.check_plan(START, START + timedelta(hours=2), 0, now)
    with pytest.raises(ValueError, match="already over"):
        shifts.check_plan(START, START + timedelta(hours=2), 5, START + timedelta(hours=3))


def test_the_calendar_file():
    text = shifts.calendar_file("shift-1@fieldops", START, START + timedelta(hours=3), "Canvassing, Kallio; go",
                                "Fleminginkatu 1, Helsinki", "Meet at the café " * 8, "https://x.example/s/abc",
                                START - timedelta(days=2), 60.18, 24.95)
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20261205T100000Z" in lines and "DTEND:20261205T130000Z" in lines
    assert "SUMMARY:Canvassing\\, Kallio\\; go" in lines and "GEO:60.180000;24.950000" in lines
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "DESCRIPTION:" + "Meet at the café " * 8 in unfolded.replace("\\n", "\n")
