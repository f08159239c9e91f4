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
