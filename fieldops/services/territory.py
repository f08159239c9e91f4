"""Persist territory: regions, offices, blocks and doors, in bulk, matched on source ids.

These add to the current transaction and never commit; the use case that
calls them commits once, so an import is all or nothing.
"""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import bindparam, func, select, update

from ..extensions import db
from ..importers.geo import block_for_points, bounds_frame
from ..models import Block, Door, Office, Person, Region
from . import bulk, turf_doors


def get_or_create_region(name: str) -> Region:
    region = db.session.scalar(select(Region).where(Region.name == name))
    if region is None:
        region = Region(name=name)
        db.session.add(region)
        db.session.flush()
    return region


def get_or_create_office(name: str, region: Region, **fields) -> Office:
    office = db.session.scalar(select(Office).where(Office.name == name))
    if office is None:
        office = Office(name=name, region_id=region.id, settings={}, **fields)
        db.session.add(office)
        db.session.flush()
    return office


DOOR_FIELDS = ("name", "street", "house_number", "unit", "city", "postcode")
PERSON_FIELDS = ("first_name", "last_name", "age", "phone")


def _columns(frame: pd.DataFrame, columns: list[str]) -> list[list]:
    """Each column as a Python list with None for missing values."""
    out = []
    for column in columns:
        values = frame[column].to_numpy(dtype=object, copy=True)
        values[pd.isna(values)] = None
        out.append(values.tolist())
    return out


def _upsert(model, office_key_query, frame: pd.DataFrame, columns: list[str]) -> tuple[int, int]:
    """Insert rows whose source_id is new (native bulk path), update the others by primary key.

    ``frame`` holds ``columns``, one of which is source_id.
    """
    table = model.__table__
    existing = dict(db.session.execute(office_key_query).all())
    known = frame["source_id"].map(existing)
    is_new = known.isna().to_numpy()
    created = bulk.insert_rows(table, columns, zip(*_columns(frame[is_new], columns)))
    changed = frame[~is_new]
    if len(changed):
        values = _columns(changed, columns)
        rows = [dict(zip(columns, row), row_id=int(row_id))
                for row, row_id in zip(zip(*values), known[~is_new])]
        params = {name: bindparam(name) for name in columns}
        db.session.execute(table.update().where(table.c.id == bindparam("row_id")).values(params), rows)
    return created, len(changed)


def save_blocks(office: Office, blocks: gpd.GeoDataFrame) -> dict[str, int]:
    """Insert new blocks and update known ones (same source id); returns counts."""
    frame = pd.concat([bounds_frame(blocks.geometry), blocks[["source_id"]].astype(str)], axis=1)
    frame["office_id"] = office.id
    frame["geometry"] = shapely.to_wkb(blocks.geometry.to_numpy())
    units = blocks["housing_units"] if "housing_units" in blocks else pd.Series(pd.NA, index=blocks.index)
    frame["housing_units"] = pd.array(units, dtype="Int64").astype(object)
    frame["door_count"] = 0  # recounted by refresh_door_counts once doors are written
    columns = ["office_id", "source_id", "geometry", "housing_units", "door_count", "centroid_lon", "centroid_lat",
               "min_lon", "min_lat", "max_lon", "max_lat"]
    created, updated = _upsert(Block, select(Block.source_id, Block.id).where(Block.office_id == office.id),
                               frame, columns)
    return {"created": created, "updated": updated}


def office_blocks_frame(office: Office) -> gpd.GeoDataFrame:
    """The office's blocks as a GeoDataFrame (id, source_id, geometry) in id order."""
    rows = db.session.execute(
        select(Block.id, Block.source_id, Block.geometry).where(Block.office_id == office.id).order_by(Block.id)).all()
    return gpd.GeoDataFrame({"id": [r.id for r in rows], "source_id": [r.source_id for r in rows]},
                            geometry=[r.geometry for r in rows], crs="EPSG:4326")


def write_doors(office: Office, doors: pd.DataFrame) -> dict[str, int]:
    """Insert or update doors (source_id, block_id, lat, lon and the address fields) by source id."""
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
    created, updated = _upsert(Door, select(Door.source_id, Door.id).where(Door.office_id == office.id),
                               frame, columns)
    return {"created": created, "updated": updated}


def doors_from_other_sources(office: Office) -> pd.DataFrame:
    """The office's doors that no voter file made (OpenStreetMap, say), with their addresses."""
    rows = db.session.execute(
        select(Door.source_id, Door.street, Door.house_number, Door.unit, Door.postcode)
        .where(Door.office_id == office.id, Door.source_id.not_like("addr-%"))).all()
    return pd.DataFrame(rows, columns=["source_id", "street", "house_number", "unit", "postcode"])


def door_ids_by_source(office: Office) -> dict[str, int]:
    return dict(db.session.execute(select(Door.source_id, Door.id).where(Door.office_id == office.id)).all())


def write_people(office: Office, people: pd.DataFrame) -> dict[str, int]:
    """Insert or update people (source_id, door_id and the person fields) by source id within the office."""
    frame = people.copy()
    for field in PERSON_FIELDS:
        if field not in frame:
            frame[field] = None
    frame["age"] = pd.array(frame["age"], dtype="Int64").astype(object)
    frame["door_id"] = frame["door_id"].astype(int)
    known = select(Person.source_id, Person.id).join(Door, Door.id == Person.door_id).where(
        Door.office_id == office.id, Person.source_id.is_not(None))
    created, updated = _upsert(Person, known, frame, ["source_id", "door_id", *PERSON_FIELDS])
    return {"created": created, "updated": updated}


def save_doors(office: Office, doors: pd.DataFrame) -> dict[str, int]:
    """Place doors (with lat/lon) in the office's blocks and write them; doors in no block are skipped."""
    blocks = office_blocks_frame(office)
    position = block_for_points(doors["lon"].to_numpy(float), doors["lat"].to_numpy(float), blocks)
    inside = position >= 0
    placed = doors[inside].assign(block_id=blocks["id"].to_numpy()[position[inside]])
    counts = write_doors(office, placed)
    refresh_door_counts(office)
    return {**counts, "outside": int((~inside).sum())}


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
