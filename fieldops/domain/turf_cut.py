"""Cut an office's blocks into contiguous, compact turfs of about N doors.

Three steps on the block adjacency graph, all deterministic:

1. a block with more doors than the target is a turf of its own;
2. turfs grow from seeds swept from the south-west corner, each taking the
   touching block nearest its centre until it holds the target;
3. a local search moves boundary blocks between touching turfs (and folds
   turfs that are too small into a neighbour) while that lowers the cost:
   the squared deviation from the target, a steep penalty outside +-20%, and a
   price for a ragged shape (one minus the turf's Polsby-Popper compactness,
   from block areas, perimeters and the lengths of the edges blocks share)
   plus a little for spread (the sum of squared distances to the turf's
   centre), which keeps centres close when shapes are not known.

Units: door counts; block positions, areas and edge lengths in metres and
square metres of any local planar projection, used only for compactness.
No block is ever split, and a turf only ever gains a block that touches it
and loses one whose removal keeps it connected, so every turf stays contiguous and islands never mix.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from .text import N_, Refused

BAND = 0.2              # a turf within +-20% of the target is balanced
_BAND_MARGIN = 0.18     # aim a little inside the band so rounding never tips a turf out
_BAND_PENALTY = 4.0     # cost per unit of relative deviation outside the margin
_SPREAD_WEIGHT = 0.02   # cost of spread, per squared typical block spacing
_SHAPE_WEIGHT = 0.5     # cost of (1 - Polsby-Popper) per turf
_MAX_PASSES = 40


@dataclass(frozen=True)
class BlockInput:
    doors: int
    x: float  # centroid, metres (any local planar CRS)
    y: float
    area: float = 0.0       # square metres; with perimeter, lets the cut judge turf shapes
    perimeter: float = 0.0  # metres


def cut_turfs(blocks: list[BlockInput], neighbours: list[list[int]], target: int,
              shared: list[list[float]] | None = None) -> list[list[int]]:
    """Partition block positions into turfs; each turf is a sorted list of positions.

    Every turf is contiguous and never splits a block; a block with more
    doors than ``target`` is a turf of its own; blocks in separate islands
    never share a turf; turfs come back ordered by their first position.
    Blocks without doors join a touching turf, or are in no turf when
    nothing with doors touches them: never a turf of their own.
    ``shared[i][k]`` is the length (metres) of the edge block ``i`` shares
    with ``neighbours[i][k]``: with it and the blocks' areas and perimeters
    the cut favours round turfs, without it only close centres.
    """
    if target <= 0:
        raise Refused(N_("the target number of doors per turf must be positive"))
    if not blocks:
        return []
    state = _State(blocks, neighbours, target, shared)
    for i, block in enumerate(blocks):
        if block.doors > target:
            state.new_turf([i], fixed=True)
    for seed in sorted(range(len(blocks)), key=lambda i: (blocks[i].x + blocks[i].y, blocks[i].x, i)):
        if state.turf_of[seed] == -1:
            state.new_turf(_grow(seed, state), fixed=False)
    for _ in range(3):
        _improve(state)
        if not _merge(state) + _dissolve(state) + _chains(state):
            break
    # A turf without doors (door-less plots that touch no block with doors) is no turf: its blocks stay free.
    return sorted((sorted(members) for turf, members in enumerate(state.members)
                   if members and state.door_sum[turf] > 0), key=lambda t: t[0])


class _State:
    """Turf membership with running sums, so a move's change of cost is cheap to price."""

    def __init__(self, blocks: list[BlockInput], neighbours: list[list[int]], target: int,
                 shared: list[list[float]] | None):
        self.blocks, self.neighbours, self.target = blocks, neighbours, target
        self.shapes = shared is not None and all(b.perimeter > 0 for b in blocks)
        self.shared = shared if self.shapes else [[0.0] * len(near) for near in neighbours]
        self.turf_of = [-1] * len(blocks)
        self.members: list[set[int]] = []
        self.fixed: list[bool] = []
        self.door_sum: list[int] = []
        # Per turf: sum x, sum y, sum x^2 + y^2, area, perimeter (shared edges counted out).
        self.sums: list[list[float]] = []
        self.costs: list[float | None] = []  # each turf's cost, kept until the turf changes
        self.spacing2 = _typical_spacing(blocks, neighbours) ** 2

    def new_turf(self, members: list[int], fixed: bool) -> None:
        turf = len(self.members)
        self.members.append(set())
        self.fixed.append(fixed)
        self.door_sum.append(0)
        self.sums.append([0.0, 0.0, 0.0, 0.0, 0.0])
        self.costs.append(None)
        for i in members:
            self.add(i, turf)

    def shared_with(self, i: int, turf: int) -> float:
        """Metres of edge that block ``i`` shares with the turf's other blocks."""
        turf_of = self.turf_of
        return sum(length for n, length in zip(self.neighbours[i], self.shared[i]) if turf_of[n] == turf and n != i)

    def _shift(self, i: int, turf: int, sign: int) -> None:
        b, s = self.blocks[i], self.sums[turf]
        s[0] += sign * b.x
        s[1] += sign * b.y
        s[2] += sign * (b.x * b.x + b.y * b.y)
        s[3] += sign * b.area
        s[4] += sign * (b.perimeter - 2 * self.shared_with(i, turf))
        self.door_sum[turf] += sign * b.doors
        self.costs[turf] = None

    def add(self, i: int, turf: int) -> None:
        self._shift(i, turf, +1)
        self.turf_of[i] = turf
        self.members[turf].add(i)

    def remove(self, i: int) -> None:
        turf = self.turf_of[i]
        self._shift(i, turf, -1)
        self.members[turf].discard(i)
        self.turf_of[i] = -1

    def balance_cost(self, doors: int, count: int) -> float:
        if count == 0:
            return 0.0
        deviation = abs(doors - self.target) / self.target
        return deviation * deviation + _BAND_PENALTY * max(0.0, deviation - _BAND_MARGIN)

    def shape_cost(self, sx: float, sy: float, sq: float, area: float, perimeter: float, count: int) -> float:
        if count == 0:
            return 0.0
        cost = _SPREAD_WEIGHT * (sq - (sx * sx + sy * sy) / count) / self.spacing2
        if self.shapes and perimeter > 0:
            cost += _SHAPE_WEIGHT * (1.0 - 4 * math.pi * area / (perimeter * perimeter))
        return cost

    def cost_with(self, turf: int, i: int, sign: int) -> float:
        """The turf's cost after adding (sign=+1) or removing (sign=-1) block ``i``."""
        b, s = self.blocks[i], self.sums[turf]
        count = len(self.members[turf]) + sign
        perimeter = s[4] + sign * (b.perimeter - 2 * self.shared_with(i, turf))
        return (self.balance_cost(self.door_sum[turf] + sign * b.doors, count)
                + self.shape_cost(s[0] + sign * b.x, s[1] + sign * b.y, s[2] + sign * (b.x * b.x + b.y * b.y),
                                  s[3] + sign * b.area, perimeter, count))

    def cost(self, turf: int) -> float:
        cached = self.costs[turf]
        if cached is None:
            cached = self.costs[turf] = self.balance_cost(self.door_sum[turf], len(self.members[turf])) + \
                self.shape_cost(*self.sums[turf], len(self.members[turf]))
        return cached


