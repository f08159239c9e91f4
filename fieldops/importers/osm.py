"""OpenStreetMap PBF: blocks as the faces of the street network, doors from addresses.

A block is what a canvasser walks around: the area enclosed by streets. We
polygonize the streets (not footpaths or service roads, which would cut
blocks into slivers), close the faces on the extract's edge with its bounding
box, and drop slivers (traffic islands, road junctions). Doors are address
points and addressed buildings (their centroid), one per distinct address and
flat: ``addr:flats`` ('1-64', 'A1-A12', '1;2;5') becomes one door per flat,
and a building that only has a ``building:flats`` count gets flats 1 to N
(``domain/units.py``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..domain.units import expand_flats, numbered_flats
from ..errors import InvalidInput
from .geo import WGS84, areas_m2, block_for_points

# Streets that bound blocks. Service roads, footways and paths run inside blocks.
BLOCK_BOUNDING_HIGHWAYS = frozenset({
    "motorway", "trunk", "primary", "secondary", "tertiary", "unclassified", "residential",
    "living_street", "pedestrian", "motorway_link", "trunk_link", "primary_link",
    "secondary_link", "tertiary_link", "road",
})
MIN_BLOCK_AREA_M2 = 800.0
MAX_UNIT = 32  # characters, as the door table keeps a unit


@dataclass
class OsmTerritory:
    blocks: gpd.GeoDataFrame   # source_id, geometry (EPSG:4326)
    doors: pd.DataFrame        # source_id, name, street, house_number, unit, city, postcode, lat, lon
    slivers_dropped: int
    addresses_outside: int     # address points that fell in no block


def read_osm(path: str | Path, min_block_area_m2: float = MIN_BLOCK_AREA_M2) -> OsmTerritory:
    """Read blocks and doors from an .osm.pbf file."""
    import pyrosm  # heavy import, only when a PBF is actually read

    name = Path(path).name
    try:
        osm = pyrosm.OSM(str(path))
        roads = osm.get_network(network_type="all")
        addressed = osm.get_data_by_custom_criteria(
            custom_filter={"addr:housenumber": True}, filter_type="keep",
            keep_nodes=True, keep_ways=True, keep_relations=False)
    except Exception as error:  # pyrosm raises its own types for broken files; all mean "unreadable"
        reason = str(error).split("; ")[-1].replace(str(path), name)[:200]  # never the server's folder
        raise InvalidInput(f"is not a readable OpenStreetMap PBF ({reason})", file=name) from None
    if roads is None or roads.empty:
        raise InvalidInput("holds no streets, so no blocks can be made", file=name)
    blocks, slivers = blocks_from_streets(roads, min_block_area_m2)
    if blocks.empty:
        raise InvalidInput("its streets enclose no block larger than "
                           f"{min_block_area_m2:.0f} m²", file=name)
    doors = doors_from_addresses(addressed) if addressed is not None else _empty_doors()
    inside = block_for_points(doors["lon"].to_numpy(), doors["lat"].to_numpy(), blocks) >= 0
    return OsmTerritory(blocks=blocks, doors=doors[inside].reset_index(drop=True),
                        slivers_dropped=slivers, addresses_outside=int((~inside).sum()))


def blocks_from_streets(roads: gpd.GeoDataFrame,
                        min_area_m2: float = MIN_BLOCK_AREA_M2) -> tuple[gpd.GeoDataFrame, int]:
    """Faces of the street network (EPSG:4326) larger than ``min_area_m2``, and how many slivers went."""
    streets = roads[roads["highway"].isin(BLOCK_BOUNDING_HIGHWAYS)]
    lines = shapely.get_parts(streets.geometry.to_numpy())
    frame = shapely.box(*streets.total_bounds).exterior
    noded = shapely.union_all(np.append(lines, frame))  # nodes every crossing
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    faces_gs = gpd.GeoSeries(faces, crs=WGS84)
    keep = areas_m2(faces_gs) >= min_area_m2
    kept = faces_gs[keep]
    # Stable ids from the position: the same PBF gives the same block ids.
    centres = shapely.centroid(kept.to_numpy())  # for ordering only, degrees are fine
    order = np.lexsort((shapely.get_x(centres).round(6), shapely.get_y(centres).round(6)))
    kept = kept.iloc[order].reset_index(drop=True)
    blocks = gpd.GeoDataFrame({"source_id": [f"osm-face-{i + 1:05d}" for i in range(len(kept))]},
                              geometry=kept.make_valid(), crs=WGS84)
    return blocks, int((~keep).sum())


def _empty_doors() -> pd.DataFrame:
    return pd.DataFrame(columns=["source_id", "name", "street", "house_number", "unit", "city", "postcode", "lat", "lon"])


def units_of(tags: dict) -> list[str | None]:
    """The doors one addressed element stands for, by unit: [None] for a single door without one.

    A unit of its own (``addr:unit``, ``addr:door``) is one door. Flats
    (``addr:flats``) are a door each, in unit order; a flats text that reads as
    no list keeps one door labelled as written. A building with only a
    ``building:flats`` count gets flats 1 to N.
    """
    unit = tags.get("addr:unit") or tags.get("addr:door")
    if unit:
        return [str(unit).strip()[:MAX_UNIT]]
    flats = tags.get("addr:flats")
    if flats:
        return expand_flats(flats) or [str(flats).strip()[:MAX_UNIT]]
    return numbered_flats(tags.get("building:flats")) or [None]


def doors_from_addresses(addressed: gpd.GeoDataFrame) -> pd.DataFrame:
    """Doors from addressed nodes and buildings (EPSG:4326), one per flat where the flats are known.

    Every addressed node is a door: in a city centre several businesses or
    entrances share one street address, and each is a door to knock. A
    building counts only when no node carries its address, so a building
    and the shop inside it are not knocked twice. An element with several
    flats gives one door per flat, its source id followed by ``#`` and the flat.
    """
    tags = addressed["tags"].map(lambda text: json.loads(text) if isinstance(text, str) else {})
    points = addressed.geometry.representative_point()
    frame = pd.DataFrame({
        "source_id": addressed["osm_type"].astype(str) + "/" + addressed["id"].astype(str),
        "name": tags.map(lambda t: t.get("name")),
        "street": tags.map(lambda t: t.get("addr:street")),
        "house_number": addressed["addr:housenumber"].astype(str).str.strip(),
        "unit": tags.map(units_of),
        "city": tags.map(lambda t: t.get("addr:city")),
        "postcode": tags.map(lambda t: t.get("addr:postcode")),
        "lat": points.y.to_numpy(), "lon": points.x.to_numpy(),
        "is_node": (addressed["osm_type"] == "node").to_numpy(),
    })
    frame = frame[frame["street"].notna() & (frame["house_number"] != "")]
    address = frame["street"].str.casefold() + "|" + frame["house_number"].str.casefold()
    node_addresses = set(address[frame["is_node"]])
    frame = frame[frame["is_node"] | ~address.isin(node_addresses)]
    frame = _one_row_per_unit(frame)
    exact = frame[["street", "house_number", "unit", "name"]].fillna("").apply(
        lambda column: column.str.casefold())
    frame = frame[~exact.duplicated().to_numpy()]
    return (frame.sort_values(["element", "position"]).drop(columns=["is_node", "element", "position"])
            .reset_index(drop=True))


def _one_row_per_unit(frame: pd.DataFrame) -> pd.DataFrame:
    """Each element's row repeated per unit, in unit order; source ids stay as they were for one door."""
    frame = frame.assign(element=frame["source_id"],
                         position=frame["unit"].map(lambda units: list(range(len(units)))))
    frame = frame.explode(["unit", "position"], ignore_index=True)
    several = frame["element"].map(frame["element"].value_counts()) > 1
    frame.loc[several, "source_id"] = frame.loc[several, "element"] + "#" + frame.loc[several, "unit"].astype(str)
    frame["unit"] = frame["unit"].astype(object).where(frame["unit"].notna(), None)
    frame["position"] = frame["position"].astype(int)
    return frame
