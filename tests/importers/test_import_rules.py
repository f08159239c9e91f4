"""Issue 16's file rules, read without a database: households of different towns never merge, unused and
address-like columns are named, semicolons / decimal commas / N/A are read for what they are, layers are
chosen, TopoJSON is read and one bad feature is a reject.

The files in ``data/`` are made by ``data/make_import_rule_files.py``; its docstring says which real file
each is shaped after.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fieldops.domain.addresses import distance_m, join_households, same_town
from fieldops.errors import InvalidInput
from fieldops.importers.blocks import read_blocks
from fieldops.importers.doors import group_households, looks_like_address_part, place_rows, read_door_rows

DATA = Path(__file__).parent / "data"


def test_the_rule_same_address_same_town_and_near():
    assert same_town("northfield", "55057", "faribault", "55057")      # postcodes decide when both have one
    assert not same_town("northfield", "55057", "northfield", "55021")
    assert not same_town("northfield", "", "faribault", "")            # blank postcodes never match: cities decide
    assert same_town("", "", "faribault", "55021")                     # nothing to compare: distance decides
    join = join_households(["main|6|"] * 4, ["a", "b", "a", "a"], ["", "", "", ""],
                           [44.0, 44.0, 44.0003, 44.01], [-93.0] * 4, bound_m=150)
    assert join.door.tolist() == [0, 1, 0, 3]                          # b: another town; row 3: 1.1 km away
    assert join.near_miss.tolist() == [False, True, False, True]
    assert join.too_far.tolist() == [False, False, False, True]        # row 3 is in the door's town
    assert distance_m(60.0, 25.0, 60.0, 25.0) == 0 and 110_000 < distance_m(44, -93, 45, -93) < 112_000


def test_five_main_st_6_of_five_towns_are_five_doors_and_a_far_twin_a_sixth():
    blocks = read_blocks(DATA / "five_towns_blocks.geojson").blocks
    parsed = read_door_rows(DATA / "five_towns.csv")
    assert "ZIP Code" not in parsed.unused_columns  # "ZIP Code", "Voter ID", "Latitude": spellings we know
    placed = place_rows(parsed.rows, blocks).placed(parsed.rows)
    doors, people = group_households(placed)
    assert len(doors) == 6 and len(people) == 7
    town_of = dict(zip(parsed.rows["id"], parsed.rows["city"].str.casefold()))
    for _door, members in people.groupby("door_source_id"):
        assert len({town_of[person] for person in members["source_id"]}) == 1
    together = people.groupby("door_source_id")["source_id"].apply(sorted).tolist()
    assert ["MN0000", "MN0100"] in together  # same town (no ZIP on one: the city agrees), 33 m apart
    assert ["MN0101"] in together            # Northfield's Main St 6 again, 900 m away: another place
    assert int(doors["near_miss"].sum()) == 5  # four other towns and the far twin, each kept apart, reported
    assert doors.loc[doors["too_far"], "row"].tolist() == [8]  # the far twin: in Northfield, but 900 m away
    assert doors["source_id"].is_unique


def test_unused_columns_are_listed_and_address_like_ones_warned(tmp_path):
    parsed = read_door_rows(DATA / "postal_zone.csv")
    assert parsed.unused_columns == ["Apt No", "Postal Zone", "Precinct"]
    assert parsed.address_like_columns == ["Apt No", "Postal Zone"]
    assert "postcode" not in parsed.rows and "unit" not in parsed.rows
    assert all(map(looks_like_address_part, ["ZIP5", "PostCode", "Town name", "municipality_code", "Suite",
                                             "FLAT_NO"]))
    assert not any(map(looks_like_address_part, ["Precinct", "community", "Party", "Voted2024"]))


def test_a_semicolon_file_with_decimal_commas_and_n_a_is_read():
    parsed = read_door_rows(DATA / "semicolon_finnish.csv")
    assert parsed.separator == ";"
    assert parsed.rows["lat"].tolist() == pytest.approx([60.8679, 60.8681])
    assert parsed.rows["lon"].tolist() == pytest.approx([26.7042, 26.7046])
    reasons = dict(zip(parsed.rejects["row"], parsed.rejects["reason"]))
    assert reasons == {4: "no_house_number", 5: "missing_coordinates", 6: "missing_coordinates"}


def test_a_file_of_several_layers_is_refused_with_their_names_unless_one_is_chosen():
    for name, layers, chosen in (("two_layers.gpkg", "tabblock20, bg20", "tabblock20"),
                                 ("two_shapefiles.zip", "tl_2020_27_bg20, tl_2020_27_tabblock20",
                                  "tl_2020_27_tabblock20")):
        with pytest.raises(InvalidInput, match=f"holds 2 layers \\(({layers}|{', '.join(reversed(layers.split(', ')))})\\)"
                           ".*--layer NAME") as caught:
            read_blocks(DATA / name)
        assert name in caught.value.message and caught.value.field == "layer"
        result = read_blocks(DATA / name, layer=chosen)
        assert len(result.blocks) == 4 and result.layer == chosen
        assert len(read_blocks(DATA / name, layer=chosen.replace("tabblock20", "bg20")).blocks) == 2
        with pytest.raises(InvalidInput, match="has no layer 'roads'"):
            read_blocks(DATA / name, layer="roads")


def test_topojson_is_read_in_longitude_and_latitude():
    result = read_blocks(DATA / "counties.topojson", id_field="GEOID", doors_field="HOUSING")
    assert result.blocks["source_id"].tolist() == ["27001", "27003"]
    assert result.blocks.crs.to_epsg() == 4326 and result.blocks.geometry.is_valid.all()
    assert result.blocks["housing_units"].tolist() == [120, 80]
    assert result.unused_columns == ["id", "NAME"]


def test_projected_topojson_says_what_it_is_and_how_to_convert(tmp_path):
    text = (DATA / "counties.topojson").read_text().replace("-93.", "-930000.").replace("44.9", "4490000").replace(
        "45.0", "4500000")
    path = tmp_path / "albers.topojson"
    path.write_text(text)
    with pytest.raises(InvalidInput, match="is TopoJSON .*ogr2ogr -a_srs") as caught:
        read_blocks(path, id_field="GEOID")
    assert ".prj" not in caught.value.message


def test_a_county_without_geometry_is_a_reject_and_the_others_are_read():
    result = read_blocks(DATA / "counties_one_null.geojson", id_field="GEOID", doors_field="HOUSING")
    assert result.blocks["source_id"].tolist() == ["27001", "27005"]
    assert result.rejects[["row", "id", "reason"]].values.tolist() == [[2, "27003", "no_geometry"]]
    assert np.isin(["NAME"], result.rejects.columns).all()


def sequential_join(place, city, postcode, lat, lon, bound_m):
    """The rule row by row, as a person would apply it: the reference for the vectorised one."""
    door, near, made = list(range(len(place))), [False] * len(place), {}
    for row in range(len(place)):
        for other in made.get(place[row], []):
            if same_town(city[row], postcode[row], city[other], postcode[other]) and (
                    distance_m(lat[row], lon[row], lat[other], lon[other]) <= bound_m):
                door[row] = other
                break
        else:
            near[row] = bool(made.get(place[row]))
            made.setdefault(place[row], []).append(row)
    return door, near


def test_the_vectorised_rule_is_the_row_by_row_rule():
    rng = np.random.default_rng(16)
    n = 3000
    place = rng.choice([f"main st|{k}|" for k in range(40)], n)
    city = rng.choice(["", "a", "b", "c"], n, p=[0.2, 0.3, 0.3, 0.2])
    postcode = rng.choice(["", "1", "2"], n, p=[0.5, 0.3, 0.2])
    lat = 44 + rng.choice([0.0, 0.001, 0.002, 0.05], n) + rng.normal(0, 0.0003, n)
    lon = -93 + rng.normal(0, 0.0003, n)
    join = join_households(place, city, postcode, lat, lon, 150)
    door, near = sequential_join(place, city, postcode, lat, lon, 150)
    assert join.door.tolist() == door and join.near_miss.tolist() == near
    assert (join.too_far <= join.near_miss).all() and join.too_far.any()
