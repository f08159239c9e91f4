"""Builders for test data: offices with grid territory, turfs, canvasses and users of every role."""
from __future__ import annotations

from types import SimpleNamespace

import geopandas as gpd
import pandas as pd
import shapely
from werkzeug.security import generate_password_hash

from fieldops.extensions import db
from fieldops.models import Block, Office, Region, User
from fieldops.services import canvassing, territory, turfs

PASSWORD = "correct horse battery"
CELL = 0.001  # degrees, about 55 m x 111 m at 60° N


def grid_blocks(origin_lon: float, origin_lat: float, columns: int, rows: int, prefix: str) -> gpd.GeoDataFrame:
    """A columns x rows grid of touching square blocks, ids ``{prefix}-{row}-{column}``."""
    cells, ids = [], []
    for row in range(rows):
        for column in range(columns):
            x, y = origin_lon + column * CELL, origin_lat + row * CELL
            cells.append(shapely.box(x, y, x + CELL, y + CELL))
            ids.append(f"{prefix}-{row}-{column}")
    return gpd.GeoDataFrame({"source_id": ids}, geometry=cells, crs="EPSG:4326")


def doors_in(blocks: gpd.GeoDataFrame, per_block: int, street_prefix: str = "Street") -> pd.DataFrame:
    """``per_block`` doors spread along the middle of each block."""
    rows = []
    for block_index, (source_id, geometry) in enumerate(zip(blocks["source_id"], blocks.geometry)):
        minx, miny, maxx, maxy = geometry.bounds
        for n in range(per_block):
            rows.append({
                "source_id": f"{source_id}-d{n}", "street": f"{street_prefix} {block_index // 4}",
                "house_number": str(n * 2 + 1 + (block_index % 4) * 20), "unit": None, "city": "Testville",
                "postcode": "00100", "lat": (miny + maxy) / 2,
                "lon": minx + (maxx - minx) * (n + 1) / (per_block + 1),
            })
    return pd.DataFrame(rows)


def make_user(email: str, role: str, office: Office | None = None, region: Region | None = None) -> User:
    # A cheap hash keeps the suite fast; sign-in checks any method werkzeug knows.
    user = User(email=email, name=email.split("@")[0].replace(".", " ").title(), role=role,
                password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"),
                office_id=office.id if office else None, region_id=region.id if region else None)
    db.session.add(user)
    db.session.flush()
    return user


def make_office(name: str, region: Region, origin: tuple[float, float], doors_per_block: int = 5,
                columns: int = 4, rows: int = 4) -> Office:
    office = territory.get_or_create_office(name, region, lat=origin[1], lon=origin[0])
    blocks = grid_blocks(origin[0], origin[1], columns, rows, prefix=name.lower())
    territory.save_blocks(office, blocks)
    territory.save_doors(office, doors_in(blocks, doors_per_block, street_prefix=f"{name} street"))
    return office


def make_turf(office: Office, source_ids: list[str], name: str):
    ids = [db.session.scalar(db.select(Block.id).where(Block.office_id == office.id, Block.source_id == s))
           for s in source_ids]
    return turfs.build_turf(office, ids, name, None)


