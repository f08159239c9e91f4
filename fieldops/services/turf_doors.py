"""Which doors a turf holds, and what its door count counts: one definition for every page and count.

A block turf holds the doors of its whole blocks (``Block.turf_id``) and, for
blocks divided between turfs (``Block.divided``), the doors listed for it in
``TurfDoor``. Each door of a divided block is on at most one block turf. A
re-visit turf (kind "doors") holds only its ``TurfDoor`` doors, which may
also be on a block turf.

A turf's door count is the number of doors it holds when the office has
doors, else the housing units of its blocks (a census file with no door
file yet); ``Turf.count_basis`` says which.

None of these functions commits.
"""
from __future__ import annotations

from collections import defaultdict

import shapely
from sqlalchemy import delete, exists, func, or_, select, update

from ..extensions import db
from ..models import Block, Door, Office, Turf, TurfDoor

DOORS, HOUSING_UNITS = "doors", "housing_units"


def count_basis(office_id: int) -> str:
    """"doors" once the office holds any door, else "housing_units" (the blocks' counts stand in)."""
    has_doors = db.session.scalar(select(exists().where(Door.office_id == office_id)))
    return DOORS if has_doors else HOUSING_UNITS


def held_doors(turf: Turf):
    """A query for the doors the turf holds (see the module's docstring)."""
    listed = select(TurfDoor.door_id).where(TurfDoor.turf_id == turf.id)
    if turf.kind == "doors":
        return select(Door).where(Door.id.in_(listed))
    in_blocks = select(Block.id).where(Block.turf_id == turf.id)
    return select(Door).where(Door.office_id == turf.office_id,
                              or_(Door.block_id.in_(in_blocks), Door.id.in_(listed)))


def part_doors():
    """(door_id, turf_id) of doors of divided blocks and the block turf holding each: a subquery."""
    return (select(TurfDoor.door_id.label("door_id"), TurfDoor.turf_id.label("turf_id"))
            .join(Turf, Turf.id == TurfDoor.turf_id).where(Turf.kind == "blocks").subquery())


def door_total(turf: Turf, basis: str | None = None) -> tuple[int, str]:
    """The turf's door count and what it counts (see the module's docstring)."""
    basis = basis or count_basis(turf.office_id)
    if turf.kind == "doors":
        return int(db.session.scalar(select(func.count()).where(TurfDoor.turf_id == turf.id)) or 0), DOORS
    if basis == HOUSING_UNITS:
        return int(db.session.scalar(select(func.coalesce(func.sum(Block.housing_units), 0))
                                     .where(Block.turf_id == turf.id)) or 0), HOUSING_UNITS
    whole = db.session.scalar(select(func.coalesce(func.sum(Block.door_count), 0)).where(Block.turf_id == turf.id))
    parts = db.session.scalar(select(func.count()).where(TurfDoor.turf_id == turf.id))
    return int(whole or 0) + int(parts or 0), DOORS


def refresh_counts(office: Office) -> None:
    """Recount every block turf of the office (after doors are imported the basis may change)."""
    basis = count_basis(office.id)
    for turf in db.session.scalars(select(Turf).where(Turf.office_id == office.id, Turf.kind == "blocks")):
        turf.door_count, turf.count_basis = door_total(turf, basis)


def part_outline(turf: Turf):
    """The part of the turf's outline (lon/lat) that covers its doors in divided blocks, or None."""
    if turf.outline is None:
        return None
    divided = db.session.scalars(
        select(Block.geometry).where(Block.divided, Block.id.in_(
            select(Door.block_id).join(TurfDoor, TurfDoor.door_id == Door.id).where(TurfDoor.turf_id == turf.id)))
    ).all()
    if not divided:
        return None
    points: dict[int, list[tuple[float, float]]] = {}
    for block_id, lon, lat in db.session.execute(
            select(Door.block_id, Door.lon, Door.lat).join(TurfDoor, TurfDoor.door_id == Door.id)
            .where(TurfDoor.turf_id == turf.id).order_by(Door.id)):
        points.setdefault(block_id, []).append((lon, lat))
    part = shapely.union_all([shapely.intersection(turf.outline, shapely.union_all(divided)),
                              *door_margins(points.values())])
    return None if part.is_empty else part


