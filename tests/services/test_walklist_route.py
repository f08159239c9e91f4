"""The walk list as returned: its length is the length of the list, and it never jumps between towns and back.

Shaped like the rural case of issue 16: a turf whose doors lie in several small towns a few kilometres
apart, every town with its own "Main Street 6" (the same street address in another town), and a block of
flats in one of them. Before, the walk list gathered every "Main Street 6" after the route was computed:
the list went from town to town and back, and reported the length of the route it no longer followed.
"""
from __future__ import annotations

from sqlalchemy import select

from fieldops.domain.walk_order import local_metres, path_metres
from fieldops.extensions import db
from fieldops.models import Block, Door
from fieldops.services.walklists import walklist

TOWNS = {"north": (24.80, 60.30), "east": (24.95, 60.28), "south": (24.86, 60.22)}  # about 8 km apart


def add_towns(turf) -> None:
    """Into one block of the turf: in each town, houses 1 to 9 on Main Street and Church Road; flats in one."""
    block_id = db.session.scalar(select(Block.id).where(Block.turf_id == turf.id).limit(1))
    office_id = db.session.scalar(select(Block.office_id).where(Block.id == block_id))
    doors = []
    for town, (lon, lat) in TOWNS.items():
        for road, (d_lon, d_lat) in (("Main Street", (0.0004, 0.0)), ("Church Road", (0.0, 0.0003))):
            for number in range(1, 10):
                doors.append(Door(office_id=office_id, block_id=block_id, source_id=f"{town}-{road}-{number}",
                                  street=road, house_number=str(number), city=town.title(),
                                  lon=lon + number * d_lon, lat=lat + number * d_lat))
        if town == "east":
            doors += [Door(office_id=office_id, block_id=block_id, source_id=f"{town}-flat-{unit}",
                           street="Main Street", house_number="6", unit=unit, city="East",
                           lon=lon + 6 * 0.0004, lat=lat) for unit in ("B 2", "A 1", "A 2", "B 1")]
    db.session.add_all(doors)
    db.session.commit()


def town_of(door: dict) -> str:
    """The town a door stands in; the turf's own doors are at home."""
    return next((town for town, (lon, lat) in TOWNS.items() if abs(door["lon"] - lon) < 0.01
                 and abs(door["lat"] - lat) < 0.01), "home")


def test_each_town_is_walked_in_one_go_and_the_length_is_the_lists(world):
    add_towns(world.turf_a1)
    walk = walklist(world.turf_a1)
    doors = walk["doors"]
    towns = [town_of(door) for door in doors]
    visits = [town for k, town in enumerate(towns) if k == 0 or town != towns[k - 1]]
    assert sorted(visits) == sorted(set(visits)), f"the list goes back to a town it left: {visits}"
    xy = local_metres([door["lon"] for door in doors], [door["lat"] for door in doors])
    assert walk["turf"]["route_metres"] == round(path_metres(xy, range(len(doors))), 1)
    flats = [k for k, door in enumerate(doors) if door["street"] == "Main Street" and door["house_number"] == "6"
             and towns[k] == "east"]
    assert flats == list(range(flats[0], flats[0] + 5))  # the building's units together ...
    assert [doors[k]["unit"] for k in flats] == [None, "A 1", "A 2", "B 1", "B 2"]  # ... in order
