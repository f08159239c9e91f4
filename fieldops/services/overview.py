"""Territory at a glance: what an office and a region hold, in grouped queries."""
from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from ..models import Assignment, Block, Door, Office, Region, Turf, User


def _count_by_office(column, office_ids: list[int]) -> dict[int, int]:
    table = column.class_
    return dict(db.session.execute(
        select(table.office_id, func.count(column)).where(table.office_id.in_(office_ids))
        .group_by(table.office_id)).all())


def region_overview(region: Region) -> list[dict]:
    """One row per office of the region: blocks, doors and turfs."""
    offices = list(db.session.scalars(select(Office).where(Office.region_id == region.id).order_by(Office.name)))
    ids = [office.id for office in offices]
    blocks, doors, turfs = (_count_by_office(col, ids) for col in (Block.id, Door.id, Turf.id))
    return [{"id": o.id, "name": o.name, "blocks": blocks.get(o.id, 0), "doors": doors.get(o.id, 0),
             "turfs": turfs.get(o.id, 0)} for o in offices]


def office_overview(office: Office) -> dict:
    """An office's territory and its turfs, each with who walks it now."""
    blocks, doors = (_count_by_office(col, [office.id]).get(office.id, 0) for col in (Block.id, Door.id))
    unassigned_blocks = db.session.scalar(
        select(func.count(Block.id)).where(Block.office_id == office.id, Block.turf_id.is_(None),
                                       ~Block.divided))
    walkers: dict[int, list[str]] = {}
    for turf_id, name in db.session.execute(
            select(Assignment.turf_id, User.name).join(User, User.id == Assignment.volunteer_id)
            .join(Turf, Turf.id == Assignment.turf_id)
            .where(Turf.office_id == office.id, Assignment.returned_at.is_(None))
            .order_by(User.name)):
        walkers.setdefault(turf_id, []).append(name)
    turfs = [{"id": t.id, "name": t.name, "state": t.state, "doors": t.door_count, "counts": t.count_basis,
              "volunteers": walkers.get(t.id, [])}
             for t in db.session.scalars(select(Turf).where(Turf.office_id == office.id).order_by(Turf.name))]
    return {"office": office, "blocks": blocks, "doors": doors, "unassigned_blocks": unassigned_blocks,
            "turfs": turfs}
