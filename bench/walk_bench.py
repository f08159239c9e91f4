"""Walk-list route benchmark: our street-by-street order against a near-optimal tour (elkai, LKH-3).

    .venv/bin/pip install -r bench/requirements.txt
    .venv/bin/python bench/walk_bench.py [--turfs 50]

Turfs of 50 to 200 doors: 30 real ones, cutting the Helsinki sample
(data/helsinki, real addresses) at several targets, and 20 synthetic suburbs (a street grid with odd and even sides, some wide
avenues). For each turf it times ``walk_order`` and compares its length with
the shortest open path LKH-3 finds through the same doors (straight lines,
metres), with no street-by-street rule. Prints Markdown.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import elkai  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from fieldops.domain.walk_order import DoorPoint, local_metres, path_metres, walk_order  # noqa: E402
from turf_bench import Territory, helsinki, ours  # noqa: E402


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


def suburb(rng: np.random.Generator, n_doors: int) -> list[DoorPoint]:
    """A grid of streets with houses on both sides, numbered odd and even from the street's start."""
    doors: list[DoorPoint] = []
    street = 0
    while len(doors) < n_doors:
        horizontal = street % 2 == 0
        offset = (street // 2) * rng.uniform(80, 140)
        half_width = rng.choice([6.0, 8.0, 18.0])  # narrow lanes and, now and then, a wide avenue
        spacing = rng.uniform(8, 20)
        for k in range(int(rng.integers(4, 14))):
            along = 10 + k * spacing
            for side in (1, 0):
                if rng.random() < 0.15:
                    continue  # an empty lot
                across = offset + (half_width if side else -half_width)
                x, y = (along, across) if horizontal else (across, along)
                doors.append(DoorPoint(f"Street {street}", str(2 * k + 2 - side), "", x, y))
        street += 1
    return doors[:n_doors]


def optimal_metres(doors: list[DoorPoint]) -> float:
    """LKH-3's shortest open path: a tour through a dummy city at distance 0 from all, in decimetres."""
    points = np.array([(d.x, d.y) for d in doors])
    distance = np.rint(np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1)) * 10).astype(int)
    matrix = np.zeros((len(doors) + 1, len(doors) + 1), dtype=int)
    matrix[1:, 1:] = distance
    tour = elkai.DistanceMatrix(matrix.tolist()).solve_tsp(runs=5)
    order = [i - 1 for i in tour if i != 0]
    return path_metres([(d.x, d.y) for d in doors], order)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turfs", type=int, default=50)
    parser.add_argument("--helsinki", type=int, default=30, help="how many of the turfs are real Helsinki ones")
    args = parser.parse_args()
    rng = np.random.default_rng(5)
    real = helsinki_turfs(min(args.helsinki, args.turfs))
    turfs = [("Helsinki", t) for t in real]
    turfs += [("suburb", suburb(rng, int(rng.integers(50, 201)))) for _ in range(args.turfs - len(turfs))]
    ratios, timings, rows = [], [], []
    for kind, doors in turfs:
        started = time.perf_counter()
        ours_route = walk_order(doors)
        timings.append((time.perf_counter() - started) * 1000)
        best = optimal_metres(doors)
        ratios.append(ours_route.metres / best if best else 1.0)
        rows.append((kind, len(doors), ours_route.metres, best))
    print(f"### Walk lists: {len(turfs)} turfs ({len(real)} Helsinki, {len(turfs) - len(real)} synthetic suburbs), "
          f"{min(r[1] for r in rows)} to {max(r[1] for r in rows)} doors\n")
    print("| figure | value | target |\n|---|---|---|")
    print(f"| route length / LKH-3 open path, mean | {statistics.mean(ratios):.3f} | within 1.10 |")
    print(f"| route length / LKH-3 open path, worst | {max(ratios):.3f} | |")
    print(f"| turfs within 10% of LKH-3 | {sum(r <= 1.10 for r in ratios)} of {len(ratios)} | |")
    for kind in ("Helsinki", "suburb"):
        kind_ratios = [r for r, row in zip(ratios, rows) if row[0] == kind]
        if kind_ratios:
            print(f"| {kind} turfs: mean ratio | {statistics.mean(kind_ratios):.3f} ({len(kind_ratios)} turfs) | |")
    print(f"| time per turf, mean / worst | {statistics.mean(timings):.1f} ms / {max(timings):.1f} ms | under 50 ms |")
    print(f"| total route, ours / LKH-3 | {sum(r[2] for r in rows) / 1000:.1f} km / "
          f"{sum(r[3] for r in rows) / 1000:.1f} km | |")


if __name__ == "__main__":
    main()
