"""Walk-list route benchmark: our street-by-street order against a near-optimal tour (elkai, LKH-3).

    .venv/bin/pip install -r bench/requirements.txt
    .venv/bin/python bench/walk_bench.py [--turfs 50] [--only city,growth,apartments] [--before REVISION]

Three parts, each printed as Markdown. Every length is the length of the
list as returned, as a ratio to LKH-3's shortest open path through the same
doors (straight lines, metres, no street-by-street rule) computed in the same
run; where buildings have several doors, also to LKH-3's shortest path that
keeps each building's doors together, as the walk list does.

- *city*: 50 turfs of 50 to 200 doors: 30 real ones, cutting the Helsinki
  sample (data/helsinki, real addresses) at several targets, and 20
  synthetic suburbs (a street grid with odd and even sides, some wide
  avenues). LKH-3 with 5 runs.
- *growth*: how our time grows with the doors, at 250, 500, 1,000 and 2,000
  doors of a rural turf (farms along roads across six towns, every door a run
  of its own: the shape that took 22.9 s for 359 doors before) and of a
  suburb of detached houses. LKH-3 (one run of 100 trials; its own time
  beside) up to 1,000 doors: at 2,000 it takes longer than this whole bench may.
- *apartments*: 1,000 doors of a city turf where two addresses in five are
  blocks of flats. LKH-3, one run of 100 trials.

Our times are the best of 3. ``--before REVISION`` also runs ``walk_order``
as it was at that git revision, where it finishes in seconds, with the list
the app then returned (each address's doors gathered after the route). The
shapes come from ``tests/domain/walk_shapes.py``, the same the tests use.
The whole bench takes under two minutes.
"""
from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from elkai import _elkai  # noqa: E402

from fieldops.domain.buildings import group_buildings  # noqa: E402
from fieldops.domain.walk_order import (RUN_BREAK_M, DoorPoint, buildings, local_metres, path_metres,  # noqa: E402
                                        walk_order)
from tests.domain.walk_shapes import apartment_turf, detached_turf, rural_turf  # noqa: E402
from turf_bench import Territory, helsinki, ours  # noqa: E402

GROWTH_SIZES = (250, 500, 1000, 2000)
LKH_UP_TO = 1000   # doors; LKH-3 on 2,000 doors takes about 90 s on this machine


def helsinki_turfs(limit: int) -> list[list[DoorPoint]]:
    """Distinct Helsinki turfs of 50 to 200 doors, from our cut at several targets."""
    import geopandas as gpd
    blocks = helsinki()
    doors = pd.read_csv(ROOT / "data/helsinki/doors.csv", dtype=str, keep_default_na=False)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(doors.lon.astype(float), doors.lat.astype(float)),
                              crs="EPSG:4326")
    door_index, block_index = blocks.sindex.query(points.geometry, predicate="within")
    block_of_door = np.full(len(doors), -1)
    block_of_door[door_index] = block_index
    territory = Territory(blocks)
    seen, turfs = set(), []
    for target in (50, 60, 70, 80, 90, 100, 120, 140, 160, 180, 200):
        labels, _ = ours(territory, target)
        for label in np.unique(labels):
            members = np.flatnonzero(np.isin(block_of_door, np.flatnonzero(labels == label)))
            key = tuple(members.tolist())
            if 50 <= len(members) <= 200 and key not in seen:
                seen.add(key)
                turfs.append(_door_points(doors.iloc[members]))
    return turfs[:limit]


def _door_points(rows: pd.DataFrame) -> list[DoorPoint]:
    xy = local_metres(rows.lon.astype(float).tolist(), rows.lat.astype(float).tolist())
    return [DoorPoint(s, h, u, x, y) for (s, h, u), (x, y) in zip(
        rows[["street", "house_number", "unit"]].itertuples(index=False), xy)]


