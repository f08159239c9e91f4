"""The order a canvasser walks a turf's doors, and how far that is.

A walk list reads like a person walks: street by street, house numbers in
order, each building in one go. The route is built in steps that are each
close to linear in the doors, so a turf of a thousand doors takes a fraction
of a second whatever its shape (a city block, a tower, farms strung along
country roads across several towns):

1. *Buildings and stops.* Doors that share a street address
   (``domain/buildings.py``) and stand within ``RUN_BREAK_M`` of each other
   are one building, walked in one go; the same address in another town is
   another building. A building's doors at one spot (``SAME_SPOT_M``) are one
   stop, its units in order (staircase, floor, flat); a building with several
   spots (staircases along a block of flats, a shopping centre's entrances)
   has them in walking order.
2. *Runs.* Each street's stops, in house-number order, are cut where they
   are far apart (``RUN_BREAK_M``) into pieces, and each piece becomes one or
   two runs: on a busy street (sides wide apart, or named by the caller) one
   side and then the other, never weaving through traffic; on a quiet street
   both ways are priced (crossing back and forth, or up one side and back
   down the other) and the shorter is kept. A street of the same name in
   another town is another set of pieces.
3. *Chain.* The runs, each walked either way, are joined into one path:
   shortest joins first, among each run end's nearest run ends (a k-d tree),
   then 2-opt and or-opt moves over the runs.
4. *Polish.* The same search moves whole buildings, then single stops, each
   followed by a seeded number of rounds that swap two short neighbouring
   stretches and search again around the cuts, kept when shorter. It walks
   by distances that charge extra for leaving a street, for skipping houses
   of a run to come back for them, for crossing a busy street (half at the
   corner where one side ends and the other begins) and for leaving a
   building part-way, so the walk stays street by street. Where a busy street
   is walked, the route found is searched again with crossings at half the
   charge and the result kept if it is shorter to walk: a turf holding part of
   a block can hold both ends of one side and the middle of the other.
5. *Within a stop.* Doors no unit tells apart (no unit, or the same one) that
   stand in a row of entrances a few metres long are walked along the row.

Every move looks only next to a stop's nearest stops and only where the route
just changed, so the search is near-linear too; ``TIME_BUDGET_S`` stops it
whatever is left, a guard that only odd shapes reach (a thousand doors of
one street in random house-number order). The length reported is the
length of the order returned. Units: metres in a local planar projection
(``local_metres`` makes one from lon/lat); the route is an open path from the
first door to the last.
"""
from __future__ import annotations

import math
import random
import time
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from .addresses import house_number_key, normalise_street
from .buildings import building_key, unit_order

BUSY_SIDE_GAP_M = 25.0   # sides this far apart: a wide (busy) street, walk one side then the other
RUN_BREAK_M = 150.0      # doors of one street (or one address) further apart than this start a new piece of it
SAME_SPOT_M = 1.0        # a building's doors this close together are one stop (units of one entrance)
STREET_CHANGE_M = 5.0    # the polish treats leaving a street as this much extra walk
SKIP_HOUSES_M = 2.0      # ... skipping houses of a run to come back for them later as this much
BUSY_CROSSING_M = 60.0   # ... crossing a busy street as this much (half at the corner, one side's end to the other's)
BUILDING_CHANGE_M = 2 * RUN_BREAK_M  # ... and leaving a building as more than any short cut through it
EARTH_RADIUS_M = 6_371_008.8
NEIGHBOURS = 8              # each stop looks for better places next to this many of its nearest stops
OR_OPT_LENGTHS = (1, 2, 3)  # stretches of stops (or runs) the search may move elsewhere
KICKS = 400                 # perturb-and-polish rounds: about this many ...
KICKS_PER_STOP = 0.3        # ... but at most this many per stop, so time stays linear in the doors,
MIN_KICKS = 40              # ... and at least this many inside a building of many stops (a shopping centre):
BIG_BUILDING_STOPS = 8      # ... a building of at least this many stops
KICK_SPAN = 12              # a round swaps two neighbouring stretches of at most this many stops
DENSE_STOPS = 400           # up to this many stops the search prices every join up front
TIME_BUDGET_S = 0.5         # the search stops here whatever is left (construction is near-linear)
_EPS = 1e-7


@dataclass(frozen=True)
class DoorPoint:
    street: str | None
    house_number: str | None
    unit: str | None
    x: float  # metres, local planar
    y: float


@dataclass(frozen=True)
class WalkOrder:
    order: list[int]  # positions into the input, in walking order
    metres: float     # straight-line length of the walk from the first door to the last, in this order


