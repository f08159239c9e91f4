"""Plan an office's turfs: whole blocks where they balance, walkable groups of doors where they do not.

The cut (``turf_cut.cut_turfs``) works on units: whole blocks, and the
pieces of blocks divided by ``door_groups.divide_block``. A block is divided

1. when it holds more than the target (it could only be a turf of its own,
   far off the target), and
2. when, after a first cut, it lies in a turf outside the ±20% band that a
   finer cut could balance;

and only when its doors are known (a block whose housing units stand in for
doors cannot be divided). Pieces of one block that end up in one turf give
that turf the whole block again, so block-level turfs stay where they work.

Units: geometries in metres (any local planar projection); weights are door
weights per block, the sum of its doors' weights when doors are known.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .adjacency import TOUCH_TOLERANCE_M, block_inputs, touching_graph
from .door_groups import DoorInput, divide_block
from .turf_cut import BAND, cut_turfs
from .turf_quality import cut_report

PIECE_SHARE = 0.25   # a divided block's pieces hold about a quarter of the target each


@dataclass
class PlannedTurf:
    """One turf of the plan: whole blocks, and groups of doors of divided blocks."""
    blocks: list[int]                                               # block positions
    parts: dict[int, list[int]] = field(default_factory=dict)      # block position -> its door positions
    weight: int = 0
    outline: BaseGeometry | None = None                             # metres: union of blocks and cells


@dataclass
class Plan:
    turfs: list[PlannedTurf]
    unit_groups: list[list[int]]         # the cut's groups over units (for the report's contiguity)
    unit_neighbours: list[list[int]]
    unit_weights: list[int]
    unit_notes: list[str | None]         # why a unit cannot be balanced (an oversize building or block), if so
    divided: list[int]                   # positions of the blocks divided into pieces
    unassigned: list[int]                # door-less blocks left out of every turf
    unit_name: str = "doors"


@dataclass
class _Units:
    geometries: list[BaseGeometry]
    weights: list[int]
    block: list[int]                     # the block each unit belongs to
    doors: list[tuple[int, ...] | None]  # None: the whole block; else its door positions


def _units(geometries, weights, doors, target: int, divide: set[int], must: set[int]) -> _Units:
    units = _Units([], [], [], [])
    for b, geometry in enumerate(geometries):
        if b in divide or b in must:
            pieces = divide_block(geometry, doors.get(b, []), target, PIECE_SHARE * target)
            if len(pieces) > 1 or (b in must and pieces):
                for piece in pieces:
                    units.geometries.append(piece.cell)
                    units.weights.append(piece.weight)
                    units.block.append(b)
                    units.doors.append(piece.doors)
                continue
        units.geometries.append(geometry)
        units.weights.append(int(weights[b]))
        units.block.append(b)
        units.doors.append(None)
    return units


def _cut(units: _Units, target: int):
    geometries = np.asarray(units.geometries, dtype=object)
    cells = np.array([doors is not None for doors in units.doors], dtype=bool)
    neighbours, shared = touching_graph(geometries, TOUCH_TOLERANCE_M, cut=cells)
    groups = cut_turfs(block_inputs(geometries, units.weights), neighbours, target, shared)
    return groups, neighbours


def _out_of_band(groups: list[list[int]], weights: list[int], target: int) -> list[list[int]]:
    return [g for g in groups if abs(sum(weights[u] for u in g) - target) > BAND * target]


def plan_turfs(geometries, weights, target: int, doors: dict[int, list[DoorInput]] | None = None, *,
               must_divide: set[int] | frozenset = frozenset(), labels: list[str] | None = None,
               unit_name: str = "doors") -> Plan:
    """Cut blocks (metric polygons with door weights) into turfs of about ``target``.

    ``doors`` gives, for blocks whose doors are known, their doors (their
    weights must sum to the block's weight); only those blocks can be divided.
    Blocks in ``must_divide`` (what is left of a block already divided) only
    ever go to turfs as groups of doors. ``labels`` name blocks in the notes.
    """
    doors = doors or {}
    must = set(must_divide)
    divisible = {b for b, members in doors.items() if len(members) > 1}
    divide = {b for b in divisible if weights[b] > target}
    units = _units(geometries, weights, doors, target, divide, must)
    groups, neighbours = _cut(units, target)
    # A second, finer cut where whole blocks could not balance: divide the blocks of the turfs
    # outside the band (and their touching turfs', which must give or take doors to fix them).
    turf_of = {u: t for t, g in enumerate(groups) for u in g}
    off = _out_of_band(groups, units.weights, target)
    troubled = {t for g in off for u in g for t in [turf_of[u]] + [turf_of[n] for n in neighbours[u] if n in turf_of]}
    more = {units.block[u] for t in troubled for u in groups[t]
            if units.doors[u] is None and units.block[u] in divisible
            and units.weights[u] > PIECE_SHARE * target} - divide
    if more:
        finer = _units(geometries, weights, doors, target, divide | more, must)
        finer_groups, finer_neighbours = _cut(finer, target)
        if len(_out_of_band(finer_groups, finer.weights, target)) < len(off):
            units, groups, neighbours, divide = finer, finer_groups, finer_neighbours, divide | more
    notes = _notes(units, doors, divisible, target, labels, unit_name)
    plan = _plan(units, groups, neighbours, geometries, sorted(divide | must), must)
    plan.unit_notes, plan.unit_name = notes, unit_name
    return plan


def _notes(units: _Units, doors, divisible: set[int], target: int, labels, unit_name: str) -> list[str | None]:
    """For each unit that no cut can balance, why: a building or an undividable block above the target."""
    notes: list[str | None] = []
    for u, block in enumerate(units.block):
        name = labels[block] if labels else f"block {block}"
        note = None
        if units.doors[u] is None and units.weights[u] > target * (1 + BAND) and block not in divisible:
            note = (f"block {name} holds {units.weights[u]} {unit_name}, more than the target, and cannot be "
                    "divided because its doors are not known")
        elif units.doors[u] is not None or block in divisible:
            members = units.doors[u] if units.doors[u] is not None else range(len(doors[block]))
            by_building: dict[str, int] = {}
            for i in members:
                by_building[doors[block][i].building] = 0
            for door in doors[block]:
                if door.building in by_building:
                    by_building[door.building] += door.weight
            key, size = max(by_building.items(), key=lambda item: (item[1], item[0]))
            if size > target:
                address = next(d.address for d in doors[block] if d.building == key) or key
                note = (f"{address} is one building of {size} {unit_name}, more than the target: its units are "
                        "divided by staircase and floor")
        notes.append(note)
    return notes


def _plan(units: _Units, groups, neighbours, geometries, divided: list[int], must: set[int]) -> Plan:
    turf_of_unit = {u: t for t, g in enumerate(groups) for u in g}
    # A divided block all of whose pieces went to one turf is a whole block of that turf again.
    pieces_turfs: dict[int, set[int]] = {}
    for u, block in enumerate(units.block):
        if units.doors[u] is not None:
            pieces_turfs.setdefault(block, set()).add(turf_of_unit.get(u, -1))
    rejoined = {b for b, turfs in pieces_turfs.items() if len(turfs) == 1 and -1 not in turfs and b not in must}
    turfs = [PlannedTurf(blocks=[]) for _ in groups]
    for t, group in enumerate(groups):
        turf = turfs[t]
        shapes = []
        for u in group:
            block = units.block[u]
            turf.weight += units.weights[u]
            if units.doors[u] is None or block in rejoined:
                if block not in turf.blocks:
                    turf.blocks.append(block)
                    shapes.append(geometries[block])
            else:
                turf.parts.setdefault(block, []).extend(units.doors[u])
                shapes.append(units.geometries[u])
        turf.blocks.sort()
        for block in turf.parts:
            turf.parts[block].sort()
        turf.outline = shapely.union_all(shapes) if shapes else None
    assigned = {units.block[u] for g in groups for u in g}
    unassigned = sorted(set(range(len(geometries))) - assigned)
    return Plan(turfs, groups, neighbours, units.weights, [], [b for b in divided if b not in rejoined], unassigned)


def plan_report(plan: Plan, target: int, seconds: float) -> dict:
    """The plan's figures (``turf_quality.cut_report``), with its divided blocks and part-block turfs."""
    report = cut_report(plan.unit_groups, plan.unit_weights, plan.unit_neighbours,
                        [t.outline for t in plan.turfs], target, seconds, notes=plan.unit_notes,
                        unit_name=plan.unit_name)
    report["divided_blocks"] = len(plan.divided)
    report["part_block_turfs"] = sum(1 for t in plan.turfs if t.parts)
    report["unassigned_blocks"] = len(plan.unassigned)
    return report
