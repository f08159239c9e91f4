"""Placing an address that came without coordinates, from the doors we already hold.

A list row with a street and a house number but no point is

1. ``matched`` to a door we hold at the same normalised address (street, number, unit when both have
   one; same town): it takes that door's point;
2. else ``interpolated`` between the nearest known house numbers on the same street and town, on the
   same side of the street (odd numbers face one side, even the other), in proportion to the numbers:
   No. 7 between No. 5 and No. 11 lies a third of the way. Past the last known number on its side it
   is carried on along the line of the last two, at most ``MAX_EXTRAPOLATION_M`` beyond the last door;
   a street side with one known number places only numbers close to it (``MAX_NUMBER_GAP``). The other
   side's numbers place an address only where they agree with its own side (``_across``): the two sides
   of a long street are often numbered apart;
3. else not placed: ``address not found``.

A row without a town (no city, no postcode) is placed only on a street that exists in one town of the
office: "Main St 6" with no town in a county of thirty towns is not guessed.

Pure: coordinates are planar metres (the caller projects, ``projection.equal_area_crs``), streets and
towns are compared in their normalised forms (``addresses``).
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field

from .addresses import house_number_key, normalise_compact, normalise_street, normalise_unit

MATCHED, INTERPOLATED = "matched", "interpolated"
NOT_FOUND = "address not found"
MAX_EXTRAPOLATION_M = 100.0
MAX_NUMBER_GAP = 4  # a lone known No. 12 places 8 to 16, not No. 90
ACROSS_BASE_M, ACROSS_PER_NUMBER_M = 60.0, 10.0  # metres, and metres a house number
_RANGE = re.compile(r"^\s*(\d+)\s*[-–]\s*(\d+)\s*$")


@dataclass(frozen=True)
class Placed:
    x: float
    y: float
    how: str                  # MATCHED or INTERPOLATED
    door_key: str | None      # for MATCHED: the key of the door it matched
    neighbours: tuple[str, ...] = ()  # for INTERPOLATED: the keys of the doors it lies between


@dataclass
class _Side:
    numbers: list[int] = field(default_factory=list)
    points: list[tuple[float, float, str]] = field(default_factory=list)


def _street_key(street: str | None) -> str:
    """The normalised street; a building's name before it ("Kaivopiha, Mannerheimintie", as OpenStreetMap
    and some lists write a named building) is dropped, so the address is on the street."""
    text = street or ""
    if "," in text:
        text = text.rsplit(",", 1)[1]
    return normalise_street(text) or normalise_street(street)


def _city_key(city: str | None) -> str:
    """The normalised city; a city of digits alone is a number written in the wrong field (OpenStreetMap's
    "Bulevardi 7" with ``addr:city=7``), not a town, so the postcode decides."""
    key = normalise_compact(city)
    return "" if key.isdigit() else key


class StreetIndex:
    """The known doors, by street and town, for matching and interpolating addresses."""

    def __init__(self):
        self._entries: list[tuple[str, str, int, str, str, float, float, str]] = []
        self._exact: dict[tuple, tuple[float, float, str]] = {}
        self._sides: dict[tuple, _Side] = {}
        self._towns: dict[str, set[str]] = {}  # street -> the named towns that have it
        self._postcode_city: dict[str, str] = {}  # a postcode all of whose doors with a city name one city
        self._built = False

    def add(self, key: str, street: str | None, house_number: str | None, unit: str | None,
            city: str | None, postcode: str | None, x: float, y: float) -> None:
        """Add one known door (``key`` names it in the answers)."""
        street_key = _street_key(street)
        number, suffix = house_number_key(house_number)
        if street_key and 0 < number < 10**9:
            self._entries.append(((_city_key(city), normalise_compact(postcode)), street_key, number, suffix,
                                  normalise_unit(unit), x, y, key))
            self._built = False

    def _resolve(self, city_postcode: tuple[str, str]) -> str:
        """The town of (city, postcode): the city, else the one city of that postcode, else the postcode.
        So a door written "00100" and another "Helsinki, 00100" are in one town."""
        city, postcode = city_postcode
        return city or self._postcode_city.get(postcode, postcode)

    def _town_of(self, street_key: str, town: str) -> str | None:
        """The town an address is in: its own, else the one town that has the street (None: ambiguous)."""
        if town:
            return town
        towns = self._towns.get(street_key, set())
        return next(iter(towns)) if len(towns) == 1 else ("" if not towns else None)

    def _build(self) -> None:
        """Index the doors once: exact addresses, and each street side sorted by number (doors of one
        number at their mean point). A door without a town belongs to the one town with its street."""
        cities: dict[str, set[str]] = defaultdict(set)
        for (city, postcode), *_ in self._entries:
            if city and postcode:
                cities[postcode].add(city)
        self._postcode_city = {postcode: next(iter(c)) for postcode, c in cities.items() if len(c) == 1}
        entries = [(self._resolve(town), *rest) for town, *rest in self._entries]
        towns: dict[str, set[str]] = defaultdict(set)
        for town, street_key, *_ in entries:
            if town:
                towns[street_key].add(town)
        self._towns = dict(towns)
        exact: dict[tuple, tuple[float, float, str]] = {}
        grouped: dict[tuple, dict[int, list[tuple[float, float, str]]]] = defaultdict(lambda: defaultdict(list))
        for town, street_key, number, suffix, unit, x, y, key in entries:
            town = self._town_of(street_key, town)
            if town is None:
                continue
            exact.setdefault((town, street_key, number, suffix, unit), (x, y, key))
            exact.setdefault((town, street_key, number, suffix, ""), (x, y, key))
            grouped[(town, street_key, number % 2)][number].append((x, y, key))
        self._exact = exact
        self._sides = {}
        for side_key, by_number in grouped.items():
            side = _Side()
            side.numbers = sorted(by_number)
            side.points = [(sum(p[0] for p in by_number[n]) / len(by_number[n]),
                            sum(p[1] for p in by_number[n]) / len(by_number[n]), by_number[n][0][2])
                           for n in side.numbers]
            self._sides[side_key] = side
        self._built = True

    def place(self, street: str | None, house_number: str | None, unit: str | None,
              city: str | None, postcode: str | None) -> Placed | None:
        """Where the address lies, and how we know; None when it can't be placed."""
        if not self._built:
            self._build()
        street_key = _street_key(street)
        number, suffix = house_number_key(house_number)
        if not street_key or not 0 < number < 10**9:
            return None
        town = self._town_of(street_key, self._resolve((_city_key(city), normalise_compact(postcode))))
        if town is None:  # no town given and several towns have this street: not guessed
            return None
        exact = (self._exact.get((town, street_key, number, suffix, normalise_unit(unit)))
                 or self._exact.get((town, street_key, number, suffix, "")))
        if exact:
            return Placed(exact[0], exact[1], MATCHED, exact[2])
        middle = _range_middle(house_number)  # "14-20" is one building from 14 to 20: place its middle
        if middle is not None:
            number, suffix = middle, ""
        same = self._sides.get((town, street_key, number % 2))
        other = self._sides.get((town, street_key, 1 - number % 2))
        # Between numbers of its own side, else of the other side (across the street: metres off); else
        # across from the very next number (No. 1 faces No. 2); else past the end of its own side; else
        # a known number close to it on either side.
        return ((same and _inside(same, number, exact_number=True))
                or _across(other and _inside(other, number), same, number)
                or _across(_near_lone(number, 1, other), same, number) or (same and _along(same, number))
                or _near_lone(number, MAX_NUMBER_GAP, same, other))


