"""Slow geometry (issue 15): page times and sizes with one detailed block, and the drawn-turf preview.

    .venv/bin/python bench/geometry_bench.py [--database URL] [--corners 2000 20000 200000]
    .venv/bin/python bench/geometry_bench.py --tree /path/to/another/checkout --corners 20000   # the same, there

An office of 16 grid blocks plus one toothed round block of N corners (teeth 4 m deep, so a 0.5 m
simplification alone cannot drop them) is imported with ``flask import-blocks``; then, as the admin, the
region comparison, the turf workspace and the office dashboard are fetched (seconds and bytes, the
the first fetch, then the median of 3), and the turf preview is sent a self-crossing drawn polygon of N corners.
The schema is made with ``db.create_all()`` so an older checkout (``--tree``) runs unchanged.
Prints Markdown rows for bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

parser = argparse.ArgumentParser()
parser.add_argument("--database", help="SQLAlchemy URL (default: a temporary SQLite file)")
parser.add_argument("--tree", default=str(Path(__file__).resolve().parent.parent), help="checkout to measure")
parser.add_argument("--corners", type=int, nargs="+", default=[2_000, 20_000, 99_999])
args = parser.parse_args()
sys.path.insert(0, args.tree)

from fieldops import create_app, unit_of_work  # noqa: E402
from fieldops.extensions import db  # noqa: E402
from fieldops.services import imports, territory, users  # noqa: E402

CENTRE = (24.906, 60.102)
PASSWORD = "a bench password that is long"


def toothed_ring(corners: int, radius_m: float = 100.0, tooth_m: float = 4.0) -> list[list[float]]:
    lat_m, lon_m = 111_320.0, 111_320.0 * math.cos(math.radians(CENTRE[1]))
    ring = [[CENTRE[0] + (radius_m - tooth_m * (i % 2)) * math.cos(2 * math.pi * i / corners) / lon_m,
             CENTRE[1] + (radius_m - tooth_m * (i % 2)) * math.sin(2 * math.pi * i / corners) / lat_m]
            for i in range(corners)]
    return [*ring, ring[0]]


def setup(folder: Path) -> None:
    region = territory.get_or_create_region("North")
    office = territory.get_or_create_office("Alpha", region, lat=60.10, lon=24.90)
    import geopandas as gpd
    import shapely
    cells = [shapely.box(24.90 + c * 0.001, 60.10 + r * 0.001, 24.901 + c * 0.001, 60.101 + r * 0.001)
             for r in range(4) for c in range(4)]
    territory.save_blocks(office, gpd.GeoDataFrame({"source_id": [f"a-{i}" for i in range(16)]}, geometry=cells,
                                                   crs="EPSG:4326"))
    users.create_user("admin@bench.example", "admin", PASSWORD)


def import_big(folder: Path, corners: int) -> None:
    path = folder / "big.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"GEOID20": "big-1", "HOUSING20": 40},
        "geometry": {"type": "Polygon", "coordinates": [toothed_ring(corners)]}}]}))
    unit_of_work.run(imports.import_blocks, path, "Alpha")


def timed(client, path: str) -> tuple[float, float, int]:
    """Seconds of the first fetch (the office outline is then computed and kept), the median of 3 more, bytes."""
    started = time.perf_counter()
    client.get(path)
    first = time.perf_counter() - started
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        response = client.get(path)
        runs.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
    return first, statistics.median(runs), len(response.get_data())


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="geometry-bench-"))
    url = args.database or f"sqlite:///{folder / 'bench.db'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
        unit_of_work.run(setup, folder)
        client = app.test_client()
        client.post("/login", data={"email": "admin@bench.example", "password": PASSWORD})
        print(f"tree {args.tree}, {db.engine.dialect.name}")
        print("| block corners | region comparison | turf workspace | office dashboard | preview of a self-crossing drawing of as many corners |")
        print("|---|---|---|---|---|")
        for corners in args.corners:
            import_big(folder, corners)
            cells = []
            for page in ("/regions/1/compare", "/offices/1/turfs", "/offices/1/dashboard"):
                first, seconds, size = timed(client, page)
                cells.append(f"{first:.2f} s then {seconds:.2f} s, {size / 1024:.0f} KB")
            ring = toothed_ring(corners)[:-1]
            random.Random(15).shuffle(ring)
            if not hasattr(__import__("fieldops.services.turfs", fromlist=["turfs"]), "MAX_DRAWN_VERTICES"):
                cells.append("skipped: this tree repairs the drawing first (a 200-corner scribble: 14 s)")
            else:
                started = time.perf_counter()
                response = client.post("/offices/1/turfs/preview", json={"polygon": {
                    "type": "Polygon", "coordinates": [[*ring, ring[0]]]}})
                cells.append(f"{time.perf_counter() - started:.2f} s, {response.status_code}")
            print(f"| {corners:,} | " + " | ".join(cells) + " |", flush=True)
        db.session.remove()
        db.drop_all()


if __name__ == "__main__":
    main()
