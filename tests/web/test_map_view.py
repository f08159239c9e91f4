"""Issue 18 (statewide offices): the office maps send only what the viewport shows.

The coverage map and the turf workspace ask ``/offices/<id>/map/<layer>?bbox=...&zoom=...``; at street zoom
the blocks in view come with their doors, turf and coverage, zoomed out they come grouped in cells whose
counts add up to the office's; the pages themselves embed no block.
"""
from __future__ import annotations

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Block
from fieldops.services import map_view
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock
from tests.factories import create_token

ALPHA = "24.89900,60.09900,24.90500,60.10500"  # Alpha's 4 x 4 blocks from (24.90, 60.10), and a margin


def knock_three(client, world) -> None:
    token = create_token("volunteer.a1@test.example")
    doors = doors_of(world.turf_a1)
    batch = {"contacts": [knock(doors[0], world.canvass_north.id, outcome="talked"),
                          knock(doors[1], world.canvass_north.id), knock(doors[7], world.canvass_north.id)]}
    assert client.post("/api/v1/contacts", json=batch, headers=bearer(token)).status_code == 200


def test_street_zoom_shows_each_block_with_its_coverage_and_doors(client, auth, world):
    knock_three(client, world)
    auth.login("organizer.a@test.example")
    answer = client.get(f"/offices/{world.office_a.id}/map/coverage?bbox={ALPHA}&zoom=17"
                        f"&canvass_id={world.canvass_north.id}").get_json()
    assert answer["mode"] == "blocks" and len(answer["blocks"]) == 16 and not answer["cells"]
    assert sum(b["doors"] for b in answer["blocks"]) == 80
    assert sum(b["attempted"] for b in answer["blocks"]) == 3 and sum(b["reached"] for b in answer["blocks"]) == 1
    assert len(answer["doors"]) == 80 * 3  # packed (lat, lon, id) of every door in view
    assert {t["name"] for t in answer["turfs"]} == {"Alpha 1", "Alpha 2"}
    assert all(b["shape"] for b in answer["blocks"])


def test_a_small_box_holds_only_the_blocks_it_touches(client, auth, world):
    auth.login("organizer.a@test.example")
    answer = client.get(f"/offices/{world.office_a.id}/map/turfs?bbox=24.9002,60.1002,24.9008,60.1008&zoom=18"
                        ).get_json()
    assert [b["source_id"] for b in answer["blocks"]] == ["alpha-0-0"]
    assert answer["blocks"][0]["turf"] == "Alpha 1" and answer["blocks"][0]["free"] is False


def test_zoomed_out_the_blocks_come_in_cells_that_add_up(client, auth, world):
    knock_three(client, world)
    auth.login("lead.north@test.example")
    answer = client.get(f"/offices/{world.office_a.id}/map/coverage?bbox=24.0,59.5,25.5,60.5&zoom=9"
                        f"&canvass_id={world.canvass_north.id}").get_json()
    assert answer["mode"] == "cells" and not answer["blocks"] and not answer["doors"]
    assert sum(c["blocks"] for c in answer["cells"]) == 16 and sum(c["doors"] for c in answer["cells"]) == 80
    assert sum(c["attempted"] for c in answer["cells"]) == 3 and sum(c["reached"] for c in answer["cells"]) == 1
    assert answer["blocks_in_view"] == 16


def test_more_blocks_than_the_cap_come_in_cells_even_at_street_zoom(client, auth, world, monkeypatch):
    monkeypatch.setattr(map_view, "MAX_BLOCKS", 10)
    auth.login("organizer.a@test.example")
    answer = client.get(f"/offices/{world.office_a.id}/map/turfs?bbox={ALPHA}&zoom=17").get_json()
    assert answer["mode"] == "cells" and sum(c["blocks"] for c in answer["cells"]) == 16


def test_the_pages_embed_no_block(client, auth, world):
    auth.login("organizer.a@test.example")
    names = list(db.session.scalars(select(Block.source_id).where(Block.office_id == world.office_a.id)))
    for url in (f"/offices/{world.office_a.id}/dashboard", f"/offices/{world.office_a.id}/turfs"):
        page = client.get(url).get_data(as_text=True)
        assert f"/offices/{world.office_a.id}/map/" in page
        assert not any(name in page for name in names), url


def test_bad_boxes_and_zooms_are_refused_naming_the_field(client, auth, world):
    auth.login("organizer.a@test.example")
    base = f"/offices/{world.office_a.id}/map/coverage"
    for query, field in (("bbox=1,2,3&zoom=3", "bbox"), ("bbox=5,2,3,4&zoom=3", "bbox"),
                         ("bbox=1,2,nan,4&zoom=3", "bbox"), (f"bbox={ALPHA}&zoom=99", "zoom"),
                         (f"bbox={ALPHA}&zoom=x", "zoom")):
        response = client.get(f"{base}?{query}")
        assert response.status_code == 400 and field in response.get_data(as_text=True), query
    # Without a box or a zoom, the view is the whole office at a city zoom (a script's first look).
    whole = client.get(base)
    assert whole.status_code == 200 and whole.get_json() == client.get(f"{base}?zoom=12").get_json()
    assert client.get(f"/offices/{world.office_a.id}/map/everything?bbox={ALPHA}&zoom=3").status_code == 400


def test_the_turfs_layer_is_for_who_may_change_the_office(client, auth, world):
    auth.login("volunteer.a1@test.example")
    assert client.get(f"/offices/{world.office_a.id}/map/turfs?bbox={ALPHA}&zoom=17").status_code == 403
    auth.logout()
    auth.login("organizer.b@test.example")
    assert client.get(f"/offices/{world.office_a.id}/map/coverage?bbox={ALPHA}&zoom=17").status_code == 403


def test_a_large_office_is_outlined_by_the_cells_of_its_blocks(app, world, monkeypatch):
    from fieldops.services import turfs
    import shapely
    monkeypatch.setattr(turfs, "OUTLINE_BLOCKS", 10)
    turfs._OUTLINES.clear()
    outline = turfs.office_outlines([world.office_a.id])[world.office_a.id]
    centres = shapely.points(list(db.session.execute(select(Block.centroid_lon, Block.centroid_lat)
                                                     .where(Block.office_id == world.office_a.id))))
    assert outline.geom_type == "Polygon" and all(outline.contains(centres))
    assert outline.area < 0.004 * 0.004 * 3  # about the 4 x 4 blocks, not a box around the region
    turfs._OUTLINES.clear()
