"""Turfs: make them from blocks, cut them automatically, and move them between states."""
from __future__ import annotations

import geopandas as gpd
import shapely
from sqlalchemy import func, select, update

from ..domain.adjacency import block_adjacency
from ..domain.turf_cut import BlockInput, cut_turfs
from ..domain.turf_states import TransitionError, TurfState, check_transition
from ..errors import Conflict, InvalidInput
from ..extensions import db
from ..models import Block, Office, Turf, TurfEvent


def _outline(block_ids: list[int]):
    geometries = db.session.scalars(select(Block.geometry).where(Block.id.in_(block_ids))).all()
    return shapely.union_all(geometries)


def build_turf(office: Office, block_ids: list[int], name: str, user_id: int | None) -> Turf:
    """Add a draft turf of whole blocks to the session (no commit); blocks must be free."""
    if not block_ids:
        raise InvalidInput("a turf needs at least one block", field="blocks")
    taken = db.session.scalar(select(func.count(Block.id)).where(
        Block.id.in_(block_ids), (Block.office_id != office.id) | Block.turf_id.is_not(None)))
    if taken:
        raise Conflict(f"{taken} of those blocks already belong to a turf or another office")
    doors = db.session.scalar(select(func.coalesce(func.sum(Block.door_count), 0)).where(Block.id.in_(block_ids)))
    turf = Turf(office_id=office.id, name=name, state=TurfState.DRAFT.value, door_count=int(doors),
                outline=_outline(block_ids))
    db.session.add(turf)
    db.session.flush()
    db.session.execute(update(Block).where(Block.id.in_(block_ids)).values(turf_id=turf.id),
                       execution_options={"synchronize_session": False})
    db.session.add(TurfEvent(turf_id=turf.id, user_id=user_id, action="create", to_state=turf.state,
                             detail=f"{len(block_ids)} blocks, {turf.door_count} doors"))
    return turf


def change_state(turf: Turf, target: str, user_id: int | None) -> Turf:
    """Move a turf to ``target`` through the transition table, and log it (no commit)."""
    try:
        new_state = check_transition(turf.state, target)
    except TransitionError as error:
        raise Conflict(str(error)) from None
    db.session.add(TurfEvent(turf_id=turf.id, user_id=user_id, action="state",
                             from_state=turf.state, to_state=new_state.value))
    turf.state = new_state.value
    return turf


def auto_cut(office: Office, target_doors: int, user_id: int | None, *, name_prefix: str | None = None) -> list[Turf]:
    """Cut the office's unassigned blocks into turfs of about ``target_doors`` doors (no commit)."""
    rows = db.session.execute(
        select(Block.id, Block.geometry, Block.door_count)
        .where(Block.office_id == office.id, Block.turf_id.is_(None)).order_by(Block.id)).all()
    if not rows:
        return []
    geometries = gpd.GeoSeries([r.geometry for r in rows], crs="EPSG:4326")
    centres = geometries.to_crs(geometries.estimate_utm_crs()).centroid
    blocks = [BlockInput(doors=r.door_count, x=float(c.x), y=float(c.y)) for r, c in zip(rows, centres)]
    groups = cut_turfs(blocks, block_adjacency(geometries.to_numpy()), target_doors)
    prefix = name_prefix or office.name
    start = db.session.scalar(select(func.count(Turf.id)).where(Turf.office_id == office.id)) or 0
    return [build_turf(office, [rows[i].id for i in group], f"{prefix} {start + n + 1:03d}", user_id)
            for n, group in enumerate(groups)]
