"""Write rural.osm.pbf and paths_only.osm.pbf: two tiny made-up OpenStreetMap extracts for issue 16.

Shaped after the extracts of small Finnish towns that went wrong: most houses there carry no address, and an
extract of a park or a forest holds only footpaths and service roads.

- ``rural.osm.pbf``: two street blocks (streets Kauppalankatu and Koulukatu east-west, three cross streets),
  a residential landuse over the western block, and buildings: an addressed house (Kauppalankatu 3), a house
  and a ``building=yes`` without addresses in the residential west, a ``building=yes`` (a barn, say) and a
  ``building=detached`` without addresses in the east with no landuse, a garage, and an apartment
  building without an address whose entrance node carries one (Koulukatu 8).
- ``paths_only.osm.pbf``: a footway, a path and two service roads, and one address point.

Made up for the tests (no real place); regenerate with pyosmium, which the app itself does not need:

    python -m venv /tmp/osm && /tmp/osm/bin/pip install osmium
    /tmp/osm/bin/python tests/importers/data/make_rural_osm.py
"""
from __future__ import annotations

from pathlib import Path

import osmium

HERE = Path(__file__).parent
WEST, SOUTH = 26.7000, 60.8700
DX, DY = 0.0040, 0.0020  # one block: about 217 m by 222 m at 61° N
STAMP = "2026-01-01T00:00:00Z"


class Extract:
    def __init__(self, name: str):
        target = HERE / name
        target.unlink(missing_ok=True)
        self.writer = osmium.SimpleWriter(str(target))
        self.node_id = 0
        self.way_id = 0

    def node(self, lon: float, lat: float, tags: dict | None = None) -> int:
        self.node_id += 1
        self.writer.add_node(osmium.osm.mutable.Node(id=self.node_id, location=(lon, lat), tags=tags or {},
                                                     version=1, timestamp=STAMP))
        return self.node_id

    def way(self, refs: list[int], tags: dict) -> int:
        self.way_id += 1
        self.writer.add_way(osmium.osm.mutable.Way(id=self.way_id, nodes=refs, version=1, timestamp=STAMP,
                                                   tags=tags))
        return self.way_id

    def box(self, lon: float, lat: float, width: float, height: float, tags: dict) -> int:
        ring = [self.node(lon, lat), self.node(lon + width, lat), self.node(lon + width, lat + height),
                self.node(lon, lat + height)]
        return self.way([*ring, ring[0]], tags)

    def close(self) -> None:
        self.writer.close()


def rural() -> None:
    osm = Extract("rural.osm.pbf")
    # Landuse first: pyrosm keeps node order, and its nodes must exist before the ways.
    corner = {(i, j): osm.node(WEST + i * DX, SOUTH + j * DY) for i in range(3) for j in range(2)}
    osm.way([corner[(i, 1)] for i in range(3)], {"highway": "residential", "name": "Kauppalankatu"})
    osm.way([corner[(i, 0)] for i in range(3)], {"highway": "residential", "name": "Koulukatu"})
    for i, name in enumerate(("Länsikatu", "Keskikatu", "Itäkatu")):
        osm.way([corner[(i, 0)], corner[(i, 1)]], {"highway": "residential", "name": name})
    osm.box(WEST + DX * 0.02, SOUTH + DY * 0.02, DX * 0.96, DY * 0.96, {"landuse": "residential"})
    house = {"width": 0.0002, "height": 0.0001}
    osm.box(WEST + DX * 0.3, SOUTH + DY * 0.85, **house,
            tags={"building": "house", "addr:street": "Kauppalankatu", "addr:housenumber": "3"})
    osm.box(WEST + DX * 0.6, SOUTH + DY * 0.85, **house, tags={"building": "house"})       # near Kauppalankatu
    osm.box(WEST + DX * 0.5, SOUTH + DY * 0.1, **house, tags={"building": "yes"})          # near Koulukatu
    osm.box(WEST + DX * 0.2, SOUTH + DY * 0.5, **house, tags={"building": "garage"})       # no door
    osm.box(WEST + DX * 1.5, SOUTH + DY * 0.5, **house, tags={"building": "yes"})          # east, no landuse
    osm.box(WEST + DX * 1.95, SOUTH + DY * 0.4, **house, tags={"building": "detached"})    # near Itäkatu
    # Apartments without an address of their own, but an addressed entrance inside: one door, the entrance's.
    osm.box(WEST + DX * 1.2, SOUTH + DY * 0.15, width=0.0004, height=0.0002, tags={"building": "apartments"})
    osm.node(WEST + DX * 1.2 + 0.0002, SOUTH + DY * 0.15 + 0.0001,
             {"entrance": "main", "addr:street": "Koulukatu", "addr:housenumber": "8"})
    osm.close()


def paths_only() -> None:
    osm = Extract("paths_only.osm.pbf")
    a, b, c = osm.node(WEST, SOUTH), osm.node(WEST + DX, SOUTH), osm.node(WEST + DX, SOUTH + DY)
    d = osm.node(WEST, SOUTH + DY)
    osm.way([a, b], {"highway": "footway"})
    osm.way([b, c], {"highway": "path"})
    osm.way([c, d], {"highway": "service"})
    osm.way([d, a], {"highway": "service", "service": "driveway"})
    osm.node(WEST + DX / 2, SOUTH + DY / 2, {"addr:street": "Puistotie", "addr:housenumber": "1"})
    osm.close()


if __name__ == "__main__":
    rural()
    paths_only()
    print("wrote rural.osm.pbf and paths_only.osm.pbf")
