"""Files an organizer might bring, made by the tests: TIGER/Line zips and voter CSVs."""
from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from tests.factories import grid_blocks

ORIGIN = (-93.27, 44.98)  # Minneapolis, so a US state plane / UTM CRS makes sense


def tiger_frame(columns: int = 3, rows: int = 2) -> gpd.GeoDataFrame:
    """A TIGER/Line-shaped block layer: GEOID20, HOUSING20, POP20, ALAND20, in UTM 15N."""
    grid = grid_blocks(ORIGIN[0], ORIGIN[1], columns, rows, prefix="b")
    frame = gpd.GeoDataFrame({
        "STATEFP20": "27", "GEOID20": [f"2705310{i:05d}" for i in range(len(grid))],
        "HOUSING20": [4 + i for i in range(len(grid))], "POP20": [10 * (i + 1) for i in range(len(grid))],
        "ALAND20": 5000,
    }, geometry=grid.geometry, crs="EPSG:4326")
    return frame.to_crs("EPSG:26915")


def write_zip(frame: gpd.GeoDataFrame, folder: Path, stem: str = "tl_2020_27_tabblock20",
              drop: tuple[str, ...] = ()) -> Path:
    shp_dir = folder / stem
    shp_dir.mkdir(parents=True, exist_ok=True)
    frame.to_file(shp_dir / f"{stem}.shp")
    archive = folder / f"{stem}.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in shp_dir.iterdir():
            if part.suffix not in drop:
                zipped.write(part, part.name)
    return archive


@pytest.fixture
def tiger_zip(tmp_path) -> Path:
    return write_zip(tiger_frame(), tmp_path)


def voter_rows(frame_4326: gpd.GeoDataFrame) -> pd.DataFrame:
    """Two people per block at one address, plus a one-person household, inside each block."""
    rows = []
    for i, geometry in enumerate(frame_4326.geometry):
        point = geometry.representative_point()
        rows.append({"voter_id": f"V{i}a", "first_name": "Ann", "last_name": f"Lee{i}", "age": "40",
                     "street": "Nicollet Ave", "house_number": str(100 + i), "unit": "", "city": "Minneapolis",
                     "zip": "55401", "latitude": point.y, "longitude": point.x})
        rows.append({"voter_id": f"V{i}b", "first_name": "Bo", "last_name": f"Lee{i}", "age": "42",
                     "street": "Nicollet Ave", "house_number": str(100 + i), "unit": "", "city": "Minneapolis",
                     "zip": "55401", "latitude": point.y, "longitude": point.x})
        rows.append({"voter_id": f"V{i}c", "first_name": "Cy", "last_name": "Solo", "age": "",
                     "street": "Hennepin Ave", "house_number": str(200 + i), "unit": "Apt 2", "city": "Minneapolis",
                     "zip": "55401", "latitude": point.y + 0.0001, "longitude": point.x})
    return pd.DataFrame(rows)


@pytest.fixture
def voter_csv(tmp_path) -> Path:
    path = tmp_path / "voters.csv"
    voter_rows(tiger_frame().to_crs(4326)).to_csv(path, index=False)
    return path
