"""Import benchmark: a synthetic city of 100,000 blocks and 1,000,000 address rows.

    .venv/bin/python bench/import_bench.py --database sqlite      [--blocks 100000] [--rows 1000000]
    .venv/bin/python bench/import_bench.py --database postgresql  [--postgres URL]

Generates a street grid with irregular (jittered) blocks and a voter file
with a few percent bad rows, then, in a fresh child process on the chosen
database: imports the blocks, times ``import-doors`` end to end and per
step, and reads the child's peak memory. In the same run it times the peer,
a plain ``geopandas.sjoin`` of the same points and blocks, against our
spatial-join step. One database per run keeps each run under two minutes.
Prints Markdown for bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402

from synthetic import SPACING_DEG, grid_side, jittered_blocks  # noqa: E402


def make_city(n_blocks: int, n_rows: int, folder: Path, seed: int = 7) -> tuple[Path, Path]:
    """Write blocks.gpkg and voters.csv into ``folder``."""
    rng = np.random.default_rng(seed)
    side = grid_side(n_blocks)
    polygons = jittered_blocks(n_blocks, rng)
    blocks = gpd.GeoDataFrame({"GEOID20": [f"B{i:07d}" for i in range(n_blocks)],
                               "HOUSING20": rng.integers(0, 40, n_blocks)}, geometry=polygons, crs="EPSG:4326")
    blocks_path = folder / "blocks.gpkg"
    blocks.to_file(blocks_path, driver="GPKG")

    # Households: 1 to 3 people each, placed inside a block near its centre.
    block_of_row = rng.integers(0, n_blocks, n_rows)
    centres = shapely.centroid(polygons)
    cx, cy = shapely.get_x(centres)[block_of_row], shapely.get_y(centres)[block_of_row]
    lon = cx + rng.uniform(-0.25, 0.25, n_rows) * SPACING_DEG
    lat = cy + rng.uniform(-0.25, 0.25, n_rows) * SPACING_DEG
    household = np.arange(n_rows) // rng.integers(1, 4)  # runs of 1 to 3 rows share an address
    house_number = (household % 997 + 1).astype(str)
    street = np.char.add("Street ", (block_of_row // side).astype(str))
    # Rows of one household share coordinates and address.
    first_of_household = np.r_[0, np.flatnonzero(np.diff(household)) + 1]
    owner = np.repeat(first_of_household, np.diff(np.r_[first_of_household, n_rows]))
    lat, lon, street, house_number = lat[owner], lon[owner], street[owner], house_number[owner]
    frame = pd.DataFrame({
        "voter_id": np.char.add("V", np.arange(n_rows).astype(str)),
        "first_name": rng.choice(["Aino", "Eero", "Helmi", "Juha", "Maria", "Leo"], n_rows),
        "last_name": rng.choice(["Virtanen", "Korhonen", "Laine", "Nieminen"], n_rows),
        "age": rng.integers(18, 95, n_rows),
        "street": street, "house_number": house_number,
        "unit": np.where(rng.random(n_rows) < 0.2, np.char.add("Apt ", rng.integers(1, 40, n_rows).astype(str)), ""),
        "city": "Synthville", "zip": "00100", "latitude": lat.round(6), "longitude": lon.round(6),
    })
    # A few percent bad rows: no coordinates, swapped, outside the city.
    bad = rng.random(n_rows)
    frame.loc[bad < 0.01, ["latitude", "longitude"]] = np.nan
    swap = (bad >= 0.01) & (bad < 0.02)
    frame.loc[swap, ["latitude", "longitude"]] = frame.loc[swap, ["longitude", "latitude"]].to_numpy()
    frame.loc[(bad >= 0.02) & (bad < 0.03), "latitude"] += 5.0
    csv_path = folder / "voters.csv"
    frame.to_csv(csv_path, index=False)
    return blocks_path, csv_path


def peer_sjoin_seconds(blocks_path: Path, csv_path: Path) -> dict:
    """The peer: a plain geopandas.sjoin of the same rows and blocks, and our spatial-join step."""
    from fieldops.importers.doors import place_rows, read_door_rows
    blocks = gpd.read_file(blocks_path)
    rows = read_door_rows(csv_path).rows
    blocks.sindex  # build the tree outside both timings
    timings = {"peer": [], "ours": []}
    for _ in range(2):
        # Both start from the same parsed rows, so the peer builds its points too.
        start = time.perf_counter()
        points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(rows["lon"], rows["lat"]), crs="EPSG:4326")
        gpd.sjoin(points, blocks[["geometry"]], how="inner", predicate="intersects")
        timings["peer"].append(time.perf_counter() - start)
        start = time.perf_counter()
        place_rows(rows, blocks)
        timings["ours"].append(time.perf_counter() - start)
    return {name: min(values) for name, values in timings.items()}


def run_import(database_url: str, blocks_path: Path, csv_path: Path) -> dict:
    """In this (child) process: fresh schema, import blocks, then time import-doors."""
    import flask_migrate

    from fieldops import create_app, unit_of_work
    from fieldops.extensions import db
    from fieldops.services import imports

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        flask_migrate.upgrade()
        start = time.perf_counter()
        unit_of_work.run(imports.import_blocks, blocks_path, "Bench", region_name="Bench region")
        blocks_seconds = time.perf_counter() - start
        start = time.perf_counter()
        summary = unit_of_work.run(imports.import_doors, csv_path, "Bench")
        doors_seconds = time.perf_counter() - start
    return {"blocks_seconds": round(blocks_seconds, 2), "doors_seconds": round(doors_seconds, 2),
            "steps": summary.seconds, "rows": summary.rows, "doors": summary.doors_created,
            "people": summary.people_created, "rejects": summary.rejects}


def child(database_url: str, blocks_path: Path, csv_path: Path) -> dict:
    """Run one import in a fresh process and read its peak resident memory."""
    process = subprocess.Popen([sys.executable, __file__, "--child", database_url, str(blocks_path), str(csv_path)],
                               stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    output = process.stdout.read()
    if status != 0:
        raise SystemExit(f"import on {database_url} failed")
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_mb"] = round(usage.ru_maxrss / 1024)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], required=False)
    parser.add_argument("--blocks", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL",
                                                             "postgresql+psycopg://postgres@127.0.0.1:5432/fieldops_bench"))
    parser.add_argument("--child", nargs=3, metavar=("URL", "BLOCKS", "CSV"))
    args = parser.parse_args()
    if not args.child and not args.database:
        parser.error("--database sqlite or --database postgresql is required")
    if args.child:
        url, blocks_path, csv_path = args.child
        print(json.dumps(run_import(url, Path(blocks_path), Path(csv_path))))
        return

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        blocks_path, csv_path = make_city(args.blocks, args.rows, folder)
        print(f"generated {args.blocks:,} blocks and {args.rows:,} rows in {time.perf_counter() - start:.1f} s",
              file=sys.stderr)
        join = peer_sjoin_seconds(blocks_path, csv_path)
        if args.database == "postgresql":
            _ensure_postgres_database(args.postgres)
            results = {"postgresql": child(args.postgres, blocks_path, csv_path)}
        else:
            results = {"sqlite": child(f"sqlite:///{folder / 'bench.db'}", blocks_path, csv_path)}
    print(f"\n### Import on {args.database} ({time.strftime('%Y-%m-%d')}, {args.blocks:,} blocks, "
          f"{args.rows:,} rows, {os.cpu_count()} cores, run took {time.perf_counter() - started:.0f} s)\n")
    print(f"Spatial join: ours {join['ours']:.2f} s (placing every row, with the swapped-coordinate check), "
          f"plain geopandas.sjoin {join['peer']:.2f} s: ratio {join['ours'] / join['peer']:.2f}x (target ≤ 1.2x)\n")
    print("| database | blocks import s | import-doors s | target s | peak MB | doors | people | rejects | steps (s) |")
    print("|---|---|---|---|---|---|---|---|---|")
    targets = {"sqlite": 60, "postgresql": 90}
    for name, result in results.items():
        steps = ", ".join(f"{k} {v}" for k, v in result["steps"].items() if k)
        rejects = ", ".join(f"{k} {v}" for k, v in result["rejects"].items())
        print(f"| {name} | {result['blocks_seconds']} | {result['doors_seconds']} | < {targets[name]} | "
              f"{result['peak_mb']} | {result['doors']:,} | {result['people']:,} | {rejects} | {steps} |")


def _ensure_postgres_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    base, name = url.rsplit("/", 1)
    engine = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


if __name__ == "__main__":
    main()