def local_metres(lons: Sequence[float], lats: Sequence[float]) -> list[tuple[float, float]]:
    """Lon/lat (degrees, WGS84) to metres east and north of their mean: accurate over a turf's few kilometres."""
    if not lats:
        return []
    lat0, lon0 = sum(lats) / len(lats), sum(lons) / len(lons)
    scale_x = math.radians(1) * EARTH_RADIUS_M * math.cos(math.radians(lat0))
    scale_y = math.radians(1) * EARTH_RADIUS_M
    return [((lon - lon0) * scale_x, (lat - lat0) * scale_y) for lon, lat in zip(lons, lats)]


def path_metres(points: Sequence[tuple[float, float]], order: Sequence[int]) -> float:
    """Length of the open path visiting ``points`` in ``order``."""
    return sum(math.dist(points[a], points[b]) for a, b in zip(order, order[1:]))


def walk_order(doors: Sequence[DoorPoint], busy_streets: frozenset[str] = frozenset()) -> WalkOrder:
    """The doors in walking order and the route's length in metres.

    ``busy_streets`` holds street names (any case) that must be walked one
    side at a time whatever their width.
    """
    if not doors:
        return WalkOrder([], 0.0)
    deadline = time.perf_counter() + TIME_BUDGET_S
    points = [(d.x, d.y) for d in doors]
    busy = {normalise_street(name) for name in busy_streets}
    stops = _stops(doors, points)
    runs, wide = _runs(stops, busy)
    costs = _Costs(stops, wide, runs)
    route = _search(runs, costs, deadline, greedy=True)
    whole = _buildings_along(route, stops)
    if len(whole) < len(route):  # blocks of flats and shopping centres: move them whole first
        route = _search(whole, costs, deadline, rounds=_rounds(len(whole)))
    route = _inside_big_buildings(route, stops, costs, deadline)
    route = _search([[stop] for stop in route], costs, deadline, rounds=_rounds(len(route)))
    if any(wide):
        # One side of a busy street, then the other, unless crossing twice saves more than it costs at half
        # the charge: from the route found, search again with crossings at half price, and keep the result
        # only if it is shorter to walk. A turf cut from part of a block can hold the two ends of one side
        # and the middle of the other; walking back along one side would be the longest stretch of its list.
        cheaper = _Costs(stops, wide, runs, crossing=BUSY_CROSSING_M / 2)
        other = _search([[stop] for stop in route], cheaper, deadline)
        if _stop_metres(other, stops) < _stop_metres(route, stops) - _EPS:
            route = other
    order = _within_stops(_doors_of(route, stops), stops, doors, points)
    return WalkOrder(order, round(path_metres(points, order), 1))


def _inside_big_buildings(route: list[int], stops: list[_Stop], costs: "_Costs", deadline: float) -> list[int]:
    """The stops of each building of many (a shopping centre, a row of staircases) walked by a search of their
    own, with at least ``MIN_KICKS`` rounds: inside one such building the walk is a small puzzle of its own
    that the turf's rounds, spread over all its stops, leave half done."""
    result: list[int] = []
    for stretch in _buildings_along(route, stops):
        if len(stretch) >= BIG_BUILDING_STOPS:
            inside = _search([[stop] for stop in stretch], costs, deadline,
                             rounds=_rounds(len(stretch), MIN_KICKS))
            before = result[-1] if result else None
            after_at = len(result) + len(stretch)
            after = route[after_at] if after_at < len(route) else None

            def joins(run: list[int]) -> float:
                return ((costs.pair(before, run[0]) if before is not None else 0.0)
                        + (costs.pair(run[-1], after) if after is not None else 0.0))
            if joins(inside[::-1]) < joins(inside):
                inside.reverse()
            old_cost = joins(stretch) + sum(costs.pair(a, b) for a, b in zip(stretch, stretch[1:]))
            new_cost = joins(inside) + sum(costs.pair(a, b) for a, b in zip(inside, inside[1:]))
            result += inside if new_cost < old_cost - _EPS else stretch
        else:
            result += stretch
    return result


def _stop_metres(route: list[int], stops: list[_Stop]) -> float:
    return sum(math.hypot(stops[a].x - stops[b].x, stops[a].y - stops[b].y) for a, b in zip(route, route[1:]))


def buildings(doors: Sequence[DoorPoint]) -> list[int]:
    """The building of each door, as the walk keeps them together: one street address, within RUN_BREAK_M."""
    building = [0] * len(doors)
    for stop in _stops(doors, [(d.x, d.y) for d in doors]):
        for door in stop.doors:
            building[door] = stop.building
    return building


