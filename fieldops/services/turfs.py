"""Turfs: make them from blocks, cut them automatically, edit them, and move them between states.

Each public function is one use case; none commits, the caller does.
What may be done to a turf (a state by hand, a reshape, a delete) is asked of
the one table in ``domain/turf_states.py``, with the turf's active
assignments counted under a lock on its row (``lock_turf``): a turf in a
volunteer's hands is never reshaped, re-stated or deleted under them, and a
hand-out racing with a split is served one after the other.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from sqlalchemy import bindparam, delete, func, insert, select, update

from ..domain.adjacency import block_graph
from ..domain.turf_cut import cut_turfs
from ..domain.turf_quality import cut_report
from ..domain.turf_states import Action, Holding, Offer, TransitionError, TurfState, check, check_transition, offer
from ..errors import Conflict, InvalidInput, NotFound
from ..extensions import db
from ..maps.office_map import MapBlock, MapTurf
from ..models import Assignment, Block, Contact, Door, Office, Turf, TurfDoor, TurfEvent, User
from . import audit

MAX_NAME = 120


@dataclass
class CutResult:
    turfs: list[Turf]
    report: dict  # the figures of fieldops.domain.turf_quality.cut_report


def _log(turf: Turf, user_id: int | None, action: str, detail: str, **states) -> None:
    db.session.add(TurfEvent(turf_id=turf.id, user_id=user_id, action=action, detail=detail[:500], **states))


def _refresh(turf: Turf) -> None:
    """Recompute the turf's cached door count and outline from its blocks."""
    rows = db.session.execute(select(Block.geometry, Block.door_count).where(Block.turf_id == turf.id)).all()
    turf.door_count = int(sum(r.door_count for r in rows))
    turf.outline = shapely.union_all([r.geometry for r in rows]) if rows else None


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("a turf needs a name", field="name")
    if len(name) > MAX_NAME:
        raise InvalidInput(f"a turf name has at most {MAX_NAME} characters", field="name")
    return name


def lock_turf(turf_id: int) -> Turf | None:
    """The turf, locked for the rest of the transaction.

    A no-op UPDATE comes first: on PostgreSQL it takes the row lock, and on
    SQLite, which has no row locks and whose driver reads outside
    transactions, it takes the database's one write lock, so the read that
    follows sees whatever the other writer committed.
    """
    db.session.execute(update(Turf).where(Turf.id == turf_id).values(state=Turf.state),
                       execution_options={"synchronize_session": False})
    return db.session.scalar(select(Turf).where(Turf.id == turf_id).with_for_update()
                             .execution_options(populate_existing=True))


def holdings(turfs: list[Turf]) -> dict[int, Holding]:
    """What the transition table needs to know of each turf: state, active assignments, ever used."""
    ids = [turf.id for turf in turfs]
    if not ids:
        return {}
    active = dict(db.session.execute(
        select(Assignment.turf_id, func.count(Assignment.id))
        .where(Assignment.turf_id.in_(ids), Assignment.returned_at.is_(None)).group_by(Assignment.turf_id)).all())
    used = set(db.session.scalars(select(Assignment.turf_id).where(Assignment.turf_id.in_(ids)).distinct()))
    used |= set(db.session.scalars(select(Contact.turf_id).where(Contact.turf_id.in_(ids)).distinct()))
    return {turf.id: Holding(state=turf.state, holders=active.get(turf.id, 0), used=turf.id in used,
                             has_blocks=turf.kind != "doors") for turf in turfs}


def offered(turf: Turf) -> Offer:
    """What the turf page may offer: exactly the actions the services below will allow."""
    return offer(holdings([turf])[turf.id])


def merge_candidates(turf: Turf) -> list[Turf]:
    """The office's other turfs that can be merged into this one (each can be reshaped and deleted)."""
    others = [t for t in office_turfs(turf.office_id) if t.id != turf.id]
    facts = holdings(others)
    return [t for t in others if offer(facts[t.id]).reshape and offer(facts[t.id]).delete]


