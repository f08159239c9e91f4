"""Turf shapes for walk-order tests and the walk bench (bench/walk_bench.py), in local metres.

- ``rural_turf``: the shape of the rural case in issue 16 (a 359-door list that
  took 22.9 s): houses strung along country roads across several small towns,
  every house more than ``RUN_BREAK_M`` from the next, so each door is a run of
  its own; the roads of every town carry the same few names and are numbered
  from 1 at the town's centre, so "Main Street 6" stands in every town.
- ``detached_turf``: a suburb of detached houses, odd and even sides of a grid
  of streets (some wide avenues), one door per house.
- ``apartment_turf``: city streets where many addresses are blocks of flats
  with one to three staircases (Finnish units 'A 1', 'B 12'), houses between.
"""
from __future__ import annotations

import math

import numpy as np

from fieldops.domain.walk_order import DoorPoint

ROAD_NAMES = ("Main Street", "Church Road", "Mill Road", "School Lane", "River Road", "North Road", "Station Road",
              "Pond Lane", "Hill Road", "Forest Road")


def rural_turf(rng: np.random.Generator, n_doors: int, towns: int = 6) -> tuple[list[DoorPoint], list[int]]:
    """``n_doors`` farm houses in ``towns`` small towns about 15 km apart, and the town of each door.

    Each town's ten roads run out from its centre; a town of 170 farms reaches about 4 km out.
    """
    centres = [(k % 3 * 15000.0 + rng.uniform(-2000, 2000), k // 3 * 15000.0 + rng.uniform(-2000, 2000))
               for k in range(towns)]
    doors, town_of = [], []
    per_town = [n_doors // towns + (k < n_doors % towns) for k in range(towns)]
    for town, ((cx, cy), count) in enumerate(zip(centres, per_town)):
        roads = len(ROAD_NAMES)
        for road in range(roads):
            angle = 2 * math.pi * road / roads + rng.uniform(-0.3, 0.3)
            houses = count // roads + (road < count % roads)
            along = rng.uniform(0, 60)
            for number in range(1, houses + 1):
                along += rng.uniform(160, 320)   # farms: always more than RUN_BREAK_M apart
                bend = 0.15 * math.sin(along / 900)  # roads wander
                side = 1 if number % 2 else -1
                offset = side * rng.uniform(15, 40)
                x = cx + along * math.cos(angle + bend) - offset * math.sin(angle + bend)
                y = cy + along * math.sin(angle + bend) + offset * math.cos(angle + bend)
                units = ("A", "B") if rng.random() < 0.04 else ("",)  # now and then a farm with two dwellings
                for unit in units:
                    doors.append(DoorPoint(ROAD_NAMES[road], str(number), unit, x, y))
                    town_of.append(town)
    order = rng.permutation(len(doors))  # doors come from the database in no walking order
    return [doors[i] for i in order][:n_doors], [town_of[i] for i in order][:n_doors]


def detached_turf(rng: np.random.Generator, n_doors: int) -> list[DoorPoint]:
    """A grid of streets with houses on both sides, numbered odd and even from the street's start."""
    doors: list[DoorPoint] = []
    street = 0
    while len(doors) < n_doors:
        horizontal = street % 2 == 0
        offset = (street // 2) * rng.uniform(80, 140)
        half_width = rng.choice([6.0, 8.0, 18.0])  # narrow lanes and, now and then, a wide avenue
        spacing = rng.uniform(8, 20)
        for k in range(int(rng.integers(4, 14))):
            along = 10 + k * spacing
            for side in (1, 0):
                if rng.random() < 0.15:
                    continue  # an empty lot
                across = offset + (half_width if side else -half_width)
                x, y = (along, across) if horizontal else (across, along)
                doors.append(DoorPoint(f"Street {street}", str(2 * k + 2 - side), "", x, y))
        street += 1
    return doors[:n_doors]


def apartment_turf(rng: np.random.Generator, n_doors: int) -> list[DoorPoint]:
    """City streets where two addresses in five are blocks of flats and the rest houses.

    A block of flats has one to three staircases 12 m apart along its front, each with 3 to 12 flats
    ('A 1' to 'C 12', all at the staircase door); houses stand 15 to 30 m apart, odd numbers on one side.
    """
    doors: list[DoorPoint] = []
    street = 0
    while len(doors) < n_doors:
        horizontal = street % 2 == 0
        offset = (street // 2) * rng.uniform(90, 130)
        half_width = rng.choice([8.0, 10.0, 16.0])
        for side in (1, 0):
            along, number = rng.uniform(0, 10), 2 - side
            while along < 400 and len(doors) < n_doors:
                across = offset + (half_width if side else -half_width)
                if rng.random() < 0.4:
                    staircases = int(rng.integers(1, 4))
                    for s, letter in enumerate("ABC"[:staircases]):
                        x, y = (along + 12 * s, across) if horizontal else (across, along + 12 * s)
                        doors += [DoorPoint(f"Street {street}", str(number), f"{letter} {flat}", x, y)
                                  for flat in range(1, int(rng.integers(3, 13)) + 1)]
                    along += 12 * staircases + rng.uniform(10, 20)
                else:
                    x, y = (along, across) if horizontal else (across, along)
                    doors.append(DoorPoint(f"Street {street}", str(number), "", x, y))
                    along += rng.uniform(15, 30)
                number += 2
        street += 1
    return doors[:n_doors]
