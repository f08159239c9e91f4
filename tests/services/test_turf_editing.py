"""Turf editing against the database: draw, click blocks, rename, split, merge, delete, states and history."""
from __future__ import annotations

import pytest
import shapely
from sqlalchemy import func, select

from fieldops.errors import Conflict, InvalidInput
from fieldops.extensions import db
from fieldops.models import AuditEvent, Block, Turf, TurfEvent
from fieldops.services import canvassing, turfs
from tests.factories import CELL


def block_ids(office, *source_ids):
    return [db.session.scalar(select(Block.id).where(Block.office_id == office.id, Block.source_id == s))
            for s in source_ids]


def free_bravo(world):
    """Bravo's rows 2 and 3 hold no turf: 8 blocks of 5 doors."""
    return [f"bravo-{r}-{c}" for r in (2, 3) for c in range(4)]


def square(lon0, lat0, lon1, lat1) -> dict:
    return shapely.geometry.mapping(shapely.box(lon0, lat0, lon1, lat1))


def test_polygon_picks_free_blocks_by_centre_and_counts_taken_ones(world):
    # Around the centres of bravo row 1 (taken by Bravo 1) and row 2 columns 0-1 (free).
    lon0, lat0 = 24.95, 60.10
    polygon = square(lon0, lat0 + 1.2 * CELL, lon0 + 1.9 * CELL, lat0 + 2.8 * CELL)
    preview = turfs.blocks_in_polygon(world.office_b, polygon)
    assert sorted(preview["blocks"]) == sorted(block_ids(world.office_b, "bravo-2-0", "bravo-2-1"))
    assert preview["doors"] == 10
    assert preview["taken"] == 2


def test_bad_polygons_are_named(world):
    with pytest.raises(InvalidInput, match="not a GeoJSON polygon"):
        turfs.blocks_in_polygon(world.office_b, {"type": "Polygon"})
    with pytest.raises(InvalidInput, match="draw a polygon"):
        turfs.blocks_in_polygon(world.office_b, {"type": "Point", "coordinates": [24.95, 60.1]})


def test_build_turf_refuses_taken_and_foreign_blocks(world):
    with pytest.raises(Conflict, match="already belong"):
        turfs.build_turf(world.office_b, block_ids(world.office_b, "bravo-0-0"), "Twice", None)
    with pytest.raises(Conflict, match="another office"):
        turfs.build_turf(world.office_b, block_ids(world.office_c, "charlie-3-3"), "Foreign", None)
    with pytest.raises(InvalidInput, match="needs a name"):
        turfs.build_turf(world.office_b, block_ids(world.office_b, "bravo-3-3"), "  ", None)


def test_adding_and_removing_blocks_updates_doors_outline_and_history(world):
    turf = turfs.build_turf(world.office_b, block_ids(world.office_b, "bravo-2-0"), "Bravo 2", world.users.organizer_b.id)
    turfs.change_blocks(turf, block_ids(world.office_b, "bravo-2-1", "bravo-3-0"), [], world.users.organizer_b.id)
    assert turf.door_count == 15
    turfs.change_blocks(turf, [], block_ids(world.office_b, "bravo-3-0"), world.users.organizer_b.id)
    db.session.commit()
    assert turf.door_count == 10
    expected = shapely.box(24.95, 60.10 + 2 * CELL, 24.95 + 2 * CELL, 60.10 + 3 * CELL)
    assert turf.outline.symmetric_difference(expected).area < 1e-12
    assert [e["action"] for e in turfs.history(turf)] == ["blocks", "blocks", "create"]
    with pytest.raises(InvalidInput, match="not in this turf"):
        turfs.change_blocks(turf, [], block_ids(world.office_b, "bravo-0-0"), None)
    with pytest.raises(Conflict, match="without blocks"):
        turfs.change_blocks(turf, [], block_ids(world.office_b, "bravo-2-0", "bravo-2-1"), None)


def test_a_turf_in_a_volunteers_hands_is_not_reshaped(world):
    with pytest.raises(Conflict, match="cannot be reshaped: it is in a volunteer's hands: take it back first"):
        turfs.change_blocks(world.turf_a1, [], block_ids(world.office_a, "alpha-0-0"), None)
    with pytest.raises(Conflict, match="cannot be split: it is in a volunteer's hands"):
        turfs.split(world.turf_a1, None)
    with pytest.raises(Conflict, match="cannot be merged: it is in a volunteer's hands"):
        turfs.merge(world.turf_a1, world.turf_a2, None)
    with pytest.raises(Conflict, match="cannot be deleted: it is in a volunteer's hands"):
        turfs.delete_turf(world.turf_a1, None)
    for state in ("open", "completed", "archived"):
        with pytest.raises(Conflict, match=f"cannot be made {state}: it is in a volunteer's hands"):
            turfs.change_state(world.turf_a1, state, None)
    turfs.rename(world.turf_a1, "Alpha North", None)  # a name is harmless
    assert world.turf_a1.name == "Alpha North"


def test_an_open_turf_still_held_is_not_reshaped_either(world):
    """What the old state button left behind (checked out -> open with the assignment still active)."""
    world.turf_a1.state = "open"
    db.session.commit()
    with pytest.raises(Conflict, match="cannot be split: it is in a volunteer's hands"):
        turfs.split(world.turf_a1, None)
    (other, _), = canvassing.open_assignments(world.turf_a2.id)
    canvassing.take_back(other, None)
    with pytest.raises(Conflict, match="cannot be merged away: it is in a volunteer's hands"):
        turfs.merge(world.turf_a2, world.turf_a1, None)


