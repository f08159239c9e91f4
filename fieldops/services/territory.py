"""Persist territory: regions and offices (made and renamed on the web or by the command line),
blocks and doors (in bulk, matched on source ids).

These add to the current transaction and never commit; the use case that
calls them commits once, so an import is all or nothing.

An office's clock (``Office.time_zone``) comes from its location: the point
given when it is made, else the middle of its blocks once they are imported
(``locate_office``). Changing it later counts its volunteers' days again.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import JSON, bindparam, event, func, select, text, update
from sqlalchemy.orm import Session

from ..domain import time_zones
from ..domain.display import display_outlines
from ..errors import Conflict, InvalidInput
from ..extensions import db
from ..importers.geo import block_for_points, bounds_frame
from ..models import Block, Door, Office, Person, Region
from . import audit, bulk, summaries, turf_doors
from .inputs import required_text
from ..domain.text import N_

MAX_NAME = 120  # the name columns' length
MAX_ADDRESS = 255


def get_or_create_region(name: str) -> Region:
    region = db.session.scalar(select(Region).where(Region.name == name))
    if region is None:
        region = Region(name=name)
        db.session.add(region)
        db.session.flush()
    return region


def get_or_create_office(name: str, region: Region, **fields) -> Office:
    """The named office, made in the region if it is new (its clock from its location, if given)."""
    office = db.session.scalar(select(Office).where(Office.name == name))
    if office is None:
        fields.setdefault("time_zone", time_zones.zone_at(fields.get("lat"), fields.get("lon")))
        office = Office(name=name, region_id=region.id, settings={}, **fields)
        db.session.add(office)
        db.session.flush()
    return office


def _name(text: str | None, what: str) -> str:
    return required_text(text, "name", MAX_NAME, f"give the {what} a name")


def _refuse_taken(model, name: str, what: str, except_id: int | None = None) -> None:
    """Names are unique whatever their case: 'kallio' and 'Kallio' would be the same office to a person."""
    clash = db.session.scalar(select(model.name).where(func.lower(model.name) == name.casefold(),
                                                       model.id != (except_id or 0)))
    if clash is not None:
        raise Conflict(N_("there is already %(what)s named %(clash)r: choose another name"),
                       what=what, clash=clash)


def create_region(name: str, actor_id: int | None) -> Region:
    """A new region (no commit); its name must be free."""
    name = _name(name, "region")
    _refuse_taken(Region, name, "a region")
    region = Region(name=name)
    db.session.add(region)
    db.session.flush()
    audit.record(actor_id, "region.create", "region", region.id, name=name)
    return region


def rename_region(region: Region, name: str, actor_id: int | None) -> Region:
    """Give the region another free name (no commit)."""
    name = _name(name, "region")
    _refuse_taken(Region, name, "a region", except_id=region.id)
    if name != region.name:
        audit.record(actor_id, "region.rename", "region", region.id, was=region.name, now=name)
        region.name = name
    return region


def _address(text: str | None) -> str | None:
    text = (text or "").strip()
    if len(text) > MAX_ADDRESS:
        raise InvalidInput(N_("an address has at most %(max_address)s characters"),
                           max_address=MAX_ADDRESS, field="address")
    return text or None


def _zone(text: str | None) -> str | None:
    if not (text or "").strip():
        return None
    try:
        return time_zones.check_zone(text)
    except ValueError as error:
        raise InvalidInput(error, field="time_zone") from None


def create_office(region: Region, name: str, *, address: str | None = None, lat: float | None = None,
                  lon: float | None = None, time_zone: str | None = None, actor_id: int | None = None) -> Office:
    """A new field office in the region (no commit). Its clock is ``time_zone`` if given, else its
    location's; with neither it counts UTC until its territory is imported."""
    name = _name(name, "office")
    _refuse_taken(Office, name, "an office")
    if (lat is None) != (lon is None):
        raise InvalidInput(N_("give both the latitude and the longitude, or neither"),
                           field="lat" if lat is None else "lon")
    zone = _zone(time_zone) or time_zones.zone_at(lat, lon)
    office = Office(name=name, region_id=region.id, address=_address(address), lat=lat, lon=lon, time_zone=zone,
                    settings={})
    db.session.add(office)
    db.session.flush()
    audit.record(actor_id, "office.create", "office", office.id, name=name, region=region.name, time_zone=zone)
    return office


