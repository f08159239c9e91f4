"""What one phone's sync batch costs the server: 10 contacts, as a request and as the service alone.

    .venv/bin/python bench/sync_cost.py --database sqlite
    .venv/bin/python bench/sync_cost.py --database postgresql
    .venv/bin/python bench/sync_cost.py --database postgresql --show   # the SQL of one request, then the figures

One office (in Helsinki, on the Europe/Helsinki clock where offices have one), one turf of 4,000
doors handed to one volunteer, and batches of 10 new contacts each at the next 10 doors (so a door
gets about five knocks over the run, as in the field: a door's summaries are recomputed from its own
contacts, and the same 10 doors knocked 2,000 times each would measure that growth instead), two ways:

- **request**: ``POST /api/v1/contacts`` with the volunteer's bearer token, through Flask's test
  client in this process, as a phone sends it: sign-in by token, the unit of work, the JSON answer.
- **service**: ``services.sync.sync_contacts`` called directly and committed as a request's unit of
  work commits it (what earlier entries of bench/RESULTS.md measured).

The app is configured as production configures it (``config.from_environment``: the engine
options, the pool). Per batch it counts, with SQLAlchemy events, the SQL statements sent, the
transactions begun and committed and the connection pings of the pool (``pool_pre_ping``); and it
times the CPU of this process per batch (the database server's own work is not counted), the wall
time, and the contacts a second one process syncs one batch after another (10 / wall time),
medians of 5 rounds of 200 batches after a warm-up. The same script runs against any version of
the code (copy it into that version's ``bench/`` and run it there), which is how a change to the
sync path is shown before and after. Prints Markdown for bench/RESULTS.md.
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

BATCHES, ROUNDS, PER_BATCH, DOORS = 200, 5, 10, 4000


class Counter:
    """Statements, BEGINs, COMMITs and pool pings on one engine, from SQLAlchemy's events."""

    def __init__(self, engine):
        from sqlalchemy import event
        self.statements, self.begins, self.commits, self.pings, self.checkouts = 0, 0, 0, 0, 0
        self.sql: list[str] | None = None
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "begin", lambda _c: self._add("begins"))
        event.listen(engine, "commit", lambda _c: self._add("commits"))
        event.listen(engine.pool, "checkout", lambda *_: self._add("checkouts"))
        ping = engine.dialect.do_ping

        def counted_ping(dbapi_connection):
            self.pings += 1
            return ping(dbapi_connection)
        engine.dialect.do_ping = counted_ping

    def _add(self, name: str) -> None:
        setattr(self, name, getattr(self, name) + 1)

    def _statement(self, _conn, _cursor, statement, _params, _context, executemany):
        self.statements += 1
        if self.sql is not None:
            self.sql.append(" ".join(statement.split())[:160] + (" (executemany)" if executemany else ""))

    def snapshot(self) -> tuple[int, int, int, int, int]:
        return self.statements, self.begins, self.commits, self.pings, self.checkouts


def measure(database_url: str, label: str, show: bool, pre_ping: bool | None = None) -> dict:
    from fieldops import create_app, unit_of_work
    from fieldops.extensions import db
    from fieldops.models import Block, Door, Office, Region, User
    from fieldops.services import canvassing, sync, turfs, users

    overrides = {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"}
    if pre_ping is not None:  # DATABASE_PRE_PING (a version of the code without the setting ignores it)
        overrides["DATABASE_PRE_PING"] = pre_ping
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": pre_ping}
    app = create_app(overrides)
    figures = {}
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
        token = unit_of_work.run(users.create_token, volunteer.email, name="bench")
        door_ids = [d.id for d in db.session.scalars(db.select(Door).order_by(Door.id))]
        canvass_id, user_id = canvass.id, volunteer.id
        clock = [datetime.now(timezone.utc) - timedelta(days=300)]
        next_door = [0]
        counter = Counter(db.engine)
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}

        def contacts():
            made = []
            for _ in range(PER_BATCH):
                clock[0] += timedelta(minutes=3)  # an honest walking pace: nothing is flagged
                next_door[0] = (next_door[0] + 1) % DOORS
                made.append({"id": str(uuid.uuid4()), "door_id": door_ids[next_door[0]],
                             "canvass_id": canvass_id, "outcome": "not_home", "answers": {},
                             "recorded_at": clock[0].isoformat()})
            return made

        def by_service():
            user = db.session.get(User, user_id)
            results = unit_of_work.run(sync.sync_contacts, user, {"contacts": contacts()})
            assert all(r["status"] == "created" for r in results), results

        def by_request():
            response = client.post("/api/v1/contacts", json={"contacts": contacts()}, headers=headers)
            assert response.status_code == 200, response.get_data(as_text=True)
            assert all(r["status"] == "created" for r in response.get_json()["results"])

        db.session.remove()  # the request path holds no session between requests; start both alike
        for way, batch in (("request", by_request), ("service", by_service)):
            for _ in range(50):
                batch()
            if show and way == "request":
                counter.sql = []
                batch()
                print(f"\nSQL of one request ({label}):")
                for line in counter.sql:
                    print("   ", line)
                counter.sql = None
            before = counter.snapshot()
            cpu, wall = [], []
            for _ in range(ROUNDS):
                started_cpu, started = time.process_time(), time.perf_counter()
                for _ in range(BATCHES):
                    batch()
                cpu.append((time.process_time() - started_cpu) / BATCHES * 1000)
                wall.append((time.perf_counter() - started) / BATCHES * 1000)
            after = counter.snapshot()
            per = [(b - a) / (ROUNDS * BATCHES) for a, b in zip(before, after)]
            figures[way] = {"statements": per[0], "begins": per[1], "commits": per[2], "pings": per[3],
                            "checkouts": per[4], "cpu": statistics.median(cpu), "wall": statistics.median(wall)}
            if way == "service":
                db.session.remove()
        db.session.rollback()
        db.drop_all()
    print(f"\n### One sync batch of {PER_BATCH} contacts ({label}, {datetime.now().date()}, {ROOT.name})\n")
    print("| way | SQL statements | BEGIN | COMMIT | pool pings | ms CPU | ms wall | contacts/s, one process |")
    print("|---|---|---|---|---|---|---|---|")
    for way, f in figures.items():
        print(f"| {way} | {f['statements']:.1f} | {f['begins']:.1f} | {f['commits']:.1f} | {f['pings']:.1f} | "
              f"{f['cpu']:.2f} | {f['wall']:.2f} | {PER_BATCH / f['wall'] * 1000:,.0f} |")
    print(f"\n(medians of {ROUNDS} x {BATCHES} batches; counts are per batch, with the pool's checkouts: "
          + ", ".join(f"{way} {f['checkouts']:.1f}" for way, f in figures.items()) + ")")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--show", action="store_true", help="print the SQL of one request first")
    parser.add_argument("--pre-ping", choices=["on", "off"], help="ping on every checkout, or not, whatever the "
                                                                 "configuration says (DATABASE_PRE_PING)")
    parser.add_argument("--postgres", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/fieldops_sync_bench"))
    args = parser.parse_args()
    ping = None if args.pre_ping is None else args.pre_ping == "on"
    if args.database == "postgresql":
        sys.path.insert(0, str(ROOT / "bench"))
        from import_bench import _ensure_postgres_database
        _ensure_postgres_database(args.postgres)
        measure(args.postgres, "PostgreSQL", args.show, ping)
    else:
        with tempfile.TemporaryDirectory() as folder:
            measure(f"sqlite:///{Path(folder) / 'sync.db'}", "SQLite", args.show, ping)


if __name__ == "__main__":
    main()