def _allow(turf: Turf, action: Action, verb: str, target: str | None = None) -> None:
    """Lock the turf, count who holds it, and ask the table; Conflict with the reason if it says no."""
    lock_turf(turf.id)
    try:
        check(action, holdings([turf])[turf.id], target)
    except TransitionError as error:
        raise Conflict(f"{turf.name} cannot be {verb}: {error}") from None


def _free_blocks(office: Office, block_ids: list[int]) -> None:
    if not block_ids:
        raise InvalidInput("a turf needs at least one block", field="blocks")
    found = db.session.scalar(select(func.count(Block.id)).where(Block.id.in_(block_ids)))
    if found != len(set(block_ids)):
        raise InvalidInput(f"{len(set(block_ids)) - found} of those blocks do not exist", field="blocks")
    taken = db.session.scalar(select(func.count(Block.id)).where(
        Block.id.in_(block_ids), (Block.office_id != office.id) | Block.turf_id.is_not(None)))
    if taken:
        raise Conflict(f"{taken} of those blocks already belong to a turf or another office")


def build_turf(office: Office, block_ids: list[int], name: str, user_id: int | None) -> Turf:
    """Add a draft turf of whole, free blocks of the office."""
    name = _check_name(name)
    block_ids = sorted(set(block_ids))
    _free_blocks(office, block_ids)
    turf = Turf(office_id=office.id, name=name, state=TurfState.DRAFT.value)
    db.session.add(turf)
    db.session.flush()
    db.session.execute(update(Block).where(Block.id.in_(block_ids)).values(turf_id=turf.id),
                       execution_options={"synchronize_session": False})
    _refresh(turf)
    _log(turf, user_id, "create", f"{len(block_ids)} blocks, {turf.door_count} doors", to_state=turf.state)
    return turf


def build_door_turf(office: Office, door_ids: list[int], name: str, user_id: int | None) -> Turf:
    """An open re-visit turf of chosen doors of the office (any blocks, in any turfs), ready to hand out."""
    name = _check_name(name)
    door_ids = sorted(set(door_ids))
    if not door_ids:
        raise InvalidInput("a re-visit turf needs at least one door", field="doors")
    points = db.session.execute(select(Door.lon, Door.lat).where(Door.id.in_(door_ids),
                                                                 Door.office_id == office.id)).all()
    if len(points) != len(door_ids):
        raise InvalidInput(f"{len(door_ids) - len(points)} of those doors are not in {office.name}", field="doors")
    # About 30 m around the doors: enough to see where the turf lies on a map.
    outline = shapely.buffer(shapely.convex_hull(shapely.multipoints(points)), 0.0003)
    turf = Turf(office_id=office.id, name=name, state=TurfState.OPEN.value, kind="doors",
                door_count=len(door_ids), outline=outline)
    db.session.add(turf)
    db.session.flush()
    db.session.execute(insert(TurfDoor), [{"turf_id": turf.id, "door_id": door_id} for door_id in door_ids])
    _log(turf, user_id, "create", f"re-visit of {len(door_ids)} doors", to_state=turf.state)
    return turf


def turf_doors(turf: Turf):
    """A query for the turf's doors: its blocks' doors, or a re-visit turf's chosen doors."""
    if turf.kind == "doors":
        return select(Door).join(TurfDoor, TurfDoor.door_id == Door.id).where(TurfDoor.turf_id == turf.id)
    return select(Door).join(Block, Block.id == Door.block_id).where(Block.turf_id == turf.id)


def turf_by_id(turf_id: int) -> Turf:
    turf = db.session.get(Turf, turf_id)
    if turf is None:
        raise NotFound(f"no turf with id {turf_id}")
    return turf


def office_of(turf: Turf) -> Office:
    return db.session.get(Office, turf.office_id)


def next_turf_name(office: Office, prefix: str | None = None) -> str:
    count = db.session.scalar(select(func.count(Turf.id)).where(Turf.office_id == office.id)) or 0
    return f"{prefix or office.name} {count + 1:03d}"


