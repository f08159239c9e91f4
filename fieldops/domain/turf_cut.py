"""Cut an office's blocks into contiguous, compact turfs of about N doors.

Region growing on the block adjacency graph. Units: door counts; block
positions are planar coordinates (metres in a local projection) used only to
keep turfs compact. The same input always gives the same turfs.
"""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class BlockInput:
    doors: int
    x: float  # centroid, metres (any local planar CRS)
    y: float


def cut_turfs(blocks: list[BlockInput], neighbours: list[list[int]], target: int) -> list[list[int]]:
    """Partition block positions into turfs; each turf is a sorted list of positions.

    Every turf is contiguous and never splits a block; a block with more
    doors than ``target`` is a turf of its own; blocks in separate islands
    never share a turf.
    """
    if target <= 0:
        raise ValueError("the target number of doors per turf must be positive")
    turf_of = [-1] * len(blocks)
    turfs: list[list[int]] = []
    # Seeds sweep from the south-west corner so turfs grow in a stable order.
    order = sorted(range(len(blocks)), key=lambda i: (blocks[i].y + blocks[i].x, blocks[i].x, i))
    for seed in order:
        if turf_of[seed] != -1:
            continue
        members = _grow(seed, blocks, neighbours, turf_of, target, len(turfs))
        turfs.append(members)
    _merge_small(turfs, turf_of, blocks, neighbours, target)
    return sorted((sorted(t) for t in turfs if t), key=lambda t: t[0])


def _grow(seed: int, blocks, neighbours, turf_of, target: int, turf_id: int) -> list[int]:
    members, doors = [seed], blocks[seed].doors
    turf_of[seed] = turf_id
    sum_x, sum_y = blocks[seed].x, blocks[seed].y
    frontier = {n for n in neighbours[seed] if turf_of[n] == -1}
    while doors < target and frontier:
        cx, cy = sum_x / len(members), sum_y / len(members)
        # The nearest neighbouring block keeps the turf round; ties broken by position.
        best = min(frontier, key=lambda i: (math.hypot(blocks[i].x - cx, blocks[i].y - cy), i))
        frontier.discard(best)
        if blocks[best].doors > target or doors + blocks[best].doors > target * 1.2:
            continue  # too big to join: it will seed or join another turf
        members.append(best)
        turf_of[best] = turf_id
        doors += blocks[best].doors
        sum_x, sum_y = sum_x + blocks[best].x, sum_y + blocks[best].y
        frontier.update(n for n in neighbours[best] if turf_of[n] == -1)
    return members


def _merge_small(turfs, turf_of, blocks, neighbours, target: int) -> None:
    """Fold turfs under 80% of the target into their smallest touching turf when that stays under 120%.

    A turf without doors (a park, a square) always folds into a neighbour:
    nobody should be handed an empty turf.
    """
    doors = [sum(blocks[i].doors for i in t) for t in turfs]
    for index in sorted(range(len(turfs)), key=lambda t: (doors[t], t)):
        if not turfs[index] or doors[index] >= 0.8 * target:
            continue
        touching = {turf_of[n] for i in turfs[index] for n in neighbours[i]} - {index}
        fits = [t for t in touching if turfs[t] and (doors[index] == 0 or doors[t] + doors[index] <= 1.2 * target)]
        if not fits:
            continue
        into = min(fits, key=lambda t: (doors[t], t))
        for i in turfs[index]:
            turf_of[i] = into
        turfs[into].extend(turfs[index])
        doors[into] += doors[index]
        turfs[index], doors[index] = [], 0
