"""Walk order: street by street, sides of busy streets walked apart, house numbers in order."""
from __future__ import annotations

import math
import random

from fieldops.domain.walk_order import DoorPoint, local_metres, path_metres, walk_order


def corner() -> list[DoorPoint]:
    """A wide avenue (sides 40 m apart) meeting a narrow street (sides 12 m apart), numbered by hand."""
    doors = [DoorPoint("Main Avenue", str(n), "", x, 20.0) for n, x in [(1, 0), (3, 30), (5, 60), (7, 90)]]
    doors += [DoorPoint("Main Avenue", str(n), "", x, -20.0) for n, x in [(2, 0), (4, 30), (6, 60), (8, 90)]]
    doors += [DoorPoint("Elm Street", str(n), "", 114.0, y) for n, y in [(1, 40), (3, 60), (5, 80)]]
    doors += [DoorPoint("Elm Street", str(n), "", 126.0, y) for n, y in [(2, 50), (4, 70)]]
    return doors


def walked(doors, order):
    return [(doors[i].street, doors[i].house_number) for i in order]


def test_corner_walked_as_worked_out_by_hand():
    doors = corner()
    result = walk_order(doors)
    expected = [("Elm Street", n) for n in "54321"] + [("Main Avenue", n) for n in "75312468"]
    assert walked(doors, result.order) in (expected, expected[::-1])
    # Elm: 4 diagonal steps of sqrt(12^2 + 10^2); over to Main 7: sqrt(24^2 + 20^2);
    # up one side 90 m, across 40 m, back 90 m.
    by_hand = 4 * math.hypot(12, 10) + math.hypot(24, 20) + 90 + 40 + 90
    assert result.metres == round(by_hand, 1)


def test_busy_street_named_by_the_caller_is_walked_one_side_at_a_time():
    # A narrow street with staggered houses that the canvasser would normally weave across.
    doors = [DoorPoint("Ring Road", str(n), "", (n - 1) * 10.0, 3.0 if n % 2 else -3.0) for n in range(1, 11)]
    free = walked(doors, walk_order(doors).order)
    busy = walked(doors, walk_order(doors, busy_streets=frozenset({"ring road"})).order)
    sides = [int(number) % 2 for _, number in busy]
    assert sides in ([1] * 5 + [0] * 5, [0] * 5 + [1] * 5)
    numbers = [int(number) for _, number in busy]
    assert numbers[:5] in (sorted(numbers[:5]), sorted(numbers[:5], reverse=True))
    assert [number for _, number in free] in ([str(n) for n in range(1, 11)], [str(n) for n in range(10, 0, -1)])


def test_each_street_is_walked_in_one_go_and_units_stay_together():
    doors = []
    for s, name in enumerate(["Aleksanterinkatu", "Bulevardi", "Citykäytävä"]):
        for n in range(1, 9):
            for unit in ("", "A 1", "A 2") if n == 3 else ("",):
                doors.append(DoorPoint(name, str(n), unit, (n - 1) // 2 * 15.0, s * 120.0 + (6 if n % 2 else -6)))
    random.Random(4).shuffle(doors)
    order = walk_order(doors).order
    streets = [doors[i].street for i in order]
    changes = sum(a != b for a, b in zip(streets, streets[1:]))
    assert changes == 2
    units = [k for k, i in enumerate(order) if doors[i].house_number == "3" and doors[i].street == "Bulevardi"]
    assert units == list(range(units[0], units[0] + 3))


def test_route_length_is_the_path_through_the_doors_in_order():
    doors = corner()
    result = walk_order(doors)
    assert result.metres == round(path_metres([(d.x, d.y) for d in doors], result.order), 1)
    assert sorted(result.order) == list(range(len(doors)))


def test_same_doors_same_order_and_empty_turf():
    doors = corner()
    assert walk_order(doors) == walk_order(list(doors))
    assert walk_order([]).order == [] and walk_order([]).metres == 0.0


def test_local_metres_match_known_distances():
    # 0.001 degrees of latitude is about 111 m; of longitude at 60 N about 55.6 m.
    (x0, y0), (x1, y1), (x2, y2) = local_metres([24.94, 24.94, 24.941], [60.17, 60.171, 60.17])
    assert math.isclose(y1 - y0, 111.2, abs_tol=0.5)
    assert math.isclose(x2 - x0, 55.5, abs_tol=0.5)
