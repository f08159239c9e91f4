"""Election-day benchmark (issue 18, point 5): a has-voted file of 500,000 ids, and chase walk lists.

    .venv/bin/python bench/gotv_bench.py --database sqlite
    .venv/bin/python bench/gotv_bench.py --database postgresql  [--postgres URL]

One office of 12,000 blocks and 300,000 doors, two voters a door (600,000 people, voter ids V0...), built
with the bulk path (``services.bulk.insert_rows``; the build's time is printed apart). 45% of the people
answered support 4 or 5 (their latest answer, ``LatestSupport``). A region canvass has the chase universe
(supporters who have not voted) and 20 of its 1,200 turfs (10 blocks, 250 doors, 500 people each: a
typical turf) are handed out. Then, as ``flask import-voted`` runs it (one transaction, committed):

- a has-voted file of 500,000 ids (the voters of 250,000 doors, shuffled, plus 100 unknown and 50 blank
  rows) applied: read, matched, marked by bulk UPDATEs, the chase lists of the handed-out turfs rebuilt;
- a chase walk list rebuilt for one turf after it (``services.walklists.walklist``, the phone's fetch:
  only its doors still to chase, with the count dropped because everyone there voted), the median of 5
  after a warm-up; and the Rebuild walk lists button's work for the office (``voted.rebuild_chase``).
Prints Markdown for bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
import shapely  # noqa: E402

SIDE = 120                      # 120 x 120 minus nothing: 14,400 cells, of which BLOCKS are used
BLOCKS, DOORS_PER_BLOCK, PEOPLE_PER_DOOR, BLOCKS_PER_TURF = 12_000, 25, 2, 10
FILE_IDS, UNKNOWN, BLANK = 500_000, 100, 50
SUPPORTERS = 0.45
ASSIGNED = 20
CELL = 0.002


def build(app) -> dict:
    from fieldops.domain.universes import CHASE
    from fieldops.extensions import db
    from fieldops.models import (Assignment, Block, Canvass, Door, LatestSupport, Office, Person, Region, Turf,
                                 Universe, User)
    from fieldops.services.bulk import insert_rows, restoring

    rng = np.random.default_rng(18)
    started = time.perf_counter()
    now = datetime.now(timezone.utc)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            db.session.execute(db.text("PRAGMA synchronous=OFF"))
            db.session.execute(db.text("PRAGMA foreign_keys=OFF"))
        region = Region(name="GOTV region")
        db.session.add(region)
        db.session.flush()
        office = Office(name="Chase office", region_id=region.id, lat=60.2, lon=24.9, time_zone="Europe/Helsinki")
        canvass = Canvass(name="Election day", region_id=region.id, questions=[])
        organizer = User(email="organizer@bench.example", name="Organizer", role="organizer", password_hash="x")
        db.session.add_all([office, canvass, organizer])
        db.session.flush()
        organizer.office_id = office.id
        volunteers = [User(email=f"v{n}@bench.example", name=f"Volunteer {n}", role="volunteer",
                           office_id=office.id, password_hash="x") for n in range(ASSIGNED)]
        db.session.add_all(volunteers)
        db.session.add(Universe(canvass_id=canvass.id, definition=dict(CHASE), updated_at=now))
        db.session.flush()
        turfs = BLOCKS // BLOCKS_PER_TURF
        turf_rows, block_rows, door_rows = [], [], []
        for t in range(turfs):
            turf_rows.append((t + 1, office.id, f"Turf {t + 1:04d}", "open", BLOCKS_PER_TURF * DOORS_PER_BLOCK,
                              None, now))
        for i in range(BLOCKS):
            x, y = 24.9 + (i % SIDE) * CELL, 60.2 + (i // SIDE) * CELL
            box = shapely.box(x, y, x + CELL * 0.9, y + CELL * 0.9)
            block_rows.append((i + 1, office.id, f"B{i:05d}", shapely.to_wkb(box), y + CELL * 0.45, x + CELL * 0.45,
                               x, y, x + CELL * 0.9, y + CELL * 0.9, DOORS_PER_BLOCK, DOORS_PER_BLOCK,
                               i // BLOCKS_PER_TURF + 1))
            for d in range(DOORS_PER_BLOCK):
                door_rows.append((office.id, i + 1, f"B{i:05d}D{d}", "", f"Street {i // SIDE}",
                                  str(2 * (i % SIDE) * DOORS_PER_BLOCK + d + 1), "", "Chaseville", "00100",
                                  y + CELL * 0.45 + rng.uniform(-2e-4, 2e-4),
                                  x + CELL * (d + 1) / (DOORS_PER_BLOCK + 1) * 0.9))
        insert_rows(Turf.__table__, ["id", "office_id", "name", "state", "door_count", "outline", "created_at"],
                    turf_rows)
        insert_rows(Block.__table__, ["id", "office_id", "source_id", "geometry", "centroid_lat", "centroid_lon",
                                      "min_lon", "min_lat", "max_lon", "max_lat", "housing_units", "door_count",
                                      "turf_id"], block_rows)
        insert_rows(Door.__table__, ["office_id", "block_id", "source_id", "name", "street", "house_number", "unit",
                                     "city", "postcode", "lat", "lon"], door_rows)
        doors = len(door_rows)
        people = doors * PEOPLE_PER_DOOR
        with restoring([Person.__table__]):
            insert_rows(Person.__table__, ["id", "door_id", "source_id", "first_name", "status"],
                        ((k + 1, k // PEOPLE_PER_DOOR + 1, f"V{k}", f"Voter {k}", "active") for k in range(people)))
        supporter = rng.random(people) < SUPPORTERS
        support = np.where(supporter, rng.integers(4, 6, people), rng.integers(1, 4, people))
        with restoring([LatestSupport.__table__]):
            insert_rows(LatestSupport.__table__, ["door_id", "person_id", "office_id", "support", "answered_at"],
                        ((k // PEOPLE_PER_DOOR + 1, k + 1, office.id, int(support[k]), now) for k in range(people)))
        chosen = rng.choice(turfs, ASSIGNED, replace=False) + 1
        db.session.add_all([Assignment(turf_id=int(t), canvass_id=canvass.id, volunteer_id=v.id, assigned_at=now)
                            for t, v in zip(chosen, volunteers)])
        db.session.commit()
        if db.engine.dialect.name == "sqlite":
            db.session.execute(db.text("PRAGMA foreign_keys=ON"))
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
        return {"office": office.id, "canvass": canvass.id, "turf": int(chosen[0]), "people": people,
                "doors": doors, "build_seconds": round(time.perf_counter() - started, 1)}


def has_voted_file(folder: Path, people: int) -> Path:
    """500,000 ids: the voters of the first 250,000 doors' worth of people, shuffled, plus unknown and blank rows."""
    rng = np.random.default_rng(5)
    ids = [f"V{k}" for k in rng.permutation(people)[:FILE_IDS]]
    ids += [f"NOPE{k}" for k in range(UNKNOWN)] + [""] * BLANK
    path = folder / "voted.csv"
    path.write_text("voter_id,note\n" + "\n".join(f"{i},x" for i in ids) + "\n", encoding="utf-8")
    return path


