"""Times on organizer pages, on the office's clock: the template filters every page uses.

``{{ moment|local_time(office) }}`` shows '2026-11-22 16:03' in the office's zone,
``{{ moment|local_date(office) }}`` its day, ``{{ office|zone_label }}`` 'Helsinki time' for a
column heading. ``office`` may be an Office (anything with ``time_zone``), a zone name, or None
(UTC). A moment may be a datetime (naive ones are UTC, as the database keeps them) or ISO-8601 text,
as walk lists carry them.
"""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from ..domain import time_zones


def zone_of(where) -> str | None:
    """The zone name of an office, a zone name itself, or None."""
    if where is None or isinstance(where, str):
        return where or None
    return getattr(where, "time_zone", None)


def _moment(value) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


def local_time(value, where=None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    moment = _moment(value)
    if moment is None:
        return ""
    if not isinstance(moment, datetime):  # a plain date has no clock to move
        return moment.isoformat()
    return time_zones.local_moment(moment, zone_of(where)).strftime(fmt)


def local_date(value, where=None) -> date | str:
    moment = _moment(value)
    if moment is None:
        return ""
    if not isinstance(moment, datetime):
        return moment
    return time_zones.local_day(moment, zone_of(where))


def zone_label(where) -> str:
    return time_zones.label(zone_of(where))


def register(app: Flask) -> None:
    app.add_template_filter(local_time)
    app.add_template_filter(local_date)
    app.add_template_filter(zone_label)