def busy_sides(doors: Sequence[DoorPoint], busy_streets: frozenset[str] = frozenset()) -> list[tuple[int, int] | None]:
    """For each door on a street the walk takes one side at a time (a busy street, as ``walk_order``
    decides it), (the stretch of street, the side: 1 odd, 0 even); None elsewhere. Going from one side
    of such a stretch to the other is what the walk charges ``BUSY_CROSSING_M`` for."""
    points = [(d.x, d.y) for d in doors]
    stops = _stops(doors, points)
    _, wide = _runs(stops, {normalise_street(name) for name in busy_streets})
    xy = np.array([(s.x, s.y) for s in stops], dtype=float).reshape(-1, 2)
    stretch: dict[int, int] = {}
    by_street: dict[str, list[int]] = defaultdict(list)
    for k, stop in enumerate(stops):
        if wide[k] and stop.street and stop.side >= 0:
            by_street[stop.street].append(k)
    count = 0
    for street in sorted(by_street):
        for part in _clusters(xy, by_street[street], RUN_BREAK_M):
            for k in part:
                stretch[k] = count
            count += 1
    sides: list[tuple[int, int] | None] = [None] * len(doors)
    for k, stop in enumerate(stops):
        if k in stretch:
            for door in stop.doors:
                sides[door] = (stretch[k], stop.side)
    return sides


# --- 1. stops: a building's doors together ---------------------------------------------------------------

@dataclass
class _Stop:
    doors: list[int]          # door positions, in unit order
    x: float
    y: float
    street: str               # normalised
    number: tuple[int, str]   # house_number_key
    side: int                 # 1 odd, 0 even, -1 no number
    building: int             # stops of one building share this


def _stops(doors: Sequence[DoorPoint], points) -> list[_Stop]:
    """Buildings (one address, within RUN_BREAK_M) split into stops (doors within SAME_SPOT_M), in door order."""
    addresses: dict[str, list[int]] = defaultdict(list)
    for i, door in enumerate(doors):
        # A door without a house number is a house of its own, not a unit of a building.
        key = building_key(door.street, door.house_number) if (door.house_number or "").strip() else f"#{i}"
        addresses[key].append(i)
    xy = np.asarray(points, dtype=float)
    stops: list[_Stop] = []
    count = 0
    for members in addresses.values():
        for building in _clusters(xy, members, RUN_BREAK_M):
            for spot in _clusters(xy, building, SAME_SPOT_M):
                spot.sort(key=lambda i: (unit_order(doors[i].unit), i))
                first = doors[spot[0]]
                number = house_number_key(first.house_number)
                stops.append(_Stop(spot, float(xy[spot, 0].mean()), float(xy[spot, 1].mean()),
                                   normalise_street(first.street), number,
                                   -1 if number[0] >= 10**9 else number[0] % 2, count))
            count += 1
    # Door order, so the same doors in the same order always give the same stops.
    stops.sort(key=lambda s: s.doors[0])
    return stops


def _clusters(xy: np.ndarray, members: list[int], radius: float) -> list[list[int]]:
    """``members`` split into groups linked by steps of at most ``radius`` metres, in member order."""
    if len(members) == 1:
        return [list(members)]
    sub = xy[members]
    if np.ptp(sub[:, 0]) <= radius / 2 and np.ptp(sub[:, 1]) <= radius / 2:
        return [list(members)]  # all within reach of each other: the usual building
    if len(members) <= 48:      # one address in a few towns, a short street: no tree needed
        near = np.hypot(sub[:, None, 0] - sub[None, :, 0], sub[:, None, 1] - sub[None, :, 1]) <= radius
        labels = list(range(len(members)))
        for i, j in np.argwhere(np.triu(near, 1)).tolist():
            old, new = labels[j], labels[i]
            if old != new:
                labels = [new if label == old else label for label in labels]
    else:
        pairs = cKDTree(sub).query_pairs(radius, output_type="ndarray")
        graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(len(members),) * 2)
        labels = connected_components(graph, directed=False)[1].tolist()
    groups: dict[int, list[int]] = {}
    for member, label in zip(members, labels):
        groups.setdefault(label, []).append(member)
    return list(groups.values())


