"""One knock as a phone reports it: the checks every contact passes before it is stored.

Pure: the payload is a dict decoded from JSON; the result is a ``ContactIn``
or a ValueError whose message names the field. Checks that need the
database (the door, the canvass, the volunteer's turfs) live in
``services/sync.py``.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from . import payloads
from .followups import BY_CODE as FOLLOW_UP_CODES
from .languages import parse_language
from .outcomes import BY_CODE as OUTCOME_CODES
from .people import PersonAdded, PersonChanged, parse_people

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
    language: str | None = None  # the household's language, said at a Language barrier (asks_language)
    people_added: tuple[PersonAdded, ...] = ()     # residents met at the door (domain.people)
    people_changed: tuple[PersonChanged, ...] = ()  # names corrected, people no longer living here
    # A person added at the door spoke: ``person_id`` was the UUID of a person of ``people_added`` (this
    # contact's or an earlier one's at the same door); the server puts their id in person_id.
    person_ref: str | None = None


MAX_ID = 2**31 - 1  # the largest id either database's integer column holds
MAX_UUID_TEXT = 45  # a UUID is 36 characters, 38 with braces, 45 as a urn


def _int(raw: dict, name: str, *, required: bool = True) -> int | None:
    return payloads.whole(raw, name, 1, MAX_ID, required=required)


def _time(raw: dict, now: datetime) -> datetime:
    moment = payloads.moment(raw, "recorded_at")
    if moment > now + CLOCK_SLACK:
        raise ValueError("recorded_at is in the future: check the phone's clock")
    if moment < now - OLDEST:
        raise ValueError("recorded_at is more than a year ago")
    return moment


def _uuid(raw: dict) -> str | None:
    """The contact's UUID, written the one way the database keeps it, if the phone sent one."""
    value = raw.get("id")
    if not isinstance(value, str) or len(value) > MAX_UUID_TEXT:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def parse_contact(raw: Any, now: datetime) -> ContactIn:
    """Check one contact from a phone; ``now`` is the server's time (UTC). Every field goes through
    ``domain.payloads``, so a value of the wrong JSON type or size is this contact's ValueError."""
    if not isinstance(raw, dict):
        raise ValueError("each contact must be a JSON object")
    checked_id = _uuid(raw)
    if checked_id is None:
        raise ValueError("id must be a UUID made on the phone")
    outcome = payloads.code(raw, "outcome", OUTCOME_CODES)
    answers = raw.get("answers") or {}
    if not isinstance(answers, dict):
        raise ValueError("answers must be an object of question key -> answer")
    if answers and not OUTCOME_CODES[outcome].opens_survey:
        raise ValueError(f"answers come only with a conversation (outcome talked), not {outcome}")
    note = payloads.text(raw, "note", MAX_NOTE)
    follow_ups = payloads.code_list(raw, "follow_ups", FOLLOW_UP_CODES)
    do_not_contact = payloads.flag(raw, "do_not_contact")
    lat, lon = payloads.number(raw, "lat", -90, 90), payloads.number(raw, "lon", -180, 180)
    if (lat is None) != (lon is None):
        raise ValueError("lat and lon come together or not at all")
    language = parse_language(raw.get("language"))
    if language and not OUTCOME_CODES[outcome].asks_language:
        raise ValueError(f"language comes only with an outcome that asks for it, not {outcome}")
    people_added, people_changed = parse_people(raw, now.year, MAX_ID)
    person_ref = None
    if isinstance(raw.get("person_id"), str):  # a person added at the door, by the UUID the phone made
        try:
            person_ref = str(uuid.UUID(raw["person_id"]))
        except ValueError:
            raise ValueError("person_id must be a whole number, or the UUID of a person added at the door") from None
        raw = {**raw, "person_id": None}
    return ContactIn(
        id=checked_id, door_id=_int(raw, "door_id"), canvass_id=_int(raw, "canvass_id"), outcome=outcome,
        recorded_at=_time(raw, now), person_id=_int(raw, "person_id", required=False), answers=answers,
        note=note, lat=lat, lon=lon, accuracy_m=payloads.number(raw, "accuracy_m", 0, 100_000),
        follow_ups=follow_ups, do_not_contact=do_not_contact, language=language,
        people_added=people_added, people_changed=people_changed, person_ref=person_ref)
