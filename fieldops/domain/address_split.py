"""One-string addresses split into house number, street and unit, as voter-file exports write them.

VAN's ``vAddress`` / ``Address``, Ecanvasser's and NationBuilder's address lines hold the whole address in
one cell. Two orders are read:

- number first (US, UK, Australia): ``123 Main St Apt 4B``, ``123-A Main St``, ``123 1/2 Main St #2``,
  ``12 Elm Rd, Unit 5``;
- street first (Finland, Sweden, Germany and most of Europe): ``Mannerheimintie 14 B 12``,
  ``Storgatan 5 lgh 1102``, ``Hauptstr. 7a``.

A unit comes after a unit word (Apt, Apartment, Unit, Suite, Ste, #, Fl, Floor, Rm, Room, Lot, Trlr,
lgh, as., bst.) or, street first, as the staircase and flat after the number (``14 B 12``: B 12).
Pure; ``split_address`` returns None for a cell it can't read (no house number at all, or a PO box: PO Box 17,
PL 123, Postfach 12), and the
importer reports that row.
"""
from __future__ import annotations

import re
from typing import NamedTuple

_UNIT_WORDS = r"(?:apartment|apt|unit|suite|ste|fl|floor|rm|room|lot|trlr|spc|space|bldg|lgh|as|bst|#)"
_UNIT_AT_END = re.compile(rf"[,\s]+(?P<unit>{_UNIT_WORDS}\.?\s*#?\s*[\w\-/ ]+?)\s*$", re.IGNORECASE)
_HASH_UNIT = re.compile(r"\s*#\s*(?P<unit>[\w\-]+)\s*$")
_NUMBER_FIRST = re.compile(r"^\s*(?P<number>\d+(?:-?[a-z](?![a-z]))?(?:\s+1/2)?)[\s,]+(?P<street>.*\S)\s*$",
                           re.IGNORECASE)
_STREET_FIRST = re.compile(r"^\s*(?P<street>\D*?\S)\s+(?P<number>\d+(?:\s*[-–]\s*\d+)?[a-z]?)"
                           r"(?:\s+(?P<unit>[a-z]{1,2}\s*\d*|\d+))?\s*$", re.IGNORECASE)
# Mail, not a door: a PO box as the US writes it, and Europe's (Finnish PL / postilokero, Scandinavian postboks,
# German Postfach, Spanish apartado de correos), these last with their number, so no street is taken for one.
_PO_BOX = re.compile(r"^\s*(?:(?:p\.?\s*o\.?\s*box|post\s+office\s+box|box)\b"
                     r"|(?:pl|postilokero|postboks|postbox|postfach"
                     r"|apartado(?:\s+(?:de\s+)?(?:correos|postal))?|apdo\.?(?:\s+(?:de\s+)?correos)?)"
                     r"\.?\s*(?:n[º°o]\.?\s*)?\d)",
                     re.IGNORECASE)
_UNIT_WORD_PREFIX = re.compile(rf"^{_UNIT_WORDS}\.?\s*#?\s*", re.IGNORECASE)
_NUMBER_HYPHEN = re.compile(r"-(?=[a-z])", re.IGNORECASE)  # 123-A is 123A


class SplitAddress(NamedTuple):  # a tuple: a statewide file makes millions, a frozen dataclass is slower to build
    house_number: str
    street: str
    unit: str | None


def split_address(text: str | None) -> SplitAddress | None:
    """The parts of a one-string address, or None when it holds no house number."""
    line = " ".join((text or "").replace("\u00a0", " ").split()).strip(" ,")
    if not line or _PO_BOX.match(line):
        return None
    unit = None
    # (the checks for "#" and "-" spare a statewide file's millions of addresses a search each)
    found = ("#" in line and _HASH_UNIT.search(line)) or _UNIT_AT_END.search(line)
    if found and found.start() > 0:
        unit = _UNIT_WORD_PREFIX.sub("", found.group("unit")).strip() or None
        line = line[:found.start()].strip(" ,")
    number_first = _NUMBER_FIRST.match(line)
    if number_first:
        number = number_first.group("number")
        number = _NUMBER_HYPHEN.sub("", number) if "-" in number else number
        return SplitAddress(number.upper() if number[-1:].isalpha() else number,
                            number_first.group("street").strip(" ,"), unit)
    street_first = _STREET_FIRST.match(line)
    if street_first:
        return SplitAddress(street_first.group("number"), street_first.group("street").strip(" ,"),
                            unit or (street_first.group("unit") or "").upper() or None)
    return None
