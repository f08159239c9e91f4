"""Reading block files: TIGER/Line zips, CRS conversion, repairs, and every kind of bad file."""
from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from fieldops.errors import InvalidInput
from fieldops.importers.blocks import read_blocks

from .conftest import tiger_frame, write_zip


def test_tiger_zip_in_a_projected_crs_reads_as_wgs84(tiger_zip):
    result = read_blocks(tiger_zip)
    assert result.id_field == "GEOID20" and result.doors_field == "HOUSING20"
    assert "26915" in result.source_crs
    assert result.blocks.crs.to_epsg() == 4326
    assert list(result.blocks["housing_units"]) == [4, 5, 6, 7, 8, 9]
    minx, miny, _, _ = result.blocks.total_bounds
    assert minx == pytest.approx(-93.27, abs=1e-4) and miny == pytest.approx(44.98, abs=1e-4)


def test_geojson_with_chosen_fields(tmp_path):
    frame = tiger_frame().to_crs(4326).rename(columns={"GEOID20": "block", "HOUSING20": "homes"})
    path = tmp_path / "blocks.geojson"
    frame.to_file(path, driver="GeoJSON")
    result = read_blocks(path, id_field="block", doors_field="homes")
    assert len(result.blocks) == 6 and result.blocks["housing_units"].sum() == 39


def test_geopackage(tmp_path):
    path = tmp_path / "blocks.gpkg"
    tiger_frame().to_file(path, driver="GPKG")
    assert len(read_blocks(path).blocks) == 6


def test_invalid_polygon_is_repaired_and_counted(tmp_path):
    frame = tiger_frame().to_crs(4326)
    x, y = frame.geometry.iloc[0].bounds[:2]
    bowtie = shapely.Polygon([(x, y), (x + 0.001, y + 0.001), (x + 0.001, y), (x, y + 0.001)])
    frame.loc[0, "geometry"] = bowtie
    path = tmp_path / "bowtie.geojson"
    frame.to_file(path, driver="GeoJSON")
    result = read_blocks(path)
    assert result.repaired == 1
    assert result.blocks.geometry.is_valid.all()


def expect_error(path, match: str, **kwargs):
    with pytest.raises(InvalidInput, match=match) as caught:
        read_blocks(path, **kwargs)
    assert path.name in caught.value.message
    return caught.value


def rejects_of(result) -> dict[int, str]:
    return dict(zip(result.rejects["row"], result.rejects["reason"]))


def test_a_point_among_blocks_is_a_reject_not_a_refusal(tmp_path):
    frame = tiger_frame().to_crs(4326)
    frame.loc[2, "geometry"] = shapely.Point(-93.27, 44.98)
    path = tmp_path / "mixed.geojson"
    frame.to_file(path, driver="GeoJSON")
    result = read_blocks(path)
    assert rejects_of(result) == {3: "not_a_polygon"} and len(result.blocks) == 5
    assert result.rejects["id"].tolist() == [frame.loc[2, "GEOID20"]]


def test_a_missing_or_repeated_id_is_a_reject(tmp_path):
    frame = tiger_frame().to_crs(4326)
    frame.loc[4, "GEOID20"] = None
    frame.loc[3, "GEOID20"] = frame.loc[1, "GEOID20"]
    path = tmp_path / "ids.geojson"
    frame.to_file(path, driver="GeoJSON")
    result = read_blocks(path)
    assert rejects_of(result) == {4: "repeated_id", 5: "no_block_id"}
    assert len(result.blocks) == 4 and result.blocks["source_id"].is_unique


def test_non_numeric_housing_is_a_reject(tmp_path):
    frame = tiger_frame().to_crs(4326)
    frame["HOUSING20"] = frame["HOUSING20"].astype(str)
    frame.loc[1, "HOUSING20"] = "many"
    path = tmp_path / "housing.geojson"
    frame.to_file(path, driver="GeoJSON")
    result = read_blocks(path)
    assert rejects_of(result) == {2: "housing_not_a_number"}
    assert result.rejects["HOUSING20"].tolist() == ["many"]  # the row as it was, to fix


def test_a_file_with_no_valid_feature_is_refused(tmp_path):
    frame = tiger_frame().to_crs(4326)
    frame["GEOID20"] = None
    path = tmp_path / "noids.geojson"
    frame.to_file(path, driver="GeoJSON")
    error = expect_error(path, "has no usable feature .*no block id")
    assert error.row == 1


def test_missing_crs(tmp_path):
    archive = write_zip(tiger_frame(), tmp_path, drop=(".prj",))
    expect_error(archive, "no coordinate reference system")


def test_zip_that_is_not_a_zip(tmp_path):
    path = tmp_path / "tl_2020_27_tabblock20.zip"
    path.write_text("this is not a zip")
    expect_error(path, "not a zip archive")


def test_shapefile_without_its_dbf(tmp_path):
    archive = write_zip(tiger_frame(), tmp_path, drop=(".dbf",))
    expect_error(archive, r"has no \.dbf")


def test_unknown_id_field_lists_the_fields(tmp_path):
    frame = tiger_frame().to_crs(4326).rename(columns={"GEOID20": "code"})
    path = tmp_path / "nogeoid.geojson"
    frame.to_file(path, driver="GeoJSON")
    expect_error(path, "pass --id-field .*code")
    expect_error(path, "has no field 'nope'", id_field="nope")


def test_unsupported_file_type(tmp_path):
    path = tmp_path / "blocks.txt"
    path.write_text("x")
    expect_error(path, "not a block file")


def test_corrupt_geojson(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [')
    expect_error(path, "cannot be read")


def test_reading_keeps_every_feature(tiger_zip):
    blocks = read_blocks(tiger_zip).blocks
    assert isinstance(blocks, gpd.GeoDataFrame) and blocks["source_id"].is_unique and len(blocks) == 6


def test_the_reject_labels_name_the_limits_the_reader_applies():
    from fieldops.importers.blocks import MAX_BLOCK_VERTICES, MAX_ID_LENGTH, REJECT_LABELS
    assert f"more than {MAX_BLOCK_VERTICES:,} corners" in REJECT_LABELS["too_many_corners"]
    assert f"longer than {MAX_ID_LENGTH} characters" in REJECT_LABELS["id_too_long"]
