"""Door files as the field's tools export them (issue 21.1): VAN's UTF-16 '.xls', Ecanvasser and
NationBuilder CSVs, read by their own column names. Samples: tests/importers/data/make_format_samples.py."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from fieldops.errors import InvalidInput
from fieldops.importers.columns import guess_mapping, parse_map_options
from fieldops.importers.doors import read_door_rows

DATA = Path(__file__).resolve().parent / "data"


def test_a_van_export_is_utf16_tab_text_with_one_string_addresses():
    parsed = read_door_rows(DATA / "van_export.xls")
    assert parsed.table_format == "utf-16 text, tab-separated" and parsed.warnings == []
    assert parsed.mapping["Voter File VANID"] == "id" and parsed.mapping["vAddress"] == "address"
    assert parsed.mapping["Zip5"] == "postcode" and parsed.mapping["FirstName"] == "first_name"
    first = parsed.rows.iloc[0]
    assert (first["id"], first["house_number"], first["street"], first["city"], first["postcode"]) == (
        "100200", "100", "Maple St", "Minneapolis", "55401")
    kai = parsed.rows.set_index("id").loc["100302"]
    assert (kai["house_number"], kai["street"], kai["unit"]) == ("113", "Maple St", "3")
    # Ida has no Phone but a Cell Phone: it is her phone.
    assert parsed.rows.set_index("id").loc["100300", "phone"] == "6125559000"
    # Columns we have no field for are listed (kept as tags once people have tags).
    assert parsed.unused_columns == ["MiddleName", "Cell Phone"]  # PreferredLanguage is read: the language


def test_an_address_that_cant_be_split_is_a_reject_naming_its_row():
    rejects = read_door_rows(DATA / "van_export.xls").rejects
    assert dict(zip(rejects["row"], rejects["reason"])) == {13: "address_not_split"}  # "PO Box 17"


def test_a_van_export_in_a_zip_is_read_through(tmp_path):
    archive = tmp_path / "MyVoters.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(DATA / "van_export.xls", "MyVoters-Report.xls")
    assert len(read_door_rows(archive).rows) == 12


def test_an_ecanvasser_export_has_number_street_and_unit_apart():
    parsed = read_door_rows(DATA / "ecanvasser_export.csv")
    assert parsed.table_format == "utf-8-sig text, comma-separated"
    assert {"House Number": "house_number", "Street": "street", "Unit": "unit", "Zip Code": "postcode"}.items() \
        <= parsed.mapping.items()
    assert parsed.rows["unit"].tolist()[1:3] == ["A", "B"] and parsed.unused_columns == ["Support Level"]


def test_a_nationbuilder_export_takes_its_unit_from_address_line_2():
    parsed = read_door_rows(DATA / "nationbuilder_export.csv")
    assert parsed.mapping["primary_address1"] == "address" and parsed.mapping["primary_lat"] == "lat"
    assert parsed.rows["unit"].fillna("").tolist() == ["", "Unit 2", "Unit 3"]
    assert parsed.rows["phone"].tolist()[0] == "+16125552000"  # mobile_number, as phone_number is blank
    assert parsed.unused_columns == ["mobile_number", "tag_list"]


def test_the_organizer_s_mapping_overrides_the_guess():
    parsed = read_door_rows(DATA / "ecanvasser_export.csv", {"Support Level": "age", "Unit": ""})
    assert parsed.rows["age"].tolist() == [1, 2, 3, 4]
    assert "unit" not in parsed.rows and "Unit" in parsed.unused_columns
    with pytest.raises(InvalidInput, match="no column 'Nope'"):
        read_door_rows(DATA / "ecanvasser_export.csv", {"Nope": "age"})
    with pytest.raises(InvalidInput, match="can't map 'Unit' to 'flat'"):
        read_door_rows(DATA / "ecanvasser_export.csv", {"Unit": "flat"})
    with pytest.raises(InvalidInput, match="has no id column"):
        read_door_rows(DATA / "ecanvasser_export.csv", {"ID": "-" and ""})


def test_known_spellings_and_the_map_option():
    assert guess_mapping(["VANID", "StreetNo", "StreetName", "AptNo", "Zip Code"]) == {
        "VANID": "id", "StreetNo": "house_number", "StreetName": "street", "AptNo": "unit", "Zip Code": "postcode"}
    assert parse_map_options(["Voter ID=id", "Precinct=-", "a=b=street"]) == {
        "Voter ID": "id", "Precinct": "", "a=b": "street"}
    with pytest.raises(InvalidInput, match="not 'File column=field'"):
        parse_map_options(["oops"])


def test_a_large_file_streams_in_chunks_and_reads_the_same(monkeypatch, tmp_path):
    """Past tabular.STREAM_BYTES a file is decoded as a stream and checked a chunk of rows at a time: a
    repeated id in a later chunk is still a reject, and the rows come out as when read whole."""
    from fieldops.importers import tabular
    whole = read_door_rows(DATA / "van_export.xls")
    path = tmp_path / "van.xls"
    text = (DATA / "van_export.xls").read_bytes().decode("utf-16")
    path.write_bytes((text + "100201\tBo\t\tLee\t104 Maple St\tMinneapolis\t55401\t\t\t\t\t\t31\t\r\n").encode("utf-16"))
    monkeypatch.setattr(tabular, "STREAM_BYTES", 0)
    streamed = read_door_rows(path, chunk_rows=4)
    assert streamed.table_format == "utf-16 text, tab-separated"
    def cells(frame):
        return frame.drop(columns="row").astype(object).fillna("").astype(str).to_numpy().tolist()
    assert cells(streamed.rows) == cells(whole.rows)
    assert streamed.rows["row"].tolist() == whole.rows["row"].tolist()
    assert dict(zip(streamed.rejects["row"], streamed.rejects["reason"])) == {13: "address_not_split",
                                                                              15: "repeated_id"}
    archive = tmp_path / "van.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(path, "van.xls")
    assert len(read_door_rows(archive, chunk_rows=5).rows) == 12