def blocks_in_polygon(office: Office, polygon: dict) -> dict:
    """The office's blocks whose centre lies inside a drawn GeoJSON polygon (lon/lat): free ones and taken ones."""
    try:
        shape = shapely.geometry.shape(polygon)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException):
        raise InvalidInput("the drawn shape is not a GeoJSON polygon", field="polygon") from None
    if shape.geom_type not in ("Polygon", "MultiPolygon") or shape.is_empty:
        raise InvalidInput("draw a polygon around the blocks", field="polygon")
    shape = shapely.make_valid(shape)
    min_lon, min_lat, max_lon, max_lat = shape.bounds
    rows = db.session.execute(
        select(Block.id, Block.centroid_lon, Block.centroid_lat, Block.door_count, Block.turf_id)
        .where(Block.office_id == office.id, Block.centroid_lon.between(min_lon, max_lon),
               Block.centroid_lat.between(min_lat, max_lat)).order_by(Block.id)).all()
    inside = shapely.contains_xy(shape, [r.centroid_lon for r in rows], [r.centroid_lat for r in rows]) \
        if rows else []
    chosen = [r for r, hit in zip(rows, inside) if hit]
    free = [r for r in chosen if r.turf_id is None]
    return {"blocks": [r.id for r in free], "doors": int(sum(r.door_count for r in free)),
            "taken": len(chosen) - len(free)}


def change_blocks(turf: Turf, add: list[int], remove: list[int], user_id: int | None) -> Turf:
    """Add free blocks of the turf's office to it, or give some of its blocks back."""
    _allow(turf, Action.RESHAPE, "reshaped")
    office = db.session.get(Office, turf.office_id)
    add, remove = sorted(set(add)), sorted(set(remove))
    if add:
        _free_blocks(office, add)
    if remove:
        mine = db.session.scalar(select(func.count(Block.id)).where(Block.id.in_(remove), Block.turf_id == turf.id))
        if mine != len(remove):
            raise InvalidInput("some of the blocks to remove are not in this turf", field="remove")
        left = db.session.scalar(select(func.count(Block.id)).where(Block.turf_id == turf.id)) - len(remove)
        if left + len(add) == 0:
            raise Conflict("that would leave the turf without blocks; delete or archive it instead")
        db.session.execute(update(Block).where(Block.id.in_(remove)).values(turf_id=None),
                           execution_options={"synchronize_session": False})
    if add:
        db.session.execute(update(Block).where(Block.id.in_(add)).values(turf_id=turf.id),
                           execution_options={"synchronize_session": False})
    _refresh(turf)
    _log(turf, user_id, "blocks", f"+{len(add)} -{len(remove)} blocks, now {turf.door_count} doors")
    return turf


def rename(turf: Turf, name: str, user_id: int | None) -> Turf:
    name = _check_name(name)
    _log(turf, user_id, "rename", f"{turf.name} -> {name}")
    turf.name = name
    return turf


def split(turf: Turf, user_id: int | None) -> list[Turf]:
    """Cut a turf into contiguous parts of about half its doors; the first part keeps its name and history."""
    _allow(turf, Action.RESHAPE, "split")
    rows = _block_rows(Block.turf_id == turf.id)
    if len(rows) < 2:
        raise Conflict(f"turf {turf.name!r} is a single block and cannot be split")
    groups = _cut(rows, max(1, math.ceil(turf.door_count / 2)))
    if len(groups) < 2:
        groups = _cut(rows, max(1, math.ceil(turf.door_count / 3)))
    if len(groups) < 2:
        raise Conflict(f"turf {turf.name!r} cannot be split into connected parts")
    office = db.session.get(Office, turf.office_id)
    moved = [rows[i].id for group in groups[1:] for i in group]
    db.session.execute(update(Block).where(Block.id.in_(moved)).values(turf_id=None),
                       execution_options={"synchronize_session": False})
    _refresh(turf)
    parts = [turf]
    for n, group in enumerate(groups[1:]):
        part = build_turf(office, [rows[i].id for i in group], f"{turf.name[:MAX_NAME - 2]} {chr(ord('b') + n)}",
                          user_id)
        parts.append(part)
    _log(turf, user_id, "split", f"into {', '.join(p.name for p in parts)}")
    return parts


