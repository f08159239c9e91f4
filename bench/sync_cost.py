"""What one phone's sync batch costs the server: 10 contacts through ``services.sync.sync_contacts``.

    .venv/bin/python bench/sync_cost.py --database sqlite
    .venv/bin/python bench/sync_cost.py --database postgresql

One office (in Helsinki, on the Europe/Helsinki clock where offices have one), one turf of 200
doors handed to one volunteer, and batches of 10 new contacts each, committed as a request's unit of
work commits them. The figures are the CPU time of this process per batch (the database server's
own work is not counted) and the wall time per batch, medians of 5 rounds of 200 batches after a
warm-up. The same script runs against any version of the code (run it from that version's folder),
which is how a change to the sync path is shown not to slow it. Prints Markdown for bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BATCHES, ROUNDS, PER_BATCH, DOORS = 200, 5, 10, 200


def measure(database_url: str, label: str) -> None:
    from fieldops import create_app, unit_of_work
    from fieldops.extensions import db
    from fieldops.models import Block, Door, Office, Region, User
    from fieldops.services import canvassing, sync, turfs

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        region = Region(name="R")
        db.session.add(region)
        db.session.flush()
        office = Office(name="O", region_id=region.id, lat=60.17, lon=24.94, settings={})
        if hasattr(Office, "time_zone"):
            office.time_zone = "Europe/Helsinki"
        db.session.add(office)
        db.session.flush()
        blocks = [Block(office_id=office.id, source_id=f"b{i}", geometry=shapely.box(24.9 + i * .001, 60.1,
                                                                                     24.901 + i * .001, 60.101),
                        centroid_lat=60.1005, centroid_lon=24.9005 + i * .001, min_lon=0, min_lat=0, max_lon=0,
                        max_lat=0, door_count=DOORS // 20) for i in range(20)]
        db.session.add_all(blocks)
        db.session.flush()
        db.session.add_all([Door(office_id=office.id, block_id=blocks[i % 20].id, source_id=f"d{i}",
                                 street="Main St", house_number=str(i), lat=60.1005, lon=24.9005 + (i % 20) * .001)
                            for i in range(DOORS)])
        volunteer = User(email="v@bench.example", name="V", role="volunteer", password_hash="x", office_id=office.id)
        db.session.add(volunteer)
        db.session.flush()
        turf = turfs.build_turf(office, [b.id for b in blocks], "T", None)
        canvass = canvassing.build_canvass("C", region.id, None)
        canvassing.assign(turf.id, volunteer, canvass, None)
        db.session.commit()
        door_ids = [d.id for d in db.session.scalars(db.select(Door).order_by(Door.id))]
        clock = [datetime.now(timezone.utc) - timedelta(days=300)]
        user = db.session.get(User, volunteer.id)

        def batch():
            contacts = []
            for _ in range(PER_BATCH):
                clock[0] += timedelta(minutes=3)  # an honest walking pace: nothing is flagged
                contacts.append({"id": str(uuid.uuid4()), "door_id": door_ids[len(contacts) * 7 % DOORS],
                                 "canvass_id": canvass.id, "outcome": "not_home", "answers": {},
                                 "recorded_at": clock[0].isoformat()})
            results = unit_of_work.run(sync.sync_contacts, user, {"contacts": contacts})
            assert all(r["status"] == "created" for r in results), results

        for _ in range(50):
            batch()
        cpu, wall = [], []
        for _ in range(ROUNDS):
            started_cpu, started = time.process_time(), time.perf_counter()
            for _ in range(BATCHES):
                batch()
            cpu.append((time.process_time() - started_cpu) / BATCHES * 1000)
            wall.append((time.perf_counter() - started) / BATCHES * 1000)
        db.session.rollback()
        db.drop_all()
    print(f"\n### One sync batch of {PER_BATCH} contacts ({label}, {datetime.now().date()}, {ROOT.name})\n")
    print("| figure | ms per batch |\n|---|---|")
    print(f"| CPU of this process (median of {ROUNDS} x {BATCHES}) | {statistics.median(cpu):.2f} |")
    print(f"| wall time | {statistics.median(wall):.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--postgres", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/fieldops_sync_bench"))
    args = parser.parse_args()
    if args.database == "postgresql":
        sys.path.insert(0, str(ROOT / "bench"))
        from import_bench import _ensure_postgres_database
        _ensure_postgres_database(args.postgres)
        measure(args.postgres, "PostgreSQL")
    else:
        with tempfile.TemporaryDirectory() as folder:
            measure(f"sqlite:///{Path(folder) / 'sync.db'}", "SQLite")


if __name__ == "__main__":
    main()
