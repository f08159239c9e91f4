"""Write flats.osm.pbf: a tiny made-up OpenStreetMap extract for the import tests of flats.

Two street blocks (three north-south streets, two east-west ones) and, in the
western block, one address per way OpenStreetMap records the flats behind a
door: ``addr:flats`` as a range, a lettered range, a list, a range and a
list, a ``building:flats`` count on an addressed building, a single
``addr:unit``, no unit at all, and a flats text nobody can read as numbers.
Made up for the tests (no real place); regenerate with pyosmium, which the
app itself does not need:

    python -m venv /tmp/osm && /tmp/osm/bin/pip install osmium
    /tmp/osm/bin/python tests/importers/data/make_flats_osm.py
"""
from __future__ import annotations

from pathlib import Path

import osmium

HERE = Path(__file__).parent
WEST, SOUTH = 24.9400, 60.1700
DX, DY = 0.0020, 0.0010  # one block: about 111 m by 111 m at 60° N

# What each address point carries besides its street and number: the import tests' expectations.
ADDRESSES = [
    ("1", {"addr:flats": "1-64"}),
    ("3", {"addr:flats": "A1-A12"}),
    ("5", {"addr:flats": "1;2;5"}),
    ("7", {"addr:flats": "7;1-3"}),
    ("11", {"addr:unit": "B 4"}),
    ("13", {}),
    ("15", {"addr:flats": "1-64 except 13"}),
]


def main() -> None:
    target = HERE / "flats.osm.pbf"
    target.unlink(missing_ok=True)
    writer = osmium.SimpleWriter(str(target))
    node_id = 0

    def node(lon: float, lat: float, tags: dict | None = None) -> int:
        nonlocal node_id
        node_id += 1
        writer.add_node(osmium.osm.mutable.Node(id=node_id, location=(lon, lat), tags=tags or {},
                                                version=1, timestamp="2026-01-01T00:00:00Z"))
        return node_id

    # The street grid: corners, then one way per street.
    corner = {(i, j): node(WEST + i * DX, SOUTH + j * DY) for i in range(3) for j in range(2)}
    streets = [("Pohjoiskatu", [corner[(i, 1)] for i in range(3)]), ("Eteläkatu", [corner[(i, 0)] for i in range(3)])]
    streets += [(f"Poikkikatu {i + 1}", [corner[(i, 0)], corner[(i, 1)]]) for i in range(3)]
    for way_id, (name, refs) in enumerate(streets, start=1):
        writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=refs, version=1, timestamp="2026-01-01T00:00:00Z",
                                              tags={"highway": "residential", "name": name}))

    # Address points along the middle of the western block.
    for n, (number, extra) in enumerate(ADDRESSES):
        node(WEST + DX * (n + 1) / (len(ADDRESSES) + 2), SOUTH + DY * 0.6,
             {"addr:street": "Testikatu", "addr:housenumber": number, "addr:city": "Helsinki", **extra})

    # An addressed apartment building that only says how many flats it has.
    lon, lat = WEST + DX * 0.5, SOUTH + DY * 0.3
    ring = [node(lon, lat), node(lon + 0.0002, lat), node(lon + 0.0002, lat + 0.0001), node(lon, lat + 0.0001)]
    writer.add_way(osmium.osm.mutable.Way(
        id=100, nodes=[*ring, ring[0]], version=1, timestamp="2026-01-01T00:00:00Z",
        tags={"building": "apartments", "building:flats": "6", "addr:street": "Testikatu",
              "addr:housenumber": "9", "addr:city": "Helsinki"}))
    writer.close()
    print(f"wrote {target} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
