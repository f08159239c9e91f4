"""Divide one block's doors into walkable groups, for turfs smaller than a block.

A city block of apartment buildings can hold more doors than a turf. Its
doors are then grouped the way a canvasser walks them:

1. by building: a building's units stay together, unless the building alone
   holds more than the target, and then it is cut in staircase/floor order;
2. by street side: the buildings facing one street, the streets taken in
   turn around the block;
3. by position along the street.

Consecutive buildings form pieces of about ``piece`` doors; the cut then
treats each piece as a small block. Each piece gets a cell: the part of the
block nearer its buildings than any other piece's (a Voronoi diagram of the
buildings clipped to the block), so pieces tile the block, touch the blocks
around it, and a turf's outline is the union of its blocks and cells.

Units: positions in metres of any local planar projection; weights are door
weights (1 a door until a canvass targets some doors only).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class DoorInput:
    """One door of a block that may be divided."""
    x: float          # metres, same projection as the block
    y: float
    building: str     # one key per street address (``domain.buildings.building_key``)
    street: str       # the street the door faces, normalised
    unit: tuple = ()  # ``domain.buildings.unit_order``: staircase, floor, flat
    weight: int = 1   # what the door counts towards a turf's target: the seam for target universes
    address: str = ""  # the building's address as people read it, to name it in the cut's report


@dataclass(frozen=True)
class Piece:
    """A walkable group of one block's doors: positions in the block's door list, and its cell."""
    doors: tuple[int, ...]
    weight: int
    cell: BaseGeometry


def _buildings(doors: list[DoorInput]) -> dict[str, list[int]]:
    by_key: dict[str, list[int]] = {}
    for i, door in enumerate(doors):
        by_key.setdefault(door.building, []).append(i)
    for key in by_key:
        by_key[key].sort(key=lambda i: (doors[i].unit, i))
    return by_key


def walking_sequence(doors: list[DoorInput]) -> list[list[int]]:
    """The block's buildings in walking order: street by street around the block, along each street.

    Each building is the list of its doors' positions in unit order. Streets
    are taken counter-clockwise around the block's centre, and each street's
    buildings along its direction, so consecutive buildings are neighbours.
    """
    buildings = _buildings(doors)
    centre_x = sum(d.x for d in doors) / len(doors)
    centre_y = sum(d.y for d in doors) / len(doors)
    streets: dict[str, list[str]] = {}
    where: dict[str, tuple[float, float]] = {}
    for key, members in buildings.items():
        where[key] = (sum(doors[i].x for i in members) / len(members), sum(doors[i].y for i in members) / len(members))
        streets.setdefault(doors[members[0]].street, []).append(key)

    def angle(point: tuple[float, float]) -> float:
        return math.atan2(point[1] - centre_y, point[0] - centre_x) % (2 * math.pi)

    ordered_streets = []
    for street, keys in streets.items():
        points = np.array([where[k] for k in keys])
        mean = points.mean(axis=0)
        # Along the street: its principal direction, pointed counter-clockwise around the block.
        if len(keys) > 1:
            _, _, vt = np.linalg.svd(points - mean, full_matrices=False)
            axis = vt[0]
            radial = mean - (centre_x, centre_y)
            if axis[0] * radial[1] - axis[1] * radial[0] > 0:  # cross < 0 is counter-clockwise
                axis = -axis
            keys = sorted(keys, key=lambda k: (float(np.dot(np.array(where[k]) - mean, axis)), k))
        ordered_streets.append((angle(tuple(mean)), street, keys))
    ordered_streets.sort()
    return [buildings[key] for _, _, keys in ordered_streets for key in keys]


def _atoms(doors: list[DoorInput], sequence: list[list[int]], target: int) -> list[list[int]]:
    """Buildings as they may go to a turf: whole, or cut in unit order when alone above the target."""
    atoms = []
    for building in sequence:
        weight = sum(doors[i].weight for i in building)
        if weight <= target:
            atoms.append(building)
            continue
        parts = math.ceil(weight / target)
        share, chunks, before = weight / parts, [[] for _ in range(parts)], 0
        for i in building:  # in staircase/floor order: each part is a run of floors
            middle = before + doors[i].weight / 2
            chunks[min(parts - 1, int(middle / share))].append(i)
            before += doors[i].weight
        atoms += [chunk for chunk in chunks if chunk]
    return atoms


def _chunks(weights: list[int], size: float) -> list[list[int]]:
    """Consecutive runs of items of about ``size`` weight each (an item heavier than that stands alone)."""
    runs, run, held = [], [], 0
    for i, weight in enumerate(weights):
        if run and held + weight - size > size - held:
            runs.append(run)
            run, held = [], 0
        run.append(i)
        held += weight
    if run:
        runs.append(run)
    return runs


def _cells(block: BaseGeometry, sites: list[tuple[float, float]]) -> list[BaseGeometry]:
    """The part of the block nearest each site (a clipped Voronoi diagram), in the sites' order."""
    if len(sites) == 1:
        return [block]
    points = shapely.multipoints(np.array(sites, dtype=float))
    diagram = shapely.voronoi_polygons(points, extend_to=block, ordered=True)
    cells = shapely.intersection(np.asarray(shapely.get_parts(diagram), dtype=object), block)
    return list(cells)


