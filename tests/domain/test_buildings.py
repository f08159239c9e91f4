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


def test_doors_at_one_address_are_told_apart_by_unit_then_name_then_number():
    from fieldops.domain.buildings import door_labels

    def door(id, number, unit=None, name=None, street="Keskuskatu"):
        return SimpleNamespace(id=id, street=street, house_number=number, unit=unit, name=name)
    labels = door_labels([door(1, "6"), door(2, "6", name="Kahvila Sävy"), door(3, "6"), door(4, "6", unit="B 12"),
                          door(5, "8"), door(6, "8", unit="A 1"), door(7, "9", name="Alko"),
                          door(8, "10", name="Kiosk"), door(9, "10", name="kiosk ")])
    assert labels[4].label == "Keskuskatu 6 B 12" and labels[4].which == "B 12"
    assert labels[2].label == "Keskuskatu 6 · Kahvila Sävy" and labels[2].which == "Kahvila Sävy"
    # Without a unit or a name of their own: numbered in unit order, then by id.
    assert labels[1].label == "Keskuskatu 6 · door 1 of 4 at this address"
    assert labels[3].which == "door 3 of 4 at this address"
    assert labels[5].which == "door 1 of 2 at this address" and labels[6].label == "Keskuskatu 8 A 1"
    # Alone at its address: the address, whatever its name.
    assert (labels[7].label, labels[7].which) == ("Keskuskatu 9", None)
    # The same name twice tells nothing apart.
    assert [labels[8].which, labels[9].which] == ["door 1 of 2 at this address", "door 2 of 2 at this address"]
    assert len({label.label for label in labels.values()}) == len(labels)
