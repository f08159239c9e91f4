"""The turf workspace, its JSON routes for the map editor, the turf page's actions and the printed walk list."""
from __future__ import annotations

import json
import re

import pytest
import shapely
from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import AuditEvent, Block, Turf, TurfEvent
from fieldops.services import canvassing
from tests.factories import CELL


def bravo_block(name: str) -> int:
    return db.session.scalar(select(Block.id).where(Block.source_id == name))


@pytest.mark.parametrize("email,status", [
    ("organizer.b@test.example", 200), ("lead.north@test.example", 200), ("admin@test.example", 200),
    ("organizer.a@test.example", 403), ("lead.south@test.example", 403), ("volunteer.a1@test.example", 403),
])
def test_workspace_is_for_the_office_its_region_and_admins(client, auth, world, email, status):
    auth.login(email)
    response = client.get(f"/offices/{world.office_b.id}/turfs")
    assert response.status_code == status
    if status == 403:
        assert "Bravo 1" not in response.get_data(as_text=True)


def test_workspace_map_uses_only_our_own_copies_of_leaflet(client, auth, world):
    auth.login("organizer.b@test.example")
    page = client.get(f"/offices/{world.office_b.id}/turfs").get_data(as_text=True)
    assert "/static/vendor/leaflet/leaflet.js" in page and "/static/vendor/leaflet-draw/leaflet.draw.js" in page
    sources = re.findall(r'(?:src|href)="(https?://[^"]+)"', page)
    assert sources == [], sources  # nothing from a CDN: the page works offline except the tiles
    assert "window.fieldopsMap" in page
    # The turf's label, as the map's data holds it (the page asks for what its viewport shows: issue 18).
    data = client.get(f"/offices/{world.office_b.id}/map/turfs?bbox=24.94,60.09,24.96,60.11&zoom=16").get_json()
    assert [t["label"] for t in data["turfs"]] == ["Bravo 1 · 40 doors · draft"]
    assert "8 blocks in no turf" in page


def test_preview_and_create_through_the_editor_routes(client, auth, world):
    auth.login("organizer.b@test.example")
    polygon = shapely.geometry.mapping(shapely.box(24.95, 60.10 + 2.2 * CELL, 24.95 + 4 * CELL, 60.10 + 2.8 * CELL))
    preview = client.post(f"/offices/{world.office_b.id}/turfs/preview", json={"polygon": polygon})
    assert preview.status_code == 200
    body = preview.get_json()
    assert body["doors"] == 20 and body["taken"] == 0 and len(body["blocks"]) == 4
    created = client.post(f"/offices/{world.office_b.id}/turfs", json={"blocks": body["blocks"], "name": "Row 2"})
    assert created.status_code == 201
    db.session.expire_all()
    turf = db.session.get(Turf, created.get_json()["id"])
    assert (turf.name, turf.door_count, turf.state) == ("Row 2", 20, "draft")
    again = client.post(f"/offices/{world.office_b.id}/turfs", json={"blocks": body["blocks"]})
    assert again.status_code == 409 and "already belong" in again.get_json()["error"]


def test_editor_routes_answer_bad_input_in_json(client, auth, world):
    auth.login("organizer.b@test.example")
    bad = client.post(f"/offices/{world.office_b.id}/turfs", json={"blocks": ["x"]})
    assert bad.status_code == 400 and "blocks must be a list of block ids" in bad.get_json()["error"]
    bad = client.post(f"/offices/{world.office_b.id}/turfs/preview", json={"polygon": {"type": "Polygon"}})
    assert bad.status_code == 400 and "GeoJSON polygon" in bad.get_json()["error"]
    foreign = client.post(f"/offices/{world.office_a.id}/turfs/preview", json={"polygon": {}})
    assert foreign.status_code == 403


def test_clicking_blocks_into_and_out_of_a_turf(client, auth, world):
    auth.login("organizer.b@test.example")
    response = client.post(f"/turfs/{world.turf_b1.id}/blocks",
                           json={"add": [bravo_block("bravo-2-0")], "remove": [bravo_block("bravo-0-0")]})
    assert response.status_code == 200 and response.get_json()["doors"] == 40
    db.session.expire_all()
    assert db.session.scalar(select(Block.turf_id).where(Block.source_id == "bravo-2-0")) == world.turf_b1.id
    assert db.session.scalar(select(Block.turf_id).where(Block.source_id == "bravo-0-0")) is None


