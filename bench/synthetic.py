"""Synthetic territory shared by the benchmarks: a jittered street grid of irregular blocks."""
from __future__ import annotations

import numpy as np
import shapely

SPACING_DEG = 0.001  # about 110 m north-south, 55 m east-west at 60° N
ORIGIN = (24.5, 60.0)


def jittered_blocks(n_blocks: int, rng: np.random.Generator) -> np.ndarray:
    """``n_blocks`` irregular quadrilaterals (lon/lat) whose corners are jittered street crossings.

    Neighbouring blocks share their edges exactly, as street-bounded blocks do.
    """
    side = int(np.ceil(np.sqrt(n_blocks)))
    gx, gy = np.meshgrid(np.arange(side + 1), np.arange(side + 1))
    jitter = rng.uniform(-0.3, 0.3, size=(2, side + 1, side + 1))
    x = ORIGIN[0] + (gx + jitter[0]) * SPACING_DEG
    y = ORIGIN[1] + (gy + jitter[1]) * SPACING_DEG
    rows, cols = np.divmod(np.arange(n_blocks), side)
    rings = np.stack([
        np.stack([x[rows, cols], y[rows, cols]], -1), np.stack([x[rows, cols + 1], y[rows, cols + 1]], -1),
        np.stack([x[rows + 1, cols + 1], y[rows + 1, cols + 1]], -1), np.stack([x[rows + 1, cols], y[rows + 1, cols]], -1),
    ], axis=1)
    return shapely.polygons(rings)


def grid_side(n_blocks: int) -> int:
    return int(np.ceil(np.sqrt(n_blocks)))
