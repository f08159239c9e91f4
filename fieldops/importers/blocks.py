"""Block files: TIGER/Line zips, shapefiles, GeoJSON and GeoPackage, in any CRS.

Returns blocks in EPSG:4326 with a source id and the housing units the source
counts. Invalid polygons are repaired (and counted); a feature that is not a
polygon, has no geometry, lacks an id or repeats one is a reject with its
reason; a file with no CRS, no id field, several layers and none chosen, or
no usable feature is an error naming the file (and the feature and field).
TopoJSON is read by GDAL's own driver, in longitude and latitude.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from ..errors import InvalidInput
from .archives import check_zip
from .geo import WGS84
from ..domain.text import N_

# Census TIGER/Line block fields, newest first.
ID_FIELD_GUESSES = ("GEOID20", "GEOID10", "GEOID", "BLOCKID20", "BLOCKID10", "source_id", "id")
DOORS_FIELD_GUESSES = ("HOUSING20", "HOUSING10", "HOUSING", "housing_units", "doors")
SUPPORTED_SUFFIXES = (".zip", ".shp", ".geojson", ".json", ".topojson", ".gpkg")
MAX_ID_LENGTH = 64  # block.source_id
MAX_BLOCK_VERTICES = 100_000  # a census block has tens; a long coastline a few thousand


REJECT_LABELS = {
    "no_geometry": N_("no geometry"), "not_a_polygon": N_("not a polygon"), "no_area": N_("a polygon with no area even after repair"),
    # The two limits are written out so the catalogs can word them (tests/importers/test_block_files.py ties
    # them to MAX_BLOCK_VERTICES and MAX_ID_LENGTH).
    "too_many_corners": N_("more than 100,000 corners (simplify the layer first)"),
    "no_block_id": N_("no block id"), "id_too_long": N_("block id longer than 64 characters"),
    "repeated_id": N_("block id repeated from an earlier feature"),
    "housing_not_a_number": N_("housing units not a number"),
}


@dataclass
class BlockFile:
    blocks: gpd.GeoDataFrame  # source_id, housing_units (nullable int), geometry (EPSG:4326)
    repaired: int             # invalid geometries made valid
    id_field: str
    doors_field: str | None
    source_crs: str
    # Features set aside, one row each: "row" (the feature's number, from 1), "id", "reason", then its fields.
    rejects: pd.DataFrame = field(default_factory=pd.DataFrame)
    unused_columns: list[str] = field(default_factory=list)
    layer: str | None = None  # the layer read, when the file has several


def read_blocks(path: str | Path, id_field: str | None = None, doors_field: str | None = None,
                layer: str | None = None) -> BlockFile:
    """Read and check a block file. Features with a problem of their own (no geometry, not a polygon, no or a
    repeated id, housing units that are no number) are rejects with the reason; the file is refused
    (InvalidInput) only when it cannot be used: no CRS, no id field, several layers and none chosen, or no
    valid feature."""
    path = Path(path)
    name = path.name
    raw, layer, topojson = _read_any(path, layer)
    if raw.crs is None and topojson:
        raw = _topojson_crs(raw, name)
    if raw.crs is None:
        raise InvalidInput(N_("has no coordinate reference system (a shapefile needs its .prj)"), file=name)
    if raw.empty:
        raise InvalidInput(N_("holds no features"), file=name)
    id_field = _pick_field(raw, id_field, ID_FIELD_GUESSES, name, "--id-field", required=True)
    doors_field = _pick_field(raw, doors_field, DOORS_FIELD_GUESSES, name, "--doors-field", required=False)
    columns = [c for c in raw.columns if c != raw.geometry.name]
    unused = [c for c in columns if c not in (id_field, doors_field)]

    reason = np.full(len(raw), "", dtype=object)

    def reject(mask, why: str) -> None:
        reason[np.asarray(mask, dtype=bool) & (reason == "")] = why

    ids = raw[id_field]
    source_ids = ids.astype(str).str.strip().where(ids.notna(), "")
    geometries, repaired, problems = _polygons(raw.geometry.to_numpy())
    for why in ("no_geometry", "too_many_corners", "not_a_polygon", "no_area"):
        reject(problems == why, why)
    reject((source_ids == "").to_numpy(), "no_block_id")
    reject((source_ids.str.len() > MAX_ID_LENGTH).to_numpy(), "id_too_long")
    reject(((source_ids != "") & source_ids.duplicated(keep="first")).to_numpy(), "repeated_id")
    housing = None
    if doors_field:
        housing = pd.to_numeric(raw[doors_field], errors="coerce")
        reject((housing.isna() & raw[doors_field].notna()).to_numpy(), "housing_not_a_number")

    bad = reason != ""
    if bad.all():
        first = int(np.flatnonzero(bad)[0])
        raise InvalidInput(N_("has no usable feature (each has a problem; the first: %(value)s)"),
                           value=REJECT_LABELS[reason[first]],
                           file=name, row=_feature(first))
    rejects = pd.DataFrame({"row": np.flatnonzero(bad) + 1, "id": source_ids.to_numpy()[bad],
                            "reason": reason[bad]})
    if bad.any():
        attributes = pd.DataFrame(raw.drop(columns=raw.geometry.name)).iloc[np.flatnonzero(bad)].reset_index(drop=True)
        rejects = pd.concat([rejects, attributes.drop(columns=[c for c in ("row", "id", "reason") if c in attributes])],
                            axis=1)
    good = ~bad
    repaired = int(repaired[good].sum())
    blocks = gpd.GeoDataFrame({"source_id": source_ids.to_numpy()[good]}, geometry=geometries[good], crs=raw.crs)
    blocks["housing_units"] = (pd.array(housing.to_numpy()[good].round(), dtype="Int64") if housing is not None
                               else pd.NA)
    blocks = blocks.to_crs(WGS84)
    return BlockFile(blocks=blocks, repaired=repaired, id_field=id_field, doors_field=doors_field,
                     source_crs=raw.crs.to_string(), rejects=rejects, unused_columns=unused, layer=layer)


def _feature(position: int) -> int:
    """Features are numbered from 1, as a person counts them."""
    return int(position) + 1


def _is_topojson(path: Path) -> bool:
    if path.suffix.lower() not in (".json", ".topojson"):
        return False
    with path.open("rb") as handle:
        head = handle.read(4096).decode("utf-8", errors="ignore")
    return re.search(r'"type"\s*:\s*"Topology"', head) is not None


def _topojson_crs(raw: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    """TopoJSON has no CRS member: its coordinates are longitude and latitude by convention, which we take
    when they look like it; projected ones (a US Albers map, say) cannot be guessed."""
    minx, miny, maxx, maxy = raw.total_bounds
    if -180.0 <= minx <= maxx <= 180.0 and -90.0 <= miny <= maxy <= 90.0:
        return raw.set_crs(WGS84)
    raise InvalidInput(N_("is TopoJSON whose coordinates are projected and do not say in which CRS: convert it to a GeoPackage "
                          "that says so, e.g. `ogr2ogr -a_srs EPSG:5070 blocks.gpkg FILE.topojson` (with the EPSG code of its "
                          "projection), and import that"), file=name)


def _layers(target: str) -> list[str]:
    """The spatial layers of a file (a GeoPackage, a TopoJSON with several objects)."""
    try:
        listed = pyogrio.list_layers(target)
    except Exception:  # unreadable: the read below says so
        return []
    spatial = [str(layer) for layer, geometry in listed if geometry]
    return spatial or [str(layer) for layer, _geometry in listed]


def _choose(layers: list[str], chosen: str | None, name: str) -> str | None:
    """The layer to read: the only one, or the one chosen; several and none chosen is a refusal naming them."""
    if chosen:
        found = next((layer for layer in layers if layer.casefold() == chosen.strip().casefold()), None)
        if found is None:
            raise InvalidInput(N_("has no layer %(chosen)r (layers: %(names)s)"),
                               chosen=chosen, names=', '.join(layers), file=name, field="layer")
        return found
    if len(layers) > 1:
        raise InvalidInput(N_("holds %(count)s layers (%(names)s): choose one with --layer NAME (on the import page: Layer)"),
                           count=len(layers), names=LAYER_SEPARATOR.join(layers), file=name, field="layer")
    return layers[0] if layers else None


LAYER_SEPARATOR = ", "
_LAYERS_MESSAGE = re.compile(r"holds \d+ layers \((.*)\): choose one with --layer NAME")


def layers_named_in(message: str | None) -> list[str]:
    """The layers a refusal of a file of several lists (for the page to offer them as choices), or []."""
    found = _LAYERS_MESSAGE.search(message or "")
    return found.group(1).split(LAYER_SEPARATOR) if found else []


def _read_any(path: Path, layer: str | None) -> tuple[gpd.GeoDataFrame, str | None, bool]:
    """The chosen layer of the file, its name when the file has several, and whether it is TopoJSON."""
    name = path.name
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise InvalidInput(N_("is not a block file we read (%(names)s)"),
                           names=', '.join(SUPPORTED_SUFFIXES), file=name)
    target = str(path)
    layer_name = None
    read_layer = None
    if path.suffix.lower() == ".zip":
        if not zipfile.is_zipfile(path):
            raise InvalidInput(N_("is not a zip archive"), file=name)
        members = check_zip(path)  # no zip-slip member, no zip bomb
        shapefiles = [m for m in members if m.lower().endswith(".shp")]
        if not shapefiles:
            raise InvalidInput(N_("holds no .shp shapefile"), file=name)
        stems = {Path(m).stem: m for m in shapefiles}
        chosen = _choose(list(stems), layer, name)
        shapefile = stems[chosen]
        layer_name = chosen if len(stems) > 1 else None
        stem = shapefile[:-4]
        for part in (".dbf", ".shx"):
            if not any(m.lower() == (stem + part).lower() for m in members):
                raise InvalidInput(N_("the shapefile %(shapefile)s has no %(part)s beside it"),
                                   shapefile=shapefile, part=part, file=name)
        target = f"/vsizip/{path}/{shapefile}"
    elif path.suffix.lower() == ".shp":
        for part in (".dbf", ".shx"):
            if not path.with_suffix(part).exists() and not path.with_suffix(part.upper()).exists():
                raise InvalidInput(N_("has no %(part)s file beside it"), part=part, file=name)
    else:
        layers = _layers(target)
        read_layer = _choose(layers, layer, name)
        layer_name = read_layer if len(layers) > 1 else None
    try:
        frame = gpd.read_file(target, layer=read_layer) if read_layer else gpd.read_file(target)
    except Exception as error:  # pyogrio raises several types; all mean "unreadable"
        reason = (str(error).splitlines() or [""])[0].replace(target, name).replace(str(path), name)
        raise InvalidInput(N_("cannot be read as a spatial file (%(value)s)"), value=reason[:200], file=name) from None
    return frame, layer_name, _is_topojson(path)


def _pick_field(frame: gpd.GeoDataFrame, chosen: str | None, guesses: tuple[str, ...], name: str, option: str,
                required: bool) -> str | None:
    columns = [c for c in frame.columns if c != frame.geometry.name]
    if chosen:
        if chosen not in columns:
            raise InvalidInput(N_("has no field %(chosen)r (fields: %(names)s)"),
                               chosen=chosen, names=', '.join(columns), file=name, field=chosen)
        return chosen
    for guess in guesses:
        if guess in columns:
            return guess
    if required:
        raise InvalidInput(N_("has no block id field we recognise: pass %(option)s (fields: %(names)s)"),
                           option=option, names=', '.join(columns),
                           file=name)
    return None


def _polygons(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Polygons, with invalid ones repaired by make_valid: (geometries, repaired flag per feature, problem per
    feature: "" or no_geometry, too_many_corners, not_a_polygon, no_area)."""
    problem = np.full(len(geometries), "", dtype=object)
    empty = shapely.is_missing(geometries) | shapely.is_empty(geometries)
    problem[empty] = "no_geometry"
    # Before any repair: make_valid of a shape of a million corners takes minutes.
    problem[~empty & (shapely.get_num_coordinates(geometries) > MAX_BLOCK_VERTICES)] = "too_many_corners"
    types = shapely.get_type_id(geometries)
    polygonal = np.isin(types, (3, 6))  # Polygon, MultiPolygon
    problem[~empty & ~polygonal & (problem == "")] = "not_a_polygon"
    repaired = np.zeros(len(geometries), dtype=bool)
    candidates = (problem == "")
    invalid = np.zeros(len(geometries), dtype=bool)
    invalid[candidates] = ~shapely.is_valid(geometries[candidates])
    if invalid.any():
        fixed = shapely.make_valid(geometries[invalid])
        # make_valid may return a collection with stray lines; keep the polygonal part.
        fixed = np.array([_polygonal_part(g) for g in fixed], dtype=object)
        geometries = geometries.copy()
        geometries[invalid] = fixed
        at = np.flatnonzero(invalid)
        no_area = shapely.is_empty(fixed)
        problem[at[no_area]] = "no_area"
        repaired[at[~no_area]] = True
    return geometries, repaired, problem


def _polygonal_part(geometry):
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()
