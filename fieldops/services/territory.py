"""Persist territory: regions, offices, blocks and doors, in bulk, matched on source ids.

These add to the current transaction and never commit; the use case that
calls them commits once, so an import is all or nothing.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from sqlalchemy import func, insert, select, update

from ..extensions import db
from ..importers.geo import block_for_points, bounds_frame
from ..models import Block, Door, Office, Region


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


def _none_if_nan(value):
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


def save_blocks(office: Office, blocks: gpd.GeoDataFrame) -> dict[str, int]:
    """Insert new blocks and update known ones (same source id); returns counts."""
    extents = bounds_frame(blocks.geometry)
    existing = dict(db.session.execute(
        select(Block.source_id, Block.id).where(Block.office_id == office.id)).all())
    housing = blocks["housing_units"] if "housing_units" in blocks else pd.Series(None, index=blocks.index)
    new_rows, changed_rows = [], []
    for source_id, geometry, units, extent in zip(
            blocks["source_id"].astype(str), blocks.geometry, housing, extents.itertuples(index=False)):
        row = {"office_id": office.id, "source_id": source_id, "geometry": geometry,
               "housing_units": None if pd.isna(units) else int(units), **extent._asdict()}
        if source_id in existing:
            changed_rows.append({"id": existing[source_id], **row})
        else:
            new_rows.append(row)
    if new_rows:
        db.session.execute(insert(Block), new_rows)
    if changed_rows:
        db.session.execute(update(Block), changed_rows)
    return {"created": len(new_rows), "updated": len(changed_rows)}


def office_blocks_frame(office: Office) -> gpd.GeoDataFrame:
    """The office's blocks as a GeoDataFrame (id, source_id, geometry) in id order."""
    rows = db.session.execute(
        select(Block.id, Block.source_id, Block.geometry).where(Block.office_id == office.id).order_by(Block.id)).all()
    return gpd.GeoDataFrame({"id": [r.id for r in rows], "source_id": [r.source_id for r in rows]},
                            geometry=[r.geometry for r in rows], crs="EPSG:4326")


DOOR_FIELDS = ("name", "street", "house_number", "unit", "city", "postcode")


def save_doors(office: Office, doors: pd.DataFrame) -> dict[str, int]:
    """Place doors in the office's blocks and insert or update them by source id.

    ``doors`` has source_id, street, house_number, lat, lon and optionally
    name, unit, city, postcode. Doors in no block are returned as ``outside``
    and not written.
    """
    blocks = office_blocks_frame(office)
    position = block_for_points(doors["lon"].to_numpy(float), doors["lat"].to_numpy(float), blocks)
    inside = position >= 0
    block_ids = blocks["id"].to_numpy()[position[inside]]
    placed = doors[inside]
    existing = dict(db.session.execute(
        select(Door.source_id, Door.id).where(Door.office_id == office.id)).all())
    new_rows, changed_rows = [], []
    columns = {field: placed[field] if field in placed else pd.Series(None, index=placed.index)
               for field in DOOR_FIELDS}
    for i, (source_id, lat, lon, block_id) in enumerate(zip(
            placed["source_id"].astype(str), placed["lat"], placed["lon"], block_ids)):
        row = {"office_id": office.id, "block_id": int(block_id), "source_id": source_id,
               "lat": float(lat), "lon": float(lon),
               **{field: _none_if_nan(columns[field].iloc[i]) for field in DOOR_FIELDS}}
        row["street"] = row["street"] or ""
        row["house_number"] = str(row["house_number"] or "")
        if source_id in existing:
            changed_rows.append({"id": existing[source_id], **row})
        else:
            new_rows.append(row)
    if new_rows:
        db.session.execute(insert(Door), new_rows)
    if changed_rows:
        db.session.execute(update(Door), changed_rows)
    refresh_door_counts(office)
    return {"created": len(new_rows), "updated": len(changed_rows), "outside": int((~inside).sum())}


def refresh_door_counts(office: Office) -> None:
    """Recount doors per block with one correlated UPDATE."""
    count = select(func.count(Door.id)).where(Door.block_id == Block.id).scalar_subquery()
    db.session.execute(update(Block).where(Block.office_id == office.id).values(door_count=count),
                       execution_options={"synchronize_session": False})
