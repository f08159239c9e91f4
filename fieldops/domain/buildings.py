"""Apartment buildings: doors that share a street address and differ by unit are one building.

A walk list shows the building once, with its units in order, floor first:
'305' is floor 3, flat 5; '4B' is floor 4, flat B; Finnish 'B 12' is
staircase B, flat 12 (flat numbers rise with the floors). Pure functions.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from .addresses import normalise_compact, normalise_street, normalise_unit

_UNIT = re.compile(r"^([A-Z]*)(\d*)([A-Z]*)$")


def building_key(street: str | None, house_number: str | None) -> str:
    """One key per street address, however it is spelt: 'Main St  5 a' and 'main st 5A' agree."""
    return f"{normalise_street(street)}|{normalise_compact(house_number)}"


def unit_order(unit: str | None) -> tuple:
    """Sort key for units of one building: staircase, then floor, then flat; odd spellings last."""
    text = normalise_unit(unit)
    match = _UNIT.match(text)
    if not text:
        return ("", -1, -1, "")
    if not match or not (match.group(2) or match.group(3)):
        return ("~", 10**6, 10**6, text)
    staircase, digits, letters = match.groups()
    if staircase:                        # 'B12': staircase B, flat 12
        return (staircase, 0, int(digits or 0), letters)
    if letters:                          # '4B': floor 4, flat B
        return ("", int(digits or 0), 0, letters)
    if len(digits) >= 3:                 # '305': floor 3, flat 5
        return ("", int(digits[:-2]), int(digits[-2:]), "")
    return ("", 0, int(digits), "")      # '12': flat 12, floor unknown


def group_buildings(doors: Sequence, key=lambda d: building_key(d.street, d.house_number),
                    unit=lambda d: d.unit) -> list:
    """The doors in walking order with each building's units together, where its first unit was walked,
    and in unit order."""
    units: dict[str, list] = {}
    for door in doors:
        units.setdefault(key(door), []).append(door)
    ordered, placed = [], set()
    for door in doors:
        building = key(door)
        if building in placed:
            continue
        placed.add(building)
        ordered += sorted(units[building], key=lambda d: unit_order(unit(d)))
    return ordered