def lkh_metres(doors: list[DoorPoint], parameters: str, together: list[int] | None = None) -> float:
    """LKH-3's shortest open path: a tour through a dummy city at distance 0 from all, in decimetres.

    Doors at the same point are one city (walking between them costs nothing, so the shortest path is
    the same). With ``together`` (a group per door), leaving a group costs LKH-3 100 km, so its path
    keeps each group's doors together: the walk list's rule that a building's units are walked in one go.
    elkai's own wrapper fixes only RUNS; its solver takes LKH-3's parameter text as it is.
    """
    keys = [(d.x, d.y) if together is None else (d.x, d.y, together[i]) for i, d in enumerate(doors)]
    cities = list(dict.fromkeys(keys))
    if len(cities) < 3:
        return path_metres([(d.x, d.y) for d in doors], range(len(doors)))
    points = np.array([city[:2] for city in cities])
    distance = np.rint(np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1)) * 10).astype(int)
    if together is not None:
        group = np.array([city[2] for city in cities])
        distance += np.where(group[:, None] != group[None, :], 1_000_000, 0)
    matrix = np.zeros((len(cities) + 1, len(cities) + 1), dtype=int)
    matrix[1:, 1:] = distance
    problem = (f"TYPE : TSP\nDIMENSION : {len(matrix)}\nEDGE_WEIGHT_TYPE : EXPLICIT\nEDGE_WEIGHT_FORMAT : FULL_MATRIX\n"
               "EDGE_WEIGHT_SECTION\n" + "\n".join(" ".join(map(str, row)) for row in matrix.tolist()) + "\n")
    tour = [city - 1 for city in _elkai.solve_problem(parameters + "PROBLEM_FILE = :stdin:\n", problem)]
    start = tour.index(0)
    return path_metres(points.tolist(), [city - 1 for city in tour[start + 1:] + tour[:start]])


def timed(doors: list[DoorPoint], repeats: int = 3, walk=walk_order):
    """A route and its best time over ``repeats`` runs, in seconds."""
    best = None
    for _ in range(repeats):
        started = time.perf_counter()
        route = walk(doors)
        seconds = time.perf_counter() - started
        best = seconds if best is None else min(best, seconds)
    return route, best


