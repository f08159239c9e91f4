"""Small parsers for values that arrive as text from forms and query strings, with errors that name the field."""
from __future__ import annotations

from datetime import date

from ..errors import InvalidInput


def parse_day(text: str | None, field: str) -> date | None:
    """A YYYY-MM-DD date, or None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a date (YYYY-MM-DD)", field=field) from None


def required_text(text: str | None, field: str, most: int, missing: str) -> str:
    """Text that must be given, trimmed, at most ``most`` characters; ``missing`` says what to write."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput(missing, field=field)
    if len(text) > most:
        raise InvalidInput(f"at most {most} characters", field=field)
    return text


def parse_coordinate(text: str | None, field: str, limit: float) -> float | None:
    """A latitude (``limit`` 90) or longitude (180) in decimal degrees, or None when empty."""
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(f"{text[:40]!r} is not a number of degrees, like 60.17", field=field) from None
    if not -limit <= value <= limit:
        raise InvalidInput(f"degrees from -{limit:g} to {limit:g}", field=field)
    return value
