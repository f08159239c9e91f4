"""Canvass shifts as pure functions: the calendar file a sign-up gets, which reminders are due, the turf
handed to an arriving volunteer, and the checks on a new shift. Times are timezone-aware datetimes (UTC in,
UTC out); distances in metres on the sphere (``trust.metres_between``)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .trust import metres_between
from .text import N_, Refused

REMINDERS = (("24h", timedelta(hours=24)), ("2h", timedelta(hours=2)))  # before the shift starts
MAX_CAPACITY = 500
MAX_HOURS = 16


def check_plan(starts_at: datetime, ends_at: datetime, capacity: int, now: datetime) -> None:
    """Raise ValueError naming the field when a shift's time or capacity cannot be."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise Refused(N_("give the time with its zone (or on the office's clock)"), field="start")
    if ends_at <= starts_at:
        raise Refused(N_("the shift ends before it starts"), field="end")
    if ends_at - starts_at > timedelta(hours=MAX_HOURS):
        raise Refused(N_("a shift lasts at most %(max_hours)s hours"), field="end", max_hours=MAX_HOURS)
    if ends_at < now:
        raise Refused(N_("that shift is already over"), field="end")
    if not 1 <= capacity <= MAX_CAPACITY:
        raise Refused(N_("a whole number from 1 to %(max_capacity)s"), field="capacity",
                      max_capacity=MAX_CAPACITY)


def reminders_due(starts_at: datetime, now: datetime, sent: set[str]) -> list[str]:
    """The reminders to send now for a shift starting at ``starts_at``, given those already ``sent``.

    Each goes once, from its time before the start until the start. Someone who signs up later than a
    reminder's time gets only the latest one due (no 24-hour reminder 90 minutes before), and the
    earlier one counts as sent.
    """
    if now >= starts_at:
        return []
    due = [kind for kind, before in REMINDERS if now >= starts_at - before]
    if not due:
        return []
    latest = due[-1]
    return [] if latest in sent else [latest]


def superseded(kind: str) -> list[str]:
    """The reminders a later one stands for (the 2-hour one stands for the 24-hour one too)."""
    kinds = [k for k, _ in REMINDERS]
    return kinds[:kinds.index(kind) + 1]


@dataclass(frozen=True)
class TurfPoint:
    """A turf of the shift: where its middle is, and whether it is free to hand out."""
    turf_id: int
    lat: float
    lon: float
    free: bool


def nearest_free_turf(lat: float, lon: float, turfs: list[TurfPoint]) -> int | None:
    """The free turf whose middle is nearest the staging point (ties: the lower id), or None."""
    free = [t for t in turfs if t.free]
    if not free:
        return None
    return min(free, key=lambda t: (metres_between(lat, lon, t.lat, t.lon), t.turf_id)).turf_id


def _escape(text: str) -> str:
    return (text or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n") \
        .replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 lines are at most 75 octets: longer ones continue on lines that start with a space."""
    data, out = line.encode(), []
    while len(data) > 75:
        cut = 75
        while (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        out.append(data[:cut].decode())
        data = b" " + data[cut:]
    out.append(data.decode())
    return "\r\n".join(out)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def calendar_file(uid: str, starts_at: datetime, ends_at: datetime, summary: str, location: str, description: str,
                  url: str, now: datetime, lat: float | None = None, lon: float | None = None) -> str:
    """An iCalendar (.ics) file with one event, as calendars import it (times in UTC)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Fieldops//Shifts//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", "BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{_stamp(now)}",
             f"DTSTART:{_stamp(starts_at)}", f"DTEND:{_stamp(ends_at)}", f"SUMMARY:{_escape(summary)}",
             f"LOCATION:{_escape(location)}", f"DESCRIPTION:{_escape(description)}", f"URL:{url}"]
    if lat is not None and lon is not None:
        lines.append(f"GEO:{lat:.6f};{lon:.6f}")
    lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{_escape(summary)}", "TRIGGER:-PT2H", "END:VALARM",
              "END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
