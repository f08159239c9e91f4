"""Each field office works in its own time zone: an IANA name such as ``Europe/Helsinki``.

The database keeps every moment in UTC. What people read as a day (knocks per
day, a volunteer's day, a dashboard's date range, a promise's due date) is a
day on the office's clock, and so is every time shown on an organizer's page.
An office without a zone yet (made from the command line before anything was
imported into it) counts in UTC until it gets one.

Pure functions over ``zoneinfo``; the one lookup from a place to its zone
(``zone_at``) uses ``timezonefinder``'s offline boundary data.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones
from .text import N_, Refused

UTC = "UTC"
MAX_NAME = 64


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    """Every IANA zone name this machine knows (the system's tz database, else the ``tzdata`` package),
    less the system's own files that are not zones of a place ('localtime', 'posix/...')."""
    return frozenset({name for name in available_timezones()
                      if name not in {"localtime", "posixrules", "Factory"} and not name.startswith(("posix/", "right/"))}
                     | {UTC})


def zone_names() -> list[str]:
    """The zone names a person picks from, sorted: ``Africa/Abidjan`` ... ``UTC``."""
    return sorted(name for name in known_zones() if "/" in name and not name.startswith(("Etc/", "SystemV/")))\
        + [UTC]


def check_zone(name: str | None) -> str:
    """The zone name, trimmed, if it is a known IANA name; ValueError otherwise."""
    text = (name or "").strip()
    if not text:
        raise Refused(N_("choose a time zone, such as Europe/Helsinki"))
    if len(text) > MAX_NAME or text not in known_zones():
        raise Refused(N_("%(value)r is not a time zone name such as Europe/Helsinki or America/Chicago"),
                      value=text[:MAX_NAME])
    return text


def zone(name: str | None) -> ZoneInfo:
    """The zone of this name; UTC when there is none (an office with no zone yet)."""
    return ZoneInfo(name or UTC)  # ZoneInfo keeps one object per name: this is cheap


@lru_cache(maxsize=1)
def _finder():
    from timezonefinder import TimezoneFinder  # 0.2 s to open its data: only when a place is looked up
    return TimezoneFinder(in_memory=False)


def zone_at(lat: float | None, lon: float | None) -> str | None:
    """The time zone of a place (WGS84 degrees): Helsinki -> ``Europe/Helsinki``; None without a place."""
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    name = _finder().timezone_at(lat=float(lat), lng=float(lon))
    return name if name in known_zones() else None


def local_day(moment: datetime, zone_name: str | None) -> date:
    """The calendar day of a moment on the zone's clock (a naive moment is UTC, as the database keeps it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone(zone_name)).date()


def local_moment(moment: datetime, zone_name: str | None) -> datetime:
    """The moment on the zone's clock (a naive moment is UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone(zone_name))


def day_starts(day: date, zone_name: str | None) -> datetime:
    """The UTC moment at which this day begins on the zone's clock (its first existing minute, across
    a daylight-saving change)."""
    return datetime.combine(day, time(0), tzinfo=zone(zone_name)).astimezone(timezone.utc)


def days_between(start: date | None, end: date | None, zone_name: str | None) -> tuple[datetime | None,
                                                                                        datetime | None]:
    """The UTC half-open range [from, until) of the days ``start`` to ``end``, both included, on the zone's
    clock; either end may be open (None)."""
    return (day_starts(start, zone_name) if start else None,
            day_starts(end + timedelta(days=1), zone_name) if end else None)


def at_local_time(day: date, hour: int, zone_name: str | None) -> datetime:
    """The UTC moment of ``hour`` o'clock on this day on the zone's clock (a paper sheet's noon)."""
    return datetime.combine(day, time(hour), tzinfo=zone(zone_name)).astimezone(timezone.utc)


def today(now: datetime, zone_name: str | None) -> date:
    """Today's date on the zone's clock."""
    return local_day(now, zone_name)


def label(zone_name: str | None) -> str:
    """How a page names the zone: 'Helsinki time', 'Los Angeles time', 'UTC'."""
    name = zone_name or UTC
    if "/" not in name:
        return name
    return name.rsplit("/", 1)[1].replace("_", " ") + " time"


def sqlite_local_day(stamp: str | None, zone_name: str | None) -> str | None:
    """``local_day`` for SQLite, which stores moments as UTC text ('2026-11-22 14:03:00.000000') and has no
    time zones of its own: registered on each connection as the SQL function ``fieldops_local_day``."""
    if stamp is None:
        return None
    return local_day(datetime.fromisoformat(stamp), zone_name).isoformat()
