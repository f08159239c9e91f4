"""Buildings: one street address, its units kept apart however spelt, and walked floor by floor."""
from __future__ import annotations

from types import SimpleNamespace

from fieldops.domain.addresses import address_key
from fieldops.domain.buildings import building_key, group_buildings, unit_order


def test_unit_spellings_are_one_unit_and_different_units_stay_apart():
    keys = {address_key("Main St", "5", spelling, "00100") for spelling in ("Apt 4B", "#4B", "4b", "Unit 4 B")}
    assert len(keys) == 1
    assert address_key("Main St", "5", "4B", "00100") != address_key("Main St", "5", "4C", "00100")
    assert building_key("Main  St", "5 a") == building_key("main st", "5A")


def test_a_buildings_units_are_ordered_floor_then_number():
    units = ["1205", "Apt 4B", "305", "#4A", "12", "201", "B 12", "A 3", "B 2", "Basement"]
    assert sorted(units, key=unit_order) == ["12", "201", "305", "#4A", "Apt 4B", "1205", "A 3", "B 2", "B 12",
                                             "Basement"]


def test_walk_order_keeps_each_building_together_where_it_was_first_reached():
    def door(street, number, unit=None):
        return SimpleNamespace(street=street, house_number=number, unit=unit)
    walked = [door("Elm", "3", "201"), door("Elm", "1"), door("Elm", "3", "102"), door("Elm", "5"),
              door("Elm", "3", "101")]
    ordered = group_buildings(walked)
    assert [(d.house_number, d.unit) for d in ordered] == [("3", "101"), ("3", "102"), ("3", "201"), ("1", None),
                                                           ("5", None)]