def test_checked_out_is_never_set_by_hand(world):
    with pytest.raises(Conflict, match="checked out by handing it out"):
        turfs.change_state(world.turf_b1, "checked_out", None)
    with pytest.raises(InvalidInput, match="unknown turf state"):
        turfs.change_state(world.turf_b1, "lost", None)


def test_taking_back_the_last_assignment_opens_the_turf_and_frees_it_for_editing(world):
    (assignment, _), = canvassing.open_assignments(world.turf_a1.id)
    canvassing.take_back(assignment, world.users.organizer_a.id)
    db.session.commit()
    assert world.turf_a1.state == "open"
    parts = turfs.split(world.turf_a1, None)
    assert len(parts) == 2


def test_split_gives_contiguous_halves_and_keeps_the_name(world):
    turf = turfs.build_turf(world.office_b, block_ids(world.office_b, *free_bravo(world)), "Bravo South", None)
    parts = turfs.split(turf, None)
    db.session.commit()
    assert parts[0].name == "Bravo South" and parts[1].name == "Bravo South b"
    assert sum(p.door_count for p in parts) == 40
    assert all(15 <= p.door_count <= 25 for p in parts)
    for part in parts:
        assert part.outline.geom_type == "Polygon"  # touching blocks: one piece
    assert db.session.scalar(select(func.count(Block.id)).where(Block.turf_id.in_([p.id for p in parts]))) == 8


def test_merge_moves_blocks_and_deletes_the_other_with_an_audit_entry(world):
    left = turfs.build_turf(world.office_b, block_ids(world.office_b, "bravo-2-0", "bravo-2-1"), "West", None)
    right = turfs.build_turf(world.office_b, block_ids(world.office_b, "bravo-2-2", "bravo-2-3"), "East", None)
    right_id = right.id
    turfs.merge(left, right, world.users.organizer_b.id)
    db.session.commit()
    assert left.door_count == 20
    assert db.session.get(Turf, right_id) is None
    assert db.session.scalar(select(func.count(TurfEvent.id)).where(TurfEvent.turf_id == right_id)) == 0
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "turf.delete"))
    assert event.target_id == str(right_id) and event.details["reason"] == "merged into West"


def test_a_walked_turf_cannot_be_deleted_or_merged_away(world):
    for turf in (world.turf_a1, world.turf_a2):
        (assignment, _), = canvassing.open_assignments(turf.id)
        canvassing.take_back(assignment, None)  # even once taken back, its history stays
    with pytest.raises(Conflict, match="cannot be deleted: it has been handed out or walked; archive it instead"):
        turfs.delete_turf(world.turf_a2, None)
    with pytest.raises(Conflict, match="cannot be merged away: it has been handed out"):
        turfs.merge(world.turf_a1, world.turf_a2, None)


def test_delete_frees_the_blocks(world):
    turf = turfs.build_turf(world.office_b, block_ids(world.office_b, "bravo-3-3"), "Corner", None)
    turfs.delete_turf(turf, None)
    db.session.commit()
    assert db.session.scalar(select(Block.turf_id).where(Block.source_id == "bravo-3-3")) is None


def test_states_follow_the_table_and_archiving_frees_blocks(world):
    turf = turfs.build_turf(world.office_b, block_ids(world.office_b, "bravo-3-2", "bravo-3-3"), "Edge", None)
    with pytest.raises(Conflict, match="cannot become completed"):
        turfs.change_state(turf, "completed", None)
    turfs.change_state(turf, "archived", None)
    db.session.commit()
    assert db.session.scalar(select(func.count(Block.id)).where(Block.turf_id == turf.id)) == 0
    assert turf.door_count == 10  # kept for history
    turfs.change_state(turf, "open", None)
    db.session.commit()
    assert db.session.scalar(select(func.count(Block.id)).where(Block.turf_id == turf.id)) == 2
    assert [(e["action"], e["detail"]) for e in turfs.history(turf)][:2] == [
        ("state", "archived -> open"), ("state", "draft -> archived")]


def test_auto_cut_covers_every_free_block_and_reports(world):
    result = turfs.auto_cut(world.office_b, 20, world.users.organizer_b.id)
    db.session.commit()
    assert result.report["turfs"] == len(result.turfs) == 2
    assert result.report["doors"] == 40 and result.report["contiguous"] is True
    assert result.report["within_20pct"] == 1.0
    assert [t.name for t in result.turfs] == ["Bravo 002", "Bravo 003"]
    assert db.session.scalar(select(func.count(Block.id)).where(Block.office_id == world.office_b.id,
                                                                Block.turf_id.is_(None))) == 0
    again = turfs.auto_cut(world.office_b, 20, None)
    assert again.turfs == [] and again.report["turfs"] == 0


def test_export_matches_the_database(world):
    collection = turfs.turfs_geojson(world.office_a)
    assert [f["properties"]["name"] for f in collection["features"]] == ["Alpha 1", "Alpha 2"]
    first = collection["features"][0]
    assert first["properties"]["blocks"] == sorted(f"alpha-{r}-{c}" for r in range(2) for c in range(4))
    assert first["properties"]["doors"] == 40 and first["properties"]["state"] == "checked_out"
    assert shapely.geometry.shape(first["geometry"]).equals(world.turf_a1.outline)