def _across(placed: Placed | None, same: _Side | None, number: int) -> Placed | None:
    """A place found across the street, kept only if it agrees with the address's own side: within
    ``ACROSS_BASE_M`` plus ``ACROSS_PER_NUMBER_M`` a number of the nearest known number on its own side.
    The two sides of a long street are numbered apart (Mannerheimintie 13 faces 20-something, not 12-14),
    so the other side's numbers alone can put an address hundreds of metres off."""
    if placed is None or same is None or not same.numbers:
        return placed
    at = min(range(len(same.numbers)), key=lambda i: abs(same.numbers[i] - number))
    x, y, _key = same.points[at]
    limit = ACROSS_BASE_M + ACROSS_PER_NUMBER_M * abs(same.numbers[at] - number)
    return placed if ((placed.x - x) ** 2 + (placed.y - y) ** 2) ** 0.5 <= limit else None


def _along(side: _Side, number: int) -> Placed | None:
    """On its own side: at the same number with another suffix, between two numbers, or past an end."""
    numbers, points = side.numbers, side.points
    at = bisect.bisect_left(numbers, number)
    if at < len(numbers) and numbers[at] == number:  # same number, other suffix (7 for 7B): its point
        x, y, key = points[at]
        return Placed(x, y, INTERPOLATED, None, (key,))
    if 0 < at < len(numbers):
        return _between(numbers[at - 1], points[at - 1], numbers[at], points[at], number, None)
    if len(numbers) < 2:
        return None
    # Past either end: carry on along the last two known numbers, not too far.
    (n1, p1), (n2, p2) = ((numbers[0], points[0]), (numbers[1], points[1])) if at == 0 else \
        ((numbers[-2], points[-2]), (numbers[-1], points[-1]))
    return _between(n1, p1, n2, p2, number, MAX_EXTRAPOLATION_M)


