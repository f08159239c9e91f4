"""Which doors stand on a street the walk takes one side at a time (domain/walk_order.busy_sides): the
sides the phone's next nearest door charges crossing for, as the walk order does."""
from __future__ import annotations

from fieldops.domain.walk_order import DoorPoint, busy_sides


def street(name: str, gap: float, y: float = 0.0) -> list[DoorPoint]:
    """Ten houses, odd numbers on one side and even on the other, ``gap`` metres apart across."""
    return [DoorPoint(name, str(2 * i + 1 + side), None, 40.0 * i, y + (gap if side == 0 else 0.0))
            for side in (0, 1) for i in range(5)]


def test_a_wide_street_has_two_sides_and_a_narrow_one_none():
    wide, narrow = street("Leveäkatu", 35.0), street("Kapeakuja", 8.0, y=500.0)
    sides = busy_sides(wide + narrow)
    assert all(s is None for s in sides[10:])
    assert {s[0] for s in sides[:10]} == {sides[0][0]} and [s[1] for s in sides[:10]] == [1] * 5 + [0] * 5  # odd, even


def test_a_street_named_busy_is_walked_side_by_side_however_narrow():
    sides = busy_sides(street("Kapeakuja", 8.0), busy_streets=frozenset({"kapeakuja"}))
    assert all(s is not None for s in sides)


def test_two_stretches_of_one_street_far_apart_are_crossed_apart():
    sides = busy_sides(street("Leveäkatu", 35.0) + [DoorPoint(d.street, str(int(d.house_number) + 100), None,
                                                              d.x + 2000, d.y) for d in street("Leveäkatu", 35.0)])
    assert sides[0][0] != sides[10][0]