def update_office(office: Office, *, name: str, address: str | None, actor_id: int | None) -> Office:
    """Rename the office and change its address (no commit)."""
    name = _name(name, "office")
    _refuse_taken(Office, name, "an office", except_id=office.id)
    address = _address(address)
    changes = {key: {"was": old, "now": new} for key, old, new in
               (("name", office.name, name), ("address", office.address, address)) if old != new}
    if changes:
        office.name, office.address = name, address
        audit.record(actor_id, "office.rename" if "name" in changes else "office.update", "office", office.id,
                     **changes)
    return office


def set_time_zone(office: Office, zone_name: str | None, actor_id: int | None) -> bool:
    """Put the office on another clock (no commit); its volunteers' days are counted again on it.
    Whether anything changed (an empty name changes nothing)."""
    zone = _zone(zone_name)
    if zone is None or zone == office.time_zone:
        return False
    audit.record(actor_id, "office.time_zone", "office", office.id, was=office.time_zone, now=zone)
    office.time_zone = zone
    summaries.recount_office_days(office.id)
    return True


def locate_office(office: Office) -> None:
    """After blocks were imported: an office with no location takes the middle of its blocks, and one
    with no clock takes its location's."""
    if office.lat is None or office.lon is None:
        lat, lon = db.session.execute(select(func.avg(Block.centroid_lat), func.avg(Block.centroid_lon))
                                      .where(Block.office_id == office.id)).one()
        if lat is None:
            return
        office.lat, office.lon = float(lat), float(lon)
    if office.time_zone is None:
        zone = time_zones.zone_at(office.lat, office.lon)
        if zone is not None:
            office.time_zone = zone
            summaries.recount_office_days(office.id)


def usual_zone(region: Region) -> str | None:
    """The time zone most of the region's offices keep: what a new office's form suggests."""
    zones = Counter(zone for zone in db.session.scalars(select(Office.time_zone).where(Office.region_id == region.id))
                    if zone)
    return zones.most_common(1)[0][0] if zones else None


def zones_in_use() -> list[str]:
    """The offices' clocks, each once (UTC for an office with none yet)."""
    return sorted({zone or time_zones.UTC for zone in db.session.scalars(select(Office.time_zone))})


DOOR_FIELDS = ("name", "street", "house_number", "unit", "city", "postcode")
PERSON_FIELDS = ("first_name", "last_name", "age", "birth_year", "phone", "email", "language")


IMPORT_LOCK = 15_16  # the first key of the per-office advisory lock (the second is the office id)
_HELD = "fieldops.offices_held"  # session.info: offices this transaction holds for writing
SQLITE_WAIT_MS = 30 * 60 * 1000  # how long a second import waits on SQLite for the first to commit


def hold_office(office: Office) -> None:
    """Serve writers of one office's territory one after the other, until this transaction ends.

    Two imports into one office at once would both find a block new and both insert it (a raw
    IntegrityError for the second): each takes this hold before it reads which rows already exist,
    so the second waits for the first to commit, then sees its rows and updates them. PostgreSQL: an
    advisory transaction lock per office (other offices and readers never wait). SQLite: the
    database's write lock, taken now and waited for as long as an import may take.
    """
    held = db.session.info.setdefault(_HELD, set())
    if office.id in held:
        return
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:kind, :office)"),
                           {"kind": IMPORT_LOCK, "office": office.id})
    else:
        usual = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_WAIT_MS}")
        try:  # a write that changes nothing takes the write lock now, not at the first insert
            connection.execute(update(Office).where(Office.id == office.id).values(name=Office.name))
        finally:
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(usual)}")
    held.add(office.id)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _release(session: Session) -> None:
    session.info.pop(_HELD, None)


def _columns(frame: pd.DataFrame, columns: list[str]) -> list[list]:
    """Each column as a Python list with None for missing values."""
    out = []
    for column in columns:
        values = frame[column].to_numpy(dtype=object, copy=True)
        values[pd.isna(values)] = None
        out.append(values.tolist())
    return out