def _doors_of(route: list[int], stops: list[_Stop]) -> list[int]:
    """The doors stop by stop, each stop's units in order, each building's stops where the first was walked.

    The search keeps a building's stops together already; gathering them here makes it a rule.
    """
    stops_of: dict[int, list[int]] = defaultdict(list)
    for stop in route:
        stops_of[stops[stop].building].append(stop)
    order: list[int] = []
    for stop in route:
        building = stops_of.pop(stops[stop].building, None)
        if building is not None:
            order += [door for each in building for door in stops[each].doors]
    return order


def _within_stops(order: list[int], stops: list[_Stop], doors: Sequence[DoorPoint], points) -> list[int]:
    """Each stop's doors that no unit tells apart (no unit, or the same one), walked along the stop.

    A stop is doors linked by steps of at most ``SAME_SPOT_M``, so a row of entrances a few metres long
    can be one stop; without units to order them, its doors go along the row's main direction, entered
    from the end nearer the door before and left toward the door after. Doors with units keep their
    unit order (staircase, floor, flat)."""
    xy = np.asarray(points, dtype=float)
    position = {door: k for k, door in enumerate(order)}
    result = list(order)
    for stop in stops:
        if len(stop.doors) < 3:
            continue
        spread = np.ptp(xy[stop.doors], axis=0)
        if max(spread) < 0.05:
            continue  # one point: nothing to walk
        start = position[stop.doors[0]]  # the stop's doors stand together in the order, in this order
        k = 0
        while k < len(stop.doors):
            key = unit_order(doors[stop.doors[k]].unit)
            end = k
            while end + 1 < len(stop.doors) and unit_order(doors[stop.doors[end + 1]].unit) == key:
                end += 1
            if end - k >= 2:
                same = stop.doors[k:end + 1]
                along = _along_street(same, xy)
                line = sorted(same, key=lambda door: (along[door], door))
                at = start + k
                before = xy[result[at - 1]] if at > 0 else None
                after = xy[result[at + len(line)]] if at + len(line) < len(result) else None

                def joins(run: list[int]) -> float:
                    return ((math.dist(before, xy[run[0]]) if before is not None else 0.0)
                            + (math.dist(xy[run[-1]], after) if after is not None else 0.0))
                if joins(line[::-1]) < joins(line):
                    line.reverse()
                if path_metres(xy, line) + joins(line) < path_metres(xy, same) + joins(same) - _EPS:
                    result[at:at + len(line)] = line
            k = end + 1
    return result


# --- 2. runs: street by street, side by side -----------------------------------------------------------

def _runs(stops: list[_Stop], busy: set[str]) -> tuple[list[list[int]], list[bool]]:
    """The runs (lists of stops walked in a row) and, per stop, whether its street is walked side by side."""
    xy = np.array([(s.x, s.y) for s in stops], dtype=float)
    wide = [False] * len(stops)
    streets: dict[str, list[int]] = defaultdict(list)
    for k, stop in enumerate(stops):
        streets[stop.street].append(k)
    runs: list[list[int]] = []
    for street in sorted(streets):
        if not street:  # doors without a street name: each is a place of its own
            runs.extend([k] for k in streets[street])
            continue
        for part in _clusters(xy, streets[street], RUN_BREAK_M):
            odd = [k for k in part if stops[k].side == 1]
            even = [k for k in part if stops[k].side == 0]
            part_is_wide = street in busy or bool(odd and even and _side_gap(odd, even, xy) > BUSY_SIDE_GAP_M)
            for k in part:
                wide[k] = part_is_wide
            for piece in _pieces(part, stops, xy):
                runs.extend(_runs_of_piece(piece, stops, xy, forced_sides=street in busy))
    return runs, wide


def _pieces(members: list[int], stops: list[_Stop], xy: np.ndarray) -> list[list[int]]:
    """The stops in house-number order (a building's stops along the street), cut where the next address is far."""
    along = _along_street(members, xy) if len(members) > 1 else {members[0]: 0.0}
    members = sorted(members, key=lambda k: (stops[k].number, stops[k].building, along[k], k))
    pieces, current = [], [members[0]]
    for previous, stop in zip(members, members[1:]):
        if math.dist(xy[previous], xy[stop]) > RUN_BREAK_M and stops[previous].building != stops[stop].building:
            pieces.append(current)
            current = []
        current.append(stop)
    pieces.append(current)
    return pieces


