"""Dashboard benchmark: 10 offices, 100,000 blocks, 500,000 doors, 2,000,000 contacts over 3 canvasses.

    .venv/bin/python bench/dashboard_bench.py --database sqlite
    .venv/bin/python bench/dashboard_bench.py --database postgresql  [--postgres URL]
    .venv/bin/python bench/dashboard_bench.py --database sqlite --targets      # issue 18: 100 offices, 1,000,000
                                                                              # people, universes, goals, pacing

With ``--targets`` the same 100,000 blocks and 2,000,000 contacts are spread over 100 offices, two people
live at every door (1,000,000 people, with birth years, a ward tag and a vote for one in five), a third of
the conversations answer the support question, and every office has a goal: the bench then times a
target universe counted over all 1,000,000 people, the walk list of a turf of a canvass with that
universe, and the region comparison with goals and pacing (against a pandas peer computing the same
pacing from the contacts, in the same run).

Loads the synthetic region through the bulk path, then times, as the pages
call them: the region comparison (``services.coverage.region_coverage``),
one office dashboard (``office_coverage``) and one office map (coverage per
block, the blocks, the doors as clusters, rendered to HTML, whose size is
also reported). In the same run the naive peer computes the same figures by
loading the contacts into pandas and grouping there. Each figure is the
median of 5 runs after one warm-up (the region peer, 10 s a run: one run). One database per run keeps each run
under two minutes. Prints Markdown for bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402

from synthetic import SPACING_DEG, grid_side, jittered_blocks  # noqa: E402

OFFICES, BLOCKS_PER_OFFICE, DOORS_PER_BLOCK, CONTACTS, CANVASSES = 10, 10_000, 5, 2_000_000, 3
BLOCKS_PER_TURF = 40
REACHED_SHARE = 0.35


PEOPLE_PER_DOOR = 0
SUPPORT_SHARE = 1 / 3   # of conversations, with an answer to the support question (--targets)
TODAY = date(2026, 11, 15)  # the bench's "today": inside the contacts' 80 days, so the last 7 days have knocks
GOAL_DATE = date(2026, 12, 20)
UNIVERSE = {"support": [2, 3, "none"], "age_min": 25, "age_max": 64, "voted": False, "tags": {"ward": ["1", "2", "3"]}}


def configure(targets: bool) -> None:
    """Issue 18's shape: the same blocks, doors and contacts over 100 offices, with two people a door."""
    global OFFICES, BLOCKS_PER_OFFICE, PEOPLE_PER_DOOR
    if targets:
        OFFICES, BLOCKS_PER_OFFICE, PEOPLE_PER_DOOR = 100, 1_000, 2


