"""Reading voter and customer files: columns, ids, encodings, placing rows and grouping households."""
from __future__ import annotations

import pandas as pd
import pytest

from fieldops.domain.addresses import normalise_unit
from fieldops.errors import InvalidInput
from fieldops.importers.doors import group_households, place_rows, read_door_rows, same_address

from .conftest import tiger_frame, voter_rows


@pytest.fixture
def blocks():
    return tiger_frame().to_crs(4326).rename(columns={"GEOID20": "source_id"})


def write(tmp_path, frame: pd.DataFrame, name="voters.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def test_aliases_map_to_our_columns(voter_csv):
    rows = read_door_rows(voter_csv).rows
    assert {"id", "street", "house_number", "unit", "postcode", "lat", "lon", "first_name", "age"} <= set(rows)
    assert rows["row"].iloc[0] == 2  # the header is line 1


def test_rows_at_one_address_become_one_door_with_people(voter_csv, blocks):
    parsed = read_door_rows(voter_csv)
    placement = place_rows(parsed.rows, blocks)
    doors, people = group_households(placement.placed(parsed.rows))
    assert len(placement.rejects(parsed.rows)) == 0
    assert len(doors) == 12 and len(people) == 18
    sizes = people.groupby("door_source_id").size()
    assert sorted(sizes.value_counts().to_dict().items()) == [(1, 6), (2, 6)]


def test_unit_spellings_are_one_door(tmp_path, blocks):
    frame = voter_rows(blocks).head(1)
    spellings = ["Apt 4B", "#4B", "4b", "Unit 4 B"]
    frame = pd.concat([frame.assign(voter_id=f"U{i}", unit=u) for i, u in enumerate(spellings)])
    parsed = read_door_rows(write(tmp_path, frame))
    doors, people = group_households(place_rows(parsed.rows, blocks).placed(parsed.rows))
    assert len(doors) == 1 and len(people) == 4
    assert {normalise_unit(s) for s in spellings} == {"4B"}


def test_rejects_by_reason(tmp_path, blocks):
    frame = voter_rows(blocks).head(4).copy()
    frame.loc[0, ["latitude", "longitude"]] = [None, None]                              # no coordinates
    frame.loc[1, ["latitude", "longitude"]] = [frame.loc[1, "longitude"], frame.loc[1, "latitude"]]  # swapped
    frame.loc[2, ["latitude", "longitude"]] = [10.0, 10.0]                             # far away
    rows = read_door_rows(write(tmp_path, frame)).rows
    placement = place_rows(rows, blocks)
    rejects = placement.rejects(rows)
    assert dict(zip(rejects["row"], rejects["reason"])) == {2: "no_coordinates", 3: "swapped_lat_lon",
                                                             4: "outside_blocks"}
    assert list(placement.placed(rows)["row"]) == [5]
    assert placement.reject_counts() == {"no_coordinates": 1, "swapped_lat_lon": 1, "outside_blocks": 1}


def expect_error(path, match):
    with pytest.raises(InvalidInput, match=match) as caught:
        read_door_rows(path)
    assert path.name in caught.value.message
    return caught.value


def test_missing_required_column(tmp_path, blocks):
    error = expect_error(write(tmp_path, voter_rows(blocks).drop(columns=["latitude"])), "lacks the column 'lat'")
    assert error.field == "lat"


def read_rejects(path) -> dict[int, str]:
    rejects = read_door_rows(path).rejects
    return dict(zip(rejects["row"], rejects["reason"]))


def test_a_repeated_id_is_a_reject_naming_the_row(tmp_path, blocks):
    frame = voter_rows(blocks)
    frame.loc[5, "voter_id"] = frame.loc[1, "voter_id"]
    assert read_rejects(write(tmp_path, frame)) == {7: "repeated_id"}  # the first (row 3) is kept


def test_row_problems_are_rejects_and_the_rest_is_read(tmp_path, blocks):
    frame = voter_rows(blocks)
    frame.loc[3, "voter_id"] = None
    frame.loc[2, "street"] = None
    frame.loc[6, "house_number"] = None
    frame.loc[0, "age"] = "old"
    path = write(tmp_path, frame)
    assert read_rejects(path) == {2: "bad_age", 4: "no_street", 5: "no_id", 8: "no_house_number"}
    assert len(read_door_rows(path).rows) == len(frame) - 4


def test_a_file_of_only_bad_rows_is_refused(tmp_path, blocks):
    frame = voter_rows(blocks).head(3)
    frame["house_number"] = None
    error = expect_error(write(tmp_path, frame), "has no usable row .*no house number")
    assert error.row == 2


def test_latin1_is_read_with_a_warning_naming_the_line(tmp_path, blocks):
    path = tmp_path / "latin1.csv"
    text = voter_rows(blocks).head(3).to_csv(index=False).replace("Nicollet", "Nicollét")
    path.write_bytes(text.encode("latin-1"))
    parsed = read_door_rows(path)
    assert parsed.rows["street"].str.contains("Nicollét").any()
    assert len(parsed.warnings) == 1 and "not UTF-8" in parsed.warnings[0] and "line 2" in parsed.warnings[0]


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("\n")
    expect_error(path, "file empty.csv: is empty: it has no header and no rows")


def test_a_household_at_a_known_address_joins_that_door_however_it_is_spelt():
    new = pd.DataFrame({"source_id": ["addr-1", "addr-2", "addr-3", "addr-4"],
                        "street": ["Nicollet  ave", "Nicollet Ave", "Hennepin Ave", "Lake St"],
                        "house_number": ["100 a", "101", "200", "7"], "unit": ["", "", "#2", ""],
                        "postcode": ["55401", "55401", "", "55408"]})
    known = pd.DataFrame({"source_id": ["node/9", "way/8", "node/7"],
                          "street": ["Nicollet Ave", "Hennepin Ave", "Lake St"],
                          "house_number": ["100A", "200", "7"], "unit": [None, "Apt 2", None],
                          "postcode": [None, "55401", "55409"]})
    # (None of these frames has coordinates: all stand at one spot, so only the address and town decide.)
    # 100 a / 100A agree (no postcode on the known door); #2 and Apt 2 are one unit; 101 is nowhere known;
    # Lake St 7 is in another postcode, so another place.
    assert same_address(new, known) == {"addr-1": "node/9", "addr-3": "way/8"}
    assert same_address(new, known.iloc[0:0]) == {}
    # One known door takes one household: the same street address in two postcodes is two places.
    twins = pd.DataFrame({"source_id": ["addr-5", "addr-6"], "street": ["Lake St", "Lake St"],
                          "house_number": ["9", "9"], "unit": ["", ""], "postcode": ["55408", "55409"]})
    bare = pd.DataFrame({"source_id": ["node/1"], "street": ["Lake St"], "house_number": ["9"], "unit": [None],
                         "postcode": [None]})
    assert same_address(twins, bare) == {"addr-5": "node/1"}