PART_MARGIN_DEG = 0.0001  # about 10 m north-south (5 m east-west at 60°N) round a group of doors


def door_margins(groups) -> list:
    """The hull of each group of a part-block turf's doors (one group per divided block), with a margin: the
    outline must hold every door, and an address point can stand just outside its block's polygon (an
    OpenStreetMap entrance on the kerb)."""
    return [shapely.buffer(shapely.convex_hull(shapely.multipoints(list(points))), PART_MARGIN_DEG)
            for points in groups if points]


def release_parts(turf: Turf) -> None:
    """Give the turf's doors of divided blocks back; a block none of whose doors is held any more is whole again."""
    if turf.kind != "blocks":
        return
    blocks = set(db.session.scalars(select(Door.block_id).join(TurfDoor, TurfDoor.door_id == Door.id)
                                    .where(TurfDoor.turf_id == turf.id)))
    if not blocks:
        return
    db.session.execute(delete(TurfDoor).where(TurfDoor.turf_id == turf.id))
    free_blocks(sorted(blocks))


def free_blocks(block_ids: list[int]) -> None:
    """Mark divided blocks none of whose doors any block turf holds as whole (free) again."""
    held = part_doors()
    still = set(db.session.scalars(select(Door.block_id).join(held, held.c.door_id == Door.id)
                                   .where(Door.block_id.in_(block_ids))))
    whole = [b for b in block_ids if b not in still]
    if whole:
        db.session.execute(update(Block).where(Block.id.in_(whole)).values(divided=False),
                           execution_options={"synchronize_session": False})


def free_part_doors(office_id: int) -> dict[int, list[int]]:
    """Doors of the office's divided blocks that no block turf holds, by block: what a cut may still take."""
    held = part_doors()
    rows = db.session.execute(
        select(Door.block_id, Door.id).join(Block, Block.id == Door.block_id)
        .outerjoin(held, held.c.door_id == Door.id)
        .where(Door.office_id == office_id, Block.divided, held.c.turf_id.is_(None)).order_by(Door.block_id, Door.id))
    free: dict[int, list[int]] = defaultdict(list)
    for block_id, door_id in rows:
        free[block_id].append(door_id)
    return dict(free)


def reclaim_parts(turf: Turf) -> int:
    """Take back, for a turf reopened from the archive, the free doors of divided blocks inside its outline."""
    if turf.kind != "blocks" or turf.outline is None:
        return 0
    free = free_part_doors(turf.office_id)
    ids = [door_id for doors in free.values() for door_id in doors]
    if not ids:
        return 0
    points = db.session.execute(select(Door.id, Door.lon, Door.lat).where(Door.id.in_(ids))).all()
    inside = shapely.contains_xy(turf.outline, [p.lon for p in points], [p.lat for p in points])
    mine = [p.id for p, hit in zip(points, inside) if hit]
    if mine:
        db.session.execute(TurfDoor.__table__.insert(), [{"turf_id": turf.id, "door_id": d} for d in mine])
    return len(mine)


def unheld_divided(block_ids: list[int]) -> int:
    """How many of these blocks are divided between turfs (they cannot be taken whole)."""
    return int(db.session.scalar(select(func.count(Block.id)).where(Block.id.in_(block_ids), Block.divided)) or 0)


def door_owner_column(door_id_column, block_turf_column):
    """The turf that holds a door, for grouping counts by turf: its block's turf, else its part's turf.

    Returns (column, join): join it as ``query.outerjoin(part, part.c.door_id == door_id_column)``.
    """
    part = part_doors()
    return func.coalesce(block_turf_column, part.c.turf_id), part

