"""The flats behind one address, as OpenStreetMap writes them: one door to knock per flat.

``addr:flats`` lists the flat numbers an entrance or building serves: a range
('1-64'), a lettered range ('A1-A12'), a list ('1;2;5') or both ('1-3;7').
``building:flats`` only says how many flats a building has ('24'): they are
numbered 1 to N. Pure functions; a text that reads as neither gives None, and
the caller keeps it as one door labelled as written.
"""
from __future__ import annotations

import re

from .buildings import unit_order

MAX_UNITS = 500  # more flats than this behind one address is a typing slip ('1-6400'), not a building
_RANGE = re.compile(r"^([A-Za-z]*\s?)(\d+)\s*[-–]\s*([A-Za-z]*\s?)(\d+)$")
_LETTERS = re.compile(r"^([A-Za-z])\s*[-–]\s*([A-Za-z])$")
_SINGLE = re.compile(r"^[A-Za-z]{0,3}\s?\d{1,5}\s?[A-Za-z]{0,2}$|^[A-Za-z]$")


def _part(text: str) -> list[str] | None:
    """One item of a flats list: a range of numbers (with a common prefix), of letters, or one flat."""
    match = _RANGE.match(text)
    if match:
        prefix, first, other_prefix, last = match.groups()
        if other_prefix and other_prefix.strip().upper() != prefix.strip().upper():
            return None
        low, high = int(first), int(last)
        if low > high or high - low >= MAX_UNITS:
            return None
        width = len(first) if first.startswith("0") else 0  # '01-12' keeps its zeros
        return [f"{prefix}{str(n).zfill(width)}" for n in range(low, high + 1)]
    match = _LETTERS.match(text)
    if match:
        low, high = (ord(c) for c in match.group(1, 2))
        same_case = match.group(1).isupper() == match.group(2).isupper()
        return [chr(c) for c in range(low, high + 1)] if same_case and low <= high else None
    return [text] if _SINGLE.match(text) else None


def expand_flats(text: str | None) -> list[str] | None:
    """The flats an ``addr:flats`` value names, in unit order; None if it cannot be read as flats."""
    parts = [part.strip() for part in re.split(r"[;,]", text or "") if part.strip()]
    if not parts:
        return None
    units: list[str] = []
    for part in parts:
        expanded = _part(part)
        if expanded is None:
            return None
        units += expanded
    units = list(dict.fromkeys(units))
    if len(units) > MAX_UNITS:
        return None
    return sorted(units, key=unit_order)


def numbered_flats(count: str | int | None) -> list[str]:
    """Flats '1' to 'N' for a ``building:flats`` count; none for a count that is not a whole number."""
    text = str(count if count is not None else "").strip()
    if not text.isdigit() or not 0 < int(text) <= MAX_UNITS:
        return []
    return [str(n) for n in range(1, int(text) + 1)]
