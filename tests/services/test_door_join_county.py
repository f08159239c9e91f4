"""The door-join figure's file, smaller (issue 16): a county voter file whose street addresses recur in many
towns, 10% blank postcodes and 3% blank cities. Every door's households lie in one town and within the
distance bound of the door. The file is ``bench/door_join_bench.py``'s generator (its docstring describes the
shape, after the US county voter files with ZIP-code points that merged five towns' "Main St 6")."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "door_join_bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("door_join_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_door_holds_two_towns_or_a_household_beyond_the_bound(runner, bench, tmp_path):
    blocks, voters = bench.make_county(2000, 8, tmp_path)
    result = runner.invoke(args=["import-blocks", str(blocks), "--office", "County", "--region", "State"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["import-doors", str(voters), "--office", "County"])
    assert result.exit_code == 0, result.output
    assert "kept apart:" in result.output  # the same street addresses in other towns: reported, not merged
    measured = bench.check(voters, "County", 150)
    assert measured["people"] == 2000
    assert measured["cross_town_doors"] == 0
    assert measured["doors_beyond_bound"] == 0 and measured["max_distance_m"] <= 150