def _upsert(model, office_key_query, frame: pd.DataFrame, columns: list[str],
            written: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """Insert rows whose source_id is new (native bulk path), update the others by primary key.

    ``frame`` holds ``columns``, one of which is source_id. ``written(done, total)`` hears how far it got.
    """
    total = len(frame)
    told = None if written is None else (lambda done: written(done, total))
    table = model.__table__
    existing = dict(db.session.execute(office_key_query).all())
    known = frame["source_id"].map(existing)
    is_new = known.isna().to_numpy()
    values = _columns(frame[is_new], columns)
    for n, column in enumerate(columns):  # the driver's bulk path takes JSON as text
        if isinstance(table.c[column].type, JSON):
            values[n] = [None if v is None else json.dumps(v, ensure_ascii=False) for v in values[n]]
    created = bulk.insert_rows(table, columns, zip(*values), told)
    changed = frame[~is_new]
    if len(changed):
        values = _columns(changed, columns)
        rows = [dict(zip(columns, row), row_id=int(row_id))
                for row, row_id in zip(zip(*values), known[~is_new])]
        params = {name: bindparam(name) for name in columns}
        statement = table.update().where(table.c.id == bindparam("row_id")).values(params)
        for start in range(0, len(rows), bulk.REPORT_EVERY_ROWS):
            db.session.execute(statement, rows[start:start + bulk.REPORT_EVERY_ROWS])
            if written is not None:
                written(created + min(start + bulk.REPORT_EVERY_ROWS, len(rows)), total)
    return created, len(changed)


def save_blocks(office: Office, blocks: gpd.GeoDataFrame) -> dict[str, int]:
    """Insert new blocks and update known ones (same source id); returns counts."""
    hold_office(office)  # a second import of the office waits here for the first
    frame = pd.concat([bounds_frame(blocks.geometry), blocks[["source_id"]].astype(str)], axis=1)
    frame["office_id"] = office.id
    frame["geometry"] = shapely.to_wkb(blocks.geometry.to_numpy())
    frame["display_outline"] = shapely.to_wkb(display_outlines(blocks.geometry.to_numpy()))
    units = blocks["housing_units"] if "housing_units" in blocks else pd.Series(pd.NA, index=blocks.index)
    frame["housing_units"] = pd.array(units, dtype="Int64").astype(object)
    frame["door_count"] = 0  # recounted by refresh_door_counts once doors are written
    columns = ["office_id", "source_id", "geometry", "display_outline", "housing_units", "door_count", "centroid_lon", "centroid_lat",
               "min_lon", "min_lat", "max_lon", "max_lat"]
    created, updated = _upsert(Block, select(Block.source_id, Block.id).where(Block.office_id == office.id),
                               frame, columns)
    locate_office(office)
    return {"created": created, "updated": updated}


def office_blocks_frame(office: Office) -> gpd.GeoDataFrame:
    """The office's blocks as a GeoDataFrame (id, source_id, geometry) in id order."""
    rows = db.session.execute(
        select(Block.id, Block.source_id, Block.geometry).where(Block.office_id == office.id).order_by(Block.id)).all()
    return gpd.GeoDataFrame({"id": [r.id for r in rows], "source_id": [r.source_id for r in rows]},
                            geometry=[r.geometry for r in rows], crs="EPSG:4326")


def write_doors(office: Office, doors: pd.DataFrame,
                written: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Insert or update doors (source_id, block_id, lat, lon and the address fields) by source id;
    ``written(done, total)`` hears how far it got."""
    hold_office(office)  # a second import of the office waits here for the first
    frame = doors.copy()
    for field in DOOR_FIELDS:
        if field not in frame:
            frame[field] = None
    frame["office_id"] = office.id
    frame["street"] = frame["street"].fillna("").astype(str)
    frame["house_number"] = frame["house_number"].fillna("").astype(str)
    frame["block_id"] = frame["block_id"].astype(int)
    frame[["lat", "lon"]] = frame[["lat", "lon"]].astype(float)
    columns = ["office_id", "block_id", "source_id", "lat", "lon", *DOOR_FIELDS]
    if "unaddressed" in frame:  # OpenStreetMap's buildings without an address
        frame["unaddressed"] = frame["unaddressed"].fillna(False).astype(bool)
        columns.append("unaddressed")
    if "placed_by" in frame:  # doors of address-only rows: how their point was found
        frame["placed_by"] = frame["placed_by"].astype(object).where(frame["placed_by"].notna(), None)
        columns.append("placed_by")
    created, updated = _upsert(Door, select(Door.source_id, Door.id).where(Door.office_id == office.id),
                               frame, columns, written)
    return {"created": created, "updated": updated}


def addressed_doors(office: Office) -> pd.DataFrame:
    """Every door of the office that has a street address, with its point and block: what address-only rows
    are placed from (``importers.doors.place_by_address``)."""
    rows = db.session.execute(
        select(Door.source_id, Door.street, Door.house_number, Door.unit, Door.city, Door.postcode, Door.lat,
               Door.lon, Door.placed_by, Door.block_id).where(Door.office_id == office.id,
                                                              Door.unaddressed.is_(False))).all()
    return pd.DataFrame(rows, columns=["source_id", "street", "house_number", "unit", "city", "postcode", "lat", "lon",
                                       "placed_by", "block_id"])


def doors_from_other_sources(office: Office) -> pd.DataFrame:
    """The office's doors that no voter file made (OpenStreetMap, say), with their addresses."""
    rows = db.session.execute(
        select(Door.source_id, Door.street, Door.house_number, Door.unit, Door.city, Door.postcode, Door.lat,
               Door.lon).where(Door.office_id == office.id, Door.source_id.not_like("addr-%"))).all()
    return pd.DataFrame(rows, columns=["source_id", "street", "house_number", "unit", "city", "postcode", "lat", "lon"])


def door_ids_by_source(office: Office) -> dict[str, int]:
    return dict(db.session.execute(select(Door.source_id, Door.id).where(Door.office_id == office.id)).all())


def write_people(office: Office, people: pd.DataFrame,
                 written: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Insert or update people (source_id, door_id and the person fields) by source id within the office;
    ``written(done, total)`` hears how far it got."""
    hold_office(office)  # a second import of the office waits here for the first
    frame = people.copy()
    for field in PERSON_FIELDS:
        if field not in frame:
            frame[field] = None
    frame["age"] = pd.array(frame["age"], dtype="Int64").astype(object)
    frame["birth_year"] = pd.array(frame["birth_year"], dtype="Int64").astype(object)
    frame["door_id"] = frame["door_id"].astype(int)
    known = select(Person.source_id, Person.id).join(Door, Door.id == Person.door_id).where(
        Door.office_id == office.id, Person.source_id.is_not(None))
    # A file without extra columns leaves the tags people already have; one with them replaces them.
    tags = ["tags"] if "tags" in frame else []
    created, updated = _upsert(Person, known, frame, ["source_id", "door_id", *PERSON_FIELDS, *tags], written)
    return {"created": created, "updated": updated}


def save_doors(office: Office, doors: pd.DataFrame) -> dict[str, int]:
    """Place doors (with lat/lon) in the office's blocks and write them; doors in no block are skipped."""
    blocks = office_blocks_frame(office)
    position = block_for_points(doors["lon"].to_numpy(float), doors["lat"].to_numpy(float), blocks)
    inside = position >= 0
    placed = doors[inside].assign(block_id=blocks["id"].to_numpy()[position[inside]])
    counts = write_doors(office, placed)
    refresh_door_counts(office)
    unaddressed = int(placed["unaddressed"].fillna(False).astype(bool).sum()) if "unaddressed" in placed else 0
    return {**counts, "outside": int((~inside).sum()), "unaddressed": unaddressed}


def refresh_door_counts(office: Office) -> None:
    """Recount doors per block: one grouped count joined back, never a count per block.

    (A correlated subquery per block looks equivalent, but PostgreSQL plans it
    as a scan of every door per block while the freshly imported rows have
    no statistics yet: minutes instead of a second.)
    """
    per_block = (select(Door.block_id, func.count(Door.id).label("doors"))
                 .where(Door.office_id == office.id).group_by(Door.block_id).subquery())
    db.session.execute(update(Block).where(Block.office_id == office.id).values(door_count=0),
                       execution_options={"synchronize_session": False})
    db.session.execute(update(Block).where(Block.id == per_block.c.block_id).values(door_count=per_block.c.doors),
                       execution_options={"synchronize_session": False})
    turf_doors.refresh_counts(office)  # the turfs' counts follow: doors now, where housing units stood in
