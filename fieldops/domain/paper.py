"""Paper walk lists: a short code per door to print, and a filled-in sheet read back by outcome initials.

When phones fail, volunteers walk a printed list and write an outcome's
initials beside each door (T, NH, CB, R, M, WA, I, D, LB, H). An organizer
types them back in, one row per door. Pure functions; errors name the row.
"""
from __future__ import annotations

from .outcomes import OUTCOMES

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O or U to misread
BY_SHORT = {o.short: o.code for o in OUTCOMES}
MAX_NOTE = 2000


def door_code(door_id: int) -> str:
    """A short code for a door, stable as long as the door exists: 1234 -> '16J'."""
    digits = ""
    while True:
        door_id, rest = divmod(door_id, 32)
        digits = _ALPHABET[rest] + digits
        if not door_id:
            return digits


def read_sheet(rows: list[tuple[int, str, str]]) -> list[tuple[int, int, str, str]]:
    """(door id, initials as written, note) per printed row -> (row number, door id, outcome code, note)
    for the doors that were knocked; a blank outcome means the door was not knocked. ValueError names
    the row."""
    knocked = []
    for number, (door_id, written, note) in enumerate(rows, start=1):
        initials = (written or "").strip().upper()
        note = (note or "").strip()
        if not initials:
            if note:
                raise ValueError(f"row {number}: a note but no outcome: write the outcome's initials")
            continue
        if initials not in BY_SHORT:
            raise ValueError(f"row {number}: {written.strip()!r} is not an outcome: use {', '.join(BY_SHORT)}")
        if len(note) > MAX_NOTE:
            raise ValueError(f"row {number}: a note has at most {MAX_NOTE} characters")
        knocked.append((number, door_id, BY_SHORT[initials], note))
    return knocked
