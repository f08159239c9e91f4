"""Issue 16's import rules end to end (flask import-blocks / import-doors on the database): households of
different towns never merge, near misses and unused columns are reported, bad rows are rejects in the
rejects file, and a file of several layers needs --layer. Files: tests/importers/data (see its generator's
docstring for the real files they are shaped after)."""
from __future__ import annotations

import csv
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import func, select

from fieldops.domain.addresses import distance_m
from fieldops.extensions import db
from fieldops.models import Block, Door, Person
from fieldops.services import territory
from fieldops.services.users import office_by_name

DATA = Path(__file__).resolve().parent.parent / "importers" / "data"


def run(runner, *args):
    return runner.invoke(args=[*args])


def blocks_of_five_towns(runner):
    result = run(runner, "import-blocks", str(DATA / "five_towns_blocks.geojson"), "--office", "Rice County",
                 "--region", "Minnesota")
    assert result.exit_code == 0, result.output


def doors_with_people():
    rows = db.session.execute(select(Door.id, Door.city, Door.lat, Door.lon, Person.source_id)
                              .join(Person, Person.door_id == Door.id)).all()
    return rows


def test_no_household_joins_a_door_of_another_town_or_farther_than_the_bound(runner):
    blocks_of_five_towns(runner)
    result = run(runner, "import-doors", str(DATA / "five_towns.csv"), "--office", "Rice County")
    assert result.exit_code == 0, result.output
    assert "doors: 6 new" in result.output
    assert "kept apart: 5 households at the street address of another door" in result.output
    assert "over 150 m" in result.output and "1 of them in the door's own town" in result.output
    assert "(e.g. row 8: Main St 6 (Northfield)" in result.output  # the suspicious one first
    source = {row["Voter ID"]: row for row in csv.DictReader((DATA / "five_towns.csv").open())}
    by_door: dict[int, list] = {}
    for door_id, _city, lat, lon, person in doors_with_people():
        by_door.setdefault(door_id, []).append((lat, lon, source[person]))
    assert len(by_door) == 6
    for members in by_door.values():
        assert len({m[2]["City"].casefold() for m in members}) == 1
        for lat, lon, row in members:
            assert distance_m(lat, lon, float(row["Latitude"]), float(row["Longitude"])) <= 150


def test_the_distance_bound_is_a_setting(runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "DOOR_JOIN_DISTANCE_M", 1000)
    blocks_of_five_towns(runner)
    result = run(runner, "import-doors", str(DATA / "five_towns.csv"), "--office", "Rice County")
    assert result.exit_code == 0, result.output
    assert "doors: 5 new" in result.output and "over 1000 m" in result.output  # the far twin joins at 1 km


def test_a_household_joins_a_known_door_only_in_its_own_town(runner):
    blocks_of_five_towns(runner)
    office = office_by_name("Rice County")
    blocks = territory.office_blocks_frame(office)
    faribault = int(blocks.loc[blocks["source_id"] == "27049000001", "id"].iloc[0])
    # An OpenStreetMap door "Main St 6" in Faribault, a few metres from the voter file's point.
    territory.write_doors(office, pd.DataFrame([{
        "source_id": "node/42", "block_id": faribault, "street": "Main St", "house_number": "6", "unit": None,
        "city": "Faribault", "postcode": None, "name": None, "lat": 44.2951, "lon": -93.2690}]))
    db.session.commit()
    result = run(runner, "import-doors", str(DATA / "five_towns.csv"), "--office", "Rice County")
    assert result.exit_code == 0, result.output
    joined = db.session.scalars(select(Person.source_id).join(Door).where(Door.source_id == "node/42")).all()
    assert joined == ["MN0001"]  # Faribault's household; the other four towns' Main St 6 stay away


def test_address_like_columns_are_a_warning_and_unused_ones_listed(runner):
    blocks_of_five_towns(runner)
    result = run(runner, "import-doors", str(DATA / "postal_zone.csv"), "--office", "Rice County",
                 "--map", "Precinct=-")
    assert result.exit_code == 0, result.output
    assert "kept as tags: Apt No, Postal Zone" in result.output and "columns not used: Precinct" in result.output
    assert "warning: column 'Postal Zone' looks like part of an address" in result.output
    assert "warning: column 'Apt No' looks like part of an address" in result.output
    assert "warning: column 'Precinct'" not in result.output


def test_a_semicolon_file_is_imported_and_its_bad_rows_go_to_the_rejects_file(runner, tmp_path):
    blocks = gpd.GeoDataFrame({"source_id": ["kv-1"]}, geometry=[shapely.box(26.69, 60.86, 26.72, 60.875)],
                              crs="EPSG:4326")
    path = tmp_path / "kouvola.geojson"
    blocks.to_file(path, driver="GeoJSON")
    assert run(runner, "import-blocks", str(path), "--office", "Kouvola", "--region", "Kymenlaakso",
               "--id-field", "source_id").exit_code == 0
    rejects = tmp_path / "rejects.csv"
    result = run(runner, "import-doors", str(DATA / "semicolon_finnish.csv"), "--office", "Kouvola",
                 "--rejects", str(rejects))
    assert result.exit_code == 0, result.output
    assert "doors: 2 new" in result.output
    assert "rejected rows: 3 (1 no house number, 2 missing coordinates (N/A))" in result.output
    rows = list(csv.DictReader(rejects.open()))
    assert [(r["row"], r["reason"], r["id"]) for r in rows] == [
        ("4", "no house number", "FI3"), ("5", "missing coordinates (N/A)", "FI4"),
        ("6", "missing coordinates (N/A)", "FI5")]


def test_import_blocks_writes_its_rejects_and_needs_a_layer_of_several(runner, tmp_path):
    rejects = tmp_path / "rejects.csv"
    result = run(runner, "import-blocks", str(DATA / "counties_one_null.geojson"), "--office", "Counties",
                 "--region", "Minnesota", "--id-field", "GEOID", "--doors-field", "HOUSING", "--rejects", str(rejects))
    assert result.exit_code == 0, result.output
    assert "blocks: 2 new" in result.output and "rejected rows: 1 (1 no geometry)" in result.output
    assert "columns not used: NAME" in result.output
    assert [(r["row"], r["id"], r["reason"]) for r in csv.DictReader(rejects.open())] == [("2", "27003", "no geometry")]

    before = db.session.scalar(select(func.count(Block.id)))
    result = run(runner, "import-blocks", str(DATA / "two_layers.gpkg"), "--office", "Counties")
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "holds 2 layers" in result.output and "tabblock20" in result.output and "bg20" in result.output
    assert db.session.scalar(select(func.count(Block.id))) == before
    result = run(runner, "import-blocks", str(DATA / "two_layers.gpkg"), "--office", "Counties", "--layer", "bg20")
    assert result.exit_code == 0, result.output
    assert "layer: bg20" in result.output and "blocks: 2 new" in result.output
