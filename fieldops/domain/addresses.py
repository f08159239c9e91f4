"""Address helpers: natural ordering of house numbers and units, and when two households are one door."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

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


# --- When two households are one door --------------------------------------------------------------------------
#
# The one rule, for voter files (``importers/doors.py``), for a household meeting a door already known from
# OpenStreetMap (``same_address``) and for OpenStreetMap's own duplicates (``importers/osm.py``):
#
# 1. the same normalised street, house number and unit (``place_key``);
# 2. the same town: the same postcode when both have one, else the same city when both have one; a blank
#    postcode never matches another blank one (it says nothing), and when neither postcodes nor cities can be
#    compared, only the distance decides;
# 3. within ``DOOR_JOIN_DISTANCE_M`` of the door (the first household that made it); of several doors that
#    fit, the earliest.
#
# A household at the street address of a door that fails 2 or 3 is a door of its own: a *near miss*, reported.

DOOR_JOIN_DISTANCE_M = 150.0
EARTH_RADIUS_M = 6_371_008.8


def place_key(street: str | None, house_number: str | None, unit: str | None) -> str:
    """Street, house number and unit, one spelling each: the text part of "the same address"."""
    return "|".join((normalise_street(street), normalise_compact(house_number), normalise_unit(unit)))


def normalise_city(text: str | None) -> str:
    """Cities compare like streets; a missing one (None, or NaN from a frame) is ''."""
    return normalise_street(text if isinstance(text, str) else None)


def normalise_postcode(text: str | None) -> str:
    """Postcodes compare without case or spaces; a missing one (None, or NaN from a frame) is ''."""
    return normalise_compact(text if isinstance(text, str) else None)


def same_town(city_a: str, postcode_a: str, city_b: str, postcode_b: str) -> bool:
    """Normalised city and postcode of two households: may they be one door? (rule 2 above)."""
    return bool(same_towns(np.array([city_a], dtype=object), np.array([postcode_a], dtype=object),
                           np.array([city_b], dtype=object), np.array([postcode_b], dtype=object))[0])


def same_towns(city_a: np.ndarray, postcode_a: np.ndarray, city_b: np.ndarray, postcode_b: np.ndarray) -> np.ndarray:
    """``same_town`` pair by pair over arrays of normalised texts ('' where missing)."""
    both_postcodes = (postcode_a != "") & (postcode_b != "")
    both_cities = (city_a != "") & (city_b != "")
    return np.where(both_postcodes, postcode_a == postcode_b, np.where(both_cities, city_a == city_b, True))


def distance_m(lat_a, lon_a, lat_b, lon_b):
    """Great-circle distance in metres between WGS84 points (degrees; scalars or numpy arrays)."""
    lat_a, lon_a, lat_b, lon_b = (np.radians(np.asarray(v, dtype=float)) for v in (lat_a, lon_a, lat_b, lon_b))
    h = (np.sin((lat_b - lat_a) / 2) ** 2
         + np.cos(lat_a) * np.cos(lat_b) * np.sin((lon_b - lon_a) / 2) ** 2)
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


@dataclass
class DoorJoin:
    """Which door each household row joins: ``door[i]`` is the position of the row that made row i's door
    (``door[i] == i`` for a door's first row); ``near_miss[i]`` is true when row i shares its street address
    with another door but is another town or farther than the bound, so it became a door of its own;
    ``too_far[i]`` when one of those doors was in its town (a suspicious near miss: a geocoding slip, or
    two streets of one name in one town)."""
    door: np.ndarray
    near_miss: np.ndarray
    too_far: np.ndarray | None = None


def join_households(place: Sequence[str], city: Sequence[str], postcode: Sequence[str],
                    lat: Sequence[float], lon: Sequence[float],
                    bound_m: float = DOOR_JOIN_DISTANCE_M) -> DoorJoin:
    """Group household rows into doors by the rule above, in row order (normalised texts, WGS84 degrees).

    A row joins the earliest door of its street address that is in its town and within ``bound_m`` of it;
    otherwise it makes a door of its own. Vectorised: every row is compared with its address's first
    row at once, and the rows that do not fit it in rounds (one new door per address and round).
    """
    place = np.asarray(place, dtype=object)
    n = len(place)
    door = np.arange(n)
    near_miss = np.zeros(n, dtype=bool)
    too_far = np.zeros(n, dtype=bool)
    if n == 0:
        return DoorJoin(door, near_miss, too_far)
    city, postcode = np.asarray(city, dtype=object), np.asarray(postcode, dtype=object)
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    codes, _ = pd.factorize(place)
    first = np.full(codes.max() + 1, n, dtype=np.int64)
    np.minimum.at(first, codes, np.arange(n))
    leader = first[codes]
    town = same_towns(city, postcode, city[leader], postcode[leader])
    fits = town & (distance_m(lat, lon, lat[leader], lon[leader]) <= bound_m)
    too_far |= town & ~fits
    door[fits] = leader[fits]
    # The rest, in rounds: each round, the first row of an address still without a door makes one (a near
    # miss: its address had a door already), and the later rows of that address that fit it join it. That is
    # the row-by-row rule exactly: every door a row could join was made by an earlier row, in an earlier round.
    remaining = np.flatnonzero(~fits)
    leader_of = np.full(codes.max() + 1, -1, dtype=np.int64)
    while remaining.size:
        remaining_codes = codes[remaining]
        _, first_positions = np.unique(remaining_codes, return_index=True)
        made = remaining[first_positions]
        near_miss[made] = True
        leader_of[codes[made]] = made
        candidate = leader_of[remaining_codes]
        town = (candidate != remaining) & same_towns(city[remaining], postcode[remaining], city[candidate],
                                                     postcode[candidate])
        joins = town & (distance_m(lat[remaining], lon[remaining], lat[candidate], lon[candidate]) <= bound_m)
        too_far[remaining[town & ~joins]] = True
        door[remaining[joins]] = candidate[joins]
        remaining = remaining[~joins & (candidate != remaining)]
    return DoorJoin(door, near_miss, too_far & near_miss)


def match_known(new_place, new_city, new_postcode, new_lat, new_lon,
                known_place, known_city, known_postcode, known_lat, known_lon,
                bound_m: float = DOOR_JOIN_DISTANCE_M) -> tuple[dict[int, int], np.ndarray]:
    """New doors that are a door already known (from another source), by the rule above, one to one, nearest
    first: ({new position: known position}, near-miss flag per new door: a known door has its street address
    but none is in its town and near)."""
    new = pd.DataFrame({"place": np.asarray(new_place, dtype=object), "new": np.arange(len(new_place))})
    known = pd.DataFrame({"place": np.asarray(known_place, dtype=object), "known": np.arange(len(known_place))})
    pairs = new.merge(known, on="place")
    near_miss = np.zeros(len(new), dtype=bool)
    if pairs.empty:
        return {}, near_miss
    a, b = pairs["new"].to_numpy(), pairs["known"].to_numpy()
    distance = distance_m(np.asarray(new_lat, dtype=float)[a], np.asarray(new_lon, dtype=float)[a],
                          np.asarray(known_lat, dtype=float)[b], np.asarray(known_lon, dtype=float)[b])
    ok = same_towns(np.asarray(new_city, dtype=object)[a], np.asarray(new_postcode, dtype=object)[a],
                    np.asarray(known_city, dtype=object)[b], np.asarray(known_postcode, dtype=object)[b]) & (
        distance <= bound_m)
    near_miss[a] = True
    near_miss[a[ok]] = False
    result: dict[int, int] = {}
    taken: set[int] = set()
    for index in np.flatnonzero(ok)[np.argsort(distance[ok], kind="stable")]:
        if a[index] not in result and b[index] not in taken:
            result[int(a[index])] = int(b[index])
            taken.add(int(b[index]))
    return result, near_miss


def has_twin(place, city, postcode, lat, lon, other_place, other_city, other_postcode, other_lat, other_lon,
             bound_m: float = DOOR_JOIN_DISTANCE_M) -> np.ndarray:
    """For each household, whether one of the others is the same door by the rule above (normalised texts,
    WGS84 degrees): an addressed building whose address an entrance node already carries, say."""
    by_place: dict[str, list[int]] = {}
    for position, key in enumerate(other_place):
        by_place.setdefault(key, []).append(position)
    found = np.zeros(len(place), dtype=bool)
    for position, key in enumerate(place):
        for other in by_place.get(key, ()):
            if (same_town(city[position], postcode[position], other_city[other], other_postcode[other])
                    and distance_m(lat[position], lon[position], other_lat[other], other_lon[other]) <= bound_m):
                found[position] = True
                break
    return found
