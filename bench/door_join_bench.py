"""Door-join benchmark (issue 16): a county voter file where the same street addresses recur in many towns.

    .venv/bin/python bench/door_join_bench.py [--rows 14000] [--towns 30] [--database sqlite|postgresql]

Generates 30 towns 12 to 25 km apart, each with the same ten street names ("Main St", "Oak Ave", ...) so that
"Main St 6" exists in most of them, and a voter file of 14,000 rows (households of 1 to 3 people, a few
metres of geocoding jitter between them) with 10% blank postcodes and 3% blank cities (some rows have
neither: only the distance can keep them apart). Imports blocks and doors on a fresh database and prints
the import time and the cross-town merges: doors holding people of more than one town (must be 0), doors
with a person farther than the bound from the door, and the households kept apart (near misses).
``check(...)`` is the same measure for ``tests/bench/test_door_join_bench.py`` on a smaller file.
"""
from __future__ import annotations

import argparse
import os
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

STREETS = ["Main St", "Oak Ave", "Elm St", "Church St", "Park Ave", "1st St", "2nd St", "Maple Ave",
           "Lake St", "Mill Rd"]
BLOCKS_PER_SIDE = 4          # each town: 4 x 4 blocks of 0.004 degrees (about 320 m by 445 m)
BLOCK_DEG = 0.004


