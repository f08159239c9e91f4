"""Checks for values decoded from JSON that a client sent: each returns the value or raises ValueError
naming the field.

One place for the shape of untrusted JSON. Whatever a phone or a script sends where text, a code, a
number or a time belongs (a list, an object, ten megabytes, the year 1), the answer is a ValueError
with a short reason, never another exception (a TypeError from hashing a list, an OverflowError from a
time zone at the edge of the calendar) that would fail a whole batch with a 500. Pure: no Flask, no
database. ``domain/contacts.py`` builds a contact from these; a turf's name is checked the same way.
"""
from __future__ import annotations

import math
from collections.abc import Collection
from datetime import datetime, timezone
from typing import Any

MAX_TIME_TEXT = 64  # "2026-11-22T14:03:00.123456+05:30" is 32 characters
SHOWN = 40          # characters of a bad value quoted back in a message


def shown(value: Any) -> str:
    """A bad value as a message quotes it: a short text as written, anything else by its JSON type."""
    if isinstance(value, str):
        return repr(value if len(value) <= SHOWN else value[:SHOWN] + "…")
    if isinstance(value, bool) or value is None:
        return "true" if value is True else "false" if value is False else "null"
    if isinstance(value, (int, float)):
        return repr(value) if len(repr(value)) <= SHOWN else "a number"
    return "a list" if isinstance(value, list) else "an object" if isinstance(value, dict) else "a value"


def text(raw: dict, name: str, most: int, *, default: str = "") -> str:
    """Text of at most ``most`` characters, stripped; ``default`` when absent, null or empty."""
    value = raw.get(name)
    if value is None or value == "":
        return default
    if not isinstance(value, str) or len(value) > most:
        raise ValueError(f"{name} must be text of at most {most} characters")
    return value.strip()


def code(raw: dict, name: str, codes: Collection[str]) -> str:
    """One of ``codes`` (a text; a list or object sent instead is refused, never hashed)."""
    value = raw.get(name)
    if not isinstance(value, str) or value not in codes:
        raise ValueError(f"unknown {name} {shown(value)}: expected one of {', '.join(codes)}")
    return value


def code_list(raw: dict, name: str, codes: Collection[str]) -> tuple[str, ...]:
    """A list of ``codes``, each once, in the order first given; empty when absent."""
    value = raw.get(name) or []
    if not isinstance(value, list) or not all(isinstance(item, str) and item in codes for item in value):
        raise ValueError(f"{name} must be a list of: {', '.join(codes)}")
    return tuple(dict.fromkeys(value))


def whole(raw: dict, name: str, low: int, high: int, *, required: bool = True) -> int | None:
    """A whole number from ``low`` to ``high`` (JSON true and false are not numbers)."""
    value = raw.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}")
    return value


def number(raw: dict, name: str, low: float, high: float) -> float | None:
    """A finite number from ``low`` to ``high``, or None when absent."""
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not low <= value <= high:
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}")
    return float(value)


def flag(raw: dict, name: str, default: bool = False) -> bool:
    value = raw.get(name, default)
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false")
    return value


def moment(raw: dict, name: str) -> datetime:
    """An ISO-8601 time with its zone, as UTC. A time that leaves the calendar when moved to UTC
    (``0001-01-01T00:00:00+01:00``) is refused like any other bad time."""
    value = raw.get(name)
    if not isinstance(value, str):
        raise ValueError(f"{name} must be an ISO-8601 time, like 2026-05-02T14:03:00Z")
    if len(value) > MAX_TIME_TEXT:
        raise ValueError(f"{name} {shown(value)} is not an ISO-8601 time")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{name} {shown(value)} is not an ISO-8601 time") from None
    if parsed.tzinfo is None:
        raise ValueError(f"{name} needs a time zone (end it with Z for UTC)")
    try:
        return parsed.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        raise ValueError(f"{name} {shown(value)} is outside the calendar once converted to UTC") from None
