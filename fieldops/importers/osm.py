"""OpenStreetMap PBF: blocks as the faces of the street network, doors from addresses.

A block is what a canvasser walks around: the area enclosed by streets. We
polygonize the streets (not footpaths or service roads, which would cut
blocks into slivers), close the faces on the extract's edge with its bounding
box, and drop slivers (traffic islands, road junctions). Doors are address
points and addressed buildings (their centroid), one per distinct address and
flat: ``addr:flats`` ('1-64', 'A1-A12', '1;2;5') becomes one door per flat,
and a building that only has a ``building:flats`` count gets flats 1 to N
(``domain/units.py``). Residential buildings with no address become doors
too, named by their nearest street and marked ``unaddressed`` (rural houses
seldom carry one). An extract of paths and service roads alone is refused
with that reason.
"""
from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..domain.addresses import has_twin, join_households, normalise_city, normalise_postcode, place_key
from ..domain.units import expand_flats, numbered_flats
from ..errors import InvalidInput
from .geo import WGS84, areas_m2, block_for_points, metric_crs
from ..domain.text import N_

# Streets that bound blocks. Service roads, footways and paths run inside blocks.
BLOCK_BOUNDING_HIGHWAYS = frozenset({
    "motorway", "trunk", "primary", "secondary", "tertiary", "unclassified", "residential",
    "living_street", "pedestrian", "motorway_link", "trunk_link", "primary_link",
    "secondary_link", "tertiary_link", "road",
})
# Buildings that are homes: without an address they still become doors (named by their nearest street);
# "yes" only inside residential landuse (``unaddressed_doors``).
RESIDENTIAL_BUILDINGS = frozenset({"house", "residential", "detached", "apartments", "terrace", "yes"})
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
        with warnings.catch_warnings():  # pyrosm warns of every kind it finds none of: not news to anyone
            warnings.simplefilter("ignore", UserWarning)
            roads, addressed, buildings, landuse = _read_layers(pyrosm.OSM(str(path)))
    except Exception as error:  # pyrosm raises its own types for broken files; all mean "unreadable"
        reason = str(error).split("; ")[-1].replace(str(path), name)[:200]  # never the server's folder
        raise InvalidInput(N_("is not a readable OpenStreetMap PBF (%(reason)s)"), reason=reason, file=name) from None
    if roads is None or roads.empty:
        raise InvalidInput(N_("holds no streets, so no blocks can be made"), file=name)
    if not roads["highway"].isin(BLOCK_BOUNDING_HIGHWAYS).any():
        kinds = ", ".join(sorted(set(roads["highway"].dropna().astype(str)))[:6])
        raise InvalidInput(N_("holds only paths and service roads (%(kinds)s), no streets that bound blocks: use an extract that "
                              "takes in the streets around them"), kinds=kinds, file=name)
    blocks, slivers = blocks_from_streets(roads, min_block_area_m2)
    if blocks.empty:
        raise InvalidInput(N_("its streets enclose no block larger than %(min_block_area_m2)s m²"),
                           min_block_area_m2=format(min_block_area_m2, '.0f'), file=name)
    doors = doors_from_addresses(addressed) if addressed is not None else _empty_doors()
    unaddressed = unaddressed_doors(buildings, landuse, roads, addressed_points=doors[["lon", "lat"]])
    if len(unaddressed):
        doors = pd.concat([doors.assign(unaddressed=False), unaddressed], ignore_index=True)
    inside = block_for_points(doors["lon"].to_numpy(float), doors["lat"].to_numpy(float), blocks) >= 0
    return OsmTerritory(blocks=blocks, doors=doors[inside].reset_index(drop=True),
                        slivers_dropped=slivers, addresses_outside=int((~inside).sum()))


def _read_layers(osm):
    """Streets, addressed elements, residential buildings and residential landuse (each None when absent)."""
    roads = osm.get_network(network_type="all")
    addressed = osm.get_data_by_custom_criteria(
        custom_filter={"addr:housenumber": True}, filter_type="keep",
        keep_nodes=True, keep_ways=True, keep_relations=False)
    buildings = osm.get_buildings(custom_filter={"building": list(RESIDENTIAL_BUILDINGS)})
    landuse = osm.get_landuse(custom_filter={"landuse": ["residential"]})
    return roads, addressed, buildings, landuse