def build_world() -> SimpleNamespace:
    """North region (offices A and B) and South region (office C), each with turfs and staff."""
    north = territory.get_or_create_region("North")
    south = territory.get_or_create_region("South")
    office_a = make_office("Alpha", north, (24.90, 60.10))
    office_b = make_office("Bravo", north, (24.95, 60.10))
    office_c = make_office("Charlie", south, (25.00, 60.20))
    turf_a1 = make_turf(office_a, [f"alpha-{r}-{c}" for r in range(2) for c in range(4)], "Alpha 1")
    turf_a2 = make_turf(office_a, [f"alpha-{r}-{c}" for r in range(2, 4) for c in range(4)], "Alpha 2")
    turf_b1 = make_turf(office_b, [f"bravo-{r}-{c}" for r in range(2) for c in range(4)], "Bravo 1")
    turf_c1 = make_turf(office_c, [f"charlie-{r}-{c}" for r in range(2) for c in range(4)], "Charlie 1")
    canvass_north = canvassing.build_canvass("North spring", north.id, None)
    canvass_south = canvassing.build_canvass("South spring", south.id, None)
    users = SimpleNamespace(
        admin=make_user("admin@test.example", "admin"),
        lead_north=make_user("lead.north@test.example", "lead", region=north),
        lead_south=make_user("lead.south@test.example", "lead", region=south),
        organizer_a=make_user("organizer.a@test.example", "organizer", office=office_a),
        organizer_b=make_user("organizer.b@test.example", "organizer", office=office_b),
        organizer_c=make_user("organizer.c@test.example", "organizer", office=office_c),
        volunteer_a1=make_user("volunteer.a1@test.example", "volunteer", office=office_a),
        volunteer_a2=make_user("volunteer.a2@test.example", "volunteer", office=office_a),
        volunteer_c=make_user("volunteer.c@test.example", "volunteer", office=office_c),
    )
    canvassing.assign(turf_a1.id, users.volunteer_a1, canvass_north, users.organizer_a.id)
    canvassing.assign(turf_a2.id, users.volunteer_a2, canvass_north, users.organizer_a.id)
    canvassing.assign(turf_c1.id, users.volunteer_c, canvass_south, users.organizer_c.id)
    db.session.commit()
    return SimpleNamespace(
        north=north, south=south, office_a=office_a, office_b=office_b, office_c=office_c,
        turf_a1=turf_a1, turf_a2=turf_a2, turf_b1=turf_b1, turf_c1=turf_c1,
        canvass_north=canvass_north, canvass_south=canvass_south, users=users,
    )


def create_token(email: str, name: str = "test") -> str:
    """A bearer token for the user, committed as a command would (services themselves never commit)."""
    from fieldops import unit_of_work
    from fieldops.services import users
    return unit_of_work.run(users.create_token, email, name=name)


def load_demo(password: str, **kwargs):
    """The demo, loaded and committed as ``flask demo`` does."""
    from fieldops import unit_of_work
    from fieldops.services import demo
    return unit_of_work.run(demo.load_demo, password, **kwargs)


def build_teams(world) -> SimpleNamespace:
    """Two neighborhood teams of office Alpha: "Alpha North" owns Alpha 1 (led by leader.a1, with volunteer.a1
    on it), "Alpha South" owns Alpha 2 (led by leader.a2). Committed."""
    from fieldops.services import teams
    leader_a1 = make_user("leader.a1@test.example", "volunteer", office=world.office_a)
    leader_a2 = make_user("leader.a2@test.example", "volunteer", office=world.office_a)
    north = teams.create_team(world.office_a, "Alpha North", None, turf_ids=[world.turf_a1.id])
    south = teams.create_team(world.office_a, "Alpha South", None, turf_ids=[world.turf_a2.id])
    teams.add_member(north, leader_a1, None, leader=True)
    teams.add_member(north, world.users.volunteer_a1, None)
    teams.add_member(south, leader_a2, None, leader=True)
    db.session.commit()
    return SimpleNamespace(north=north, south=south, leader_a1=leader_a1, leader_a2=leader_a2)


def make_shift(world, team=None, *, starts_in_hours: float = 26, capacity: int = 10, turfs=None, **kwargs):
    """A shift of office Alpha for the North canvass, staged at Alpha 1's corner. Not committed."""
    from datetime import datetime, timedelta, timezone
    from fieldops.services import shifts
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=starts_in_hours)
    return shifts.create_shift(world.office_a, world.canvass_north, starts_at=start, ends_at=start + timedelta(hours=3),
                               place="Alpha street 1, Testville", capacity=capacity,
                               turf_ids=[t.id for t in (turfs if turfs is not None else [world.turf_a1, world.turf_a2])],
                               actor_id=world.users.organizer_a.id, lat=60.1005, lon=24.9005, team=team, **kwargs)
