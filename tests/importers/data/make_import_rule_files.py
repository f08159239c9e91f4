"""Write the small files of the import-rule tests (issue 16), each shaped like a real file that went wrong.

    .venv/bin/python tests/importers/data/make_import_rule_files.py

Made up by hand (no real people; the places are real towns, the streets and numbers invented), each after the
shape of a public file named in issue 16:

- ``five_towns.csv`` + ``five_towns_blocks.geojson``: a county voter file with ZIP-code points, as the US county
  files were: "Main St 6" in five towns (two with blank ZIP codes), a two-person household, and one "Main St 6"
  of Northfield written twice 900 m apart (two places). Headers as such exports spell them ("Voter ID",
  "ZIP Code", "Latitude"). The blocks are one square per town.
- ``postal_zone.csv``: the same kind of file with the postcode headed "Postal Zone" and the unit "Apt No",
  spellings we do not know, and a "Precinct" column nothing reads.
- ``semicolon_finnish.csv``: a Finnish spreadsheet export: semicolons, decimal commas (``60,1699``),
  coordinates "N/A" and "-", one blank house number.
- ``two_layers.gpkg`` and ``two_shapefiles.zip``: a GeoPackage and a zip holding blocks and block groups, as
  state GIS portals ship them.
- ``counties.topojson``: two counties as a TopoJSON topology (one shared arc), as d3 / us-atlas ship them.
- ``counties_one_null.geojson``: three counties, one with a null geometry (as a census download had).
"""
from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

HERE = Path(__file__).parent
# Five Minnesota towns 10 to 60 km apart: (name, ZIP, lon, lat).
TOWNS = [("Northfield", "55057", -93.161, 44.458), ("Faribault", "55021", -93.269, 44.295),
         ("Owatonna", "55060", -93.226, 44.084), ("Red Wing", "55066", -92.534, 44.562),
         ("Hastings", "55033", -92.852, 44.744)]
HALF = 0.01  # each town's block: 0.02 degrees square (about 1.6 km by 2.2 km)


def five_towns() -> None:
    blocks = gpd.GeoDataFrame({"GEOID20": [f"27049{i:06d}" for i in range(len(TOWNS))],
                               "NAME": [t[0] for t in TOWNS]},
                              geometry=[shapely.box(lon - HALF, lat - HALF, lon + HALF, lat + HALF)
                                        for _, _, lon, lat in TOWNS], crs="EPSG:4326")
    blocks.to_file(HERE / "five_towns_blocks.geojson", driver="GeoJSON")
    rows = []
    for i, (town, zip_code, lon, lat) in enumerate(TOWNS):
        rows.append({"Voter ID": f"MN{i:04d}", "First Name": "Pat", "Last Name": f"Main{i}", "Street": "Main St",
                     "House Number": "6", "Unit": "", "City": town, "ZIP Code": "" if i in (1, 3) else zip_code,
                     "Latitude": lat, "Longitude": lon})
    north = TOWNS[0]
    rows.append({"Voter ID": "MN0100", "First Name": "Sam", "Last Name": "Main0", "Street": "MAIN ST",
                 "House Number": "6", "Unit": "", "City": "northfield", "ZIP Code": "",
                 "Latitude": north[3] + 0.0003, "Longitude": north[2]})  # 33 m away: the same household
    rows.append({"Voter ID": "MN0101", "First Name": "Lee", "Last Name": "Far", "Street": "Main St",
                 "House Number": "6", "Unit": "", "City": "Northfield", "ZIP Code": north[1],
                 "Latitude": north[3] + 0.0081, "Longitude": north[2]})  # 900 m away: another place
    pd.DataFrame(rows).to_csv(HERE / "five_towns.csv", index=False)


def postal_zone() -> None:
    town, zip_code, lon, lat = TOWNS[0]
    rows = [{"voter_id": f"PZ{i}", "street": "Water St", "house_number": str(10 + 2 * i), "Apt No": "2" if i else "",
             "city": town, "Postal Zone": zip_code, "Precinct": "P-3", "lat": lat + i * 0.0005, "lon": lon}
            for i in range(4)]
    pd.DataFrame(rows).to_csv(HERE / "postal_zone.csv", index=False)


