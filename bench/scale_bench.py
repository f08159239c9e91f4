"""How the auto-cut grows: synthetic offices of 1,000 to 100,000 blocks, 20 doors a block on average.

    .venv/bin/python bench/scale_bench.py [--sizes 1000 10000 50000 100000] [--target 60]

For each size, the same generator as ``turf_bench.py`` (irregular jittered
street-grid blocks, gamma-distributed doors, 3% empty), projected as the
product projects (equal-area), then the block graph and the cut, each timed,
and the share of turfs within ±20%. The growth exponent is the slope of
log(time) against log(blocks) between consecutive sizes and over all of
them. Prints Markdown. The largest size takes about a minute.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

from turf_bench import Territory, ours, synthetic  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000, 100_000])
    parser.add_argument("--target", type=int, default=60)
    parser.add_argument("--doors-per-block", type=int, default=20)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    print(f"Load average at the start: {os.getloadavg()[0]:.2f} (2 cores, shared with other work)\n")
    print("| blocks | doors | graph | cut | end to end | turfs | within ±20% | largest deviation | contiguous "
          "| growth since the previous size |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    points = []
    for n in args.sizes:
        blocks = synthetic(n, n * args.doors_per_block)
        territory = Territory(blocks)
        labels, seconds = ours(territory, args.target)
        report = territory.report(labels, args.target, seconds)
        total = territory.graph_seconds + seconds
        growth = ""
        if points:
            (n0, t0) = points[-1]
            growth = f"n^{math.log(total / t0) / math.log(n / n0):.2f}"
        points.append((n, total))
        print(f"| {n:,} | {n * args.doors_per_block:,} | {territory.graph_seconds:.1f} s | {seconds:.1f} s "
              f"| **{total:.1f} s** | {report['turfs']:,} | **{report['within_20pct']:.1%}** "
              f"| {report['largest_deviation']:.0%} | {'yes' if report['contiguous'] else '**no**'} | {growth} |")
    if len(points) > 1:
        slope = np.polyfit(np.log([p[0] for p in points]), np.log([p[1] for p in points]), 1)[0]
        print(f"\nOver all sizes the end-to-end time grows as n^{slope:.2f}. "
              f"Load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