def before(revision: str):
    """``walk_order`` as it was at ``revision`` (from git), and the length of the list the app returned with it:
    then the walk list gathered each address's doors after the route (``group_buildings``)."""
    source = subprocess.run(["git", "show", f"{revision}:fieldops/domain/walk_order.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    module = types.ModuleType("fieldops.domain.walk_order_before")
    module.__package__ = "fieldops.domain"
    sys.modules[module.__name__] = module
    exec(compile(source, f"{revision}:walk_order.py", "exec"), module.__dict__)

    def returned(doors: list[DoorPoint]) -> tuple[float, float]:
        """(metres reported, metres of the list returned)."""
        route = module.walk_order(doors)
        listed = group_buildings([SimpleNamespace(i=i, street=doors[i].street, house_number=doors[i].house_number,
                                                  unit=doors[i].unit) for i in route.order])
        return route.metres, path_metres([(d.x, d.y) for d in doors], [door.i for door in listed])
    return module.walk_order, returned


def _ratio_rows(label: str, ratios: list[float], target: str = "") -> str:
    return (f"| {label} | {statistics.mean(ratios):.3f} | {max(ratios):.3f} | "
            f"{sum(r <= 1.10 for r in ratios)} of {len(ratios)} | {target} |")


def city(turf_count: int, real_count: int, revision: str | None) -> None:
    rng = np.random.default_rng(5)
    real = helsinki_turfs(min(real_count, turf_count))
    turfs = [("Helsinki", t) for t in real]
    turfs += [("suburb", detached_turf(rng, int(rng.integers(50, 201)))) for _ in range(turf_count - len(turfs))]
    old_walk, old = before(revision) if revision else (None, None)
    free, together, rule_cost, timings, old_free, old_told, old_timings = [], [], [], [], [], 0, []
    for kind, doors in turfs:
        route, seconds = timed(doors)
        timings.append(seconds * 1000)
        if old_walk:  # timed turf by turf beside ours, so that both see the same load
            old_timings.append(timed(doors, walk=old_walk)[1] * 1000)
        best = lkh_metres(doors, "RUNS = 5\n")
        groups = buildings(doors)
        best_together = lkh_metres(doors, "RUNS = 5\n", groups) if len(set(groups)) < len(doors) else best
        free.append(route.metres / best)
        together.append(route.metres / best_together)
        rule_cost.append(best_together / best)
        if old:
            reported, returned = old(doors)
            old_free.append(returned / best)
            old_told += abs(reported - returned) > 0.1
    kinds = [kind for kind, _ in turfs]
    sizes = [len(doors) for _, doors in turfs]
    print(f"### City: {len(turfs)} turfs ({len(real)} Helsinki, {len(turfs) - len(real)} synthetic suburbs), "
          f"{min(sizes)} to {max(sizes)} doors\n")
    print("Length of the list as returned, against LKH-3 (5 runs) on the same doors: free (any order), and with "
          "each building's doors together (the walk list's rule; Helsinki's shops share addresses, up to 54 at "
          "one, across shopping centres 140 m long).\n")
    print("| route length / peer | mean | worst | within 1.10 | target |\n|---|---|---|---|---|")
    print(_ratio_rows("ours / LKH-3 with buildings together, all turfs", together, "within 1.10"))
    for kind in ("Helsinki", "suburb"):
        print(_ratio_rows(f"ours / LKH-3 with buildings together, {kind}",
                          [r for r, k in zip(together, kinds) if k == kind]))
        print(_ratio_rows(f"ours / LKH-3 free, {kind}", [r for r, k in zip(free, kinds) if k == kind]))
    print(_ratio_rows("LKH-3 with buildings together / LKH-3 free, Helsinki (what the rule costs)",
                      [r for r, k in zip(rule_cost, kinds) if k == "Helsinki"]))
    if old:
        for kind in ("Helsinki", "suburb"):
            print(_ratio_rows(f"before ({revision}) as returned / LKH-3 free, {kind}",
                              [r for r, k in zip(old_free, kinds) if k == kind]))
    print(f"\n| time per turf (best of 3) | mean | worst | worst at 150 to 200 doors | target |\n|---|---|---|---|---|")
    big = [t for t, n in zip(timings, sizes) if n >= 150]
    print(f"| ours | {statistics.mean(timings):.1f} ms | {max(timings):.1f} ms | {max(big):.1f} ms ({len(big)} turfs) "
          f"| under 50 ms |")
    if old_walk:
        old_big = [t for t, n in zip(old_timings, sizes) if n >= 150]
        print(f"| before ({revision}), same run | {statistics.mean(old_timings):.1f} ms | {max(old_timings):.1f} ms "
              f"| {max(old_big):.1f} ms | |")
    if old:
        print(f"\nBefore ({revision}), the length reported differed from the list returned on {old_told} of "
              f"{len(turfs)} turfs.")
    print()


def growth(revision: str | None) -> None:
    old = before(revision)[0] if revision else None
    times: dict[str, list[float]] = {}
    print("### Growth with the doors: rural turf (every door a run of its own) and detached houses\n")
    print("| turf | doors | street runs walked | ours: time (best of 3) | growth | ours / LKH-3 length "
          "| LKH-3 time | before: time | target |")
    print("|---|---|---|---|---|---|---|---|---|")
    for kind, make, old_up_to in (("rural, 6 towns", lambda rng, n: rural_turf(rng, n)[0], 250),
                                  ("detached houses", detached_turf, 2000)):
        previous = None
        for n in GROWTH_SIZES:
            doors = make(np.random.default_rng(n), n)
            route, seconds = timed(doors)
            exponent = "" if previous is None else f"n^{np.log(seconds / previous[1]) / np.log(n / previous[0]):.2f}"
            if n <= LKH_UP_TO:
                started = time.perf_counter()
                best = lkh_metres(doors, "RUNS = 1\nMAX_TRIALS = 100\n")
                lkh_seconds = time.perf_counter() - started
                peer = f"{route.metres / best:.3f} | {lkh_seconds:.1f} s (ours {lkh_seconds / seconds:.0f}x faster)"
            else:
                peer = "not run | (about 90 s)"
            if old and n <= old_up_to:
                old_seconds = timed(doors, repeats=1, walk=old)[1]
                then = f"{old_seconds:.2f} s (ours {old_seconds / seconds:.0f}x faster)"
            else:
                then = "" if not old else "not run (minutes)"
            target = "under 1 s" if n == 1000 else ""
            print(f"| {kind} | {n:,} | {_run_count(doors, route.order)} | {seconds:.3f} s | {exponent} | {peer} "
                  f"| {then} | {target} |")
            previous = (n, seconds)
            times.setdefault(kind, []).append(seconds)
    print()
    for kind, seconds in times.items():
        slope = np.polyfit(np.log(GROWTH_SIZES), np.log(seconds), 1)[0]
        print(f"Our time fitted over {GROWTH_SIZES[0]:,} to {GROWTH_SIZES[-1]:,} doors, {kind}: grows as n^{slope:.2f}.")
    print()


def _run_count(doors: list[DoorPoint], order: list[int]) -> str:
    """How many times the walk changes street or jumps more than 150 m, plus one: the runs it is made of."""
    breaks = sum(doors[a].street != doors[b].street or math.dist((doors[a].x, doors[a].y), (doors[b].x, doors[b].y))
                 > RUN_BREAK_M for a, b in zip(order, order[1:]))
    return f"{breaks + 1:,}"


def apartments(revision: str | None) -> None:
    doors = apartment_turf(np.random.default_rng(7), 1000)
    returned = before(revision)[1](doors)[1] if revision else None
    route, seconds = timed(doors)
    started = time.perf_counter()
    best = lkh_metres(doors, "RUNS = 1\nMAX_TRIALS = 100\n")
    lkh_seconds = time.perf_counter() - started
    best_together = lkh_metres(doors, "RUNS = 1\nMAX_TRIALS = 100\n", buildings(doors))
    addresses = len({(d.street, d.house_number) for d in doors})
    print(f"### Apartments: 1,000 doors at {addresses} addresses (blocks of flats with one to three staircases, "
          f"houses between)\n")
    print("| figure | value | target |\n|---|---|---|")
    print(f"| route length / LKH-3 free | {route.metres / best:.3f} ({route.metres / 1000:.2f} km / "
          f"{best / 1000:.2f} km) | within 1.10 |")
    print(f"| route length / LKH-3 with buildings together | {route.metres / best_together:.3f} "
          f"({best_together / 1000:.2f} km) | |")
    if returned:
        print(f"| before ({revision}), list as returned / LKH-3 free | {returned / best:.3f} | |")
    print(f"| time, ours (best of 3) / LKH-3 | {seconds:.3f} s / {lkh_seconds:.1f} s | |\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turfs", type=int, default=50)
    parser.add_argument("--helsinki", type=int, default=30, help="how many of the city turfs are real Helsinki ones")
    parser.add_argument("--only", default="city,growth,apartments", help="parts to run, comma-separated")
    parser.add_argument("--before", metavar="REVISION", help="also time and measure walk_order as it was at REVISION")
    args = parser.parse_args()
    started = time.perf_counter()
    parts = args.only.split(",")
    if "city" in parts:
        city(args.turfs, args.helsinki, args.before)
    if "growth" in parts:
        growth(args.before)
    if "apartments" in parts:
        apartments(args.before)
    print(f"Bench time: {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