def merge(turf: Turf, other: Turf, user_id: int | None) -> Turf:
    """Move every block of ``other`` into ``turf`` and delete ``other`` (same office, both editable, unused)."""
    if turf.id == other.id:
        raise InvalidInput("choose another turf to merge with", field="other")
    if turf.office_id != other.office_id:
        raise Conflict("turfs of different offices cannot be merged")
    for locked in sorted((turf, other), key=lambda t: t.id):  # always in id order: no deadlock
        lock_turf(locked.id)
    _allow(turf, Action.RESHAPE, "merged")
    _allow(other, Action.RESHAPE, "merged away")
    _allow(other, Action.DELETE, "merged away")
    blocks = db.session.scalar(select(func.count(Block.id)).where(Block.turf_id == other.id))
    db.session.execute(update(Block).where(Block.turf_id == other.id).values(turf_id=turf.id),
                       execution_options={"synchronize_session": False})
    _refresh(turf)
    _log(turf, user_id, "merge", f"took {blocks} blocks of {other.name!r}; now {turf.door_count} doors")
    _delete_row(other, user_id, reason=f"merged into {turf.name}")
    return turf


def delete_turf(turf: Turf, user_id: int | None) -> None:
    """Delete a turf that nobody holds and that was never handed out or walked; its blocks become free."""
    _allow(turf, Action.DELETE, "deleted")
    if turf.kind == "doors":
        db.session.execute(delete(TurfDoor).where(TurfDoor.turf_id == turf.id))
    else:
        db.session.execute(update(Block).where(Block.turf_id == turf.id).values(turf_id=None),
                           execution_options={"synchronize_session": False})
    _delete_row(turf, user_id, reason="deleted")


def _delete_row(turf: Turf, user_id: int | None, reason: str) -> None:
    audit.record(user_id, "turf.delete", "turf", turf.id, name=turf.name, office_id=turf.office_id,
                 doors=turf.door_count, reason=reason)
    db.session.execute(delete(TurfEvent).where(TurfEvent.turf_id == turf.id))
    db.session.delete(turf)
    db.session.flush()


def change_state(turf: Turf, target: str, user_id: int | None) -> Turf:
    """An organizer moves a turf to ``target`` by hand, if the transition table allows it now; logged.

    Never to checked out (that is handing out), and not at all while a
    volunteer holds the turf.
    """
    try:
        new_state = TurfState(target)
    except ValueError:
        raise InvalidInput(f"unknown turf state {target!r}", field="state") from None
    _allow(turf, Action.STATE, f"made {new_state.value.replace('_', ' ')}", target)
    return move_to(turf, new_state, user_id)


def move_to(turf: Turf, new_state: TurfState, user_id: int | None) -> Turf:
    """Put the turf in ``new_state`` and log it; the caller has asked the transition table first.

    Archiving gives the turf's blocks back to the office, keeping the turf's
    outline and door count for history; reopening takes them back if free.
    """
    try:
        check_transition(turf.state, new_state.value)  # the state graph holds, whoever asked
    except TransitionError as error:
        raise Conflict(f"{turf.name}: {error}") from None
    if new_state is TurfState.ARCHIVED and turf.kind != "doors":
        db.session.execute(update(Block).where(Block.turf_id == turf.id).values(turf_id=None),
                           execution_options={"synchronize_session": False})
    elif turf.state == TurfState.ARCHIVED.value and turf.kind != "doors" and turf.outline is not None:
        office = db.session.get(Office, turf.office_id)
        wanted = blocks_in_polygon(office, shapely.geometry.mapping(turf.outline))
        if wanted["taken"]:
            raise Conflict(f"{wanted['taken']} of this turf's blocks now belong to other turfs")
        db.session.execute(update(Block).where(Block.id.in_(wanted["blocks"])).values(turf_id=turf.id),
                           execution_options={"synchronize_session": False})
        _refresh(turf)
    _log(turf, user_id, "state", f"{turf.state} -> {new_state.value}", from_state=turf.state,
         to_state=new_state.value)
    turf.state = new_state.value
    return turf


