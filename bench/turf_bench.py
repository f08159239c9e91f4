"""Turf auto-cut benchmark: our cut against PySAL spopt's regionalisation, in one run.

    .venv/bin/pip install -r bench/requirements.txt
    .venv/bin/python bench/turf_bench.py [--target 60] [--blocks 10000] [--doors 200000] [--peer-timeout 105]

Two territories: (a) the Helsinki sample (data/helsinki: 64 real blocks,
1,365 doors placed in them) and (b) a synthetic office of 10,000 irregular
street-grid blocks holding 200,000 doors. On each it runs our
``cut_turfs``, then the peers on the same adjacency graph:
``RegionKMeansHeuristic`` (as many regions as our cut made, on block
centres) and ``MaxPHeuristic`` (a floor of N doors per region). The two peers run at
once, each in a child process on its own core, and are stopped at
``--peer-timeout`` seconds (105 by default, so the whole run stays under two
minutes; MaxP needs about 95 s on the synthetic office, and
``--peer-timeout 300`` gives both the five minutes the issue allows). All cuts are judged by the same report
(``fieldops.domain.turf_quality.cut_report``). Prints Markdown.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from fieldops.domain.adjacency import block_graph  # noqa: E402
from fieldops.domain.turf_cut import cut_turfs  # noqa: E402
from fieldops.domain.turf_quality import cut_report  # noqa: E402
from synthetic import jittered_blocks  # noqa: E402


PEERS = ("RegionKMeansHeuristic", "MaxPHeuristic")


def helsinki() -> gpd.GeoDataFrame:
    """The sample's blocks with the number of sample doors inside each."""
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


class Territory:
    """Blocks in metres, their adjacency, and a way to judge any labelling of them."""

    def __init__(self, blocks: gpd.GeoDataFrame):
        self.metric = blocks.to_crs(blocks.estimate_utm_crs())
        self.doors = self.metric["doors"].to_numpy().astype(int)
        started = time.perf_counter()
        self.blocks, self.neighbours, self.shared = block_graph(self.metric.geometry.to_numpy(), self.doors)
        self.graph_seconds = time.perf_counter() - started
        self.x = np.array([b.x for b in self.blocks])
        self.y = np.array([b.y for b in self.blocks])

    def report(self, labels: np.ndarray, target: int, seconds: float) -> dict:
        groups = [np.flatnonzero(labels == label).tolist() for label in np.unique(labels)]
        frame = gpd.GeoDataFrame({"turf": labels}, geometry=self.metric.geometry.to_numpy(), crs=self.metric.crs)
        outlines = frame.dissolve(by="turf").geometry.to_numpy()
        return cut_report(groups, self.doors.tolist(), self.neighbours, outlines, target, seconds)


def ours(territory: Territory, target: int) -> tuple[np.ndarray, float]:
    """Our cut, timed alone: the peers too are timed without building their weights (graph)."""
    started = time.perf_counter()
    groups = cut_turfs(territory.blocks, territory.neighbours, target, territory.shared)
    seconds = time.perf_counter() - started
    labels = np.empty(len(territory.blocks), dtype=int)
    for label, group in enumerate(groups):
        labels[group] = label
    return labels, seconds


def _peer_child(name: str, territory: Territory, target: int, n_regions: int, queue) -> None:
    warnings.filterwarnings("ignore")
    from libpysal.weights import W
    from spopt.region import MaxPHeuristic, RegionKMeansHeuristic
    weights = W({i: list(near) for i, near in enumerate(territory.neighbours)}, silence_warnings=True)
    started = time.perf_counter()
    if name == "RegionKMeansHeuristic":
        model = RegionKMeansHeuristic(np.column_stack([territory.x, territory.y]), n_regions, weights, seed=0)
    else:
        frame = pd.DataFrame({"x": territory.x, "y": territory.y, "doors": territory.doors})
        np.random.seed(0)
        model = MaxPHeuristic(frame, weights, ["x", "y"], "doors", target, top_n=2)
    model.solve()
    queue.put((np.asarray(model.labels_), time.perf_counter() - started))


def run_peers(territory: Territory, target: int, n_regions: int, timeout: float) -> dict:
    """Run both spopt models at once, each in a child process on its own core; name -> (labels, seconds) or (None, reason)."""
    context = mp.get_context("fork")
    children = {}
    for name in PEERS:
        queue = context.Queue()
        child = context.Process(target=_peer_child, args=(name, territory, target, n_regions, queue))
        child.start()
        children[name] = (child, queue)
    deadline = time.perf_counter() + timeout
    results = {}
    for name, (child, queue) in children.items():
        try:
            results[name] = queue.get(timeout=max(deadline - time.perf_counter(), 0.1))
        except Exception:  # queue.Empty: the peer did not finish in time, or it crashed
            results[name] = (None, f"did not finish in {timeout:.0f} s" if child.is_alive()
                             else f"failed (exit {child.exitcode})")
        finally:
            child.kill()
            child.join()
    return results


def row(name: str, report: dict | None, note: str = "") -> str:
    if report is None:
        return f"| {name} | {note} | | | | | | |"
    return (f"| {name} | {report['seconds']:.3f} s | {report['turfs']} | {report['within_20pct']:.1%} "
            f"({report['within_20pct_of_the_rest']:.0%} without {report['oversize_blocks']} oversize blocks) "
            f"| {report['largest_deviation']:.0%} | {'yes' if report['contiguous'] else '**no**'} "
            f"| {report['compactness']:.3f} | {note} |")


def bench(title: str, blocks: gpd.GeoDataFrame, target: int, timeout: float) -> None:
    territory = Territory(blocks)
    labels, seconds = ours(territory, target)
    mine = territory.report(labels, target, seconds)
    print(f"\n### {title}: {len(blocks):,} blocks, {int(territory.doors.sum()):,} doors, N = {target}\n")
    print("| cut | time | turfs | within ±20% | largest deviation | contiguous | mean Polsby-Popper | vs ours |")
    print("|---|---|---|---|---|---|---|---|")
    print(row("**Fieldops `cut_turfs`**", mine, f"+ {territory.graph_seconds:.2f} s to build the block graph "
              f"= {seconds + territory.graph_seconds:.2f} s end to end"))
    for name, (peer_labels, peer_seconds) in run_peers(territory, target, mine["turfs"], timeout).items():
        if peer_labels is None:
            print(row(f"spopt `{name}`", None, peer_seconds))
            continue
        theirs = territory.report(peer_labels, target, peer_seconds)
        ratio = f"ours {peer_seconds / max(seconds, 1e-9):,.0f}x faster"
        print(row(f"spopt `{name}`", theirs, ratio))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", type=int, default=60)
    parser.add_argument("--blocks", type=int, default=10_000)
    parser.add_argument("--doors", type=int, default=200_000)
    parser.add_argument("--peer-timeout", type=float, default=105.0)
    args = parser.parse_args()
    started = time.perf_counter()
    bench("(a) Helsinki sample", helsinki(), args.target, args.peer_timeout)
    bench("(b) Synthetic office", synthetic(args.blocks, args.doors), args.target, args.peer_timeout)
    print(f"\nWhole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