def _typical_spacing(blocks: list[BlockInput], neighbours: list[list[int]]) -> float:
    """The median distance between touching blocks' centres (metres); 1 when nothing touches."""
    distances = sorted(math.hypot(blocks[a].x - blocks[b].x, blocks[a].y - blocks[b].y)
                       for a, near in enumerate(neighbours) for b in near if a < b)
    return (distances[len(distances) // 2] or 1.0) if distances else 1.0


def _grow(seed: int, state: _State) -> list[int]:
    """A connected set of free blocks around ``seed`` holding about the target (not yet a turf)."""
    blocks, target = state.blocks, state.target
    members, taken = [seed], {seed}
    doors, sum_x, sum_y = blocks[seed].doors, blocks[seed].x, blocks[seed].y
    frontier = {n for n in state.neighbours[seed] if state.turf_of[n] == -1}
    while doors < target and frontier:
        cx, cy = sum_x / len(members), sum_y / len(members)
        # The touching block nearest the centre keeps the turf round; ties broken by position.
        best = min(frontier, key=lambda i: ((blocks[i].x - cx) ** 2 + (blocks[i].y - cy) ** 2, i))
        frontier.discard(best)
        if doors + blocks[best].doors - target > target - doors:
            continue  # it would overshoot by more than the turf now falls short
        members.append(best)
        taken.add(best)
        doors += blocks[best].doors
        sum_x, sum_y = sum_x + blocks[best].x, sum_y + blocks[best].y
        frontier.update(n for n in state.neighbours[best] if state.turf_of[n] == -1 and n not in taken)
    return members


def _improve(state: _State) -> None:
    """Move single boundary blocks to touching turfs while the total cost falls.

    After the first pass only blocks in or beside a turf that changed are
    looked at again: elsewhere nothing could have become worth moving.
    """
    changed: set[int] | None = None  # None: every turf counts as changed
    for _ in range(_MAX_PASSES):
        now_changed: set[int] = set()
        for i in range(len(state.blocks)):
            source = state.turf_of[i]
            if state.fixed[source]:
                continue
            touching = {state.turf_of[n] for n in state.neighbours[i]}
            if changed is not None and source not in changed and not touching & changed:
                continue
            targets = sorted(t for t in touching - {source} if not state.fixed[t])
            if not targets:
                continue
            leave_gain = state.cost(source) - state.cost_with(source, i, -1)
            best, best_delta = -1, -1e-9
            for turf in targets:
                delta = state.cost_with(turf, i, +1) - state.cost(turf) - leave_gain
                if delta < best_delta:
                    best, best_delta = turf, delta
            if best == -1 or not _stays_connected(state, source, i):
                continue
            state.remove(i)
            state.add(i, best)
            now_changed.update((source, best))
        if not now_changed:
            return
        changed = now_changed


def _merge(state: _State) -> int:
    """Fold whole turfs into a touching turf where that lowers the cost; returns how many folded.

    A turf without doors (a park, a square) always folds, even into an
    oversize block's turf: nobody should be handed a turf with no doors.
    """
    merged = 0
    for turf in sorted(range(len(state.members)), key=lambda t: (state.door_sum[t], t)):
        members = state.members[turf]
        if not members or state.fixed[turf]:
            continue
        empty = state.door_sum[turf] == 0
        touching = sorted({state.turf_of[n] for i in members for n in state.neighbours[i]} - {turf})
        best, best_delta = -1, -1e-9
        for other in touching:
            if state.fixed[other] and not empty:
                continue
            delta = _merged_cost(state, turf, other) - state.cost(turf) - state.cost(other)
            if empty:
                delta -= 1e6  # always worth it
            if delta < best_delta:
                best, best_delta = other, delta
        if best == -1:
            continue
        for i in sorted(members):
            state.remove(i)
            state.add(i, best)
        merged += 1
    return merged


def _dissolve(state: _State) -> int:
    """Share out the blocks of turfs too small to keep among their neighbours, where that lowers the cost.

    Single moves cannot do this when every neighbour is already full: each
    step alone costs more, only the whole hand-out pays. Returns how many
    turfs were dissolved.
    """
    dissolved = 0
    low = state.target * (1 - BAND)
    for turf in sorted(range(len(state.members)), key=lambda t: (state.door_sum[t], t)):
        if state.fixed[turf] or not state.members[turf] or state.door_sum[turf] >= low:
            continue
        touched = {turf}
        before = {turf: state.cost(turf)}
        moves: list[tuple[int, int]] = []
        while state.members[turf]:
            options = []
            for i in sorted(state.members[turf]):
                for other in sorted({state.turf_of[n] for n in state.neighbours[i]} - {turf}):
                    if not state.fixed[other]:
                        options.append((state.cost_with(other, i, +1) - state.cost(other), i, other))
            if not options:
                break
            _, i, other = min(options)
            before.setdefault(other, state.cost(other))
            touched.add(other)
            state.remove(i)
            state.add(i, other)
            moves.append((i, other))
        if not state.members[turf] and sum(state.cost(t) for t in touched) < sum(before.values()) - 1e-9:
            dissolved += 1
            continue
        for i, _ in reversed(moves):  # not worth it, or stuck: put the blocks back
            state.remove(i)
            state.add(i, turf)
    return dissolved


def _chains(state: _State) -> int:
    """Two moves in a row for turfs still outside the band.

    A touching turf gives a block to (or takes one from) the turf, and is made
    whole again by its own neighbour. Each move alone would cost more; the
    chain pays. Returns how many chains were made.
    """
    made = 0
    low, high = state.target * (1 - BAND), state.target * (1 + BAND)
    for turf in range(len(state.members)):
        doors = state.door_sum[turf]
        if state.fixed[turf] or not state.members[turf] or low <= doors <= high:
            continue
        if _best_chain(state, turf, pull=doors < low):
            made += 1
    return made


def _best_chain(state: _State, turf: int, pull: bool) -> bool:
    """Try every chain through a touching turf; keep the first that lowers the cost."""
    members = sorted(state.members[turf])
    if pull:
        firsts = sorted({(n, turf) for i in members for n in state.neighbours[i] if state.turf_of[n] != turf})
    else:
        firsts = sorted({(i, state.turf_of[n]) for i in members for n in state.neighbours[i]
                         if state.turf_of[n] != turf})
    for block, into in firsts:
        middle = state.turf_of[block] if pull else into
        if state.fixed[middle]:
            continue
        source = state.turf_of[block]
        if not _stays_connected(state, source, block):
            continue
        before = state.cost(turf) + state.cost(middle)
        state.remove(block)
        state.add(block, into)
        # The middle turf now gives (after a pull) or sheds (after a push) one block to rebalance.
        for second, second_into in _second_moves(state, middle, turf, pull):
            third = state.turf_of[second] if pull else second_into
            total_before = before + state.cost(third)  # the first move did not touch the third turf
            second_from = state.turf_of[second]
            if not _stays_connected(state, second_from, second):
                continue
            state.remove(second)
            state.add(second, second_into)
            if state.cost(turf) + state.cost(middle) + state.cost(third) < total_before - 1e-9:
                return True
            state.remove(second)
            state.add(second, second_from)
        state.remove(block)
        state.add(block, source)
    return False


def _second_moves(state: _State, middle: int, turf: int, pull: bool) -> list[tuple[int, int]]:
    members = sorted(state.members[middle])
    moves = set()
    for i in members:
        for n in state.neighbours[i]:
            other = state.turf_of[n]
            if other in (middle, turf) or state.fixed[other]:
                continue
            moves.add((n, middle) if pull else (i, other))
    return sorted(moves)


def _merged_cost(state: _State, a: int, b: int) -> float:
    count = len(state.members[a]) + len(state.members[b])
    merged = [x + y for x, y in zip(state.sums[a], state.sums[b])]
    merged[4] -= 2 * sum(state.shared_with(i, b) for i in state.members[a])
    return state.balance_cost(state.door_sum[a] + state.door_sum[b], count) + state.shape_cost(*merged, count)


def _stays_connected(state: _State, turf: int, leaving: int) -> bool:
    """Whether the turf is still one piece (or empty) without block ``leaving``."""
    rest = state.members[turf] - {leaving}
    if not rest:
        return True
    start = min(rest)
    seen, stack = {start}, [start]
    while stack:
        for n in state.neighbours[stack.pop()]:
            if n in rest and n not in seen:
                seen.add(n)
                stack.append(n)
    return len(seen) == len(rest)