def _block_rows(condition) -> list:
    return db.session.execute(
        select(Block.id, Block.source_id, Block.geometry, Block.door_count, Block.housing_units)
        .where(condition).order_by(Block.id)).all()


def _metric(rows) -> np.ndarray:
    series = gpd.GeoSeries([r.geometry for r in rows], crs="EPSG:4326")
    return series.to_crs(series.estimate_utm_crs()).to_numpy()


def _doors(rows) -> list[int]:
    """Doors per block; where the office holds no doors yet, the source's housing units stand in."""
    doors = [r.door_count for r in rows]
    return doors if any(doors) else [r.housing_units or 0 for r in rows]


def _cut(rows, target: int) -> list[list[int]]:
    blocks, neighbours, shared = block_graph(_metric(rows), _doors(rows))
    return cut_turfs(blocks, neighbours, target, shared)


def auto_cut(office: Office, target_doors: int, user_id: int | None, *, name_prefix: str | None = None,
             progress=None) -> CutResult:
    """Cut the office's free blocks into draft turfs of about ``target_doors`` doors, with the cut's figures.

    ``progress(step, done, total)`` is called as the turfs are saved.
    """
    if target_doors < 1:
        raise InvalidInput("the number of doors per turf must be at least 1", field="doors")
    started = time.perf_counter()
    rows = _block_rows((Block.office_id == office.id) & Block.turf_id.is_(None))
    if not rows:
        return CutResult([], cut_report([], [], [], [], target_doors, 0.0))
    metric = _metric(rows)
    doors = _doors(rows)
    blocks, neighbours, shared = block_graph(metric, doors)
    groups = cut_turfs(blocks, neighbours, target_doors, shared)
    if progress:
        progress("save", 0, len(groups))
    outlines = [shapely.union_all(metric[group]) for group in groups]
    report = cut_report(groups, doors, neighbours, outlines, target_doors, time.perf_counter() - started)
    start = db.session.scalar(select(func.count(Turf.id)).where(Turf.office_id == office.id)) or 0
    prefix = name_prefix or office.name
    # The blocks were read as free a moment ago: the turfs are made from what is in hand, in bulk,
    # not one query per turf. The UPDATE claims only blocks that are still free, and a shortfall
    # means someone else took some meanwhile.
    turfs = [Turf(office_id=office.id, name=f"{prefix} {start + n + 1:03d}", state=TurfState.DRAFT.value,
                  door_count=int(sum(rows[i].door_count for i in group)),
                  outline=shapely.union_all([rows[i].geometry for i in group]))
             for n, group in enumerate(groups)]
    db.session.add_all(turfs)
    db.session.flush()
    claims = [{"block": rows[i].id, "turf": turf.id} for turf, group in zip(turfs, groups) for i in group]
    table = Block.__table__  # a Core executemany: the ORM's bulk path wants primary keys by name
    claimed = db.session.connection().execute(
        table.update().where(table.c.id == bindparam("block"), table.c.turf_id.is_(None))
        .values(turf_id=bindparam("turf")), claims).rowcount
    if claimed != len(claims):
        raise Conflict("some blocks were put in turfs by someone else during the cut: cut again")
    db.session.add_all(TurfEvent(turf_id=turf.id, user_id=user_id, action="create", to_state=turf.state,
                                 detail=f"auto-cut: {len(group)} blocks, {turf.door_count} doors")
                       for turf, group in zip(turfs, groups))
    if progress:
        progress("save", len(groups), len(groups))
    report["seconds"] = round(time.perf_counter() - started, 3)
    return CutResult(turfs, report)