def run(database_url: str, label: str) -> None:
    from flask_migrate import upgrade

    from fieldops import create_app, unit_of_work
    from fieldops.extensions import db
    from fieldops.models import Canvass, Office, Turf
    from fieldops.services import voted, walklists

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade()
    ids = build(app)
    with tempfile.TemporaryDirectory() as folder, app.app_context():
        path = has_voted_file(Path(folder), ids["people"])
        turf = db.session.get(Turf, ids["turf"])
        canvass = db.session.get(Canvass, ids["canvass"])
        before = walklists.walklist(turf, canvass)
        db.session.rollback()
        started = time.perf_counter()
        summary = unit_of_work.run(voted.import_voted, path, "Chase office")
        import_seconds = time.perf_counter() - started
        turf = db.session.get(Turf, ids["turf"])
        canvass = db.session.get(Canvass, ids["canvass"])
        office = db.session.get(Office, ids["office"])
        times = []
        walk = walklists.walklist(turf, canvass)
        for _ in range(5):
            t0 = time.perf_counter()
            walk = walklists.walklist(turf, canvass)
            times.append((time.perf_counter() - t0) * 1000)
        walk_ms = statistics.median(times)
        t0 = time.perf_counter()
        rebuilt = voted.rebuild_chase(canvass, office, None)
        rebuild_ms = (time.perf_counter() - t0) * 1000
        db.session.rollback()
    print(f"## {label}: has-voted file and chase walk lists (bench/gotv_bench.py)\n")
    print(f"Built with bulk inserts in {ids['build_seconds']} s: {ids['doors']:,} doors, {ids['people']:,} people, "
          f"{BLOCKS:,} blocks, {BLOCKS // BLOCKS_PER_TURF:,} turfs ({ASSIGNED} handed out).\n")
    print("| figure | value | target |\n|---|---|---|")
    print(f"| has-voted file of {FILE_IDS:,} ids (+{UNKNOWN} unknown, {BLANK} blank) applied, committed | "
          f"**{import_seconds:.1f} s** | < 30 s |")
    print(f"| of which: {', '.join(f'{k} {v:.1f} s' for k, v in summary.seconds.items())} | | |")
    print(f"| people marked / rejects | {summary.marked:,} / {summary.rejects} | every reject named |")
    print(f"| chase walk list of a turf rebuilt (median of 5) | **{walk_ms:.0f} ms** | < 200 ms |")
    print(f"| that turf: doors before / after, dropped | {len(before['doors'])} / {len(walk['doors'])}, "
          f"{walk['dropped']} | |")
    print(f"| Rebuild walk lists for the office ({rebuilt['totals']['assigned_turfs']} handed-out turfs + office totals)"
          f" | {rebuild_ms:.0f} ms | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--postgres", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/fieldops_gotv_bench"))
    args = parser.parse_args()
    if args.database == "postgresql":
        from import_bench import _ensure_postgres_database
        _ensure_postgres_database(args.postgres)
        run(args.postgres, "PostgreSQL")
    else:
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{Path(folder) / 'gotv.db'}", "SQLite")


if __name__ == "__main__":
    main()
