"""One knock as a phone reports it: the checks every contact passes before it is stored.

Pure: the payload is a dict decoded from JSON; the result is a ``ContactIn``
or a ValueError whose message names the field. Checks that need the
database (the door, the canvass, the volunteer's turfs) live in
``services/sync.py``.
"""
from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from .followups import BY_CODE as FOLLOW_UP_CODES
from .outcomes import BY_CODE as OUTCOME_CODES

MAX_NOTE = 2000
CLOCK_SLACK = timedelta(minutes=10)   # phones' clocks run a little fast
OLDEST = timedelta(days=365)          # a contact older than this is a mistake, not an offline phone


@dataclass(frozen=True)
class ContactIn:
    id: str
    door_id: int
    canvass_id: int
    outcome: str
    recorded_at: datetime
    person_id: int | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None
    follow_ups: tuple[str, ...] = ()
    do_not_contact: bool = False  # the person (or, if nobody was named, the household) asked us not to come back


MAX_ID = 2**31 - 1  # the largest id either database's integer column holds


def _int(raw: dict, name: str, *, required: bool = True) -> int | None:
    value = raw.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise ValueError(f"{name} must be a whole number from 1 to {MAX_ID}")
    return value


def _number(raw: dict, name: str, low: float, high: float) -> float | None:
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not low <= value <= high:
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}")
    return float(value)


def _time(raw: dict, now: datetime) -> datetime:
    text = raw.get("recorded_at")
    if not isinstance(text, str):
        raise ValueError("recorded_at must be an ISO-8601 time, like 2026-05-02T14:03:00Z")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00")) if len(text) <= 40 else None
    except ValueError:
        moment = None
    if moment is None:
        raise ValueError(f"recorded_at {text[:40]!r} is not an ISO-8601 time")
    if moment.tzinfo is None:
        raise ValueError("recorded_at needs a time zone (end it with Z for UTC)")
    try:
        moment = moment.astimezone(timezone.utc)
    except OverflowError:  # 0001-01-01T00:00+01:00, or an offset that carries it past year 9999
        raise ValueError(f"recorded_at {text!r} is out of range: more than a year ago, or in the future") from None
    if moment > now + CLOCK_SLACK:
        raise ValueError("recorded_at is in the future: check the phone's clock")
    if moment < now - OLDEST:
        raise ValueError("recorded_at is more than a year ago")
    return moment


def parse_contact(raw: Any, now: datetime) -> ContactIn:
    """Check one contact from a phone; ``now`` is the server's time (UTC)."""
    if not isinstance(raw, dict):
        raise ValueError("each contact must be a JSON object")
    try:
        contact_id = str(uuid.UUID(str(raw.get("id"))))
    except ValueError:
        raise ValueError("id must be a UUID made on the phone") from None
    outcome = raw.get("outcome")
    if not isinstance(outcome, str) or outcome not in OUTCOME_CODES:
        raise ValueError(f"unknown outcome {outcome!r}: expected one of {', '.join(OUTCOME_CODES)}")
    answers = raw.get("answers") or {}
    if not isinstance(answers, dict):
        raise ValueError("answers must be an object of question key -> answer")
    if answers and not OUTCOME_CODES[outcome].opens_survey:
        raise ValueError(f"answers come only with a conversation (outcome talked), not {outcome}")
    note = raw.get("note") or ""
    if not isinstance(note, str) or len(note) > MAX_NOTE:
        raise ValueError(f"note must be text of at most {MAX_NOTE} characters")
    follow_ups = raw.get("follow_ups") or []
    if not isinstance(follow_ups, list) or any(not isinstance(kind, str) or kind not in FOLLOW_UP_CODES
                                               for kind in follow_ups):
        raise ValueError(f"follow_ups must be a list of: {', '.join(FOLLOW_UP_CODES)}")
    do_not_contact = raw.get("do_not_contact", False)
    if not isinstance(do_not_contact, bool):
        raise ValueError("do_not_contact must be true or false")
    lat, lon = _number(raw, "lat", -90, 90), _number(raw, "lon", -180, 180)
    if (lat is None) != (lon is None):
        raise ValueError("lat and lon come together or not at all")
    return ContactIn(
        id=contact_id, door_id=_int(raw, "door_id"), canvass_id=_int(raw, "canvass_id"), outcome=outcome,
        recorded_at=_time(raw, now), person_id=_int(raw, "person_id", required=False), answers=answers,
        note=note.strip(), lat=lat, lon=lon, accuracy_m=_number(raw, "accuracy_m", 0, 100_000),
        follow_ups=tuple(dict.fromkeys(follow_ups)), do_not_contact=do_not_contact)
