"""People added and corrected at the door, as a phone sends them with a contact.

``people_added``: ``[{"id": UUID, "first_name", "last_name", "phone", "email", "birth_year", "language",
"consent_phone", "consent_email"}]``; ``people_changed``: ``[{"person_id", "first_name"?, "last_name"?,
"status"?}]``. Each entry is checked here with the rest of its contact (``domain.contacts``): one bad
entry refuses that contact alone, with a reason naming the entry and the field. Pure.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from .languages import parse_language

MAX_PEOPLE = 20
MAX_NAME = 80
STATUSES = {"active": "Lives here", "moved": "Not living here", "deceased": "Deceased"}  # what a phone may set
# What the phone sends for its buttons, as data with the walk list (the JavaScript names no status).
PHONE_STATUSES = {"lives_here": "active", "not_living_here": "moved"}
KINDS = {"added": "Resident added", "corrected": "Name corrected", "status": "Marked", "merged": "Merged"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{5,40}$")
OLDEST_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class PersonAdded:
    id: str
    first_name: str | None
    last_name: str | None
    phone: str | None = None
    email: str | None = None
    birth_year: int | None = None
    language: str | None = None
    consent_phone: bool = False
    consent_email: bool = False

    def details(self) -> dict[str, Any]:
        """What the history keeps of the addition (consents as booleans; the time is the contact's)."""
        return {name: getattr(self, name) for name in ("first_name", "last_name", "phone", "email", "birth_year",
                                                       "language", "consent_phone", "consent_email")}


@dataclass(frozen=True)
class PersonChanged:
    person_id: int
    first_name: str | None = None
    last_name: str | None = None
    status: str | None = None

    def fields(self) -> dict[str, Any]:
        """The fields this change sets."""
        return {name: getattr(self, name) for name in ("first_name", "last_name", "status")
                if getattr(self, name) is not None}


def _name(raw: dict, field: str, where: str) -> str | None:
    value = raw.get(field)
    if value is None:
        return None
    if not isinstance(value, str) or len(value.strip()) > MAX_NAME:
        raise ValueError(f"{where}: {field} must be text of at most {MAX_NAME} characters")
    return " ".join(value.split()) or None


def parse_added(raw: Any, number: int, this_year: int) -> PersonAdded:
    """One entry of ``people_added`` (``number`` counts from 1, for the message)."""
    where = f"people_added {number}"
    if not isinstance(raw, dict):
        raise ValueError(f"{where} must be a JSON object")
    try:
        person_id = str(uuid.UUID(str(raw.get("id"))))
    except ValueError:
        raise ValueError(f"{where}: id must be a UUID made on the phone") from None
    first, last = _name(raw, "first_name", where), _name(raw, "last_name", where)
    if not first and not last:
        raise ValueError(f"{where}: give a first or a last name")
    phone = raw.get("phone") or None
    if phone is not None and (not isinstance(phone, str) or not _PHONE.match(phone.strip())):
        raise ValueError(f"{where}: phone {str(phone)[:40]!r} is not a phone number")
    email = raw.get("email") or None
    if email is not None and (not isinstance(email, str) or len(email) > 254 or not _EMAIL.match(email.strip())):
        raise ValueError(f"{where}: email {str(email)[:60]!r} is not an e-mail address")
    year = raw.get("birth_year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)
                             or not OLDEST_BIRTH_YEAR <= year <= this_year):
        raise ValueError(f"{where}: birth_year must be a year from {OLDEST_BIRTH_YEAR} to {this_year}")
    language = parse_language(raw.get("language"), f"{where}: language")
    consents = {}
    for name, needs in (("consent_phone", phone), ("consent_email", email)):
        value = raw.get(name, False)
        if not isinstance(value, bool):
            raise ValueError(f"{where}: {name} must be true or false")
        if value and not needs:
            raise ValueError(f"{where}: {name} needs the {name.split('_')[1]} it consents to")
        consents[name] = value
    return PersonAdded(id=person_id, first_name=first, last_name=last, phone=phone.strip() if phone else None,
                       email=email.strip().casefold() if email else None, birth_year=year, language=language,
                       **consents)


def parse_changed(raw: Any, number: int, max_id: int) -> PersonChanged:
    """One entry of ``people_changed``: a corrected name, or a status (``moved``: not living here)."""
    where = f"people_changed {number}"
    if not isinstance(raw, dict):
        raise ValueError(f"{where} must be a JSON object")
    person_id = raw.get("person_id")
    if isinstance(person_id, bool) or not isinstance(person_id, int) or not 1 <= person_id <= max_id:
        raise ValueError(f"{where}: person_id must be a whole number from 1 to {max_id}")
    unknown = set(raw) - {"person_id", "first_name", "last_name", "status"}
    if unknown:
        raise ValueError(f"{where}: unknown field {sorted(unknown)[0]!r}")
    status = raw.get("status")
    if status is not None and status not in STATUSES:
        raise ValueError(f"{where}: status must be one of {', '.join(STATUSES)}")
    change = PersonChanged(person_id=person_id, first_name=_name(raw, "first_name", where),
                           last_name=_name(raw, "last_name", where), status=status)
    if not change.fields():
        raise ValueError(f"{where}: say what changed (first_name, last_name or status)")
    return change


def parse_people(raw: dict, this_year: int, max_id: int) -> tuple[tuple[PersonAdded, ...], tuple[PersonChanged, ...]]:
    """The contact's ``people_added`` and ``people_changed``, checked; ValueError naming the entry."""
    added_raw, changed_raw = raw.get("people_added") or [], raw.get("people_changed") or []
    for name, value in (("people_added", added_raw), ("people_changed", changed_raw)):
        if not isinstance(value, list):
            raise ValueError(f"{name} must be a list")
        if len(value) > MAX_PEOPLE:
            raise ValueError(f"{name}: at most {MAX_PEOPLE} people in one contact")
    added = tuple(parse_added(entry, n, this_year) for n, entry in enumerate(added_raw, start=1))
    if len({p.id for p in added}) != len(added):
        raise ValueError("people_added: the same id twice")
    changed = tuple(parse_changed(entry, n, max_id) for n, entry in enumerate(changed_raw, start=1))
    if len({c.person_id for c in changed}) != len(changed):
        raise ValueError("people_changed: the same person twice (send one change with every field)")
    return added, changed


def corrections(person: dict[str, Any], change: PersonChanged) -> tuple[dict, dict]:
    """What a change alters of a person's current fields: (before, after), only the fields that differ."""
    before, after = {}, {}
    for name, value in change.fields().items():
        if person.get(name) != value:
            before[name], after[name] = person.get(name), value
    return before, after