def office_turfs(office_id: int, *, include_archived: bool = False) -> list[Turf]:
    """The office's turfs by name; archived ones only when asked."""
    query = select(Turf).where(Turf.office_id == office_id).order_by(Turf.name, Turf.id)
    if not include_archived:
        query = query.where(Turf.state != TurfState.ARCHIVED.value)
    return list(db.session.scalars(query))


def turfs_geojson(office: Office) -> dict:
    """One GeoJSON Feature per turf of the office (archived too): outline; id, name, doors, blocks, state."""
    turfs = office_turfs(office.id, include_archived=True)
    blocks: dict[int, list[str]] = {turf.id: [] for turf in turfs}
    for turf_id, source_id in db.session.execute(
            select(Block.turf_id, Block.source_id).where(Block.office_id == office.id, Block.turf_id.is_not(None))
            .order_by(Block.source_id)):
        blocks[turf_id].append(source_id)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": turf.id,
         "geometry": shapely.geometry.mapping(turf.outline) if turf.outline is not None else None,
         "properties": {"id": turf.id, "name": turf.name, "doors": turf.door_count, "blocks": blocks[turf.id],
                        "state": turf.state}}
        for turf in turfs]}


def history(turf: Turf) -> list[dict]:
    """The turf's changes, newest first, with who made them."""
    rows = db.session.execute(
        select(TurfEvent, User.name).outerjoin(User, User.id == TurfEvent.user_id)
        .where(TurfEvent.turf_id == turf.id).order_by(TurfEvent.id.desc()))
    return [{"at": event.at, "action": event.action, "detail": event.detail, "by": name or "system"}
            for event, name in rows]


def office_map_data(office: Office) -> tuple[list[MapBlock], list[MapTurf]]:
    """The office's blocks and live turfs, as the map builder takes them."""
    blocks = [MapBlock(r.id, r.source_id, r.geometry, r.door_count, r.turf_id) for r in db.session.execute(
        select(Block.id, Block.source_id, Block.geometry, Block.door_count, Block.turf_id)
        .where(Block.office_id == office.id).order_by(Block.id))]
    turfs = [MapTurf(t.id, t.name, t.state, t.door_count, t.outline) for t in office_turfs(office.id)]
    return blocks, turfs


def office_door_points(office: Office) -> list[tuple[float, float, int]]:
    """Every door of the office as (lat, lon, id), for the map's clusters."""
    return [(lat, lon, door_id) for lat, lon, door_id in db.session.execute(
        select(Door.lat, Door.lon, Door.id).where(Door.office_id == office.id).order_by(Door.id))]


_OUTLINES: dict[int, tuple[tuple, object]] = {}


def office_outlines(office_ids: list[int]) -> dict[int, object]:
    """Each office's territory as one shape (the union of its blocks), kept in memory until its blocks change.

    In-process and per office: each gunicorn worker computes an office's outline once.
    """
    # Blocks added, removed or reshaped (a re-import updates them in place) change this stamp.
    stamps = {row.office_id: (row.count, row.last, round(row.extent or 0.0, 9)) for row in db.session.execute(
        select(Block.office_id, func.count(Block.id).label("count"), func.max(Block.id).label("last"),
               func.sum(Block.min_lon + Block.min_lat + Block.max_lon + Block.max_lat).label("extent"))
        .where(Block.office_id.in_(office_ids)).group_by(Block.office_id))}
    outlines = {}
    for office_id in office_ids:
        stamp = stamps.get(office_id)
        cached = _OUTLINES.get(office_id)
        if stamp is None:
            outlines[office_id] = None
            continue
        if cached is None or cached[0] != stamp:
            geometries = db.session.scalars(select(Block.geometry).where(Block.office_id == office_id)).all()
            union = shapely.union_all(shapely.buffer(geometries, 0.00001))  # close the gaps along streets
            cached = _OUTLINES[office_id] = (stamp, shapely.simplify(union, 0.00005))
        outlines[office_id] = cached[1]
    return outlines
