"""Walk-list route benchmark: our street-by-street order against a near-optimal tour (elkai, LKH-3).

    .venv/bin/pip install -r bench/requirements.txt
    .venv/bin/python bench/walk_bench.py [--turfs 50] [--only city,growth,apartments]

Three parts, each printed as Markdown, every length a ratio to LKH-3's
shortest open path through the same doors (straight lines, metres, with no
street-by-street rule) computed in the same run:

- *city*: 50 turfs of 50 to 200 doors: 30 real ones, cutting the Helsinki
  sample (data/helsinki, real addresses) at several targets, and 20
  synthetic suburbs (a street grid with odd and even sides, some wide
  avenues). LKH-3 with 5 runs.
- *growth*: how our time grows with the doors, at 250, 500, 1,000 and 2,000
  doors of a rural turf (farms along roads across six towns, every door a run
  of its own: the shape that took 22.9 s for 359 doors before) and of a
  suburb of detached houses. Our time is the best of 3. LKH-3 (one run of
  100 trials; its own time beside) up to 1,000 doors: at 2,000 it takes longer
  than this whole bench may.
- *apartments*: 1,000 doors of a city turf where most addresses are blocks of
  flats. LKH-3, one run of 100 trials.

The shapes come from ``tests/domain/walk_shapes.py``, the same the tests use.
The whole bench takes under two minutes.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from elkai import _elkai  # noqa: E402

from fieldops.domain.walk_order import DoorPoint, local_metres, path_metres, walk_order  # noqa: E402
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


def lkh_metres(doors: list[DoorPoint], parameters: str) -> float:
    """LKH-3's shortest open path: a tour through a dummy city at distance 0 from all, in decimetres.

    elkai's own wrapper fixes only RUNS; its solver takes LKH-3's parameter text as it is.
    """
    points = np.array([(d.x, d.y) for d in doors])
    distance = np.rint(np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1)) * 10).astype(int)
    matrix = np.zeros((len(doors) + 1, len(doors) + 1), dtype=int)
    matrix[1:, 1:] = distance
    problem = (f"TYPE : TSP\nDIMENSION : {len(matrix)}\nEDGE_WEIGHT_TYPE : EXPLICIT\nEDGE_WEIGHT_FORMAT : FULL_MATRIX\n"
               "EDGE_WEIGHT_SECTION\n" + "\n".join(" ".join(map(str, row)) for row in matrix.tolist()) + "\n")
    tour = [city - 1 for city in _elkai.solve_problem(parameters + "PROBLEM_FILE = :stdin:\n", problem)]
    start = tour.index(0)
    order = [city - 1 for city in tour[start + 1:] + tour[:start]]
    return path_metres([(d.x, d.y) for d in doors], order)


def timed(doors: list[DoorPoint], repeats: int = 1):
    """Our route and its best time over ``repeats`` runs, in seconds."""
    best = None
    for _ in range(repeats):
        started = time.perf_counter()
        route = walk_order(doors)
        seconds = time.perf_counter() - started
        best = seconds if best is None else min(best, seconds)
    return route, best


def city(turf_count: int, real_count: int) -> None:
    rng = np.random.default_rng(5)
    real = helsinki_turfs(min(real_count, turf_count))
    turfs = [("Helsinki", t) for t in real]
    turfs += [("suburb", detached_turf(rng, int(rng.integers(50, 201)))) for _ in range(turf_count - len(turfs))]
    ratios, timings, rows = [], [], []
    for kind, doors in turfs:
        route, seconds = timed(doors)
        timings.append(seconds * 1000)
        best = lkh_metres(doors, "RUNS = 5\n")
        ratios.append(route.metres / best if best else 1.0)
        rows.append((kind, len(doors), route.metres, best))
    print(f"### City: {len(turfs)} turfs ({len(real)} Helsinki, {len(turfs) - len(real)} synthetic suburbs), "
          f"{min(r[1] for r in rows)} to {max(r[1] for r in rows)} doors\n")
    print("| figure | value | target |\n|---|---|---|")
    print(f"| route length / LKH-3 open path, mean | {statistics.mean(ratios):.3f} | within 1.10 |")
    print(f"| route length / LKH-3 open path, worst | {max(ratios):.3f} | |")
    print(f"| turfs within 10% of LKH-3 | {sum(r <= 1.10 for r in ratios)} of {len(ratios)} | all |")
    for kind in ("Helsinki", "suburb"):
        kind_ratios = [r for r, row in zip(ratios, rows) if row[0] == kind]
        if kind_ratios:
            print(f"| {kind} turfs: mean ratio | {statistics.mean(kind_ratios):.3f} ({len(kind_ratios)} turfs) | |")
    print(f"| time per turf, mean / worst | {statistics.mean(timings):.1f} ms / {max(timings):.1f} ms | under 50 ms |")
    big = [t for t, row in zip(timings, rows) if row[1] >= 150]
    if big:
        print(f"| time per turf of 150 to 200 doors, worst | {max(big):.1f} ms ({len(big)} turfs) | under 50 ms |")
    print(f"| total route, ours / LKH-3 | {sum(r[2] for r in rows) / 1000:.1f} km / "
          f"{sum(r[3] for r in rows) / 1000:.1f} km | |\n")


def growth() -> None:
    print("### Growth with the doors: rural turf (every door a run of its own) and detached houses\n")
    print("| turf | doors | runs | ours: time (best of 3) | growth since the size before | ours / LKH-3 length "
          "| LKH-3 time | target |")
    print("|---|---|---|---|---|---|---|---|")
    for kind, make in (("rural, 6 towns", lambda rng, n: rural_turf(rng, n)[0]), ("detached houses", detached_turf)):
        previous = None
        for n in GROWTH_SIZES:
            doors = make(np.random.default_rng(n), n)
            route, seconds = timed(doors, repeats=3)
            exponent = "" if previous is None else f"n^{np.log(seconds / previous[1]) / np.log(n / previous[0]):.2f}"
            if n <= LKH_UP_TO:
                started = time.perf_counter()
                best = lkh_metres(doors, "RUNS = 1\nMAX_TRIALS = 100\n")
                peer = f"{route.metres / best:.3f} | {time.perf_counter() - started:.1f} s — ours " \
                       f"{(time.perf_counter() - started) / seconds:.0f}x faster"
            else:
                peer = "not run | (about 90 s)"
            target = "under 1 s" if n == 1000 else ""
            print(f"| {kind} | {n:,} | {_run_count(doors)} | {seconds:.3f} s | {exponent} | {peer} | {target} |")
            previous = (n, seconds)
    print()


def _run_count(doors: list[DoorPoint]) -> str:
    """How many times the returned walk changes street or jumps more than 150 m: the runs it is made of."""
    route = walk_order(doors).order
    breaks = sum(doors[a].street != doors[b].street or np.hypot(doors[a].x - doors[b].x, doors[a].y - doors[b].y) > 150
                 for a, b in zip(route, route[1:]))
    return f"{breaks + 1:,}"


def apartments() -> None:
    doors = apartment_turf(np.random.default_rng(7), 1000)
    route, seconds = timed(doors, repeats=3)
    started = time.perf_counter()
    best = lkh_metres(doors, "RUNS = 1\nMAX_TRIALS = 100\n")
    lkh_seconds = time.perf_counter() - started
    addresses = len({(d.street, d.house_number) for d in doors})
    print(f"### Apartments: 1,000 doors at {addresses} addresses (blocks of flats and a few houses)\n")
    print("| figure | value | target |\n|---|---|---|")
    print(f"| route length / LKH-3 open path | {route.metres / best:.3f} ({route.metres / 1000:.2f} km / "
          f"{best / 1000:.2f} km) | within 1.10 |")
    print(f"| time, ours (best of 3) / LKH-3 | {seconds:.3f} s / {lkh_seconds:.1f} s | |\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turfs", type=int, default=50)
    parser.add_argument("--helsinki", type=int, default=30, help="how many of the city turfs are real Helsinki ones")
    parser.add_argument("--only", default="city,growth,apartments", help="parts to run, comma-separated")
    args = parser.parse_args()
    started = time.perf_counter()
    parts = args.only.split(",")
    if "city" in parts:
        city(args.turfs, args.helsinki)
    if "growth" in parts:
        growth()
    if "apartments" in parts:
        apartments()
    print(f"Bench time: {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
