"""What one sync read costs in CPU: built anew and run through the ORM session, or prebuilt and run as Core.

    .venv/bin/python bench/statement_cost.py --database sqlite
    .venv/bin/python bench/statement_cost.py --database postgresql

The read is the sync's first look at a batch's doors (``services/sync.py``):
15 doors with their turfs. Each way runs 2,000 times after a warm-up; the
figure is CPU time per call in this process (the database's own work is not
counted), the median of 5 rounds. Prints Markdown for bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CALLS, ROUNDS, DOORS = 2000, 5, 15


def cpu_per_call(function) -> float:
    for _ in range(100):
        function()
    rounds = []
    for _ in range(ROUNDS):
        started = time.process_time()
        for _ in range(CALLS):
            function()
        rounds.append((time.process_time() - started) / CALLS * 1000)
    return statistics.median(rounds)


def measure(database_url: str, label: str) -> None:
    from sqlalchemy import bindparam, select

    from fieldops import create_app
    from fieldops.extensions import db
    from fieldops.models import Block, Door, Office, Region
    from fieldops.services.prepared import run

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        region = Region(name="R")
        db.session.add(region)
        db.session.flush()
        office = Office(name="O", region_id=region.id)
        db.session.add(office)
        db.session.flush()
        blocks = [Block(office_id=office.id, source_id=f"b{i}", geometry=shapely.box(i, 0, i + 1, 1), centroid_lat=0, centroid_lon=0,
                        min_lon=0, min_lat=0, max_lon=0, max_lat=0) for i in range(20)]
        db.session.add_all(blocks)
        db.session.flush()
        db.session.add_all([Door(office_id=office.id, block_id=blocks[i % 20].id, source_id=f"d{i}",
                                 street="Main St", house_number=str(i), lat=60.0, lon=25.0) for i in range(200)])
        db.session.commit()
        ids = list(range(50, 50 + DOORS))

        def orm_built_each_time():
            return db.session.execute(
                select(Door.id, Door.office_id, Door.lat, Door.lon, Block.turf_id).join(Block, Block.id == Door.block_id)
                .where(Door.id.in_(ids)).order_by(Door.id)).all()

        door, block = Door.__table__, Block.__table__
        prebuilt = (select(door.c.id, door.c.office_id, door.c.lat, door.c.lon, block.c.turf_id)
                    .join(block, block.c.id == door.c.block_id)
                    .where(door.c.id.in_(bindparam("ids", expanding=True))).order_by(door.c.id))

        def core_prebuilt():
            return run(prebuilt, {"ids": ids}).all()

        assert orm_built_each_time() == core_prebuilt()
        orm, core = cpu_per_call(orm_built_each_time), cpu_per_call(core_prebuilt)
        # The reads left the session's transaction open; on PostgreSQL DROP would wait on it for ever.
        db.session.rollback()
        db.drop_all()
    print(f"\n### One sync read, CPU per call ({label}, {datetime.now().date()})\n")
    print("| way | ms of CPU per call |\n|---|---|")
    print(f"| built each time, run through the ORM session | {orm:.3f} |")
    print(f"| prebuilt, run as Core (`services/prepared.py`) | {core:.3f} |")
    print(f"| ratio | {orm / core:.1f}x |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--postgres", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/fieldops_statement_bench"))
    args = parser.parse_args()
    if args.database == "postgresql":
        sys.path.insert(0, str(ROOT / "bench"))
        from import_bench import _ensure_postgres_database
        _ensure_postgres_database(args.postgres)
        measure(args.postgres, "PostgreSQL")
    else:
        with tempfile.TemporaryDirectory() as folder:
            measure(f"sqlite:///{Path(folder) / 'statements.db'}", "SQLite")


if __name__ == "__main__":
    main()
