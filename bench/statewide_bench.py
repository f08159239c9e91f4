"""Statewide office (issue 18): one office of 250,000 blocks, timed as a new user meets it, through HTTP.

    .venv/bin/python bench/statewide_bench.py --database sqlite [--reuse FILE.db]
    .venv/bin/python bench/statewide_bench.py --database postgresql [--keep] [--postgres URL]

Builds one region with the statewide office (250,000 jittered grid blocks, 2 doors a block = 500,000 doors,
1,250 turfs of 100 blocks over two thirds of the territory, 50,000 contacts in one canvass) and a small
second office, through the bulk path. Then, signed in as the region's lead (an admin for the turf
workspace), it times with the Flask test client (each request once cold, then the median of 3):

- the office dashboard page (``/offices/<id>/dashboard``),
- the region comparison page (``/regions/<id>/compare``),
- the turf workspace page (``/offices/<id>/turfs``),
- the coverage map's data: where the page embeds it, that is the page; with viewport maps, the JSON the
  map asks for at its first view (the whole office, coarse) and at street zoom (fine),

with each response's size. ``--timeout`` stops waiting for one request (in a thread) after that many
seconds and prints "> N s". Building 250,000 blocks takes longer than two minutes on the shared
machine: ``--reuse FILE`` (SQLite) and ``--keep`` (PostgreSQL) build once and reuse the load.
Prints Markdown for bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import shapely  # noqa: E402

from synthetic import ORIGIN, SPACING_DEG, grid_side, jittered_blocks  # noqa: E402

BLOCKS, DOORS_PER_BLOCK, CONTACTS, BLOCKS_PER_TURF = 250_000, 2, 50_000, 100
TURFED_SHARE = 2 / 3
PASSWORD = "bench password"


def build(app, seed: int = 18) -> dict:
    from werkzeug.security import generate_password_hash

    from fieldops.extensions import db
    from fieldops.models import Block, Canvass, Contact, Door, Office, Region, Turf, User
    from fieldops.services import summaries
    from fieldops.services.bulk import insert_rows, restoring

    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            db.session.execute(db.text("PRAGMA synchronous=OFF"))
            db.session.execute(db.text("PRAGMA foreign_keys=OFF"))
        region = Region(name="Statewide region")
        db.session.add(region)
        db.session.flush()
        state, small = Office(name="Statewide", region_id=region.id), Office(name="Small town", region_id=region.id)
        db.session.add_all([state, small])
        canvass = Canvass(name="Statewide canvass", region_id=region.id, questions=[])
        db.session.add(canvass)
        hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        lead = User(email="lead@bench.example", name="Lead", role="lead", region_id=region.id, password_hash=hashed)
        admin = User(email="admin@bench.example", name="Admin", role="admin", password_hash=hashed)
        db.session.add_all([lead, admin])
        db.session.flush()
        volunteers = [User(email=f"v{n}@bench.example", name=f"Volunteer {n}", role="volunteer", office_id=state.id,
                           password_hash="x") for n in range(50)]
        db.session.add_all(volunteers)
        db.session.flush()
        side = grid_side(BLOCKS)
        block_rows, turf_rows, door_rows = [], [], []
        block_id, turf_id = 0, 0
        for office, count in ((state, BLOCKS), (small, 400)):
            polygons = jittered_blocks(count, rng)
            if office is small:
                polygons = shapely.transform(polygons, lambda xy: xy + [side * SPACING_DEG * 1.1, 0])
            centres, bounds = shapely.centroid(polygons), shapely.bounds(polygons)
            cx, cy = shapely.get_x(centres), shapely.get_y(centres)
            rows, cols = np.divmod(np.arange(count), grid_side(count))
            # Turfs of 10 x 10 blocks over the first two thirds of the rows; the rest is free.
            turfed = rows < grid_side(count) * TURFED_SHARE
            key = (rows // 10) * (grid_side(count) // 10 + 1) + cols // 10
            turf_of = np.zeros(count, dtype=np.int64)
            for k in np.unique(key[turfed]):
                turf_id += 1
                members = np.flatnonzero(turfed & (key == k))
                turf_of[members] = turf_id
                outline = shapely.union_all(shapely.buffer(polygons[members], 1e-5))
                turf_rows.append((turf_id, office.id, f"{office.name} {turf_id:05d}", "open",
                                  DOORS_PER_BLOCK * len(members), shapely.to_wkb(outline), datetime.now(timezone.utc)))
            wkb = shapely.to_wkb(polygons)
            for i in range(count):
                block_id += 1
                block_rows.append((block_id, office.id, f"{office.id}B{i:06d}", wkb[i], wkb[i], cy[i], cx[i],
                                   *bounds[i], DOORS_PER_BLOCK, DOORS_PER_BLOCK, int(turf_of[i]) or None))
                for d in range(DOORS_PER_BLOCK):
                    door_rows.append((office.id, block_id, f"{office.id}B{i:06d}D{d}", "", f"Street {rows[i]}",
                                      str(2 * cols[i] + d), "", "Statewide", "00100",
                                      cy[i] + (d - 0.5) * 2e-4, cx[i] + (d - 0.5) * 2e-4))
        insert_rows(Turf.__table__, ["id", "office_id", "name", "state", "door_count", "outline", "created_at"],
                    turf_rows)
        with restoring([Block.__table__, Door.__table__]):
            insert_rows(Block.__table__, ["id", "office_id", "source_id", "geometry", "display_outline",
                                          "centroid_lat", "centroid_lon", "min_lon", "min_lat", "max_lon", "max_lat",
                                          "housing_units", "door_count", "turf_id"], block_rows)
            insert_rows(Door.__table__, ["office_id", "block_id", "source_id", "name", "street", "house_number",
                                         "unit", "city", "postcode", "lat", "lon"], door_rows)
        territory = time.perf_counter() - started
        state_doors = BLOCKS * DOORS_PER_BLOCK
        pick = rng.integers(0, state_doors, CONTACTS)  # door ids 1..state_doors are the statewide office's
        reached = rng.random(CONTACTS) < 0.35
        outcomes = np.where(reached, "talked", rng.choice(["not_home", "come_back", "refused"], CONTACTS))
        start = datetime(2026, 11, 1, tzinfo=timezone.utc)
        seconds = rng.integers(0, 30 * 86400, CONTACTS)
        turf_of_block = {row[0]: row[-1] for row in block_rows}
        contact_rows = (
            (f"00000000-0000-4000-8000-{k:012x}", state.id, int(pick[k]) + 1, volunteers[k % 50].id,
             turf_of_block[int(pick[k]) // DOORS_PER_BLOCK + 1], canvass.id, str(outcomes[k]), "{}", "",
             start + timedelta(seconds=int(seconds[k])), start + timedelta(seconds=int(seconds[k])))
            for k in range(CONTACTS))
        with restoring([Contact.__table__]):
            insert_rows(Contact.__table__, ["id", "office_id", "door_id", "volunteer_id", "turf_id", "canvass_id",
                                            "outcome", "answers", "note", "recorded_at", "received_at"], contact_rows)
        summaries.rebuild_all()
        db.session.commit()
        if db.engine.dialect.name == "sqlite":
            db.session.execute(db.text("PRAGMA foreign_keys=ON"))
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
        print(f"built in {time.perf_counter() - started:.0f} s (territory {territory:.0f} s)", file=sys.stderr)
        return {"region": region.id, "office": state.id, "canvass": canvass.id}


def request(client, url: str, timeout: float):
    """(seconds, bytes) of one GET, or (None, None) when it takes longer than ``timeout``."""
    answer = {}

    def go():
        started = time.perf_counter()
        response = client.get(url)
        answer["seconds"] = time.perf_counter() - started
        answer["status"] = response.status_code
        answer["bytes"] = len(response.get_data())

    thread = threading.Thread(target=go, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        return None, None
    assert answer["status"] == 200, f"{url} answered {answer['status']}"
    return answer["seconds"], answer["bytes"]


def timed(app, email: str, url: str, timeout: float) -> tuple[str, str]:
    """The first request (cold, as a new user meets it) and the median of 3 more, and the size."""
    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD})
    first, size = request(client, url, timeout)
    if first is None:
        return f"> {timeout:.0f} s (stopped waiting)", "—"
    runs = [request(client, url, timeout)[0] for _ in range(3)] if first < 30 else []
    median = statistics.median(runs) if runs and None not in runs else None
    shown = f"{first * 1000:,.0f} ms" + (f" (then {median * 1000:,.0f} ms)" if median is not None else "")
    return shown, f"{size / 1e6:.2f} MB" if size >= 100_000 else f"{size / 1e3:.1f} kB"


def run(database_url: str, label: str, reuse: bool, timeout: float) -> None:
    from flask_migrate import upgrade

    from fieldops import create_app
    from fieldops.extensions import db
    from fieldops.models import Block, Canvass, Office, Region

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    with app.app_context():
        loaded = reuse and db.inspect(db.engine).has_table("block") and \
            db.session.scalar(db.select(db.func.count(Block.id))) >= BLOCKS
        if not loaded:
            db.drop_all()
            db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
            upgrade()
    if loaded:
        with app.app_context():
            ids = {"region": db.session.scalar(db.select(Region.id)),
                   "office": db.session.scalar(db.select(Office.id).where(Office.name == "Statewide")),
                   "canvass": db.session.scalar(db.select(Canvass.id))}
        print("reusing the loaded database", file=sys.stderr)
    else:
        ids = build(app)
    office, region, canvass = ids["office"], ids["region"], ids["canvass"]
    rows = [("office dashboard", "lead@bench.example", f"/offices/{office}/dashboard?canvass_id={canvass}"),
            ("region comparison", "lead@bench.example", f"/regions/{region}/compare?canvass_id={canvass}"),
            ("turf workspace page", "admin@bench.example", f"/offices/{office}/turfs")]
    viewport = "fieldops.web.maps" in sys.modules or (ROOT / "fieldops" / "web" / "maps.py").exists()
    if viewport:
        with app.app_context():
            box = db.session.execute(db.select(db.func.min(Block.min_lon), db.func.min(Block.min_lat),
                                               db.func.max(Block.max_lon), db.func.max(Block.max_lat))
                                     .where(Block.office_id == office)).one()
        whole = ",".join(f"{v:.5f}" for v in box)
        street = f"{ORIGIN[0] + 0.100:.5f},{ORIGIN[1] + 0.200:.5f},{ORIGIN[0] + 0.104:.5f},{ORIGIN[1] + 0.202:.5f}"
        for layer in ("coverage", "turfs"):
            rows.append((f"{layer} map data, whole office (zoom 10)", "admin@bench.example",
                         f"/offices/{office}/map/{layer}?bbox={whole}&zoom=10&canvass_id={canvass}"))
            rows.append((f"{layer} map data, street zoom (17)", "admin@bench.example",
                         f"/offices/{office}/map/{layer}?bbox={street}&zoom=17&canvass_id={canvass}"))
    print(f"\n### Statewide office on {label} (2026-12-03; {BLOCKS:,} blocks, {BLOCKS * DOORS_PER_BLOCK:,} doors, "
          f"{CONTACTS:,} contacts; first request cold, then the median of 3)\n")
    print("| request | time | size | target |\n|---|---|---|---|")
    for name, email, url in rows:
        shown, size = timed(app, email, url, timeout)
        target = "< 1 s" if name in ("office dashboard", "region comparison") else "< 3 s usable"
        print(f"| {name} | {shown} | {size} | {target} |", flush=True)
    if not viewport:
        print("| coverage map data | embedded in the office dashboard page | | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--reuse", metavar="SQLITE_FILE", help="keep the SQLite database in this file, reuse it")
    parser.add_argument("--keep", action="store_true", help="PostgreSQL: reuse the database when already loaded")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--postgres", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/fieldops_s_statewide"))
    args = parser.parse_args()
    if args.database == "postgresql":
        from import_bench import _ensure_postgres_database
        _ensure_postgres_database(args.postgres)
        run(args.postgres, "PostgreSQL", args.keep, args.timeout)
    elif args.reuse:
        run(f"sqlite:///{Path(args.reuse).resolve()}", "SQLite", True, args.timeout)
    else:
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{Path(folder) / 'statewide.db'}", "SQLite", False, args.timeout)


if __name__ == "__main__":
    main()
