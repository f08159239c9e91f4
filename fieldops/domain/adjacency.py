"""Which blocks touch, and by how much: the graph turfs are cut on.

Two blocks are neighbours when they share a stretch of boundary. Blocks that
meet only at a corner are not: a turf made of two such blocks would be two
polygons meeting at a point, which nobody can walk as one piece.
"""
from __future__ import annotations

import numpy as np
import shapely

from .turf_cut import BlockInput

# Blocks closer than this count as touching, so rounding in source files does
# not break a street-bounded neighbourhood apart: degrees (about 1 m at mid
# latitudes) for lon/lat polygons, metres for projected ones.
TOUCH_TOLERANCE_DEG = 1e-5
TOUCH_TOLERANCE_M = 1.0
# A shared stretch shorter than this many tolerances is a corner (or a rounding
# sliver), not an edge: two blocks meeting at a corner share about two.
MIN_SHARED_TOLERANCES = 5.0


def _touching(geometries: np.ndarray, tolerance: float, cut: np.ndarray | None = None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (a, b), a != b, both directions, that share at least a stretch of boundary, with its length.

    The length is the exact common boundary where the polygons share their
    edges, and otherwise the length of ``a``'s boundary within ``tolerance``
    of ``b`` (blocks separated by a rounding gap). ``cut`` marks polygons cut
    out of a block (a divided block's cells): their edges along the block's
    boundary are collinear with the neighbours' only up to rounding, so their
    pairs are always measured.
    """
    geometries = np.asarray(geometries, dtype=object)
    if len(geometries) == 0:
        empty = np.zeros(0, dtype=int)
        return empty, empty, np.zeros(0)
    tree = shapely.STRtree(geometries)
    left, right = tree.query(geometries, predicate="dwithin", distance=tolerance)
    keep = left != right
    left, right = left[keep], right[keep]
    boundaries = shapely.boundary(geometries)
    common = shapely.intersection(boundaries[left], boundaries[right])
    lengths = shapely.length(common)
    minimum = MIN_SHARED_TOLERANCES * tolerance
    gap = lengths < minimum
    if gap.any():
        # Polygons whose boundaries meet in one point and that do not overlap meet at a corner: no buffer
        # needed to know. Apart (a rounding gap), overlapping (rounding the other way) or along edges that
        # are collinear only up to rounding (a divided block's cells) needs a measure.
        a, b = geometries[left[gap]], geometries[right[gap]]
        corner = (shapely.get_type_id(common[gap]) == 0) & shapely.touches(a, b)
        if cut is not None:
            corner &= ~(cut[left[gap]] | cut[right[gap]])
        gap[gap] = ~corner
    if gap.any():
        # Only the few pairs that do not share edges exactly pay for a buffer.
        near = shapely.length(shapely.intersection(boundaries[left[gap]],
                                                   shapely.buffer(geometries[right[gap]], tolerance)))
        far = shapely.length(shapely.intersection(boundaries[right[gap]],
                                                  shapely.buffer(geometries[left[gap]], tolerance)))
        lengths[gap] = np.minimum(near, far)  # the same both ways, so the graph stays symmetric
    keep = lengths >= minimum
    return left[keep], right[keep], lengths[keep]


def _lists(n: int, left: np.ndarray, right: np.ndarray, lengths: np.ndarray):
    order = np.lexsort((right, left))
    left, right, lengths = left[order], right[order], lengths[order]
    starts = np.searchsorted(left, np.arange(n + 1))
    right_list, length_list = right.tolist(), lengths.tolist()
    neighbours = [right_list[starts[i]:starts[i + 1]] for i in range(n)]
    shared = [length_list[starts[i]:starts[i + 1]] for i in range(n)]
    return neighbours, shared


def touching_graph(geometries: np.ndarray, tolerance: float = TOUCH_TOLERANCE_DEG, cut: np.ndarray | None = None
                   ) -> tuple[list[list[int]], list[list[float]]]:
    """For each block, the sorted positions of the blocks it shares boundary with, and those lengths.

    Units are the geometries' own (pass metres for lengths in metres). One
    STRtree query for all blocks; never a loop of pairwise tests.
    """
    left, right, lengths = _touching(geometries, tolerance, cut)
    return _lists(len(geometries), left, right, lengths)


def block_adjacency(geometries: np.ndarray, tolerance: float = TOUCH_TOLERANCE_DEG) -> list[list[int]]:
    """For each block, the sorted positions of the blocks it shares a stretch of boundary with."""
    return touching_graph(geometries, tolerance)[0]


def block_graph(metric_geometries: np.ndarray, doors) -> tuple[list[BlockInput], list[list[int]], list[list[float]]]:
    """Everything ``cut_turfs`` needs from block polygons in metres and their door counts (or weights)."""
    metric_geometries = np.asarray(metric_geometries, dtype=object)
    neighbours, shared = touching_graph(metric_geometries, TOUCH_TOLERANCE_M)
    return block_inputs(metric_geometries, doors), neighbours, shared


def block_inputs(metric_geometries: np.ndarray, doors) -> list[BlockInput]:
    """One ``BlockInput`` per polygon (metres): its doors, centre, area and perimeter."""
    metric_geometries = np.asarray(metric_geometries, dtype=object)
    if len(metric_geometries) == 0:
        return []
    centres = shapely.centroid(metric_geometries)
    return [BlockInput(int(d), float(x), float(y), float(a), float(p)) for d, x, y, a, p in zip(
        doors, shapely.get_x(centres), shapely.get_y(centres),
        shapely.area(metric_geometries), shapely.length(metric_geometries))]
