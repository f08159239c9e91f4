"""Auto-cut properties on generated block grids with holes (islands), checked with hypothesis."""
from __future__ import annotations

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldops.domain.adjacency import block_graph
from fieldops.domain.turf_cut import cut_turfs
from fieldops.domain.turf_quality import is_contiguous


@st.composite
def territories(draw):
    columns, rows = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    cells = [(c, r) for r in range(rows) for c in range(columns)]
    # Drop some cells, which leaves islands and ragged edges behind.
    kept = [cell for cell in cells if not draw(st.booleans()) or draw(st.integers(0, 3))]
    if not kept:
        kept = cells[:1]
    doors = draw(st.lists(st.integers(0, 90), min_size=len(kept), max_size=len(kept)))
    target = draw(st.integers(5, 120))
    boxes = np.array([shapely.box(c * 100, r * 80, (c + 1) * 100, (r + 1) * 80) for c, r in kept], dtype=object)
    return boxes, doors, target


@settings(max_examples=150, deadline=None, derandomize=True)
@given(territories())
def test_cut_is_a_partition_of_whole_contiguous_turfs(territory):
    boxes, doors, target = territory
    blocks, neighbours, shared = block_graph(boxes, doors)
    turfs = cut_turfs(blocks, neighbours, target, shared)
    placed = sorted(i for turf in turfs for i in turf)
    assert len(placed) == len(set(placed))  # no block twice, none split
    for i in set(range(len(blocks))) - set(placed):
        # A block in no turf has no doors, and nothing with doors is reachable from it: else it would have
        # joined that turf (a turf of door-less blocks alone is never made).
        assert doors[i] == 0 and all(doors[j] == 0 for j in _component(i, neighbours))
    assert all(sum(doors[i] for i in turf) > 0 for turf in turfs)
    assert all(is_contiguous(turf, neighbours) for turf in turfs)
    for i, block_doors in enumerate(doors):
        if block_doors > target:
            assert [i] in turfs or any(i in turf and sum(doors[j] for j in turf) == block_doors for turf in turfs)
    assert cut_turfs(blocks, neighbours, target, shared) == turfs  # same input, same turfs


def _component(start: int, neighbours) -> set[int]:
    seen, stack = {start}, [start]
    while stack:
        for n in neighbours[stack.pop()]:
            if n not in seen:
                seen.add(n)
                stack.append(n)
    return seen


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.integers(6, 14), st.integers(6, 14), st.integers(40, 90), st.randoms(use_true_random=False))
def test_turfs_are_balanced_when_blocks_are_small(columns, rows, target, rng):
    boxes = np.array([shapely.box(c * 100, r * 80, (c + 1) * 100, (r + 1) * 80)
                      for r in range(rows) for c in range(columns)], dtype=object)
    doors = [rng.randint(5, 20) for _ in boxes]
    blocks, neighbours, shared = block_graph(boxes, doors)
    turfs = cut_turfs(blocks, neighbours, target, shared)
    sizes = [sum(doors[i] for i in turf) for turf in turfs]
    within = sum(abs(size - target) <= 0.2 * target for size in sizes)
    assert within / len(sizes) >= 0.8, (sizes, doors)
