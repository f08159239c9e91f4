"""The order a canvasser walks a turf's doors, and how far that is.

A walk list reads like a person walks: street by street, house numbers in
order, units of one address together. Each street is cut where its doors
are far apart, and each piece becomes one or two *runs*:

- on a busy street (one whose odd and even sides are wide apart, or one the
  caller names) the canvasser walks one side and then the other, never
  weaving through traffic: the odd side is one run, the even side another;
- on a quiet street both ways are priced, crossing back and forth in order
  along the street or up one side and back down the other, and the shorter
  is kept.

Runs are then chained into one route, each walked in either direction, by
nearest-next from every possible start and then 2-opt over the chain, so the
walk between streets is short. Last, the route is polished door by door
(2-opt and moving runs of one to three doors, then a few seeded rounds of
perturbing and polishing again) on distances that charge extra for leaving
a street and for crossing a busy one: real doors are messier
than numbers (a shopping centre's twenty entrances share one address), and
the polish finds the short way through them while keeping the walk street
by street. Units: metres in a local planar projection
(``local_metres`` makes one from lon/lat); the route is an open path from
the first door to the last.
"""
from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .addresses import house_number_key, normalise_street, unit_key

BUSY_SIDE_GAP_M = 25.0   # sides this far apart: a wide (busy) street, walk one side then the other
RUN_BREAK_M = 150.0      # doors of one street further apart than this start a new piece of it
STREET_CHANGE_M = 5.0   # the polish treats leaving a street as this much extra walk
BUSY_CROSSING_M = 60.0   # ... and crossing a busy street as this much
EARTH_RADIUS_M = 6_371_008.8
OR_OPT_LENGTHS = (1, 2, 3)  # stretches of doors the polish may move elsewhere
KICK_BUDGET = 300           # perturb-and-polish rounds after the first polish: about this many doors' worth


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
    metres: float     # straight-line length of the walk from the first door to the last


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
    points = [(d.x, d.y) for d in doors]
    busy = {normalise_street(name) for name in busy_streets}
    runs: list[list[int]] = []
    for street, members in sorted(_by_street(doors).items()):
        for piece in _pieces(members, doors, points):
            runs.extend(_runs_of_piece(piece, doors, points, forced_sides=street in busy))
    chain = _chain(runs, points)
    order = [i for run in chain for i in run]
    order = _polish(order, _walk_costs(doors, points, busy))
    return WalkOrder(order, round(path_metres(points, order), 1))


def _walk_costs(doors: Sequence[DoorPoint], points, busy: set[str]) -> np.ndarray:
    """Metres between doors, plus the charges for changing street and crossing a busy one."""
    xy = np.asarray(points, dtype=float)
    cost = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    streets = np.array([normalise_street(d.street) for d in doors], dtype=object)
    same_street = streets[:, None] == streets[None, :]
    cost += np.where(same_street, 0.0, STREET_CHANGE_M)
    sides = np.array([-1 if (side := _side(d)) is None else side for d in doors])
    wide = np.array([street in busy for street in streets]) | _wide_street_doors(doors, points)
    crossing = same_street & wide[:, None] & (sides[:, None] != sides[None, :]) & (sides[:, None] >= 0) \
        & (sides[None, :] >= 0)
    return cost + np.where(crossing, BUSY_CROSSING_M, 0.0)


def _wide_street_doors(doors: Sequence[DoorPoint], points) -> np.ndarray:
    """Which doors stand on a street whose two sides are far apart."""
    wide = np.zeros(len(doors), dtype=bool)
    for members in _by_street(doors).values():
        odd = [i for i in members if _side(doors[i]) == 1]
        even = [i for i in members if _side(doors[i]) == 0]
        if odd and even and _side_gap(odd, even, points) > BUSY_SIDE_GAP_M:
            wide[members] = True
    return wide