def _slices(cell: BaseGeometry, count: int) -> list[BaseGeometry]:
    """``count`` strips of a cell across its longer side: the cells of one building cut into parts."""
    if count == 1:
        return [cell]
    minx, miny, maxx, maxy = cell.bounds
    if maxx - minx >= maxy - miny:
        edges = np.linspace(minx, maxx, count + 1)
        boxes = [shapely.box(edges[k], miny, edges[k + 1], maxy) for k in range(count)]
    else:
        edges = np.linspace(miny, maxy, count + 1)
        boxes = [shapely.box(minx, edges[k], maxx, edges[k + 1]) for k in range(count)]
    return [shapely.intersection(cell, box) for box in boxes]


def divide_block(block: BaseGeometry, doors: list[DoorInput], target: int, piece: float) -> list[Piece]:
    """The block's doors in walkable pieces of about ``piece`` weight (no building cut unless above ``target``).

    Pieces come in walking order around the block and tile its polygon.
    """
    if not doors:
        return []
    sequence = walking_sequence(doors)
    atoms = _atoms(doors, sequence, target)
    runs = _chunks([sum(doors[i].weight for i in atom) for atom in atoms], piece)
    # One site per building (a building cut into parts shares its site and slices its cell).
    building_of = {i: b for b, members in enumerate(sequence) for i in members}
    sites, seen = [], set()
    for b, members in enumerate(sequence):
        x = sum(doors[i].x for i in members) / len(members)
        y = sum(doors[i].y for i in members) / len(members)
        while (round(x, 2), round(y, 2)) in seen:  # two addresses at one point: part them by a few cm
            x += 0.05
        seen.add((round(x, 2), round(y, 2)))
        sites.append((x, y))
    building_cells = _cells(block, sites)
    # Which runs share each building, so a building cut into parts has its cell sliced among them.
    runs_of_building: dict[int, list[int]] = {}
    for r, run in enumerate(runs):
        for b in sorted({building_of[i] for a in run for i in atoms[a]}):
            runs_of_building.setdefault(b, []).append(r)
    run_parts: list[list[BaseGeometry]] = [[] for _ in runs]
    for b, sharing in runs_of_building.items():
        for r, part in zip(sharing, _slices(building_cells[b], len(sharing))):
            run_parts[r].append(part)
    pieces = []
    for r, run in enumerate(runs):
        members = tuple(i for a in run for i in atoms[a])
        cell = shapely.union_all(run_parts[r]) if run_parts[r] else shapely.Polygon()
        pieces.append(Piece(members, sum(doors[i].weight for i in members), cell))
    return pieces
