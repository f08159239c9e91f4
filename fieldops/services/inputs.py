"""Small parsers for values that arrive as text from forms and query strings, with errors that name the field.

The one place where odd input (``canvass_id=²``, a 30-digit id, ``end=9999-12-31``, a 10 MB name) becomes
a clear 400 naming the field instead of an exception deeper down: pages and API routes parse what they
read with these.
"""
from __future__ import annotations

import re
from datetime import date

from ..errors import InvalidInput
from ..domain.text import N_

# Dates a campaign may mean: far enough either way, and a day's arithmetic (end + 1 day, a week back)
# never leaves what Python and the databases can hold.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
# Ids are database integers (PostgreSQL's INTEGER): a larger number is no id of ours.
MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")
# Sane lengths for text people type or files bring.
NAME_MAX = 200    # a person's name, a street, a turf or office name
NOTE_MAX = 5_000  # a note, a script paragraph
SHOWN = 40        # how much of a bad value an error message repeats


def shown(text: str) -> str:
    """A bad value as an error message repeats it: quoted, and cut short if long."""
    return repr(text[:SHOWN] + ("…" if len(text) > SHOWN else ""))


def refuse_nul(values) -> None:
    """Refuse a NUL character in any (name, value) of a query string or form: no database stores one
    (PostgreSQL refuses it outright) and no person types one."""
    for name, value in values:
        if isinstance(value, str) and "\x00" in value:
            raise InvalidInput(N_("contains a NUL character (\\0); remove it and send again"), field=name)


def parse_day(text: str | None, field: str) -> date | None:
    """A YYYY-MM-DD date from 1900 to 2999, or None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text) if len(text) <= 10 and text.isascii() else None
    except ValueError:
        day = None
    if day is None:
        raise InvalidInput(N_("%(value)s is not a date (YYYY-MM-DD)"), value=shown(text), field=field)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(N_("%(text)s is not a date we plan for: give one from %(year)s to %(year2)s"),
                           text=text, year=FIRST_DAY.year, year2=LAST_DAY.year,
                           field=field)
    return day


def parse_id(text: str | None, field: str) -> int | None:
    """A record id (a whole number from 1), or None when empty; anything else is a 400 naming the field."""
    text = (text or "").strip()
    if not text:
        return None
    if not _DIGITS.fullmatch(text) or not 1 <= int(text) <= MAX_ID:
        raise InvalidInput(N_("%(value)s is not an id: give a whole number from 1 to %(max_id)s"),
                           value=shown(text), max_id=MAX_ID, field=field)
    return int(text)


def optional_text(text: str | None, field: str, most: int) -> str:
    """Text that may be empty, trimmed, at most ``most`` characters."""
    text = (text or "").strip()
    if len(text) > most:
        raise InvalidInput(N_("at most %(most)s characters (this has %(count)s)"),
                           most=format(most, ','), count=format(len(text), ','), field=field)
    return text


def required_text(text: str | None, field: str, most: int, missing: str) -> str:
    """Text that must be given, trimmed, at most ``most`` characters; ``missing`` says what to write."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput(missing, field=field)
    if len(text) > most:
        raise InvalidInput(N_("at most %(most)s characters (this has %(count)s)"),
                           most=format(most, ','), count=format(len(text), ','), field=field)
    return text


def parse_coordinate(text: str | None, field: str, limit: float) -> float | None:
    """A latitude (``limit`` 90) or longitude (180) in decimal degrees, or None when empty."""
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(N_("%(value)r is not a number of degrees, like 60.17"), value=text[:40], field=field) from None
    if not -limit <= value <= limit:
        raise InvalidInput(N_("degrees from -%(limit)s to %(limit2)s"),
                           limit=format(limit, 'g'), limit2=format(limit, 'g'), field=field)
    return value