def build(app, seed: int = 3) -> dict:
    """Write the synthetic region straight through the bulk path; returns ids to time against."""
    from fieldops.extensions import db
    from fieldops.models import Block, Canvass, Contact, Door, Office, Region, Turf, User
    from fieldops.services import summaries
    from fieldops.services.bulk import insert_rows, restoring

    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            # A benchmark's load need not survive a power cut; the app's own writes keep SQLite's default.
            db.session.execute(db.text("PRAGMA synchronous=OFF"))
            # As a restore does (sqlite3's .dump starts so): keys checked once at the end, not per row.
            db.session.execute(db.text("PRAGMA foreign_keys=OFF"))
        region = Region(name="Bench region")
        db.session.add(region)
        db.session.flush()
        offices = [Office(name=f"Office {n:02d}", region_id=region.id) for n in range(OFFICES)]
        db.session.add_all(offices)
        canvasses = [Canvass(name=f"Canvass {n}", region_id=region.id, questions=[]) for n in range(CANVASSES)]
        db.session.add_all(canvasses)
        lead = User(email="lead@bench.example", name="Bench lead", role="lead", region_id=region.id,
                    password_hash="x")
        db.session.add(lead)
        db.session.flush()
        volunteers = [User(email=f"v{n}@bench.example", name=f"Volunteer {n}", role="volunteer",
                           office_id=offices[n % OFFICES].id, password_hash="x") for n in range(OFFICES * 20)]
        db.session.add_all(volunteers)
        db.session.flush()
        side = grid_side(BLOCKS_PER_OFFICE)
        block_rows, turf_rows, door_rows = [], [], []
        first_block = 1
        door_office, door_block = [], []
        turf_id = 0
        for n, office in enumerate(offices):
            polygons = jittered_blocks(BLOCKS_PER_OFFICE, rng)
            polygons = shapely.transform(polygons, lambda xy, dx=(n % 5) * side * SPACING_DEG * 1.05,
                                         dy=(n // 5) * side * SPACING_DEG * 1.05: xy + [dx, dy])
            centres = shapely.centroid(polygons)
            bounds = shapely.bounds(polygons)
            turf_of = np.arange(BLOCKS_PER_OFFICE) // BLOCKS_PER_TURF
            for t in range(turf_of.max() + 1):
                turf_id += 1
                members = polygons[turf_of == t]
                turf_rows.append((turf_id, office.id, f"{office.name} {t + 1:03d}", "open", DOORS_PER_BLOCK * len(members),
                                  shapely.to_wkb(shapely.union_all(members)), datetime.now(timezone.utc)))
            base_turf = turf_id - turf_of.max()
            for i in range(BLOCKS_PER_OFFICE):
                block_id = first_block + i
                block_rows.append((block_id, office.id, f"O{n}B{i:05d}", shapely.to_wkb(polygons[i]),
                                   shapely.get_y(centres[i]), shapely.get_x(centres[i]), *bounds[i],
                                   DOORS_PER_BLOCK, DOORS_PER_BLOCK, int(base_turf + turf_of[i])))
                for d in range(DOORS_PER_BLOCK):
                    door_rows.append((office.id, block_id, f"O{n}B{i:05d}D{d}", "", f"Street {i // side}",
                                      str(2 * (i % side) + d), "", "Benchville", "00100",
                                      shapely.get_y(centres[i]) + rng.uniform(-2e-4, 2e-4),
                                      shapely.get_x(centres[i]) + rng.uniform(-2e-4, 2e-4)))
                    door_office.append(office.id)
                    door_block.append(block_id)
            first_block += BLOCKS_PER_OFFICE
        insert_rows(Turf.__table__, ["id", "office_id", "name", "state", "door_count", "outline", "created_at"],
                    turf_rows)
        insert_rows(Block.__table__, ["id", "office_id", "source_id", "geometry", "centroid_lat", "centroid_lon",
                                      "min_lon", "min_lat", "max_lon", "max_lat", "housing_units", "door_count",
                                      "turf_id"], block_rows)
        insert_rows(Door.__table__, ["office_id", "block_id", "source_id", "name", "street", "house_number", "unit",
                                     "city", "postcode", "lat", "lon"], door_rows)
        door_ids = np.arange(1, len(door_rows) + 1)
        door_office, door_block = np.array(door_office), np.array(door_block)
        loaded = time.perf_counter() - started
        pick = rng.integers(0, len(door_ids), CONTACTS)
        canvass_of = rng.integers(0, CANVASSES, CONTACTS)
        reached = rng.random(CONTACTS) < REACHED_SHARE
        outcomes = np.where(reached, "talked", rng.choice(["not_home", "come_back", "refused"], CONTACTS))
        answered = reached & (rng.random(CONTACTS) < SUPPORT_SHARE) if PEOPLE_PER_DOOR else np.zeros(CONTACTS, bool)
        support = rng.integers(1, 6, CONTACTS)
        start = datetime(2026, 9, 1, tzinfo=timezone.utc)
        seconds = rng.integers(0, 80 * 86400, CONTACTS)
        volunteer_ids = np.array([v.id for v in volunteers])
        by_office = {o.id: volunteer_ids[[v.office_id == o.id for v in volunteers]] for o in offices}
        canvass_ids = np.array([c.id for c in canvasses])
        turf_of_block = {row[0]: row[-1] for row in block_rows}
        contact_rows = (
            (f"00000000-0000-4000-8000-{k:012x}", int(door_office[pick[k]]), int(door_ids[pick[k]]),
             int(by_office[int(door_office[pick[k]])][k % 20]), turf_of_block[int(door_block[pick[k]])],
             int(canvass_ids[canvass_of[k]]), str(outcomes[k]),
             f'{{"support": {support[k]}}}' if answered[k] else "{}", "",
             start + timedelta(seconds=int(seconds[k])), start + timedelta(seconds=int(seconds[k])))
            for k in range(CONTACTS))
        with restoring([Contact.__table__]):  # as a restore would: keys and indexes once, after the rows
            insert_rows(Contact.__table__, ["id", "office_id", "door_id", "volunteer_id", "turf_id", "canvass_id",
                                            "outcome", "answers", "note", "recorded_at", "received_at"], contact_rows)
        if PEOPLE_PER_DOOR:
            from fieldops.models import Goal, Person
            people = len(door_rows) * PEOPLE_PER_DOOR
            owner = np.repeat(door_ids, PEOPLE_PER_DOOR)
            born = rng.integers(1940, 2008, people)
            ward = rng.integers(1, 8, people)
            voted = rng.random(people) < 0.2
            voted_at = datetime(2026, 11, 10, tzinfo=timezone.utc)
            with restoring([Person.__table__]):
                insert_rows(Person.__table__, ["door_id", "source_id", "first_name", "birth_year", "status", "tags",
                                           "voted_at"],
                            ((int(owner[k]), f"P{k}", f"Person {k}", int(born[k]), "active",
                              f'{{"ward": "{ward[k]}"}}', voted_at if voted[k] else None) for k in range(people)))
            insert_rows(Goal.__table__, ["canvass_id", "office_id", "doors", "conversations", "due_date", "set_at"],
                        [(c.id, o.id, 3_000 + 20 * n, 1_000 + 10 * n, GOAL_DATE, datetime.now(timezone.utc))
                         for n, o in enumerate(offices) for c in canvasses])
        summarised = time.perf_counter()
        summaries.rebuild_all()
        db.session.commit()
        summary_seconds = time.perf_counter() - summarised
        if db.engine.dialect.name == "sqlite":
            broken = db.session.execute(db.text("PRAGMA foreign_key_check")).all()
            assert not broken, f"{len(broken)} rows break a foreign key"
            db.session.execute(db.text("PRAGMA foreign_keys=ON"))
        # What autovacuum does for a live PostgreSQL database: planner statistics, and the visibility
        # map that lets the coverage counts read the covering index alone. SQLite is left as a default
        # deployment leaves it, without ANALYZE (with its statistics the region query chose a plan
        # four times slower: see bench/RESULTS.md).
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
        return {"region": region.id, "office": offices[0].id, "canvass": canvasses[0].id, "lead": lead.id,
                "load_seconds": round(time.perf_counter() - started, 1), "territory_seconds": round(loaded, 1),
                "summary_seconds": round(summary_seconds, 1)}


def timed(function, runs: int = 5, warm_up: bool = True) -> tuple[float, object]:
    """Median milliseconds of ``runs`` calls (after one warm-up unless told), and the last result."""
    result = function() if warm_up else None
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def pandas_region(engine, region_id: int, canvass_id: int) -> dict:
    """The naive peer: load the region's contacts into pandas and group there, for the same figures:
    attempted and reached per office in the canvass, and doors reached in two or more canvasses."""
    contacts = pd.read_sql(f"SELECT office_id, door_id, canvass_id, outcome FROM contact WHERE office_id IN "
                           f"(SELECT id FROM office WHERE region_id = {region_id})", engine)
    doors = pd.read_sql(f"SELECT office_id, count(*) AS doors FROM door WHERE office_id IN "
                        f"(SELECT id FROM office WHERE region_id = {region_id}) GROUP BY office_id", engine)
    in_canvass = contacts[contacts["canvass_id"] == canvass_id]
    attempted = in_canvass.groupby("office_id")["door_id"].nunique()
    reached = in_canvass[in_canvass["outcome"] == "talked"].groupby("office_id")["door_id"].nunique()
    talked = contacts[contacts["outcome"] == "talked"]
    canvasses = talked.groupby(["office_id", "door_id"])["canvass_id"].nunique()
    repeat = (canvasses >= 2).groupby(level="office_id").sum()
    table = doors.set_index("office_id").assign(attempted=attempted, reached=reached, repeat=repeat).fillna(0)
    return table.to_dict("index")


def pandas_office(engine, office_id: int, canvass_id: int) -> dict:
    contacts = pd.read_sql(f"SELECT c.door_id, c.outcome, c.volunteer_id, c.recorded_at, b.turf_id FROM contact c "
                           f"JOIN door d ON d.id = c.door_id JOIN block b ON b.id = d.block_id "
                           f"WHERE c.office_id = {office_id} AND c.canvass_id = {canvass_id}", engine)
    talked = contacts["outcome"] == "talked"
    contacts = contacts.assign(talked=talked, day=pd.to_datetime(contacts["recorded_at"], utc=True,
                                                                 format="mixed").dt.date)
    reached = contacts[talked]
    return {"attempted": contacts["door_id"].nunique(), "reached": reached["door_id"].nunique(),
            "turfs": pd.DataFrame({"attempted": contacts.groupby("turf_id")["door_id"].nunique(),
                                   "reached": reached.groupby("turf_id")["door_id"].nunique()}).fillna(0),
            "volunteers": contacts.groupby("volunteer_id").agg(knocks=("door_id", "size"),
                                                               conversations=("talked", "sum")),
            "days": contacts.groupby("day").agg(knocks=("door_id", "size"), conversations=("talked", "sum"))}


def pandas_pacing(engine, region_id: int, canvass_id: int, today: date) -> dict:
    """The naive peer of the goals' pacing: each office's doors first knocked in the canvass (all, and since
    the first of the last 7 days) and its conversations (all, and in those days), from the contacts."""
    contacts = pd.read_sql(f"SELECT office_id, door_id, outcome, volunteer_id, recorded_at FROM contact WHERE "
                           f"canvass_id = {canvass_id} AND office_id IN (SELECT id FROM office WHERE region_id = "
                           f"{region_id})", engine)
    contacts["day"] = pd.to_datetime(contacts["recorded_at"], utc=True, format="mixed").dt.date
    week = today - timedelta(days=6)
    first = contacts.groupby(["office_id", "door_id"])["day"].min().reset_index()
    talks = contacts[(contacts["outcome"] == "talked") & contacts["volunteer_id"].notna()]
    table = pd.DataFrame({"doors": first.groupby("office_id").size(),
                          "doors_7d": first[first["day"] >= week].groupby("office_id").size(),
                          "talks": talks.groupby("office_id").size(),
                          "talks_7d": talks[talks["day"] >= week].groupby("office_id").size()}).fillna(0)
    return {int(k): tuple(int(x) for x in v) for k, v in table.iterrows()}


def targets_figures(ids: dict) -> dict:
    """Issue 18: a universe over every person counted, a targeted turf's walk list, and the region
    comparison with goals and pacing (against the pandas peer of the pacing), in the same run."""
    from fieldops import unit_of_work
    from fieldops.domain.universes import parse_definition
    from fieldops.extensions import db
    from fieldops.models import Canvass, Person, Region, Turf
    from fieldops.services import coverage, universes, walklists

    region = db.session.get(Region, ids["region"])
    canvasses = list(db.session.scalars(db.select(Canvass).order_by(Canvass.id)))
    targeted, paced = canvasses[0], canvasses[1]
    unit_of_work.run(universes.save, targeted, UNIVERSE, None)
    spec = parse_definition(UNIVERSE)
    people = db.session.scalar(db.select(db.func.count(Person.id)))
    universe_ms, counted = timed(lambda: universes.counts(spec, targeted), runs=3)
    turf = db.session.scalar(db.select(Turf).where(Turf.office_id == ids["office"]).order_by(Turf.id))
    walk_ms, walk = timed(lambda: walklists.walklist(turf, targeted))
    window = coverage.Window(paced.id)
    region_ms, figures = timed(lambda: coverage.region_coverage(region, window, TODAY))
    peer_ms, peer = timed(lambda: pandas_region(db.engine, region.id, paced.id) and
                          pandas_pacing(db.engine, region.id, paced.id, TODAY), runs=1, warm_up=False)
    ours = {o["id"]: (o["pacing"]["doors"]["done"], round(o["pace_7d"] * 7), o["pacing"]["conversations"]["done"],
                      round(o["pacing"]["conversations"]["pace_7d"] * 7)) for o in figures["offices"]}
    for office_id, (doors, doors_7d, talks, talks_7d) in peer.items():
        mine = ours[office_id]
        assert (mine[0], mine[2]) == (doors, talks), f"office {office_id}: ours {mine}, peer {peer[office_id]}"
        assert abs(mine[1] - doors_7d) <= 1 and abs(mine[3] - talks_7d) <= 1  # pace_7d is rounded to 0.1 a day
    with_universe_ms, _ = timed(lambda: coverage.region_coverage(region, coverage.Window(targeted.id), TODAY), runs=3)
    return {"people": people, "universe_ms": universe_ms, "universe": counted, "walk_ms": walk_ms,
            "walk_doors": len(walk["doors"]), "turf_doors": turf.door_count, "region_ms": region_ms,
            "peer_ms": peer_ms, "offices": len(figures["offices"]), "ranked": len(figures["ranking"]["percent"]),
            "with_universe_ms": with_universe_ms}


def run(database_url: str, label: str, reuse: bool = False) -> None:
    from flask_migrate import upgrade

    from fieldops import create_app
    from fieldops.extensions import db
    from fieldops.maps.coverage_map import office_coverage_map
    from fieldops.maps.office_map import map_parts
    from fieldops.models import Office, Region
    from fieldops.services import coverage, turfs

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    started = time.perf_counter()
    with app.app_context():
        loaded = db.session.execute(db.text("SELECT count(*) FROM information_schema.tables WHERE table_name = 'contact'")
                                    if db.engine.dialect.name == "postgresql" else
                                    db.text("SELECT count(*) FROM sqlite_master WHERE name = 'contact'")).scalar()
        reuse = reuse and loaded and db.session.execute(db.text("SELECT count(*) FROM contact")).scalar() == CONTACTS \
            and db.session.execute(db.text("SELECT count(*) FROM office")).scalar() == OFFICES
        if not reuse:
            db.drop_all()
            db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
            upgrade()
    if reuse:
        with app.app_context():
            from fieldops.models import Canvass, Universe, User
            db.session.execute(db.delete(Universe))  # a run saves one: start as a fresh load does, without
            db.session.commit()
            ids = {"region": db.session.scalar(db.select(Region.id)), "load_seconds": 0.0,
                   "office": db.session.scalar(db.select(Office.id).order_by(Office.id)),
                   "canvass": db.session.scalar(db.select(Canvass.id).order_by(Canvass.id)),
                   "lead": db.session.scalar(db.select(User.id).where(User.role == "lead"))}
    else:
        ids = build(app)
    print(f"loaded in {ids['load_seconds']} s (territory {ids.get('territory_seconds')} s, "
          f"summaries {ids.get('summary_seconds')} s)", file=sys.stderr)
    with app.app_context():
        region, office = db.session.get(Region, ids["region"]), db.session.get(Office, ids["office"])
        window = coverage.Window(ids["canvass"])
        region_ms, region_figures = timed(lambda: coverage.region_coverage(region, window))
        office_ms, office_figures = timed(lambda: coverage.office_coverage(office, window))

        def office_map_html() -> str:
            fmap = office_coverage_map(coverage.coverage_blocks(office, window), turfs.office_map_data(office)[1],
                                       doors=turfs.office_door_points(office), vendor_prefix="/static/vendor",
                                       script_url="/static/js/coverage-map.js", loader_url="/static/js/viewport-loader.js", household_url="/doors/0")
            parts = map_parts(fmap)
            return parts["header"] + parts["html"] + parts["script"]

        map_ms, html = timed(office_map_html, runs=3)
        peer_region_ms, peer_region = timed(lambda: pandas_region(db.engine, region.id, ids["canvass"]), runs=1,
                                              warm_up=False)  # the peer reads a database just loaded: warm
        peer_office_ms, peer_office = timed(lambda: pandas_office(db.engine, office.id, ids["canvass"]), runs=3)
        targets = targets_figures(ids) if PEOPLE_PER_DOOR else None
    ours = {o["id"]: (o["attempted"], o["reached"], o["reached_in_two_canvasses"]) for o in region_figures["offices"]}
    theirs = {k: (int(v["attempted"]), int(v["reached"]), int(v["repeat"])) for k, v in peer_region.items()}
    assert ours == theirs, "the peer and ours disagree"
    assert (office_figures["attempted"], office_figures["reached"]) == (peer_office["attempted"], peer_office["reached"])
    assert sum(v["knocks"] for v in office_figures["volunteers"]) == int(peer_office["volunteers"]["knocks"].sum())
    assert [d["knocks"] for d in office_figures["days"]] == [int(k) for k in peer_office["days"]["knocks"]]
    print(f"\n### Dashboards on {label} ({date.today()}, {OFFICES} offices, {OFFICES * BLOCKS_PER_OFFICE:,} blocks, "
          f"{OFFICES * BLOCKS_PER_OFFICE * DOORS_PER_BLOCK:,} doors, {CONTACTS:,} contacts over {CANVASSES} canvasses; "
          f"loaded in {ids['load_seconds']} s, of which summaries rebuilt in {ids.get('summary_seconds', 0)} s; run took {time.perf_counter() - started:.0f} s)\n")
    print("| figure | ours | pandas peer | ratio | target |\n|---|---|---|---|---|")
    print(f"| region comparison ({OFFICES} offices, one canvass) | {region_ms:.0f} ms | {peer_region_ms:.0f} ms | "
          f"{peer_region_ms / region_ms:.1f}x | < 300 ms, ≥ 5x |")
    print(f"| office dashboard (figures, turfs, volunteers, days) | {office_ms:.0f} ms | {peer_office_ms:.0f} ms | "
          f"{peer_office_ms / office_ms:.1f}x | < 500 ms, ≥ 5x |")
    print(f"| office map ({BLOCKS_PER_OFFICE:,} blocks, {BLOCKS_PER_OFFICE * DOORS_PER_BLOCK:,} doors clustered), "
          f"built and rendered | {map_ms:.0f} ms | | | < 2 s |")
    print(f"| office map HTML | {len(html.encode()) / 1e6:.2f} MB | | | < 3 MB |")
    if targets:
        t = targets
        print(f"| universe counted over {t['people']:,} people ({t['universe']['people']:,} people at "
              f"{t['universe']['doors']:,} doors: {'; '.join(t['universe']['describe'])}) | {t['universe_ms']:.0f} ms "
              f"| | | < 2 s |")
        print(f"| walk list of a targeted turf ({t['walk_doors']} of its {t['turf_doors']} doors targeted or knocked) "
              f"| {t['walk_ms']:.0f} ms | | | < 100 ms |")
        print(f"| region comparison with goals and pacing ({t['offices']} offices, {t['ranked']} ranked) | "
              f"{t['region_ms']:.0f} ms | {t['peer_ms']:.0f} ms | {t['peer_ms'] / t['region_ms']:.1f}x | "
              f"< 300 ms, ≥ 5x |")
        print(f"| ... of the canvass with the universe (its targeted doors counted per office) | "
              f"{t['with_universe_ms']:.0f} ms | | | (no target) |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--reuse", metavar="SQLITE_FILE", help="keep the SQLite database in this file and reuse it "
                        "when it is already loaded (for trying changes; recorded figures come from a fresh load)")
    parser.add_argument("--targets", action="store_true", help="issue 18: 100 offices, 1,000,000 people, "
                        "a universe, goals and pacing")
    parser.add_argument("--keep", action="store_true", help="PostgreSQL: reuse the database when already loaded")
    parser.add_argument("--postgres", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/fieldops_dashboard_bench"))
    args = parser.parse_args()
    configure(args.targets)
    if args.database == "postgresql":
        from import_bench import _ensure_postgres_database
        _ensure_postgres_database(args.postgres)
        run(args.postgres, "PostgreSQL", reuse=args.keep)
    elif args.reuse:
        run(f"sqlite:///{Path(args.reuse).resolve()}", "SQLite", reuse=True)
    else:
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{Path(folder) / 'dashboard.db'}", "SQLite")


if __name__ == "__main__":
    main()