def _runs_of_piece(piece: list[int], stops: list[_Stop], xy: np.ndarray, forced_sides: bool) -> list[list[int]]:
    odd = [k for k in piece if stops[k].side == 1]
    even = [k for k in piece if stops[k].side == 0]
    other = [k for k in piece if stops[k].side == -1]
    if not odd or not even:
        return [piece]
    if forced_sides or _side_gap(odd, even, xy) > BUSY_SIDE_GAP_M:
        return [run for run in (odd, even + other) if run]
    along = _along_street(piece, xy)
    building_at: dict[int, list[float]] = defaultdict(list)
    for k in piece:
        building_at[stops[k].building].append(along[k])
    weave = sorted(piece, key=lambda k: (min(building_at[stops[k].building]), stops[k].building, along[k], k))
    loop = odd + list(reversed(even)) + other
    if _path(xy, loop) < _path(xy, weave):
        return [run for run in (odd, even + other) if run]
    return [weave]


def _path(xy: np.ndarray, order: list[int]) -> float:
    steps = np.diff(xy[order], axis=0)
    return float(np.hypot(steps[:, 0], steps[:, 1]).sum())


def _along_street(piece: list[int], xy: np.ndarray) -> dict[int, float]:
    """Each stop's position along the street's main direction (principal axis), metres."""
    sub = xy[piece] - xy[piece].mean(axis=0)
    sxx, syy, sxy = (sub[:, 0] ** 2).sum(), (sub[:, 1] ** 2).sum(), (sub[:, 0] * sub[:, 1]).sum()
    angle = 0.5 * math.atan2(2 * sxy, sxx - syy)
    along = sub[:, 0] * math.cos(angle) + sub[:, 1] * math.sin(angle)
    return dict(zip(piece, along.tolist()))


def _side_gap(odd: list[int], even: list[int], xy: np.ndarray) -> float:
    """How far apart the two sides run: the distance between each side's mean stop, across the street."""
    along = _along_street(odd + even, xy)
    (ox, oy), (ex, ey) = xy[odd].mean(axis=0), xy[even].mean(axis=0)
    gap = math.hypot(ox - ex, oy - ey)
    # Remove the part of the gap that lies along the street (sides of unequal length).
    mean_along = abs(sum(along[k] for k in odd) / len(odd) - sum(along[k] for k in even) / len(even))
    return math.sqrt(max(gap * gap - mean_along * mean_along, 0.0))


# --- costs the search walks by ----------------------------------------------------------------------------

