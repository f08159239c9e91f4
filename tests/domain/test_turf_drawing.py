"""The turf drawn from our own data (domain/turf_drawing.py): marks numbered in walking order, street
names along their doors, and the packet's map fitted to its page."""
from __future__ import annotations

import re

import shapely

from fieldops.domain.turf_drawing import MapDoor, marks, place_numbers, scale_bar, street_labels, svg_map


def door(lat, lon, street="Kuja", label="x"):
    return MapDoor(lat, lon, street, label)


def test_the_units_of_one_entrance_are_one_mark_numbered_first_to_last():
    doors = [door(60.0, 24.0, label="Kuja 1"), door(60.0, 24.001, label="Kuja 3 A 1"),
             door(60.0, 24.001, label="Kuja 3 A 2"), door(60.0, 24.001, label="Kuja 3 A 3"),
             door(60.0, 24.002, label="Kuja 5"), door(60.0, 24.0, label="Kuja 1 B")]
    drawn = marks(doors)
    assert [m.text for m in drawn] == ["1", "2–4", "5", "6"]  # back at Kuja 1 later: a mark of its own
    assert drawn[1].labels == ("Kuja 3 A 1", "Kuja 3 A 2", "Kuja 3 A 3")


def test_a_street_name_is_written_once_along_its_doors():
    east_west = [door(60.0, 24.0 + i * 1e-4, "Itäkatu") for i in range(5)]
    north_south = [door(60.0 + i * 1e-4, 24.01, "Pohjoiskatu") for i in range(5)]
    labels = {s.name: s for s in street_labels(east_west + north_south + [door(60.0, 24.02, None)])}
    assert set(labels) == {"Itäkatu", "Pohjoiskatu"}
    assert abs(labels["Itäkatu"].angle) < 1 and abs(abs(labels["Pohjoiskatu"].angle) - 90) < 1
    assert abs(labels["Itäkatu"].lon - 24.0002) < 1e-9


def test_the_map_fits_its_frame_north_up_at_one_scale():
    blocks = [shapely.box(24.0, 60.0, 24.002, 60.001), shapely.box(24.002, 60.0, 24.004, 60.001)]
    doors = [door(60.0005, 24.0005 + i * 0.001, "Katu", f"Katu {i}") for i in range(3)]
    drawn = svg_map(blocks, None, doors, width=1900, height=1500, margin=60)
    numbers = [float(n) for path in drawn.blocks for n in re.findall(r"-?\d+(?:\.\d+)?", path)]
    assert len(drawn.blocks) == 2 and min(numbers) >= 59.9 and max(numbers) <= 1900 - 59.9
    xs = [m[0] for m in drawn.marks]
    assert xs == sorted(xs) and [m[2] for m in drawn.marks] == ["1", "2", "3"]
    assert len(drawn.route.split()) == 3
    # 0.004° of longitude at 60° N is about 222 m: the drawing's scale says so.
    width_units = 1900 - 2 * 60
    assert abs(width_units * drawn.metres_per_unit - 0.004 * 111_195 * 0.5) < 3
    bar, metres = scale_bar(drawn.metres_per_unit)
    assert metres in (10, 20, 50, 100) and 0 < bar <= 400


def test_a_turf_with_nothing_to_draw_draws_nothing():
    drawn = svg_map([], None, [])
    assert drawn.blocks == [] and drawn.marks == [] and drawn.route == ""


def test_door_numbers_are_placed_clear_of_each_other_where_there_is_room():
    # Ten doors 20 units apart in a row: numbers of 2 characters are wider than that, so they take
    # turns above and below, and none overlaps another.
    spots = [(100 + 20 * i, 500, str(10 + i)) for i in range(10)]
    places = place_numbers(spots, size=22)
    boxes = [(lx - 2 * 0.62 * 11, ly - 22 * 0.78, lx + 2 * 0.62 * 11, ly + 2.2) for lx, ly in places]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1]), (a, b)
    assert all(abs(lx - x) < 80 and abs(ly - y) < 80 for (x, y, _), (lx, ly) in zip(spots, places))


def test_a_thousand_doors_are_drawn_in_well_under_a_second():
    import random
    import time
    rng = random.Random(7)
    doors = [door(60.0 + rng.random() * 0.004, 24.0 + rng.random() * 0.008, f"Katu {i % 30}", f"d{i}")
             for i in range(1000)]
    started = time.perf_counter()
    drawn = svg_map([shapely.box(24.0, 60.0, 24.008, 60.004)], None, doors)
    assert time.perf_counter() - started < 2.0 and len(drawn.marks) == 1000  # 0.35 s here
