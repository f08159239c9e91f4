"""Load and fault benchmark: 200 canvassers' phones syncing to gunicorn (4 workers) for 60 s.

    .venv/bin/python bench/load_bench.py --database postgresql
    .venv/bin/python bench/load_bench.py --database sqlite
    .venv/bin/python bench/load_bench.py --database postgresql --fault kill-master
    .venv/bin/python bench/load_bench.py --database postgresql --fault stop-postgres

Builds a fresh database with one office, a turf of 40 doors per canvasser and
a bearer token each, and an earlier canvass's contacts (six a door), serves the app with gunicorn on 127.0.0.1, and runs one
thread per canvasser. Each sends a batch of 1 to 20 contacts, then waits 1 to
2.5 s (about 1,200 contacts a second offered in all); a fifth of them are flaky phones
that send every batch twice, as a phone does when the answer is lost. A
batch that fails (refused connection, 5xx, timeout) is sent again with
backoff until the server answers for it, so every contact is acknowledged in
the end. Each phone's contacts are stamped by its own clock at a walking
pace (a door every one to four minutes), so 60 s replays hours of walking
and no contact is flagged for pace. Then the database is counted against the acknowledgements: lost
(acknowledged, not stored), duplicated (created twice), and the summaries
against the ledger.

Faults, at 20 s into the run: ``kill-master`` kills the gunicorn master and
its workers with SIGKILL, in the middle of their requests, and starts it again
(killing the master alone is gentler: its workers finish and keep serving); ``stop-postgres`` stops PostgreSQL for 10 s
(requests must fail fast with a 503 and recover). Prints Markdown for
bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
import requests  # noqa: E402
import shapely  # noqa: E402

from synthetic import jittered_blocks  # noqa: E402

BLOCKS_PER_TURF, DOORS_PER_BLOCK = 8, 5
OUTCOMES = ["not_home"] * 5 + ["talked"] * 3 + ["come_back", "refused"]
FAULT_AT = 20.0
PAUSE = (1.0, 2.5)  # seconds between a phone's batches: about 1,200 contacts a second offered by 200 phones
HISTORY_PER_DOOR = 6  # contacts a door already has from an earlier canvass
WALKED_BEFORE = timedelta(hours=20)  # a phone's first contact: 60 s of load replays about 13 hours of walking


def prepare(database_url: str, canvassers: int) -> list[dict]:
    """A fresh schema, one office, a turf and a token per canvasser; returns each phone's setting."""
    from flask_migrate import upgrade

    from fieldops import create_app
    from fieldops.extensions import db
    from fieldops.models import Assignment, Block, Canvass, Door, Office, Region, Turf, User
    from fieldops.services.bulk import insert_rows
    from tests.factories import create_token

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    rng = np.random.default_rng(5)
    with app.app_context():
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade()
        region = Region(name="Load region")
        db.session.add(region)
        db.session.flush()
        office = Office(name="Load office", region_id=region.id)
        canvass = Canvass(name="Load canvass", region_id=region.id, questions=[
            {"key": "support", "label": "Support?", "kind": "scale", "min": 1, "max": 5}])
        db.session.add_all([office, canvass])
        db.session.flush()
        polygons = jittered_blocks(canvassers * BLOCKS_PER_TURF, rng)
        centres = shapely.centroid(polygons)
        bounds = shapely.bounds(polygons)
        turf_rows, block_rows, door_rows = [], [], []
        for t in range(canvassers):
            members = polygons[t * BLOCKS_PER_TURF:(t + 1) * BLOCKS_PER_TURF]
            turf_rows.append((t + 1, office.id, f"Turf {t + 1:03d}", "checked_out", len(members) * DOORS_PER_BLOCK,
                              shapely.to_wkb(shapely.union_all(members)), datetime.now(timezone.utc)))
        for i, polygon in enumerate(polygons):
            block_rows.append((i + 1, office.id, f"B{i}", shapely.to_wkb(polygon), shapely.get_y(centres[i]),
                               shapely.get_x(centres[i]), *bounds[i], DOORS_PER_BLOCK, DOORS_PER_BLOCK,
                               i // BLOCKS_PER_TURF + 1))
            for d in range(DOORS_PER_BLOCK):
                door_rows.append((office.id, i + 1, f"B{i}D{d}", f"Street {i}", str(d + 1), "Benchville",
                                  shapely.get_y(centres[i]), shapely.get_x(centres[i])))
        insert_rows(Turf.__table__, ["id", "office_id", "name", "state", "door_count", "outline", "created_at"],
                    turf_rows)
        insert_rows(Block.__table__, ["id", "office_id", "source_id", "geometry", "centroid_lat", "centroid_lon",
                                      "min_lon", "min_lat", "max_lon", "max_lat", "housing_units", "door_count",
                                      "turf_id"], block_rows)
        insert_rows(Door.__table__, ["office_id", "block_id", "source_id", "street", "house_number", "city",
                                     "lat", "lon"], door_rows)
        if db.engine.dialect.name == "postgresql":  # ids were given, so move the sequences past them
            for table in ("turf", "block"):
                db.session.execute(db.text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))
        db.session.add(User(email="organizer@load.example", name="Organizer", role="organizer",
                            office_id=office.id, password_hash="x"))
        volunteers = [User(email=f"v{n}@load.example", name=f"Volunteer {n}", role="volunteer",
                           office_id=office.id, password_hash="x") for n in range(canvassers)]
        db.session.add_all(volunteers)
        db.session.flush()
        db.session.add_all([Assignment(turf_id=n + 1, canvass_id=canvass.id, volunteer_id=v.id)
                            for n, v in enumerate(volunteers)])
        db.session.commit()
        doors_by_turf: dict[int, list[int]] = {}
        for door_id, turf_id in db.session.execute(db.text(
                "SELECT door.id, block.turf_id FROM door JOIN block ON block.id = door.block_id")):
            doors_by_turf.setdefault(turf_id, []).append(door_id)
        phones = [{"token": create_token(v.email, "load"), "doors": doors_by_turf[n + 1], "canvass": canvass.id}
                  for n, v in enumerate(volunteers)]
        load_history(region.id, office.id, [v.id for v in volunteers], doors_by_turf, rng)
        db.session.commit()
        # Planner statistics for the freshly loaded tables, as autovacuum (or SQLite's optimize) would have.
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("ANALYZE")
        else:
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
    return phones


def load_history(region_id: int, office_id: int, volunteer_ids: list[int], doors_by_turf: dict[int, list[int]],
                 rng: np.random.Generator) -> None:
    """An earlier canvass's contacts, HISTORY_PER_DOOR a door, with its summaries: a campaign mid-season.

    Phones sync into a ledger that already holds contacts. Starting from empty tables would also
    leave PostgreSQL's cached plans (its foreign-key checks among them) planned for empty tables.
    """
    from fieldops.extensions import db
    from fieldops.models import Canvass, Contact
    from fieldops.services import summaries
    from fieldops.services.bulk import insert_rows

    spring = Canvass(name="Spring canvass", region_id=region_id, questions=[])
    db.session.add(spring)
    db.session.flush()
    start = datetime.now(timezone.utc) - timedelta(days=60)
    rows = []
    for n, volunteer_id in enumerate(volunteer_ids):
        for door_id in doors_by_turf[n + 1]:
            for k in range(HISTORY_PER_DOOR):
                at = start + timedelta(days=int(rng.integers(0, 30)), minutes=int(rng.integers(0, 600)))
                rows.append((str(uuid.uuid4()), office_id, door_id, volunteer_id, n + 1, spring.id,
                             str(rng.choice(OUTCOMES)), "{}", "", at, at))
    insert_rows(Contact.__table__, ["id", "office_id", "door_id", "volunteer_id", "turf_id", "canvass_id", "outcome",
                                    "answers", "note", "recorded_at", "received_at"], rows)
    summaries.rebuild_all()


class Server:
    """gunicorn serving wsgi:app on 127.0.0.1, restartable."""

    def __init__(self, database_url: str, workers: int, threads: int):
        self.env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench-secret",
                    "FLASK_APP": "wsgi.py", "PYTHONPATH": str(ROOT)}
        self.workers, self.threads = workers, threads
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, probe: bool = True) -> None:
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-w", str(self.workers), "--threads", str(self.threads),
             "-b", f"127.0.0.1:{self.port}",
             "--timeout", "30", "--graceful-timeout", "5", "--log-level", "warning", "wsgi:app"],
            cwd=ROOT, env=self.env, start_new_session=True)
        if not probe:  # the phones' retries will find it; a probe would queue behind them
            return
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/api/v1/openapi.json", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not come up")

    def kill_master(self) -> None:
        """SIGKILL the master and, as a crashed host would, its workers mid-request."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


class Phone(threading.Thread):
    """One canvasser's phone: batches at its own pace, every batch sent until the server answers for it."""

    def __init__(self, phone: dict, server: Server, until: float, flaky: bool, seed: int, log: "Log"):
        super().__init__(daemon=True)
        self.phone, self.server, self.until, self.flaky, self.log = phone, server, until, flaky, log
        self.rng = random.Random(seed)
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {phone['token']}"
        # The phone's own clock: a canvasser knocks a door every one to four minutes. The run replays
        # hours of walking in one minute (phones syncing what they stored offline), at an honest pace,
        # so the review queue's pace check flags nothing.
        self.clock = datetime.now(timezone.utc) - WALKED_BEFORE + timedelta(seconds=self.rng.uniform(0, 600))

    def batch(self) -> list[dict]:
        batch = []
        for _ in range(self.rng.randint(1, 20)):
            self.clock += timedelta(seconds=self.rng.uniform(60, 240))
            outcome = self.rng.choice(OUTCOMES)
            batch.append({"id": str(uuid.uuid4()), "door_id": self.rng.choice(self.phone["doors"]),
                          "canvass_id": self.phone["canvass"], "outcome": outcome,
                          "answers": {"support": self.rng.randint(1, 5)} if outcome == "talked" else {},
                          "note": "Bench note about the buses" if outcome == "talked" else "",
                          "recorded_at": min(self.clock, datetime.now(timezone.utc)).isoformat()})
        return batch

    def send(self, batch: list[dict]) -> None:
        delay = 0.1
        while True:
            started = time.monotonic()
            try:
                response = self.session.post(f"{self.server.url}/api/v1/contacts", json={"contacts": batch},
                                             timeout=15)
            except requests.RequestException as error:
                self.log.failure(type(error).__name__, time.monotonic() - started)
            else:
                elapsed = time.monotonic() - started
                if response.status_code == 200:
                    self.log.answered(response.json()["results"], elapsed, started)
                    return
                self.log.failure(str(response.status_code), elapsed)
            time.sleep(delay * self.rng.uniform(0.5, 1.5))
            delay = min(delay * 2, 2.0)

    def run(self) -> None:
        time.sleep(self.rng.uniform(0, 2))
        while time.monotonic() < self.until:
            batch = self.batch()
            self.send(batch)
            if self.flaky:  # the answer "was lost": the phone sends the same batch again
                self.send(batch)
            time.sleep(self.rng.uniform(*PAUSE))