def _polish(order: list[int], cost: np.ndarray, candidates: int = 8) -> list[int]:
    """Shorten the open path under ``cost`` by 2-opt and or-opt moves until neither helps.

    Each door only looks at its ``candidates`` cheapest neighbours for a
    better place, which keeps a 200-door turf within a few milliseconds.
    """
    if len(order) < 4:
        return order
    near = np.argsort(cost, axis=1)[:, 1:candidates + 1].tolist()
    table = cost.tolist()
    route = _local_search(list(order), table, near)
    best = _route_cost(route, table)
    # Iterated local search: cut the route in three places, swap the middle pieces (a move 2-opt
    # cannot undo), polish again, keep the result if it is shorter. Seeded, so the same doors
    # always give the same walk.
    rng = random.Random(len(route))
    # Small turfs get more rounds: the time a round takes grows with the doors.
    for _ in range(KICK_BUDGET // len(route) if len(route) >= 8 else 0):
        a, b, c = sorted(rng.sample(range(1, len(route)), 3))
        candidate = _local_search(route[:a] + route[b:c] + route[a:b] + route[c:], table, near)
        candidate_cost = _route_cost(candidate, table)
        if candidate_cost < best - 1e-6:
            route, best = candidate, candidate_cost
    return route


def _local_search(route: list[int], table: list[list[float]], near: list[list[int]]) -> list[int]:
    for _ in range(50):
        improved = _two_opt_doors(route, table, near)
        improved = _or_opt_doors(route, table, near) or improved
        if not improved:
            break
    return route


def _route_cost(route: list[int], table: list[list[float]]) -> float:
    return sum(table[a][b] for a, b in zip(route, route[1:]))


def _two_opt_doors(route: list[int], cost: list[list[float]], near: list[list[int]]) -> bool:
    """Reverse a stretch route[i+1..j] when joining door i to a near door j (and i+1 to j+1) is shorter."""
    improved = False
    n = len(route)
    position = {door: k for k, door in enumerate(route)}
    for i in range(n - 1):
        a, b = route[i], route[i + 1]
        for c in near[a]:
            j = position[c]
            if j <= i + 1:
                continue
            d = route[j + 1] if j + 1 < n else None
            gain = cost[a][b] - cost[a][c] + ((cost[c][d] - cost[b][d]) if d is not None else 0.0)
            if gain > 1e-6:
                route[i + 1:j + 1] = route[i + 1:j + 1][::-1]
                position.update((door, k) for k, door in enumerate(route[i + 1:j + 1], start=i + 1))
                improved = True
                break
    # The open ends: reversing a prefix changes where the walk starts.
    first = route[0]
    for d in near[first]:
        j = position[d] - 1
        if j >= 1 and cost[route[j]][d] - cost[first][d] > 1e-6:
            route[:j + 1] = route[:j + 1][::-1]
            improved = True
            break
    return improved


def _or_opt_doors(route: list[int], cost: list[list[float]], near: list[list[int]]) -> bool:
    """Move stretches of one to three doors next to a near door (either way round) while that is shorter."""
    improved = False
    position = {door: k for k, door in enumerate(route)}
    for length in OR_OPT_LENGTHS:
        i = 0
        while i + length <= len(route):
            if _move_stretch(route, position, cost, near, i, length):
                position = {door: k for k, door in enumerate(route)}
                improved = True
            i += 1
    return improved


def _move_stretch(route: list[int], position: dict[int, int], cost: list[list[float]], near: list[list[int]],
                  i: int, length: int) -> bool:
    n = len(route)
    if n <= length + 1:
        return False
    end = i + length - 1
    first, last = route[i], route[end]
    before = route[i - 1] if i > 0 else None
    after = route[end + 1] if end + 1 < n else None
    removal = ((cost[before][first] if before is not None else 0.0)
               + (cost[last][after] if after is not None else 0.0)
               - (cost[before][after] if before is not None and after is not None else 0.0))
    best_gain, best_edge, best_reverse = 1e-6, None, False
    for m in set(near[first]) | set(near[last]):
        p = position[m]
        if i <= p <= end:
            continue
        for left_at in (p - 1, p):  # the gap just before or just after the near door
            right_at = left_at + 1
            if i - 1 <= left_at <= end or left_at < -1 or right_at > n:
                continue  # that gap touches the stretch itself
            left = route[left_at] if left_at >= 0 else None
            right = route[right_at] if right_at < n else None
            link = cost[left][right] if left is not None and right is not None else 0.0
            for reverse in (False, True):
                head, tail = (last, first) if reverse else (first, last)
                insertion = ((cost[left][head] if left is not None else 0.0)
                             + (cost[tail][right] if right is not None else 0.0) - link)
                if removal - insertion > best_gain:
                    best_gain, best_edge, best_reverse = removal - insertion, right_at, reverse
    if best_edge is None:
        return False
    stretch = route[i:end + 1]
    if best_reverse:
        stretch.reverse()
    if best_edge > end:
        route[:] = route[:i] + route[end + 1:best_edge] + stretch + route[best_edge:]
    else:
        route[:] = route[:best_edge] + stretch + route[best_edge:i] + route[end + 1:]
    return True


def _by_street(doors: Sequence[DoorPoint]) -> dict[str, list[int]]:
    streets: dict[str, list[int]] = defaultdict(list)
    for i, door in enumerate(doors):
        streets[normalise_street(door.street)].append(i)
    return streets


def _address_key(door: DoorPoint) -> tuple:
    return (house_number_key(door.house_number), unit_key(door.unit))


def _pieces(members: list[int], doors, points) -> list[list[int]]:
    """The street's doors in house-number order, cut where the next address is far away."""
    members = sorted(members, key=lambda i: (_address_key(doors[i]), i))
    pieces, current = [], [members[0]]
    for previous, door in zip(members, members[1:]):
        if math.dist(points[previous], points[door]) > RUN_BREAK_M:
            pieces.append(current)
            current = []
        current.append(door)
    pieces.append(current)
    return pieces


def _side(door: DoorPoint) -> int | None:
    number, _ = house_number_key(door.house_number)
    return None if number >= 10**9 else number % 2


def _runs_of_piece(piece: list[int], doors, points, forced_sides: bool) -> list[list[int]]:
    odd = [i for i in piece if _side(doors[i]) == 1]
    even = [i for i in piece if _side(doors[i]) == 0]
    other = [i for i in piece if _side(doors[i]) is None]
    if not odd or not even:
        return [piece]
    if forced_sides or _side_gap(odd, even, points) > BUSY_SIDE_GAP_M:
        return [run for run in (odd, even + other) if run]
    along = _along_street(piece, points)
    weave = sorted(piece, key=lambda i: (along[i], _address_key(doors[i]), i))
    loop = odd + list(reversed(even)) + other
    if path_metres(points, loop) < path_metres(points, weave):
        return [run for run in (odd, even + other) if run]
    return [weave]


def _along_street(piece: list[int], points) -> dict[int, float]:
    """Each door's position along the street's main direction (principal axis), metres."""
    n = len(piece)
    mx = sum(points[i][0] for i in piece) / n
    my = sum(points[i][1] for i in piece) / n
    sxx = sum((points[i][0] - mx) ** 2 for i in piece)
    syy = sum((points[i][1] - my) ** 2 for i in piece)
    sxy = sum((points[i][0] - mx) * (points[i][1] - my) for i in piece)
    angle = 0.5 * math.atan2(2 * sxy, sxx - syy)
    ux, uy = math.cos(angle), math.sin(angle)
    return {i: (points[i][0] - mx) * ux + (points[i][1] - my) * uy for i in piece}


def _side_gap(odd: list[int], even: list[int], points) -> float:
    """How far apart the two sides run: the distance between each side's mean door, across the street."""
    along = _along_street(odd + even, points)

    def across(side):
        mx = sum(points[i][0] for i in side) / len(side)
        my = sum(points[i][1] for i in side) / len(side)
        return mx, my

    (ox, oy), (ex, ey) = across(odd), across(even)
    gap = math.hypot(ox - ex, oy - ey)
    # Remove the part of the gap that lies along the street (sides of unequal length).
    mean_along = abs(sum(along[i] for i in odd) / len(odd) - sum(along[i] for i in even) / len(even))
    return math.sqrt(max(gap * gap - mean_along * mean_along, 0.0))


def _chain(runs: list[list[int]], points) -> list[list[int]]:
    """Order and orient the runs so the walk between them is short."""
    if len(runs) <= 1:
        return runs
    ends = [(points[run[0]], points[run[-1]]) for run in runs]
    best: tuple[float, list[tuple[int, bool]]] | None = None
    for start in range(len(runs)):
        for flipped in (False, True):
            chain = _nearest_next(ends, start, flipped)
            cost = _chain_cost(ends, chain)
            if best is None or cost < best[0] - 1e-9:
                best = (cost, chain)
    chain = _two_opt(ends, best[1])
    return [list(reversed(runs[r])) if flipped else runs[r] for r, flipped in chain]


def _run_ends(ends, run: int, flipped: bool):
    start, end = ends[run]
    return (end, start) if flipped else (start, end)


def _nearest_next(ends, start: int, flipped: bool) -> list[tuple[int, bool]]:
    """Greedy chain from one run: always on to the nearest free run end (ties: lower run, unflipped)."""
    chain = [(start, flipped)]
    left = [r for r in range(len(ends)) if r != start]
    hx, hy = _run_ends(ends, start, flipped)[1]
    while left:
        best = None
        for r in left:  # in run order, so the first of equals wins
            (sx, sy), (ex, ey) = ends[r]
            for d, f in (((sx - hx) ** 2 + (sy - hy) ** 2, False), ((ex - hx) ** 2 + (ey - hy) ** 2, True)):
                if best is None or d < best[0]:
                    best = (d, r, f)
        _, run, flip = best
        chain.append((run, flip))
        left.remove(run)
        hx, hy = _run_ends(ends, run, flip)[1]
    return chain


def _chain_cost(ends, chain) -> float:
    return sum(math.dist(_run_ends(ends, *a)[1], _run_ends(ends, *b)[0]) for a, b in zip(chain, chain[1:]))


def _two_opt(ends, chain: list[tuple[int, bool]]) -> list[tuple[int, bool]]:
    """Reverse stretches of the chain (flipping each run in them) while that shortens the walk."""
    # Reversing a stretch changes only its two joins: inside it every join is walked the other way.
    improved = True
    while improved:
        improved = False
        for i in range(len(chain) - 1):
            for j in range(i + 1, len(chain)):
                first, last = _run_ends(ends, *chain[i]), _run_ends(ends, *chain[j])
                before = _run_ends(ends, *chain[i - 1])[1] if i > 0 else None
                after = _run_ends(ends, *chain[j + 1])[0] if j + 1 < len(chain) else None
                old = (math.dist(before, first[0]) if before else 0.0) + (math.dist(last[1], after) if after else 0.0)
                new = (math.dist(before, last[1]) if before else 0.0) + (math.dist(first[0], after) if after else 0.0)
                if new < old - 1e-6:
                    chain = chain[:i] + [(r, not f) for r, f in reversed(chain[i:j + 1])] + chain[j + 1:]
                    improved = True
    return chain
