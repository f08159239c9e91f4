"""Apartment buildings: doors that share a street address and differ by unit are one building.

A walk list shows the building once, with its units in order, floor first:
'305' is floor 3, flat 5; '4B' is floor 4, flat B; Finnish 'B 12' is
staircase B, flat 12 (flat numbers rise with the floors). Pure functions.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .addresses import normalise_compact, normalise_street, normalise_unit
from .text import N_

_UNIT = re.compile(r"^([A-Z]*)(\d*)([A-Z]*)$")


def building_key(street: str | None, house_number: str | None) -> str:
    """One key per street address, however it is spelt: 'Main St  5 a' and 'main st 5A' agree."""
    return f"{normalise_street(street)}|{normalise_compact(house_number)}"


def own_building_key(street: str | None, house_number: str | None, door_id) -> str:
    """``building_key``, except that a door without a house number (an unaddressed house from
    OpenStreetMap, named by its street) is a building of its own, never one with its street's others."""
    if not (house_number or "").strip():
        return f"#{door_id}"
    return building_key(street, house_number)


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
                    unit=lambda d: d.unit, tiebreak=lambda d: 0) -> list:
    """The doors in walking order with each building's units together, where its first unit was walked,
    and in unit order (then ``tiebreak``: pass the door id so doors without a unit come in the order
    ``door_labels`` numbers them)."""
    units: dict[str, list] = {}
    for door in doors:
        units.setdefault(key(door), []).append(door)
    ordered, placed = [], set()
    for door in doors:
        building = key(door)
        if building in placed:
            continue
        placed.add(building)
        ordered += sorted(units[building], key=lambda d: (unit_order(unit(d)), tiebreak(d)))
    return ordered


@dataclass(frozen=True)
class DoorLabel:
    label: str          # the line a volunteer reads: 'Keskuskatu 6 B 12', 'Keskuskatu 6 · Kahvila Sävy'
    which: str | None   # what tells the door from the others at its address; None when it is alone there


# The words of a label, marked for the catalogs; ``phrase`` puts them in the reader's language.
PHRASES = {"door_of": N_("door %(n)s of %(total)s at this address"), "near": N_("near %(street)s")}


def english(key: str, **values) -> str:
    return PHRASES[key] % values


def door_labels(doors: Iterable, phrase=english) -> dict[int, DoorLabel]:
    """A label per door (by id) that tells apart the doors sharing a street address: its unit, else its
    name (OpenStreetMap names most shops and buildings), else 'door 2 of 3 at this address', numbered in
    unit order, then by id. Give every door of the addresses concerned (a whole block), or the numbers
    of the others will be wrong. ``phrase(key, **values)`` writes the words of ``PHRASES`` (in English
    unless the caller translates them)."""
    buildings: dict[str, list] = {}
    for door in doors:
        buildings.setdefault(own_building_key(door.street, door.house_number, door.id), []).append(door)
    labels: dict[int, DoorLabel] = {}
    for group in buildings.values():
        group.sort(key=lambda d: (unit_order(d.unit), d.id))
        units = Counter(normalise_unit(d.unit) for d in group)
        names = Counter((d.name or "").strip().casefold() for d in group)
        for n, door in enumerate(group, start=1):
            street = f"{door.street or ''} {door.house_number or ''}".strip()
            unit, name = normalise_unit(door.unit), (door.name or "").strip()
            if getattr(door, "unaddressed", False):  # a house without an address: say so, and where
                labels[door.id] = DoorLabel(phrase("near", street=street) + (f" · {name}" if name else ""), None)
            elif len(group) == 1:
                labels[door.id] = DoorLabel(f"{street} {door.unit}" if unit else street, None)
            elif unit and units[unit] == 1:
                labels[door.id] = DoorLabel(f"{street} {door.unit.strip()}", door.unit.strip())
            elif name and names[name.casefold()] == 1:
                labels[door.id] = DoorLabel(f"{street} · {name}", name)
            else:
                which = phrase("door_of", n=n, total=len(group))
                labels[door.id] = DoorLabel(f"{street} · {which}", which)
    return labels
