"""Address helpers: natural ordering of house numbers and units."""
from __future__ import annotations

import re

_LEADING_NUMBER = re.compile(r"\s*(\d+)\s*(.*)")


def house_number_key(text: str | None) -> tuple[int, str]:
    """Sort key for house numbers so that 2 < 10 < 10a < 10b and 'Block C' sorts last."""
    match = _LEADING_NUMBER.match(text or "")
    if not match:
        return (10**9, (text or "").casefold())
    return (int(match.group(1)), match.group(2).strip().casefold())


def unit_key(text: str | None) -> tuple[str, int, str]:
    """Sort key for units: staircase letter first (Finnish 'B 12'), then the number, then the rest."""
    text = (text or "").strip().casefold()
    match = re.match(r"([a-z]*)\s*(\d*)\s*(.*)", text)
    letters, digits, rest = match.groups()
    return (letters, int(digits) if digits else -1, rest)


def street_order_key(street: str | None, house_number: str | None, unit: str | None) -> tuple:
    """Sort key that walks a street in house-number order, units together."""
    return ((street or "").casefold(), house_number_key(house_number), unit_key(unit))


_UNIT_WORDS = re.compile(r"^(apartment|apt|unit|suite|ste|flat|no|nr|number|#)\.?\s*", re.IGNORECASE)


def normalise_unit(text: str | None) -> str:
    """One spelling per unit: 'Apt 4B', '#4B', '4b' and 'Unit 4 B' all become '4B'; no unit is ''."""
    text = (text or "").strip()
    previous = None
    while previous != text:  # "Apt #4B" needs two passes
        previous, text = text, _UNIT_WORDS.sub("", text).strip()
    return re.sub(r"[\s\-.#]+", "", text).upper()


def normalise_street(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").strip().casefold())


def normalise_compact(text: str | None) -> str:
    """House numbers and postcodes: case and spaces do not matter ('12 A' is '12a')."""
    return re.sub(r"\s+", "", (text or "").strip().casefold())


def address_key(street: str | None, house_number: str | None, unit: str | None, postcode: str | None) -> str:
    """A spelling-proof key for one household address."""
    return "|".join((normalise_street(street), normalise_compact(house_number), normalise_unit(unit),
                     normalise_compact(postcode)))
