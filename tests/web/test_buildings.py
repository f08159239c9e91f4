"""Apartment buildings on the walk list: shown once, units together floor by floor, with the building's note."""
from __future__ import annotations

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Door
from tests.factories import create_token
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of


def make_building(world) -> list[int]:
    """Three flats at the address of one of Alpha 1's doors, entered out of order and spelt differently."""
    first = db.session.get(Door, doors_of(world.turf_a1)[0])
    flats = [Door(office_id=first.office_id, block_id=first.block_id, source_id=f"flat-{unit}", street=first.street,
                  house_number=first.house_number, unit=unit, lat=first.lat, lon=first.lon)
             for unit in ("Apt 201", "#101", "102")]
    db.session.add_all(flats)
    db.session.commit()
    return [first.id, *(flat.id for flat in flats)]


def test_a_building_is_walked_once_with_its_units_in_order_and_its_note(client, auth, world):
    ids = make_building(world)
    auth.login("organizer.a@test.example")
    assert client.post(f"/doors/{ids[1]}/building-note", data={"building_note": "Code 4321, lift on the left"}) \
        .status_code == 302
    page = client.get(f"/doors/{ids[2]}").get_data(as_text=True)
    assert "4 units at" in page and "Code 4321, lift on the left" in page
    auth.logout()
    walk = client.get(f"/api/v1/turfs/{world.turf_a1.id}/walklist",
                      headers=bearer(create_token("volunteer.a1@test.example"))).get_json()
    positions = [n for n, door in enumerate(walk["doors"]) if door["id"] in ids]
    assert positions == list(range(positions[0], positions[0] + 4))  # together, in one run
    units = [walk["doors"][n]["unit"] for n in positions]
    assert units == [None, "#101", "102", "Apt 201"]  # the door without a unit, then floor 1, then floor 2
    building = walk["doors"][positions[1]]["building"]
    assert building["units"] == 4 and building["note"] == "Code 4321, lift on the left"
    others = [door for door in walk["doors"] if door["id"] not in ids]
    assert all(door["building"] is None for door in others)


def test_only_the_office_writes_a_building_note(client, auth, world):
    ids = make_building(world)
    auth.login("volunteer.a1@test.example")
    assert client.post(f"/doors/{ids[0]}/building-note", data={"building_note": "x"}).status_code == 403
    auth.logout()
    auth.login("organizer.a@test.example")
    assert client.post(f"/doors/{ids[0]}/building-note", data={"building_note": " "}).status_code == 400
    assert db.session.scalar(select(Door.id).where(Door.id == ids[0])) == ids[0]
