"""Address-only rows are placed from the doors we hold: matched, else interpolated on the street side."""
from __future__ import annotations

import pytest

from fieldops.domain import placement


def street(*doors, city="Springfield"):
    """A street index of ``(number, x)`` doors on Main St, odd numbers at y=0, even at y=20."""
    index = placement.StreetIndex()
    for number, x in doors:
        index.add(f"d{number}", "Main St", str(number), None, city, None, float(x), 0.0 if number % 2 else 20.0)
    return index


def test_a_known_address_is_matched_to_its_door():
    placed = street((5, 50), (9, 90)).place("main st", "5", None, "SPRINGFIELD", None)
    assert (placed.how, placed.door_key, placed.x) == ("matched", "d5", 50.0)


def test_a_number_between_two_known_ones_on_its_side_is_interpolated_in_proportion():
    placed = street((5, 50), (11, 110), (8, 999)).place("Main St", "7", None, "Springfield", None)
    assert placed.how == "interpolated" and placed.x == pytest.approx(50 + (110 - 50) / 3) and placed.y == 0.0
    assert placed.neighbours == ("d5", "d11")


def test_past_the_last_number_it_carries_on_but_not_far():
    index = street((1, 0), (3, 20))
    assert index.place("Main St", "5", None, "Springfield", None).x == pytest.approx(40)
    assert index.place("Main St", "99", None, "Springfield", None) is None  # 960 m past No. 3


def test_a_street_side_with_nothing_known_uses_the_other_side_between_its_numbers():
    placed = street((2, 0), (10, 80)).place("Main St", "5", None, "Springfield", None)
    assert placed.how == "interpolated" and placed.y == 20.0 and 0 < placed.x < 80


def test_a_number_range_is_placed_at_its_middle():
    placed = street((10, 100), (30, 300)).place("Main St", "14-20", None, "Springfield", None)
    assert placed.x == pytest.approx(100 + (18 - 10) * 10)  # 14-20: middle 17 -> kept even: 18


def test_another_town_or_an_unknown_street_is_not_found():
    index = street((5, 50), (9, 90))
    assert index.place("Main St", "7", None, "Shelbyville", None) is None
    assert index.place("Elm St", "7", None, "Springfield", None) is None


def test_without_a_town_only_a_street_of_one_town_is_placed():
    index = street((5, 50), (9, 90))
    assert index.place("Main St", "7", None, None, None).how == "interpolated"
    index.add("other", "Main St", "5", None, "Shelbyville", None, 5000.0, 0.0)
    assert index.place("Main St", "7", None, None, None) is None  # Main St of which town?


def test_a_postcode_only_door_and_a_city_door_are_one_town():
    """Helsinki's OpenStreetMap doors say "00100" on some, "Helsinki, 00100" on others: one town, so an
    address with neither is still on a street of one town."""
    index = placement.StreetIndex()
    index.add("a", "Aleksanterinkatu", "20", None, "Helsinki", "00100", 0.0, 0.0)
    index.add("b", "Aleksanterinkatu", "24", None, None, "00100", 40.0, 0.0)
    placed = index.place("Aleksanterinkatu", "22", None, None, None)
    assert placed.how == "interpolated" and placed.x == 20.0
    assert index.place("Aleksanterinkatu", "24", None, "Helsinki", None).how == "matched"


def test_a_building_name_before_the_street_is_dropped():
    index = placement.StreetIndex()
    index.add("a", "Kaivopiha, Mannerheimintie", "3", None, "Helsinki", None, 0.0, 0.0)
    index.add("b", "Mannerheimintie", "7", None, "Helsinki", None, 40.0, 0.0)
    assert index.place("Mannerheimintie", "3", None, "Helsinki", None).door_key == "a"
    assert index.place("Asemahalli, Mannerheimintie", "5", None, "Helsinki", None).x == 20.0


def test_across_the_street_only_where_the_two_sides_agree():
    """Mannerheimintie 13A was put between 12 and 14, 614 m from where it is: a long street's sides are
    numbered apart. The other side's numbers place an address only near its own side's nearest known number
    (60 m, and 10 m a number); else it carries on along its own side."""
    # Odd side: 9 and 11 at x 90 and 110. Even side: 12 and 14 far down the street, at x 700 and 720.
    index = street((9, 90), (11, 110), (12, 700), (14, 720))
    placed = index.place("Main St", "13", None, "Springfield", None)
    assert placed.y == 0.0 and placed.x == pytest.approx(130)  # along its own side, past No. 11
    assert placed.neighbours == ("d9", "d11")
    # Where the sides agree (the even numbers face the odd ones), across the street still places it.
    facing = street((9, 90), (11, 110), (12, 120), (14, 140)).place("Main St", "13", None, "Springfield", None)
    assert facing.y == 20.0 and facing.x == pytest.approx(130)


def test_a_city_of_digits_alone_is_no_town_so_the_postcode_decides():
    index = placement.StreetIndex()
    for number, x in ((5, 50), (9, 90)):
        index.add(f"d{number}", "Bulevardi", str(number), None, "Helsinki", "00120", float(x), 0.0)
    index.add("other", "Bulevardi", "5", None, "Espoo", "02100", 5000.0, 0.0)
    placed = index.place("Bulevardi", "7", None, "7", "00120")  # addr:city=7, a number in the wrong field
    assert placed.how == "interpolated" and placed.x == pytest.approx(70)
    assert index.place("Bulevardi", "7", None, "Vantaa", "00120") is None  # a real other town is still not guessed
