"""Which blocks touch: the graph turfs are cut on."""
from __future__ import annotations

import numpy as np
import shapely

# Blocks closer than this (degrees, about 1 m at mid latitudes) count as touching,
# so rounding in source files does not break a street-bounded neighbourhood apart.
TOUCH_TOLERANCE_DEG = 1e-5


def block_adjacency(geometries: np.ndarray, tolerance: float = TOUCH_TOLERANCE_DEG) -> list[list[int]]:
    """For each block (lon/lat polygons), the sorted positions of the blocks it touches.

    One STRtree query for all blocks; never a loop of pairwise tests.
    """
    geometries = np.asarray(geometries, dtype=object)
    tree = shapely.STRtree(geometries)
    left, right = tree.query(geometries, predicate="dwithin", distance=tolerance)
    neighbours: list[list[int]] = [[] for _ in range(len(geometries))]
    for a, b in zip(left.tolist(), right.tolist()):
        if a != b:
            neighbours[a].append(b)
    return [sorted(set(items)) for items in neighbours]