def make_county(n_rows: int, n_towns: int, folder: Path, seed: int = 16) -> tuple[Path, Path]:
    """Write blocks.geojson and voters.csv; the CSV's "true_town" column is the truth the check uses."""
    rng = np.random.default_rng(seed)
    columns = int(np.ceil(np.sqrt(n_towns)))
    towns = []
    for t in range(n_towns):
        lon = -94.0 + (t % columns) * 0.22 + rng.uniform(-0.04, 0.04)   # 0.22° of longitude: about 17 km
        lat = 44.0 + (t // columns) * 0.16 + rng.uniform(-0.03, 0.03)   # 0.16° of latitude: about 18 km
        towns.append((f"Town {t + 1:02d}", f"{55000 + t * 7:05d}", lon, lat))
    polygons, ids = [], []
    for t, (_name, _zip, lon, lat) in enumerate(towns):
        for i in range(BLOCKS_PER_SIDE):
            for j in range(BLOCKS_PER_SIDE):
                polygons.append(shapely.box(lon + i * BLOCK_DEG, lat + j * BLOCK_DEG,
                                            lon + (i + 1) * BLOCK_DEG, lat + (j + 1) * BLOCK_DEG))
                ids.append(f"T{t:02d}-{i}{j}")
    blocks_path = folder / "blocks.geojson"
    gpd.GeoDataFrame({"GEOID20": ids}, geometry=polygons, crs="EPSG:4326").to_file(blocks_path, driver="GeoJSON")

    # Households: each town's street s runs east-west across its blocks; number n sits n * 5 m along it.
    side = BLOCKS_PER_SIDE * BLOCK_DEG
    rows, household = [], 0
    while len(rows) < n_rows:
        t = int(rng.integers(n_towns))
        name, zip_code, lon, lat = towns[t]
        s = int(rng.integers(len(STREETS)))
        number = int(rng.integers(1, 60))
        x = lon + 0.0001 + (number / 60) * (side - 0.0002)
        y = lat + 0.0001 + (s + 0.5) / len(STREETS) * (side - 0.0002)
        for _ in range(int(rng.integers(1, 4))):
            jitter = rng.normal(0, 0.00004, 2)  # a few metres
            rows.append({"voter_id": f"V{len(rows):06d}", "first_name": "Pat", "last_name": f"H{household}",
                         "street": STREETS[s], "house_number": str(number), "city": name, "zip": zip_code,
                         "latitude": round(y + jitter[1], 6), "longitude": round(x + jitter[0], 6),
                         "true_town": name})
        household += 1
    frame = pd.DataFrame(rows[:n_rows])
    blank_zip = rng.random(len(frame)) < 0.10
    frame.loc[blank_zip, "zip"] = ""
    frame.loc[rng.random(len(frame)) < 0.03, "city"] = ""
    csv_path = folder / "voters.csv"
    frame.to_csv(csv_path, index=False)
    return blocks_path, csv_path


def distance_m(lat_a, lon_a, lat_b, lon_b):
    """Haversine metres, the bench's own (it judges the app, so it does not borrow the app's)."""
    lat_a, lon_a, lat_b, lon_b = (np.radians(np.asarray(v, dtype=float)) for v in (lat_a, lon_a, lat_b, lon_b))
    h = np.sin((lat_b - lat_a) / 2) ** 2 + np.cos(lat_a) * np.cos(lat_b) * np.sin((lon_b - lon_a) / 2) ** 2
    return 2 * 6_371_008.8 * np.arcsin(np.sqrt(h))


def check(csv_path: Path, office_name: str, bound_m: float) -> dict:
    """Every door's households: in one town and within ``bound_m`` of the door? (in an app context)."""
    from sqlalchemy import select

    from fieldops.extensions import db
    from fieldops.models import Door, Office, Person

    truth = pd.read_csv(csv_path, dtype=str, keep_default_na=False).set_index("voter_id")
    office_id = db.session.scalar(select(Office.id).where(Office.name == office_name))
    rows = pd.DataFrame(db.session.execute(
        select(Door.id, Door.lat, Door.lon, Person.source_id).join(Person, Person.door_id == Door.id)
        .where(Door.office_id == office_id)).all(), columns=["door", "door_lat", "door_lon", "person"])
    rows["town"] = truth.loc[rows["person"], "true_town"].to_numpy()
    lat = truth.loc[rows["person"], "latitude"].astype(float).to_numpy()
    lon = truth.loc[rows["person"], "longitude"].astype(float).to_numpy()
    rows["distance_m"] = distance_m(rows["door_lat"], rows["door_lon"], lat, lon)
    towns_per_door = rows.groupby("door")["town"].nunique()
    return {"doors": int(rows["door"].nunique()), "people": len(rows),
            "cross_town_doors": int((towns_per_door > 1).sum()),
            "doors_beyond_bound": int(rows.loc[rows["distance_m"] > bound_m, "door"].nunique()),
            "max_distance_m": round(float(rows["distance_m"].max()), 1)}


def run(database_url: str, n_rows: int, n_towns: int, folder: Path) -> dict:
    import flask_migrate

    from fieldops import create_app, unit_of_work
    from fieldops.extensions import db
    from fieldops.services import imports

    blocks_path, csv_path = make_county(n_rows, n_towns, folder)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        flask_migrate.upgrade()
        unit_of_work.run(imports.import_blocks, blocks_path, "County", region_name="State")
        start = time.perf_counter()
        summary = unit_of_work.run(imports.import_doors, csv_path, "County")
        seconds = time.perf_counter() - start
        result = check(csv_path, "County", summary.join_distance_m)
    return {**result, "seconds": round(seconds, 2), "rows": summary.rows, "near_misses": summary.near_misses, "too_far": summary.near_misses_too_far,
            "rejected": sum(summary.rejects.values()), "bound_m": summary.join_distance_m}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=14_000)
    parser.add_argument("--towns", type=int, default=30)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL",
                                                             "postgresql+psycopg://postgres@127.0.0.1:5432/fieldops_bench"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = args.postgres if args.database == "postgresql" else f"sqlite:///{folder / 'bench.db'}"
        if args.database == "postgresql":
            from import_bench import _ensure_postgres_database
            _ensure_postgres_database(url)
        result = run(url, args.rows, args.towns, folder)
    print(f"\n### Door join on {args.database} ({time.strftime('%Y-%m-%d')}, {result['rows']:,} rows, {args.towns} towns "
          f"sharing street names, 10% blank postcodes, 3% blank cities, bound {result['bound_m']:.0f} m)\n")
    print("| import-doors s | doors | people | cross-town merges (target 0) | doors with a household beyond the bound "
          "| farthest household from its door | kept apart (near misses) | of them: same town (or none known), too far |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {result['seconds']} | {result['doors']:,} | {result['people']:,} | {result['cross_town_doors']} | "
          f"{result['doors_beyond_bound']} | {result['max_distance_m']} m | {result['near_misses']:,} | "
          f"{result['too_far']:,} |")


if __name__ == "__main__":
    main()
