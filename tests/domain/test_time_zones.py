"""An office's clock: its zone from its place, its days, and the UTC moments that bound them."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from fieldops.domain import time_zones
from fieldops.domain.coverage import ContactFact, count_contacts


def test_a_place_gives_its_time_zone():
    assert time_zones.zone_at(60.1699, 24.9384) == "Europe/Helsinki"
    assert time_zones.zone_at(34.0522, -118.2437) == "America/Los_Angeles"
    assert time_zones.zone_at(None, 24.9) is None
    assert time_zones.zone_at(95, 0) is None  # not a place


def test_a_knock_at_half_past_six_utc_is_on_the_previous_day_in_los_angeles():
    knock = datetime(2026, 11, 20, 6, 30, tzinfo=timezone.utc)
    assert time_zones.local_day(knock, "America/Los_Angeles") == date(2026, 11, 19)
    assert time_zones.local_day(knock, "Europe/Helsinki") == date(2026, 11, 20)
    assert time_zones.local_day(knock.replace(tzinfo=None), None) == date(2026, 11, 20)  # naive is UTC


def test_a_day_is_bounded_by_the_office_midnights_across_daylight_saving():
    begins, ends = time_zones.days_between(date(2026, 3, 29), date(2026, 3, 29), "Europe/Helsinki")
    # Clocks go forward at 03:00 that night: the day is 23 hours long.
    assert begins == datetime(2026, 3, 28, 22, 0, tzinfo=timezone.utc)
    assert ends == datetime(2026, 3, 29, 21, 0, tzinfo=timezone.utc)
    assert time_zones.days_between(None, None, "UTC") == (None, None)


def test_only_real_zone_names_are_taken():
    assert time_zones.check_zone(" Europe/Helsinki ") == "Europe/Helsinki"
    for wrong in ("", "Mars/Olympus", "../../etc/passwd", "x" * 200, "localtime"):
        with pytest.raises(ValueError):
            time_zones.check_zone(wrong)
    names = time_zones.zone_names()
    assert "America/Los_Angeles" in names and names[-1] == "UTC"


def test_the_sqlite_function_reads_what_sqlite_stores():
    assert time_zones.sqlite_local_day("2026-11-20 06:30:00.000000", "America/Los_Angeles") == "2026-11-19"
    assert time_zones.sqlite_local_day("2026-11-20 06:30:00+00:00", "Europe/Helsinki") == "2026-11-20"
    assert time_zones.sqlite_local_day(None, "UTC") is None


def test_pages_name_the_clock():
    assert time_zones.label("America/Los_Angeles") == "Los Angeles time"
    assert time_zones.label(None) == "UTC"


def test_the_reference_count_takes_the_days_on_the_office_clock():
    knock = ContactFact(door_id=1, canvass_id=1, outcome="talked",
                        recorded_at=datetime(2026, 11, 20, 6, 30, tzinfo=timezone.utc))
    la = count_contacts([1], [knock], 1, date(2026, 11, 19), date(2026, 11, 19), "America/Los_Angeles")
    assert (la.attempted, la.reached) == (1, 1)
    assert count_contacts([1], [knock], 1, date(2026, 11, 19), date(2026, 11, 19)).attempted == 0
