"""The turf page's map data (issue 17, point 4): what static/js/turf-map.js draws, embedded in the page as
JSON: the turf's blocks, the outline of its doors in divided blocks, its doors numbered in walking order."""
from __future__ import annotations

import json
import re

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Block, Door, Turf, TurfDoor
from fieldops.services import turfs, walklists
from tests.factories import make_user
from tests.services.test_part_block_turfs import tower_office


def page_map(client, turf_id: int) -> tuple[str, dict]:
    page = client.get(f"/turfs/{turf_id}").get_data(as_text=True)
    match = re.search(r'<script type="application/json" id="turf-map-data">(.*?)</script>', page, re.S)
    assert match, "the turf page carries its map's data"
    return page, json.loads(match.group(1))


def test_a_block_turf_maps_its_blocks_and_its_doors_in_walking_order(client, auth, world):
    door = db.session.scalar(select(Door).join(Block).where(Block.turf_id == world.turf_a1.id).limit(1))
    door.street = "</script><script>alert(1)</script>"
    db.session.commit()
    auth.login("organizer.a@test.example")
    page, data = page_map(client, world.turf_a1.id)
    assert sorted(b["id"] for b in data["blocks"]) == sorted(f"alpha-{r}-{c}" for r in range(2) for c in range(4))
    assert data["parts"] == []
    walk = walklists.walklist(db.session.get(Turf, world.turf_a1.id), world.canvass_north)
    assert [m["text"] for m in data["marks"]] == [str(n) for n in range(1, 41)]
    assert [m["labels"][0] for m in data["marks"]] == [d["label"] for d in walk["doors"]]
    assert data["route"] == [[round(d["lat"], 6), round(d["lon"], 6)] for d in walk["doors"]]
    # The street name is data: escaped inside the JSON, so it can neither close the tag nor run.
    assert "</script><script>alert(1)" not in page
    assert any(label.startswith("</script><script>alert(1)</script>") for m in data["marks"] for label in m["labels"])


def test_a_part_block_turf_maps_the_outline_of_its_door_groups_and_a_building_as_one_mark(client, auth, world):
    office = tower_office(world.north)
    turfs.auto_cut(office, 35, None)
    make_user("organizer.t@test.example", "organizer", office=office)
    db.session.commit()
    part = db.session.scalar(select(Turf).join(TurfDoor, TurfDoor.turf_id == Turf.id)
                             .where(Turf.office_id == office.id, Turf.kind == "blocks").limit(1))
    auth.login("organizer.t@test.example")
    _, data = page_map(client, part.id)
    assert data["parts"], "the hull of its doors in the divided block is drawn"
    walk = walklists.walklist(part, None)
    assert sum(int(m["text"].split("–")[-1]) - int(m["text"].split("–")[0]) + 1 for m in data["marks"]) \
        == len(walk["doors"])
    # A building's flats stand at one spot: one mark numbered first to last, its units listed in order.
    flats = [m for m in data["marks"] if "–" in m["text"]]
    assert flats and all(len(m["labels"]) > 1 for m in flats)


def test_the_map_is_shown_only_to_who_may_see_the_turf(client, auth, world):
    auth.login("organizer.b@test.example")
    assert client.get(f"/turfs/{world.turf_a1.id}").status_code == 403
    auth.logout()
    auth.login("volunteer.a1@test.example")
    _, data = page_map(client, world.turf_a1.id)
    assert len(data["marks"]) == 40


def test_a_revisit_turf_maps_the_hull_of_its_doors_and_its_packet_prints(client, auth, world):
    doors = list(db.session.scalars(select(Door.id).join(Block).where(Block.turf_id == world.turf_a1.id)
                                    .order_by(Door.id).limit(6)))
    revisit = turfs.build_door_turf(world.office_a, doors, "Call-backs", None)
    db.session.commit()
    auth.login("organizer.a@test.example")
    _, data = page_map(client, revisit.id)
    assert data["blocks"] == [] and data["parts"] and len(data["marks"]) == 6
    packet = client.get(f"/turfs/{revisit.id}/print").get_data(as_text=True)
    assert packet.count('<path class="part"') == 1 and packet.count("<circle") == 6


def test_a_turf_of_housing_units_only_maps_its_blocks_and_prints_without_doors(client, auth, world):
    from fieldops.services import territory
    from tests.factories import grid_blocks
    office = territory.get_or_create_office("Census only", world.north, lat=60.6, lon=24.6)
    territory.save_blocks(office, grid_blocks(24.6, 60.6, 2, 1, prefix="census"))
    block_ids = list(db.session.scalars(select(Block.id).where(Block.office_id == office.id)))
    turf = turfs.build_turf(office, block_ids, "Census 1", None)
    make_user("organizer.census@test.example", "organizer", office=office)
    db.session.commit()
    auth.login("organizer.census@test.example")
    _, data = page_map(client, turf.id)
    assert len(data["blocks"]) == 2 and data["marks"] == [] and data["route"] == []
    packet = client.get(f"/turfs/{turf.id}/print")
    blocks = re.search(r'<g class="blocks">(.*?)</g>', packet.get_data(as_text=True)).group(1)
    assert packet.status_code == 200 and blocks.count("<path d=") == 2