class Log:
    """What the phones were told, shared by their threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.created: dict[str, int] = {}
        self.acknowledged: set[str] = set()
        self.latencies: list[float] = []
        self.answered_at: list[tuple[float, int]] = []
        self.failures: dict[str, int] = {}
        self.slowest_failure = 0.0

    def answered(self, results: list[dict], elapsed: float, started: float) -> None:
        with self.lock:
            self.latencies.append(elapsed)
            created = 0
            for result in results:
                if result["status"] in ("created", "duplicate"):
                    self.acknowledged.add(result["id"])
                if result["status"] == "created":
                    self.created[result["id"]] = self.created.get(result["id"], 0) + 1
                    created += 1
            self.answered_at.append((started + elapsed, created))

    def failure(self, kind: str, elapsed: float) -> None:
        with self.lock:
            self.failures[kind] = self.failures.get(kind, 0) + 1
            self.slowest_failure = max(self.slowest_failure, elapsed)


def postgres_cluster() -> tuple[str, str]:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return version, "main"


def run(database_url: str, label: str, canvassers: int, seconds: float, workers: int, threads: int,
        fault: str | None) -> None:
    phones = prepare(database_url, canvassers)
    server = Server(database_url, workers, threads)
    server.start()
    log = Log()
    started = time.monotonic()
    until = started + seconds
    walking = [Phone(p, server, until, flaky=(n % 5 == 0), seed=n, log=log) for n, p in enumerate(phones)]
    for phone in walking:
        phone.start()
    fault_note = ""
    try:
        if fault:
            time.sleep(FAULT_AT)
            if fault == "kill-master":
                down = time.monotonic()
                server.kill_master()
                server.start(probe=False)
                fault_note = f"master and workers killed (SIGKILL) at {FAULT_AT:.0f} s and started again"
            elif fault == "stop-postgres":
                version, cluster = postgres_cluster()
                subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "stop", "-m", "fast"],
                               check=True)
                time.sleep(10)
                subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "start"], check=True)
                fault_note = f"PostgreSQL stopped at {FAULT_AT:.0f} s for 10 s"
        for phone in walking:
            phone.join(timeout=max(0.0, until - time.monotonic()) + 120)
    finally:
        server.stop()
    elapsed = time.monotonic() - started
    if fault:
        outage_end = min((at for at, _ in log.answered_at if at > started + FAULT_AT + 0.5), default=None)
        fault_note += (f"; first answer after the fault {outage_end - started - FAULT_AT:.1f} s after it began"
                       if outage_end else "; no answer after the fault")
    stored, summaries = count_stored(database_url, phones[0]["canvass"])
    lost = log.acknowledged - stored
    unacknowledged = stored - log.acknowledged
    duplicated = sum(n - 1 for n in log.created.values() if n > 1)
    in_window = [n for at, n in log.answered_at if at <= until]
    rate = sum(in_window) / seconds
    latencies = sorted(log.latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else 0
    server_errors = {k: v for k, v in log.failures.items() if k.startswith("5")}
    print(f"\n### Load on {label} ({datetime.now().date()}, {canvassers} canvassers, {seconds:.0f} s, "
          f"gunicorn {workers} workers of {threads} threads{'; ' + fault_note if fault_note else ''}; run took {elapsed:.0f} s)\n")
    print("| figure | value |\n|---|---|")
    print(f"| contacts acknowledged | {len(log.acknowledged):,} |")
    print(f"| contacts created per second, sustained over the {seconds:.0f} s | {rate:,.0f} |")
    print(f"| sync requests answered | {len(latencies):,} |")
    print(f"| sync latency p50 / p95 / max | {statistics.median(latencies) * 1000:.0f} / {p95:.0f} / "
          f"{latencies[-1] * 1000:.0f} ms |")
    print(f"| lost (acknowledged, not stored) | {len(lost)} |")
    print(f"| duplicated (created twice) | {duplicated} |")
    print(f"| stored but never acknowledged | {len(unacknowledged)} |")
    print(f"| failed attempts, retried (by kind) | {log.failures or 'none'} |")
    print(f"| 5xx answers | {sum(server_errors.values())} {server_errors or ''} |")
    print(f"| slowest failed attempt | {log.slowest_failure * 1000:.0f} ms |")
    print(f"| summaries agree with the ledger | {summaries} |")


def count_stored(database_url: str, canvass_id: int) -> tuple[set[str], str]:
    """The run's contacts in the database, and whether every summary agrees with the whole ledger."""
    from sqlalchemy import create_engine, text
    engine = create_engine(database_url)
    with engine.connect() as connection:
        stored = set(connection.scalars(text("SELECT id FROM contact WHERE canvass_id = :c"), {"c": canvass_id}))
        checks = {
            "knocks per door and canvass": connection.scalar(text(
                "SELECT count(*) FROM (SELECT c.door_id, c.canvass_id, count(*) AS n FROM contact c "
                "GROUP BY c.door_id, c.canvass_id) ledger LEFT JOIN door_canvass s ON s.door_id = ledger.door_id "
                "AND s.canvass_id = ledger.canvass_id WHERE s.attempts IS NULL OR s.attempts != ledger.n")),
            "knocks per volunteer": connection.scalar(text(
                "SELECT abs((SELECT count(*) FROM contact) - (SELECT coalesce(sum(knocks), 0) FROM volunteer_day))")),
        }
    engine.dispose()
    wrong = {name: n for name, n in checks.items() if n}
    return stored, "yes" if not wrong else f"NO: {wrong}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--canvassers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker: a request mostly waits on the database, so a worker serves several")
    parser.add_argument("--fault", choices=["kill-master", "stop-postgres"])
    parser.add_argument("--postgres", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/fieldops_load_bench"))
    args = parser.parse_args()
    if args.fault == "stop-postgres" and args.database != "postgresql":
        parser.error("--fault stop-postgres needs --database postgresql")
    if args.database == "postgresql":
        from import_bench import _ensure_postgres_database
        _ensure_postgres_database(args.postgres)
        run(args.postgres, "PostgreSQL", args.canvassers, args.seconds, args.workers, args.threads, args.fault)
    else:
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{Path(folder) / 'load.db'}", "SQLite (WAL, busy timeout)", args.canvassers,
                args.seconds, args.workers, args.threads, args.fault)


if __name__ == "__main__":
    main()
