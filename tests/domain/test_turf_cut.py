"""Auto-cut basics: contiguous, whole blocks, balanced, deterministic."""
from __future__ import annotations

import numpy as np
import shapely

from fieldops.domain.adjacency import block_adjacency
from fieldops.domain.turf_cut import BlockInput, cut_turfs
from fieldops.domain.turf_quality import is_contiguous


def grid(columns: int, rows: int, doors: int = 10):
    cells = [shapely.box(c, r, c + 1, r + 1) for r in range(rows) for c in range(columns)]
    blocks = [BlockInput(doors=doors, x=c * 100.0, y=r * 100.0) for r in range(rows) for c in range(columns)]
    return blocks, block_adjacency(np.array(cells, dtype=object), tolerance=1e-9)


def test_blocks_meeting_only_at_a_corner_are_not_neighbours():
    _, neighbours = grid(3, 3)
    assert neighbours[4] == [1, 3, 5, 7]  # the centre shares an edge with four; the corners only touch it
    assert neighbours[0] == [1, 3]


def test_a_rounding_gap_still_counts_as_touching_but_a_corner_across_it_does_not():
    left = shapely.box(0, 0, 100, 100)
    right = shapely.box(100.4, 0, 200, 100)        # 40 cm apart along a whole side
    diagonal = shapely.box(100.4, 100.4, 200, 200)  # 40 cm from ``left``'s corner only
    neighbours = block_adjacency(np.array([left, right, diagonal], dtype=object), tolerance=1.0)
    assert neighbours == [[1], [0, 2], [1]]


def test_every_block_in_exactly_one_contiguous_turf():
    blocks, neighbours = grid(10, 10)
    turfs = cut_turfs(blocks, neighbours, target=60)
    flat = sorted(i for t in turfs for i in t)
    assert flat == list(range(100))
    assert all(is_contiguous(t, neighbours) for t in turfs)
    sizes = [sum(blocks[i].doors for i in t) for t in turfs]
    assert sum(48 <= s <= 72 for s in sizes) / len(sizes) >= 0.8


def test_oversize_block_is_its_own_turf():
    blocks, neighbours = grid(4, 1)
    blocks[2] = BlockInput(doors=500, x=blocks[2].x, y=blocks[2].y)
    turfs = cut_turfs(blocks, neighbours, target=30)
    assert [2] in turfs


def test_islands_never_share_a_turf():
    blocks = [BlockInput(10, 0, 0), BlockInput(10, 100, 0), BlockInput(10, 10_000, 0)]
    neighbours = [[1], [0], []]
    turfs = cut_turfs(blocks, neighbours, target=100)
    assert [2] in turfs and [0, 1] in turfs


def test_same_input_same_turfs():
    blocks, neighbours = grid(8, 7)
    assert cut_turfs(blocks, neighbours, 45) == cut_turfs(blocks, neighbours, 45)


def test_doorless_blocks_never_form_a_turf_of_their_own():
    blocks, neighbours = grid(3, 1)
    blocks[0] = BlockInput(doors=100, x=0, y=0)      # oversize
    blocks[1] = BlockInput(doors=0, x=100, y=0)      # a park between
    blocks[2] = BlockInput(doors=100, x=200, y=0)    # oversize
    turfs = cut_turfs(blocks, neighbours, target=30)
    assert all(sum(blocks[i].doors for i in t) > 0 for t in turfs)
    assert sorted(i for t in turfs for i in t) == [0, 1, 2]