def semicolon_finnish() -> None:
    lines = ["id;street;house_number;city;postcode;lat;lon",
             "FI1;Kauppalankatu;3;Kouvola;45100;60,8679;26,7042",
             "FI2;Kauppalankatu;5;Kouvola;45100;60,8681;26,7046",
             "FI3;Kauppalankatu;;Kouvola;45100;60,8683;26,7050",
             "FI4;Salpausselänkatu;12;Kouvola;45100;N/A;N/A",
             "FI5;Salpausselänkatu;14;Kouvola;45100;-;-"]
    (HERE / "semicolon_finnish.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _frame(prefix: str, cells: int, size: float, lon=-93.27, lat=44.98) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"GEOID20": [f"{prefix}{i:04d}" for i in range(cells)], "HOUSING20": [5 + i for i in range(cells)]},
                            geometry=[shapely.box(lon + i * size, lat, lon + (i + 1) * size, lat + size)
                                      for i in range(cells)], crs="EPSG:4326").to_crs("EPSG:26915")


def layered() -> None:
    target = HERE / "two_layers.gpkg"
    target.unlink(missing_ok=True)
    _frame("2705310", 4, 0.002).to_file(target, layer="tabblock20", driver="GPKG")
    _frame("27053", 2, 0.004).to_file(target, layer="bg20", driver="GPKG")
    folder = Path(tempfile.mkdtemp())
    try:
        _frame("2705310", 4, 0.002).to_file(folder / "tl_2020_27_tabblock20.shp")
        _frame("27053", 2, 0.004).to_file(folder / "tl_2020_27_bg20.shp")
        with zipfile.ZipFile(HERE / "two_shapefiles.zip", "w") as archive:
            for part in sorted(folder.iterdir()):
                archive.write(part, part.name)
    finally:
        shutil.rmtree(folder)


def topojson() -> None:
    # Two counties side by side sharing arc 1 (the border): west is arcs 0, 1, 3; east is arc 1 reversed (~1),
    # then arc 2 round to its start. Not quantized (no "transform"), in longitude and latitude as us-atlas is.
    arcs = [[[-93.30, 44.90], [-93.30, 45.00], [-93.20, 45.00]],
            [[-93.20, 45.00], [-93.20, 44.90]],
            [[-93.20, 45.00], [-93.10, 45.00], [-93.10, 44.90], [-93.20, 44.90]],
            [[-93.20, 44.90], [-93.30, 44.90]]]
    west = {"type": "Polygon", "arcs": [[0, 1, 3]], "properties": {"GEOID": "27001", "NAME": "West", "HOUSING": 120}}
    east = {"type": "Polygon", "arcs": [[~1, 2]], "properties": {"GEOID": "27003", "NAME": "East", "HOUSING": 80}}
    topology = {"type": "Topology", "objects": {"counties": {"type": "GeometryCollection",
                                                             "geometries": [west, east]}}, "arcs": arcs}
    (HERE / "counties.topojson").write_text(json.dumps(topology) + "\n")


def null_geometry() -> None:
    frame = gpd.GeoDataFrame({"GEOID": ["27001", "27003", "27005"], "NAME": ["West", "Lost", "East"],
                              "HOUSING": [120, 15, 80]},
                             geometry=[shapely.box(-93.3, 44.9, -93.2, 45.0), None,
                                       shapely.box(-93.2, 44.9, -93.1, 45.0)], crs="EPSG:4326")
    frame.to_file(HERE / "counties_one_null.geojson", driver="GeoJSON")


if __name__ == "__main__":
    five_towns()
    postal_zone()
    semicolon_finnish()
    layered()
    topojson()
    null_geometry()
    print("wrote", ", ".join(sorted(p.name for p in HERE.iterdir() if p.suffix != ".py")))
