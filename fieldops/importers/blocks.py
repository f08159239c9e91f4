"""Block files: TIGER/Line zips, shapefiles, GeoJSON and GeoPackage, in any CRS.

Returns blocks in EPSG:4326 with a source id and the housing units the source
counts. Invalid polygons are repaired (and counted); anything that is not a
polygon, lacks an id, repeats an id or has no CRS is an error naming the
file, the feature and the field.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import InvalidInput
from .archives import check_zip
from .geo import WGS84

# Census TIGER/Line block fields, newest first.
ID_FIELD_GUESSES = ("GEOID20", "GEOID10", "GEOID", "BLOCKID20", "BLOCKID10", "source_id", "id")
DOORS_FIELD_GUESSES = ("HOUSING20", "HOUSING10", "HOUSING", "housing_units", "doors")
SUPPORTED_SUFFIXES = (".zip", ".shp", ".geojson", ".json", ".gpkg")
MAX_ID_LENGTH = 64  # block.source_id
MAX_BLOCK_VERTICES = 100_000  # a census block has tens; a long coastline a few thousand


@dataclass
class BlockFile:
    blocks: gpd.GeoDataFrame  # source_id, housing_units (nullable int), geometry (EPSG:4326)
    repaired: int             # invalid geometries made valid
    id_field: str
    doors_field: str | None
    source_crs: str


def read_blocks(path: str | Path, id_field: str | None = None, doors_field: str | None = None) -> BlockFile:
    """Read and check a block file; raise InvalidInput on the first problem."""
    path = Path(path)
    name = path.name
    raw = _read_any(path)
    if raw.crs is None:
        raise InvalidInput("has no coordinate reference system (a shapefile needs its .prj)", file=name)
    if raw.empty:
        raise InvalidInput("holds no features", file=name)
    id_field = _pick_field(raw, id_field, ID_FIELD_GUESSES, name, "--id-field", required=True)
    doors_field = _pick_field(raw, doors_field, DOORS_FIELD_GUESSES, name, "--doors-field", required=False)

    ids = raw[id_field]
    missing = ids.isna() | (ids.astype(str).str.strip() == "")
    if missing.any():
        raise InvalidInput("has no block id", file=name, row=_feature(missing.to_numpy().argmax()), field=id_field)
    source_ids = ids.astype(str).str.strip()
    too_long = (source_ids.str.len() > MAX_ID_LENGTH).to_numpy()
    if too_long.any():
        raise InvalidInput(f"a block id has at most {MAX_ID_LENGTH} characters", file=name,
                           row=_feature(too_long.argmax()), field=id_field)
    repeated = source_ids.duplicated(keep=False)
    if repeated.any():
        first_dup = source_ids[repeated].iloc[0]
        rows = [_feature(i) for i in np.flatnonzero((source_ids == first_dup).to_numpy())[:3]]
        raise InvalidInput(f"block id {first_dup!r} appears more than once (features {', '.join(map(str, rows))})",
                           file=name, row=rows[1], field=id_field)

    housing = None
    if doors_field:
        housing = pd.to_numeric(raw[doors_field], errors="coerce")
        bad = housing.isna() & raw[doors_field].notna()
        if bad.any():
            at = bad.to_numpy().argmax()
            raise InvalidInput(f"{raw[doors_field].iloc[at]!r} is not a number", file=name, row=_feature(at),
                               field=doors_field)

    geometries, repaired = _polygons(raw.geometry.to_numpy(), name)
    blocks = gpd.GeoDataFrame({"source_id": source_ids.to_numpy()}, geometry=geometries, crs=raw.crs)
    blocks["housing_units"] = pd.array(housing.round(), dtype="Int64") if housing is not None else pd.NA
    blocks = blocks.to_crs(WGS84)
    return BlockFile(blocks=blocks, repaired=repaired, id_field=id_field, doors_field=doors_field,
                     source_crs=raw.crs.to_string())


def _feature(position: int) -> int:
    """Features are numbered from 1, as a person counts them."""
    return int(position) + 1


def _read_any(path: Path) -> gpd.GeoDataFrame:
    name = path.name
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise InvalidInput(f"is not a block file we read ({', '.join(SUPPORTED_SUFFIXES)})", file=name)
    target = str(path)
    if path.suffix.lower() == ".zip":
        if not zipfile.is_zipfile(path):
            raise InvalidInput("is not a zip archive", file=name)
        members = check_zip(path)  # no zip-slip member, no zip bomb
        shapefiles = [m for m in members if m.lower().endswith(".shp")]
        if not shapefiles:
            raise InvalidInput("holds no .shp shapefile", file=name)
        stem = shapefiles[0][:-4]
        for part in (".dbf", ".shx"):
            if not any(m.lower() == (stem + part).lower() for m in members):
                raise InvalidInput(f"the shapefile {shapefiles[0]} has no {part} beside it", file=name)
        target = f"/vsizip/{path}/{shapefiles[0]}"
    elif path.suffix.lower() == ".shp":
        for part in (".dbf", ".shx"):
            if not path.with_suffix(part).exists() and not path.with_suffix(part.upper()).exists():
                raise InvalidInput(f"has no {part} file beside it", file=name)
    try:
        return gpd.read_file(target)
    except Exception as error:  # pyogrio raises several types; all mean "unreadable"
        reason = (str(error).splitlines() or [""])[0].replace(target, name).replace(str(path), name)
        raise InvalidInput(f"cannot be read as a spatial file ({reason[:200]})", file=name) from None


def _pick_field(frame: gpd.GeoDataFrame, chosen: str | None, guesses: tuple[str, ...], name: str, option: str,
                required: bool) -> str | None:
    columns = [c for c in frame.columns if c != frame.geometry.name]
    if chosen:
        if chosen not in columns:
            raise InvalidInput(f"has no field {chosen!r} (fields: {', '.join(columns)})", file=name, field=chosen)
        return chosen
    for guess in guesses:
        if guess in columns:
            return guess
    if required:
        raise InvalidInput(f"has no block id field we recognise: pass {option} (fields: {', '.join(columns)})",
                           file=name)
    return None


def _polygons(geometries: np.ndarray, name: str) -> tuple[np.ndarray, int]:
    """Check every feature is a polygon of at most MAX_BLOCK_VERTICES corners; repair invalid ones with make_valid."""
    empty = shapely.is_missing(geometries) | shapely.is_empty(geometries)
    if empty.any():
        raise InvalidInput("has no geometry", file=name, row=_feature(empty.argmax()), field="geometry")
    corners = shapely.get_num_coordinates(geometries)
    if (corners > MAX_BLOCK_VERTICES).any():  # before any repair: make_valid of such a shape takes minutes
        at = int(corners.argmax())
        raise InvalidInput(f"has {int(corners[at]):,} corners: a block has at most {MAX_BLOCK_VERTICES:,} "
                           "(simplify the layer first)", file=name, row=_feature(at), field="geometry")
    types = shapely.get_type_id(geometries)
    polygonal = np.isin(types, (3, 6))  # Polygon, MultiPolygon
    if not polygonal.all():
        at = (~polygonal).argmax()
        raise InvalidInput(f"is a {geometries[at].geom_type}, not a polygon",
                           file=name, row=_feature(at), field="geometry")
    invalid = ~shapely.is_valid(geometries)
    if invalid.any():
        fixed = shapely.make_valid(geometries[invalid])
        # make_valid may return a collection with stray lines; keep the polygonal part.
        fixed = np.array([_polygonal_part(g) for g in fixed], dtype=object)
        if (shapely.is_empty(fixed)).any():
            at = np.flatnonzero(invalid)[shapely.is_empty(fixed).argmax()]
            raise InvalidInput("is a polygon with no area even after repair", file=name, row=_feature(at),
                               field="geometry")
        geometries = geometries.copy()
        geometries[invalid] = fixed
    return geometries, int(invalid.sum())


def _polygonal_part(geometry):
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()