def unaddressed_doors(buildings: gpd.GeoDataFrame | None, landuse: gpd.GeoDataFrame | None,
                      roads: gpd.GeoDataFrame, addressed_points: pd.DataFrame | None = None) -> pd.DataFrame:
    """Residential buildings OpenStreetMap gives no house number, as doors named by their nearest street.

    A house, residential, detached, apartments or terrace building is a home wherever it stands; a plain
    ``building=yes`` only inside residential landuse (elsewhere it is as likely a barn or a shed). Each door
    has the nearest named street (``addr:street`` when the building has one), no house number, and
    ``unaddressed`` set: the walk list says "near Kauppalankatu". Source id: the building's (``way/123``).
    A building holding an addressed door (an entrance node with the address) is not one again.
    """
    if buildings is None or buildings.empty:
        return _empty_doors().assign(unaddressed=pd.Series(dtype=bool))
    numbered = buildings["addr:housenumber"].notna() if "addr:housenumber" in buildings else False
    homes = buildings[~numbered & buildings.geometry.notna()]
    kind = homes["building"].astype(str)
    plain = kind == "yes"
    if plain.any():
        if landuse is not None and not landuse.empty:
            areas = landuse.geometry[landuse.geometry.geom_type.isin(("Polygon", "MultiPolygon"))]
            points = homes.geometry.representative_point()
            hits = areas.sindex.query(points.to_numpy(), predicate="intersects")[0] if len(areas) else []
            in_residential = np.zeros(len(homes), dtype=bool)
            in_residential[np.unique(hits).astype(int)] = True
        else:
            in_residential = np.zeros(len(homes), dtype=bool)
        homes = homes[~plain.to_numpy() | in_residential]
    if addressed_points is not None and len(addressed_points) and len(homes):
        entrances = shapely.points(addressed_points["lon"].to_numpy(float), addressed_points["lat"].to_numpy(float))
        holding = homes.sindex.query(entrances, predicate="within")[1]
        homes = homes[~np.isin(np.arange(len(homes)), holding)]
    named = roads[roads["name"].notna()] if "name" in roads else roads.iloc[0:0]
    if homes.empty or named.empty:
        return _empty_doors().assign(unaddressed=pd.Series(dtype=bool))
    metric = metric_crs(named)
    points = homes.geometry.representative_point()
    streets = named.to_crs(metric)
    nearest = shapely.STRtree(streets.geometry.to_numpy()).nearest(points.to_crs(metric).to_numpy())
    street = named["name"].to_numpy()[nearest]
    if "addr:street" in homes:
        street = np.where(homes["addr:street"].notna(), homes["addr:street"].astype(object), street)
    return pd.DataFrame({
        "source_id": homes["osm_type"].astype(str).to_numpy() + "/" + homes["id"].astype(str).to_numpy(),
        "name": None, "street": street, "house_number": "", "unit": None, "city": None, "postcode": None,
        "lat": points.y.to_numpy(), "lon": points.x.to_numpy(), "unaddressed": True,
    })


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
    frame = frame[frame["street"].notna() & (frame["house_number"] != "")].reset_index(drop=True)
    # A building is left out when an entrance node carries its address: the same door by the one rule
    # (domain/addresses.py: same street and number, same town, within the distance bound).
    place = [place_key(street, number, None) for street, number in zip(frame["street"], frame["house_number"])]
    city = frame["city"].map(normalise_city).to_numpy()
    postcode = frame["postcode"].map(normalise_postcode).to_numpy()
    lat, lon = frame["lat"].to_numpy(float), frame["lon"].to_numpy(float)
    nodes = frame["is_node"].to_numpy()
    place = np.array(place, dtype=object)
    covered = has_twin(place, city, postcode, lat, lon, place[nodes], city[nodes], postcode[nodes], lat[nodes],
                       lon[nodes])
    frame = frame[nodes | ~covered]
    frame = _one_row_per_unit(frame)
    # The same address, unit and name twice (a node drawn twice) is one door, but only in one town and nearby.
    key = [place_key(street, number, unit) + "|" + (name.casefold() if isinstance(name, str) else "")
           for street, number, unit, name
           in zip(frame["street"], frame["house_number"], frame["unit"], frame["name"])]
    join = join_households(key, frame["city"].map(normalise_city).to_numpy(),
                           frame["postcode"].map(normalise_postcode).to_numpy(), frame["lat"].to_numpy(float),
                           frame["lon"].to_numpy(float))
    frame = frame[join.door == np.arange(len(frame))]
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
