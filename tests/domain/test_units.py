"""Flats behind one OpenStreetMap address: ranges, lettered ranges and lists become one unit each."""
from __future__ import annotations

import pytest

from fieldops.domain.units import MAX_UNITS, expand_flats, numbered_flats


@pytest.mark.parametrize("text, units", [
    ("1-64", [str(n) for n in range(1, 65)]),
    ("1;2;5", ["1", "2", "5"]),
    ("A1-A12", [f"A{n}" for n in range(1, 13)]),
    ("1-3;7", ["1", "2", "3", "7"]),
    ("7; 1 - 3", ["1", "2", "3", "7"]),          # spaces, and put in unit order
    ("1–3", ["1", "2", "3"]),                    # an en dash, as people type them
    ("A-D", ["A", "B", "C", "D"]),
    ("01-03", ["01", "02", "03"]),               # leading zeros kept
    ("A 1-A 3, B 1", ["A 1", "A 2", "A 3", "B 1"]),
    ("A1-3", ["A1", "A2", "A3"]),                # the prefix said once
    ("5", ["5"]), ("12b", ["12b"]),
    ("1-3;2-4", ["1", "2", "3", "4"]),           # overlapping ranges give each flat once
])
def test_flats_become_one_unit_each_in_unit_order(text, units):
    assert expand_flats(text) == units


@pytest.mark.parametrize("text", ["", None, "1-64 except 13", "64-1", "A1-B3", "1-6400", "first floor", "a-D"])
def test_what_reads_as_no_list_of_flats_is_none(text):
    assert expand_flats(text) is None


def test_a_building_flats_count_gives_flats_one_to_n():
    assert numbered_flats("6") == ["1", "2", "3", "4", "5", "6"]
    assert numbered_flats(3) == ["1", "2", "3"]
    for odd in ("0", "-2", "many", "2.5", None, str(MAX_UNITS + 1)):
        assert numbered_flats(odd) == []