def _range_middle(house_number: str | None) -> int | None:
    """The middle of a number range ("14-20" -> 16, kept on the side of its first number), else None."""
    match = _RANGE.match(house_number or "")
    if not match:
        return None
    first, last = int(match.group(1)), int(match.group(2))
    if last <= first:
        return None
    middle = (first + last) // 2
    return middle if middle % 2 == first % 2 else middle + 1


def _inside(side: _Side, number: int, exact_number: bool = False) -> Placed | None:
    """Between two numbers of a side, never past its ends (or, with ``exact_number``, at the same number
    with another suffix: 7 for 7B)."""
    at = bisect.bisect_left(side.numbers, number)
    if exact_number and at < len(side.numbers) and side.numbers[at] == number:
        x, y, key = side.points[at]
        return Placed(x, y, INTERPOLATED, None, (key,))
    if 0 < at < len(side.numbers):
        return _between(side.numbers[at - 1], side.points[at - 1], side.numbers[at], side.points[at], number, None)
    return None


def _near_lone(number: int, max_gap: int, *sides: _Side | None) -> Placed | None:
    """The nearest known number of the street on these sides, if it is within ``max_gap`` of this one."""
    best = None
    for side in sides:
        for known, point in zip(side.numbers if side else (), side.points if side else ()):
            gap = abs(known - number)
            if gap <= max_gap and (best is None or gap < best[0]):
                best = (gap, point)
    if best is None:
        return None
    x, y, key = best[1]
    return Placed(x, y, INTERPOLATED, None, (key,))


def _between(n1: int, p1, n2: int, p2, number: int, limit: float | None) -> Placed | None:
    """Along the line of two known numbers, in proportion; past them only ``limit`` metres (or a gap
    of at most MAX_NUMBER_GAP numbers, however long the houses)."""
    share = (number - n1) / (n2 - n1)
    x, y = p1[0] + share * (p2[0] - p1[0]), p1[1] + share * (p2[1] - p1[1])
    if limit is not None:
        nearest, gap = (p1, abs(number - n1)) if abs(number - n1) < abs(number - n2) else (p2, abs(number - n2))
        beyond = ((x - nearest[0]) ** 2 + (y - nearest[1]) ** 2) ** 0.5
        if beyond > limit and gap > MAX_NUMBER_GAP:
            return None
    return Placed(x, y, INTERPOLATED, None, (p1[2], p2[2]))