class _Costs:
    """Metres between two stops, plus the charges for changing street (or skipping houses of one run, to
    come back for them later), crossing a busy street and leaving a building.

    ``pair`` prices one join and ``many`` a batch of them (numpy): the same rule, kept side by side.
    """

    def __init__(self, stops: list[_Stop], wide: list[bool], runs: list[list[int]],
                 crossing: float = BUSY_CROSSING_M):
        self.crossing = crossing
        self.run, self.place, self.turn = [0] * len(stops), [0] * len(stops), [False] * len(stops)
        for r, run in enumerate(runs):
            for k, stop in enumerate(run):
                self.run[stop], self.place[stop] = r, k
            self.turn[run[0]] = self.turn[run[-1]] = True
        self.x, self.y = [s.x for s in stops], [s.y for s in stops]
        ids: dict[str, int] = {}
        self.street = [ids.setdefault(s.street, len(ids)) for s in stops]
        self.side = [s.side for s in stops]
        self.building = [s.building for s in stops]
        self.wide = wide
        self.arrays = {name: np.asarray(getattr(self, name)) for name in
                       ("x", "y", "street", "side", "building", "wide", "run", "place", "turn")}
        every = np.arange(len(stops))
        self.table = self.many(every[:, None], every[None, :]).tolist() if len(stops) <= DENSE_STOPS else None

    def between(self, ends: list[int]):
        """The cost of joining endpoint a to endpoint b (``ends`` maps endpoints to stops); None costs 0.

        From a table of every pair for a few hundred stops, else each pair priced when first asked for.
        """
        n = len(ends)
        if self.table is not None:
            table = self.table

            def cost(a: int | None, b: int | None) -> float:
                return 0.0 if a is None or b is None else table[ends[a]][ends[b]]
            return cost
        price, cache = self.pair, {}

        def cost(a: int | None, b: int | None) -> float:
            if a is None or b is None:
                return 0.0
            key = a * n + b
            value = cache.get(key)
            if value is None:
                value = cache[key] = price(ends[a], ends[b])
            return value
        return cost

    def pair(self, a: int, b: int) -> float:
        """The cost of walking from stop a to stop b."""
        metres = math.hypot(self.x[a] - self.x[b], self.y[a] - self.y[b])
        if self.street[a] != self.street[b]:
            metres += STREET_CHANGE_M
        elif self.run[a] == self.run[b] and abs(self.place[a] - self.place[b]) != 1 \
                and self.building[a] != self.building[b]:
            metres += SKIP_HOUSES_M
        elif self.wide[a] and self.side[a] >= 0 and self.side[b] >= 0 and self.side[a] != self.side[b]:
            metres += self.crossing / 2 if self.turn[a] and self.turn[b] else self.crossing
        if self.building[a] != self.building[b]:
            metres += BUILDING_CHANGE_M
        return metres

    def many(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``pair`` for arrays of stops."""
        v = self.arrays
        metres = np.hypot(v["x"][a] - v["x"][b], v["y"][a] - v["y"][b])
        same_street = v["street"][a] == v["street"][b]
        same_building = v["building"][a] == v["building"][b]
        skip = (same_street & (v["run"][a] == v["run"][b]) & (np.abs(v["place"][a] - v["place"][b]) != 1)
                & ~same_building)
        crossing = (same_street & ~skip & v["wide"][a] & (v["side"][a] >= 0) & (v["side"][b] >= 0)
                    & (v["side"][a] != v["side"][b]))
        corner = crossing & v["turn"][a] & v["turn"][b]
        return (metres + np.where(~same_street, STREET_CHANGE_M, 0.0) + np.where(skip, SKIP_HOUSES_M, 0.0)
                + np.where(crossing, np.where(corner, self.crossing / 2, self.crossing), 0.0)
                + np.where(same_building, 0.0, BUILDING_CHANGE_M))


def _nearest(xy: np.ndarray, k: int) -> np.ndarray:
    """For each point, the positions of its ``k`` nearest points (itself among them), nearest first."""
    k = min(k, len(xy))
    return cKDTree(xy).query(xy, k=k)[1].reshape(len(xy), k)


# --- 3. and 4. the search ---------------------------------------------------------------------------------

def _search(groups: list[list[int]], costs: _Costs, deadline: float, rounds: int = 0,
            greedy: bool = False) -> list[int]:
    """The groups of stops (runs, or buildings) joined into one route of stops, each group walked either way.

    The path starts from the groups in the order given, or (``greedy``) from the shortest joins first;
    then 2-opt and or-opt, then ``rounds`` seeded rounds of perturbing a stretch and searching again.
    """
    if len(groups) == 1:
        return list(groups[0])
    ends = [stop for group in groups for stop in (group[0], group[-1])]  # group g's ends: endpoints 2g, 2g+1
    start = _greedy_path(ends, costs) if greedy else list(range(len(ends)))
    search = _PathSearch(ends, costs, start, deadline)
    search.improve()
    if rounds and len(groups) >= 8:
        search.kick_and_improve(rounds, random.Random(len(groups)))
    route: list[int] = []
    for k in range(0, len(search.seq), 2):
        end = search.seq[k]
        group = groups[end // 2]
        route += group if end % 2 == 0 else group[::-1]
    return route


def _rounds(items: int, floor: int = 0) -> int:
    return min(KICKS, max(int(KICKS_PER_STOP * items), floor))


def _buildings_along(route: list[int], stops: list[_Stop]) -> list[list[int]]:
    """The route cut into its buildings' stretches of stops."""
    groups = [[route[0]]]
    for previous, stop in zip(route, route[1:]):
        if stops[stop].building == stops[previous].building:
            groups[-1].append(stop)
        else:
            groups.append([stop])
    return groups


def _greedy_path(ends: list[int], costs: _Costs) -> list[int]:
    """The items (runs) joined shortest join first, among each end's nearest ends, into one path of endpoints.

    Endpoints 2i and 2i+1 are item i's two ends; the path lists endpoints, an item's two side by side.
    """
    n_items = len(ends) // 2
    partner = [-1] * len(ends)          # the endpoint each endpoint is joined to, -1 while free
    group = list(range(n_items))        # union-find over items: joined items form one piece of path

    def find(i):
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    pieces = n_items
    free = np.arange(len(ends))
    stop_of = np.asarray(ends)
    xy = np.column_stack([costs.arrays["x"][stop_of], costs.arrays["y"][stop_of]])
    while pieces > 1:
        # Candidate joins: each free end to its nearest free ends of other items, shortest first. Ends left
        # free when the candidates run out are matched again among themselves, fewer each round.
        rows = _nearest(xy[free], 2 * NEIGHBOURS + 2) if len(free) > 64 else \
            np.tile(np.arange(len(free)), (len(free), 1))
        a = np.repeat(free, rows.shape[1])
        b = free[rows.ravel()]
        keep = (a // 2 != b // 2) & (a < b)
        a, b = a[keep], b[keep]
        price = costs.many(stop_of[a], stop_of[b])
        for i in np.lexsort((b, a, price)).tolist():
            ea, eb = int(a[i]), int(b[i])
            if partner[ea] < 0 and partner[eb] < 0:
                ra, rb = find(ea // 2), find(eb // 2)
                if ra != rb:
                    partner[ea], partner[eb] = eb, ea
                    group[ra] = rb
                    pieces -= 1
        free = np.array([e for e in free.tolist() if partner[e] < 0])
    start = next(e for e in range(len(ends)) if partner[e] < 0)
    path = []
    while start >= 0:
        path += [start, start ^ 1]
        start = partner[start ^ 1]
    return path


class _PathSearch:
    """2-opt and or-opt over an open path of items, each walked either way, with neighbour lists.

    ``seq`` lists endpoints; endpoints 2i and 2i+1 are item i's two ends and
    always stand side by side (the item's inside is never changed), so
    ``seq[0], seq[1]`` is the first item and ``seq[2k+1] -> seq[2k+2]`` are the
    joins between items, the only edges a move may change. Work is queued
    per endpoint and only where the path changed, which keeps the search
    close to linear in the items.
    """

    def __init__(self, ends: list[int], costs: _Costs, seq: list[int], deadline: float):
        self.deadline = deadline
        self._c = costs.between(ends)
        self.seq = seq
        self.pos = [0] * len(seq)
        for k, e in enumerate(seq):
            self.pos[e] = k
        self.near = self._neighbours(np.asarray(ends), costs)

    def _neighbours(self, stop_of: np.ndarray, costs: _Costs) -> list[list[tuple[int, float]]]:
        """Each endpoint's nearest endpoints of other items, with the cost of joining them, cheapest first."""
        xy = np.column_stack([costs.arrays["x"][stop_of], costs.arrays["y"][stop_of]])
        rows = _nearest(xy, 2 * NEIGHBOURS + 2)
        a = np.repeat(np.arange(len(stop_of)), rows.shape[1]).reshape(rows.shape)
        price = costs.many(stop_of[a], stop_of[rows])
        price[a // 2 == rows // 2] = np.inf   # an item's own other end is no neighbour
        order = np.lexsort((rows, price), axis=1)[:, :2 * NEIGHBOURS]
        rows = np.take_along_axis(rows, order, axis=1)
        price = np.take_along_axis(price, order, axis=1)
        finite = np.isfinite(price)
        return [[(f, d) for f, d, ok in zip(r, p, k) if ok]
                for r, p, k in zip(rows.tolist(), price.tolist(), finite.tolist())]

    def _at(self, k: int) -> int | None:
        return self.seq[k] if 0 <= k < len(self.seq) else None

    def improve(self, queue: list[int] | None = None) -> float:
        """Apply improving moves until none is left around the queued endpoints; returns the total gain."""
        todo = deque(self.seq if queue is None else queue)
        queued = [False] * len(self.seq)
        for e in todo:
            queued[e] = True
        gain, checks = 0.0, 0
        while todo:
            e = todo.popleft()
            queued[e] = False
            checks += 1
            if checks % 256 == 0 and time.perf_counter() > self.deadline:
                break
            found = self._two_opt(e) or self._or_opt(e)
            if found is not None:
                move_gain, touched = found
                gain += move_gain
                for t in touched:
                    if t is not None and not queued[t]:
                        queued[t] = True
                        todo.append(t)
        return gain

    def _two_opt(self, t1: int):
        """Replace joins t1-t2 and t3-t4 by t1-t3 and t2-t4 (reversing what lies between), t3 near t1."""
        seq, pos, c = self.seq, self.pos, self._c
        n, p = len(seq), self.pos[t1]
        step = 1 if p % 2 else -1          # t1 is an item's last end: its join is to the next item
        if not 0 <= p + step < n:
            return None
        t2 = seq[p + step]
        d12 = c(t1, t2)
        if d12 <= _EPS:
            return None
        candidates = []
        for t3, d13 in self.near[t1]:
            if d13 >= d12 - _EPS:
                break
            candidates.append((t3, d13))
        path_end = seq[-1] if step == 1 else seq[0]   # or reverse all the way to the route's end
        candidates.append((path_end, c(t1, path_end)))
        for t3, d13 in candidates:
            q = pos[t3]
            if q % 2 != p % 2 or q == p:
                continue
            t4 = seq[q + step] if 0 <= q + step < n else None
            if t4 == t2:
                continue
            gain = d12 + c(t3, t4) - d13 - c(t2, t4)
            if gain > _EPS:
                lo, hi = (min(p, q) + 1, max(p, q)) if step == 1 else (min(p, q), max(p, q) - 1)
                seq[lo:hi + 1] = seq[lo:hi + 1][::-1]
                for k in range(lo, hi + 1):
                    pos[seq[k]] = k
                return gain, (t1, t2, t3, t4)
        return None

    def _or_opt(self, t1: int):
        """Move a stretch of one to three items that starts at t1 next to a near endpoint, either way round."""
        seq, pos, c = self.seq, self.pos, self._c
        n, p = len(seq), self.pos[t1]
        for length in OR_OPT_LENGTHS:
            a, b = (p, p + 2 * length - 1) if p % 2 == 0 else (p - 2 * length + 1, p)
            if a < 0 or b >= n or (a == 0 and b == n - 1):
                break
            head, tail = seq[a], seq[b]
            u = seq[a - 1] if a > 0 else None
            v = seq[b + 1] if b + 1 < n else None
            removal = c(u, head) + c(tail, v) - c(u, v)
            if removal <= _EPS:
                continue
            best_gain, best = _EPS, None
            for end, other in ((head, tail), (tail, head)):
                for f, d in self.near[end]:
                    if d >= removal - best_gain:
                        break       # this join alone costs more than the best gain left
                    r = pos[f]
                    if a <= r <= b:
                        continue
                    # The stretch goes into the join beside f, its end ``end`` next to f.
                    if r % 2:
                        g, left, right = r, f, (seq[r + 1] if r + 1 < n else None)
                        gain = removal - (d + c(other, right) - c(f, right))
                    else:
                        g, left, right = r - 1, (seq[r - 1] if r > 0 else None), f
                        gain = removal - (c(left, other) + d - c(left, f))
                    if gain > best_gain and g != a - 1 and g != b:
                        best_gain, best = gain, (g, (end if r % 2 else other) != head)
            for g in (-1, n - 1):  # either end of the route
                if g == a - 1 or g == b:
                    continue
                neighbour = seq[0] if g == -1 else seq[-1]
                for first, last in ((head, tail), (tail, head)):
                    gain = removal - (c(last, neighbour) if g == -1 else c(neighbour, first))
                    if gain > best_gain:
                        best_gain, best = gain, (g, first != head)
            if best is not None:
                g, reverse = best
                stretch = seq[a:b + 1]
                if reverse:
                    stretch.reverse()
                if g < a:
                    seq[g + 1:b + 1] = stretch + seq[g + 1:a]
                    lo, hi = g + 1, b
                else:
                    seq[a:g + 1] = seq[b + 1:g + 1] + stretch
                    lo, hi = a, g
                for k in range(lo, hi + 1):
                    pos[seq[k]] = k
                touched = [u, v, head, tail]
                for end in (head, tail):
                    k = pos[end]
                    touched += [seq[k - 1] if k > 0 else None, seq[k + 1] if k + 1 < n else None]
                return best_gain, touched
        return None

    def kick_and_improve(self, rounds: int, rng: random.Random) -> None:
        """Swap two neighbouring stretches (a move 2-opt cannot undo), search around the cuts, keep it if shorter."""
        n_items = len(self.seq) // 2
        if n_items < 8:
            return
        for _ in range(rounds):
            if time.perf_counter() > self.deadline:
                break
            i = rng.randrange(1, n_items - 2)
            j = min(i + rng.randint(1, KICK_SPAN), n_items - 1)
            k = min(j + rng.randint(1, KICK_SPAN), n_items)
            if not i < j < k:
                continue
            a, b, c = 2 * i, 2 * j, 2 * k        # stretches seq[a:b] and seq[b:c] swap places
            seq = self.seq
            before, first_b, last_b, first_c, last_c, after = (seq[a - 1], seq[a], seq[b - 1], seq[b],
                                                               seq[c - 1], self._at(c))
            delta = (self._c(before, first_c) + self._c(last_c, first_b) + self._c(last_b, after)
                     - self._c(before, first_b) - self._c(last_b, first_c) - self._c(last_c, after))
            saved_seq, saved_pos = list(seq), list(self.pos)
            seq[a:c] = seq[b:c] + seq[a:b]
            for m in range(a, c):
                self.pos[seq[m]] = m
            gain = self.improve([before, first_b, last_b, first_c, last_c] + ([after] if after is not None else []))
            if gain - delta <= _EPS:   # not shorter: put the path back
                self.seq, self.pos = saved_seq, saved_pos