def test_auto_cut_button(client, auth, world):
    auth.login("organizer.b@test.example")
    response = client.post(f"/offices/{world.office_b.id}/turfs/cut", data={"doors": "20"}, follow_redirects=True)
    assert response.status_code == 200
    assert "Cut 40 doors into 2 draft turfs" in response.get_data(as_text=True)
    bad = client.post(f"/offices/{world.office_b.id}/turfs/cut", data={"doors": "many"})
    assert bad.status_code == 400


def test_rename_split_merge_and_state_from_the_turf_page(client, auth, world):
    auth.login("organizer.b@test.example")
    page = client.get(f"/turfs/{world.turf_b1.id}").get_data(as_text=True)
    assert "Split into halves" in page and 'value="open"' in page and 'value="completed"' not in page
    assert client.post(f"/turfs/{world.turf_b1.id}/rename", data={"name": "Bravo North"}).status_code == 302
    assert client.post(f"/turfs/{world.turf_b1.id}/split").status_code == 302
    db.session.expire_all()
    parts = db.session.scalars(select(Turf).where(Turf.office_id == world.office_b.id).order_by(Turf.id)).all()
    assert [t.name for t in parts] == ["Bravo North", "Bravo North b"]
    assert client.post(f"/turfs/{parts[0].id}/merge", data={"other": parts[1].id}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Turf, parts[0].id).door_count == 40
    assert client.post(f"/turfs/{parts[0].id}/state", data={"state": "open"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Turf, parts[0].id).state == "open"
    actions = db.session.scalars(select(TurfEvent.action).where(TurfEvent.turf_id == parts[0].id)
                                 .order_by(TurfEvent.id)).all()
    assert actions == ["create", "rename", "split", "merge", "state"]
    wrong = client.post(f"/turfs/{parts[0].id}/state", data={"state": "completed"})
    assert wrong.status_code == 302  # open -> completed is allowed
    wrong = client.post(f"/turfs/{parts[0].id}/state", data={"state": "checked_out"})
    assert wrong.status_code == 409 and "checked out by handing it out" in wrong.get_data(as_text=True)


def test_other_offices_cannot_touch_a_turf(client, auth, world):
    auth.login("organizer.a@test.example")
    for path, data in [(f"/turfs/{world.turf_b1.id}/rename", {"name": "Mine"}), (f"/turfs/{world.turf_b1.id}/delete", {}),
                       (f"/turfs/{world.turf_b1.id}/state", {"state": "open"})]:
        assert client.post(path, data=data).status_code == 403
    assert client.post(f"/turfs/{world.turf_b1.id}/blocks", json={"add": []}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Turf, world.turf_b1.id).name == "Bravo 1"


def test_volunteer_page_has_no_management_controls(client, auth, world):
    auth.login("volunteer.a1@test.example")
    page = client.get(f"/turfs/{world.turf_a1.id}").get_data(as_text=True)
    assert "Rename" not in page and "Delete turf" not in page
    assert "m to walk" in page


def test_export_download_is_audited(client, auth, world):
    auth.login("organizer.a@test.example")
    response = client.get(f"/offices/{world.office_a.id}/turfs.geojson")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    features = json.loads(response.get_data(as_text=True))["features"]
    assert [f["properties"]["name"] for f in features] == ["Alpha 1", "Alpha 2"]
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "export.turfs")) == 1


def test_printed_walk_list_has_names_questions_and_outcome_boxes(client, auth, world):
    world.canvass_north.questions = [
        {"key": "support", "label": "Support (1-5)", "kind": "scale", "min": 1, "max": 5},
        {"key": "sign", "label": "Yard sign?", "kind": "yes_no"}]
    db.session.commit()
    auth.login("volunteer.a1@test.example")
    page = client.get(f"/turfs/{world.turf_a1.id}/print").get_data(as_text=True)
    assert "North spring" in page and "Support (1-5)" in page and "Yard sign?" in page
    assert page.count('<tr>') == 41  # the header and one row per door
    assert 'title="Hostile (do not return)"' in page and "NH = Not home" in page
    rows = re.findall(r'<td class="address">([^<]+)', page)
    walk = client.get(f"/api/v1/turfs/{world.turf_a1.id}/walklist").get_json()
    assert rows == [door["address"] for door in walk["doors"]]  # the same order as the phones
    assert client.get(f"/turfs/{world.turf_a2.id}/print").status_code == 403
