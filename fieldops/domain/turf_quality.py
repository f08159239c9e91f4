"""How good a set of turfs is: balance, contiguity and compactness.

The same report serves ``flask cut-turfs --json`` and ``bench/turf_bench.py``,
so our cut and the peers are judged by one ruler. Outlines must be in a
metric CRS (metres) for compactness; door counts are plain integers.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import shapely

from .text import N_
from .turf_cut import BAND


def polsby_popper(outlines: Sequence) -> np.ndarray:
    """4*pi*area / perimeter^2 per outline: 1 for a circle, about 0.785 for a square, near 0 for a sliver."""
    outlines = np.asarray(outlines, dtype=object)
    area, perimeter = shapely.area(outlines), shapely.length(outlines)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(perimeter > 0, 4 * math.pi * area / perimeter**2, 0.0)


def is_contiguous(members: Sequence[int], neighbours: Sequence[Sequence[int]]) -> bool:
    """Whether the blocks form one piece on the adjacency graph."""
    members = set(members)
    if not members:
        return False
    start = min(members)
    seen, stack = {start}, [start]
    while stack:
        for n in neighbours[stack.pop()]:
            if n in members and n not in seen:
                seen.add(n)
                stack.append(n)
    return seen == members


def cut_report(groups: Sequence[Sequence[int]], block_doors: Sequence[int], neighbours: Sequence[Sequence[int]],
               outlines: Sequence, target: int, seconds: float, *, notes: Sequence[str | None] | None = None,
               unit_name: str = "doors") -> dict:
    """The figures of a cut: counts, share within +-20% of the target, worst deviation and why, contiguity,
    compactness.

    ``groups`` are lists of positions of the units cut (blocks, or pieces of
    divided blocks) whose weights are ``block_doors``. ``oversize_blocks``
    counts turfs that are one unit with more than the target, and
    ``within_20pct_of_the_rest`` the balanced share of the other turfs.
    ``notes`` says, per unit, why it cannot be balanced (a building bigger
    than the target, a block that cannot be divided), for the reason given
    for the largest deviation. ``outlines`` holds one polygon per group, in metres.
    """
    doors = np.array([sum(block_doors[i] for i in group) for group in groups], dtype=float)
    deviation = np.abs(doors - target) / target if len(doors) else np.zeros(0)
    # A block with more doors than the target is a turf of its own: no cut can balance it.
    oversize = np.array([len(group) == 1 and block_doors[group[0]] > target for group in groups], dtype=bool)
    cuttable = deviation[~oversize] if len(groups) else np.zeros(0)
    compactness = polsby_popper(outlines) if len(groups) else np.zeros(0)
    within = deviation <= BAND + 1e-9
    worst = int(np.argmax(deviation)) if len(groups) else -1
    return {
        "turfs": len(groups),
        "doors": int(doors.sum()),
        "counts": unit_name,
        "target": target,
        "within_20pct": round(float(np.mean(within)), 4) if len(groups) else 0.0,
        "turfs_within_20pct": int(within.sum()),
        "largest_deviation": round(float(deviation.max()), 4) if len(groups) else 0.0,
        "largest_deviation_turf": worst,
        "largest_deviation_doors": int(doors[worst]) if len(groups) else 0,
        "largest_deviation_reason": deviation_reason(groups, block_doors, neighbours, target, worst, notes)
        if len(groups) and deviation[worst] > BAND + 1e-9 else "",
        "oversize_blocks": int(oversize.sum()),
        "within_20pct_of_the_rest": round(float(np.mean(cuttable <= BAND + 1e-9)), 4) if len(cuttable) else 1.0,
        "contiguous": all(is_contiguous(group, neighbours) for group in groups),
        "compactness": round(float(compactness.mean()), 4) if len(groups) else 0.0,
        "seconds": round(seconds, 3),
    }


def deviation_reason(groups: Sequence[Sequence[int]], block_doors: Sequence[int],
                     neighbours: Sequence[Sequence[int]], target: int, turf: int,
                     notes: Sequence[str | None] | None) -> str:
    """Why turf ``turf`` is outside the band, in a sentence an organizer can act on."""
    group = groups[turf]
    for unit in sorted(group, key=lambda u: -block_doors[u]):
        if notes and notes[unit]:
            return notes[unit]
    members = set(group)
    if not any(n not in members for u in group for n in neighbours[u]):
        return N_("its blocks touch no other block: an island that no cut can enlarge or share")
    turf_of = {u: t for t, g in enumerate(groups) for u in g}
    touching = {turf_of[n] for u in group for n in neighbours[u] if n not in members and n in turf_of}
    if not touching:
        return N_("the blocks around it are in no turf (they have no doors), so it cannot grow")
    return N_("its blocks are too coarse for the band: every move to or from the touching turfs would push one of "
              "them outside ±20%")
