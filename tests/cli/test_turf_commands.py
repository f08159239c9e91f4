"""flask cut-turfs and export-turfs on the real database."""
from __future__ import annotations

import json

import shapely
from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import AuditEvent, Block, Door, Turf, TurfDoor
from fieldops.services import turfs


def test_cut_turfs_json_reports_the_figures_and_saves_the_turfs(runner, world):
    result = runner.invoke(args=["cut-turfs", "--office", "Bravo", "--doors", "20", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"turfs", "doors", "counts", "target", "within_20pct", "turfs_within_20pct",
                           "largest_deviation", "largest_deviation_turf", "largest_deviation_doors",
                           "largest_deviation_reason", "contiguous", "compactness", "seconds", "oversize_blocks",
                           "within_20pct_of_the_rest", "divided_blocks", "part_block_turfs", "unassigned_blocks"}
    assert report["turfs"] == 2 and report["doors"] == 40 and report["target"] == 20
    assert report["contiguous"] is True and report["within_20pct"] == 1.0
    assert 0 < report["compactness"] <= 1
    assert db.session.scalar(select(func.count(Turf.id)).where(Turf.office_id == world.office_b.id)) == 3


def test_cut_turfs_on_real_helsinki_blocks_is_contiguous_and_repeatable(runner, app):
    for args in (["import-blocks", "data/helsinki/blocks.geojson", "--office", "Helsinki", "--region", "Uusimaa"],
                 ["import-doors", "data/helsinki/doors.csv", "--office", "Helsinki"]):
        assert runner.invoke(args=args).exit_code == 0
    runs = []
    for _ in range(2):
        report = json.loads(runner.invoke(args=["cut-turfs", "--office", "Helsinki", "--doors", "60",
                                                "--json"]).stdout)
        runs.append((report, _layout()))
        assert _doors_held() == sorted(db.session.scalars(select(Door.id)))  # every door in exactly one turf
        db.session.execute(TurfDoor.__table__.delete())
        db.session.execute(Block.__table__.update().values(turf_id=None, divided=False))
        db.session.execute(Turf.__table__.delete())
        db.session.commit()
    (first, first_layout), (second, second_layout) = runs
    assert first["contiguous"] is True and first["turfs"] == len(first_layout) > 5
    assert first["doors"] == db.session.scalar(select(func.sum(Block.door_count)))
    assert first["within_20pct"] >= 0.9 and first["divided_blocks"] > 0  # apartment blocks are divided
    assert first_layout == second_layout  # the same input gives the same turfs
    assert {k: v for k, v in first.items() if k != "seconds"} == {k: v for k, v in second.items() if k != "seconds"}


def _layout() -> list[tuple[str, ...]]:
    """Each turf as the source ids of its whole blocks and of its doors in divided blocks."""
    groups: dict[int, list[str]] = {}
    for turf_id, source_id in db.session.execute(
            select(Block.turf_id, Block.source_id).where(Block.turf_id.is_not(None))):
        groups.setdefault(turf_id, []).append(source_id)
    for turf_id, source_id in db.session.execute(
            select(TurfDoor.turf_id, Door.source_id).join(Door, Door.id == TurfDoor.door_id)):
        groups.setdefault(turf_id, []).append(source_id)
    return sorted(tuple(sorted(ids)) for ids in groups.values())


def _doors_held() -> list[int]:
    """Every door held by a turf, once per turf holding it."""
    return sorted(door_id for turf in db.session.scalars(select(Turf))
                  for door_id in db.session.scalars(select(Door.id).where(
                      Door.id.in_(turfs.turf_doors(turf).with_only_columns(Door.id)))))


def test_cut_turfs_rejects_unknown_offices_and_bad_targets(runner, world):
    result = runner.invoke(args=["cut-turfs", "--office", "Zulu", "--doors", "20"])
    assert result.exit_code == 1 and "no office named 'Zulu'" in result.output
    result = runner.invoke(args=["cut-turfs", "--office", "Bravo", "--doors", "0"])
    assert result.exit_code == 2 and "--doors" in result.output


def test_export_turfs_writes_valid_geojson_matching_the_database(runner, world, tmp_path):
    path = tmp_path / "alpha.geojson"
    result = runner.invoke(args=["export-turfs", "--office", "Alpha", "-o", str(path)])
    assert result.exit_code == 0, result.output
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    for feature in collection["features"]:
        assert feature["type"] == "Feature" and set(feature["properties"]) == {"id", "name", "doors", "blocks", "state",
                                                                            "counts", "part_blocks"}
        geometry = shapely.geometry.shape(feature["geometry"])
        assert geometry.is_valid and geometry.geom_type == "Polygon"
        turf = db.session.get(Turf, feature["properties"]["id"])
        assert (turf.name, turf.door_count, turf.state) == (
            feature["properties"]["name"], feature["properties"]["doors"], feature["properties"]["state"])
        assert sorted(db.session.scalars(select(Block.source_id).where(Block.turf_id == turf.id))) == \
            feature["properties"]["blocks"]
        assert geometry.equals(turf.outline)
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "export.turfs")) == 1
