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
from sqlalchemy import Integer, bindparam, cast, delete, exists, func, insert, select, update

from ..domain.adjacency import block_graph
from ..domain.addresses import normalise_street
from ..domain.buildings import own_building_key, unit_order
from ..domain.display import bounded_simplify
from ..domain.door_groups import DoorInput
from ..domain.projection import equal_area_crs
from ..domain.turf_cut import cut_turfs
from ..domain.turf_plan import PIECE_SHARE, plan_report, plan_turfs
from ..domain.turf_quality import cut_report
from ..domain.turf_states import (Action, Holding, Offer, TransitionError, TurfState, check, check_transition, offer,
                                  said)
from ..errors import Conflict, InvalidInput, NotFound
from ..extensions import db
from ..maps.office_map import MapBlock, MapTurf
from ..models import Assignment, Block, Contact, Door, Office, Turf, TurfDoor, TurfEvent, User
from ..models.types import WKBGeometry
from . import audit
from . import turf_doors as turf_doors_service
from .universes import door_is_targeted
from ..domain.text import N_

MAX_NAME = 120
# A drawn turf has tens of corners; a repair (make_valid) of a self-crossing one of 20,000 took 45 s.
MAX_DRAWN_VERTICES = 5_000


@dataclass
class CutResult:
    turfs: list[Turf]
    report: dict  # the figures of fieldops.domain.turf_quality.cut_report


def _log(turf: Turf, user_id: int | None, action: str, detail: str, **states) -> None:
    db.session.add(TurfEvent(turf_id=turf.id, user_id=user_id, action=action, detail=detail[:500], **states))


def _refresh(turf: Turf) -> None:
    """Recompute the turf's cached door count and outline: its blocks, and the cells of its doors in divided blocks."""
    parts = turf_doors_service.part_outline(turf)
    geometries = list(db.session.scalars(select(Block.geometry).where(Block.turf_id == turf.id)))
    if parts is not None:
        geometries.append(parts)
    turf.door_count, turf.count_basis = turf_doors_service.door_total(turf)
    turf.outline = shapely.union_all(geometries) if geometries else None


def _check_name(name: str) -> str:
    if name is not None and not isinstance(name, str):  # JSON from the map's editor: a list or object
        raise InvalidInput(N_("a turf name is text of at most %(max_name)s characters"),
                           max_name=MAX_NAME, field="name")
    name = (name or "").strip()
    if not name:
        raise InvalidInput(N_("a turf needs a name"), field="name")
    if len(name) > MAX_NAME:
        raise InvalidInput(N_("a turf name has at most %(max_name)s characters"), max_name=MAX_NAME, field="name")
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


# What was refused, a sentence each (so each language words its own verb); a state change names the state.
REFUSED_AS = {"reshaped": N_("%(turf)s cannot be reshaped: %(error)s"), "split": N_("%(turf)s cannot be split: %(error)s"),
              "merged": N_("%(turf)s cannot be merged: %(error)s"),
              "merged away": N_("%(turf)s cannot be merged away: %(error)s"),
              "deleted": N_("%(turf)s cannot be deleted: %(error)s")}


def _allow(turf: Turf, action: Action, verb: str, target: str | None = None) -> None:
    """Lock the turf, count who holds it, and ask the table; Conflict with the reason if it says no.
    ``verb``: a key of REFUSED_AS, or the state asked for (``target``) when it is None."""
    lock_turf(turf.id)
    try:
        check(action, holdings([turf])[turf.id], target)
    except TransitionError as error:
        if verb in REFUSED_AS:
            raise Conflict(REFUSED_AS[verb], turf=turf.name, error=error) from None
        raise Conflict(N_("%(turf)s cannot be made %(state)s: %(error)s"), turf=turf.name,
                       state=said(target or verb), error=error) from None


def _free_blocks(office: Office, block_ids: list[int]) -> None:
    if not block_ids:
        raise InvalidInput(N_("a turf needs at least one block"), field="blocks")
    found = db.session.scalar(select(func.count(Block.id)).where(Block.id.in_(block_ids)))
    if found != len(set(block_ids)):
        raise InvalidInput(N_("%(count)s of those blocks do not exist"),
                           count=len(set(block_ids)) - found, field="blocks")
    taken = db.session.scalar(select(func.count(Block.id)).where(
        Block.id.in_(block_ids), (Block.office_id != office.id) | Block.turf_id.is_not(None)))
    if taken:
        raise Conflict(N_("%(taken)s of those blocks already belong to a turf or another office"),
                       taken=taken)
    divided = turf_doors_service.unheld_divided(block_ids)
    if divided:
        raise Conflict(N_("%(divided)s of those blocks are divided between turfs door by door, so they cannot be taken whole; "
                          "edit the turfs that hold their doors instead"),
                       divided=divided)


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
        raise InvalidInput(N_("a re-visit turf needs at least one door"), field="doors")
    points = db.session.execute(select(Door.lon, Door.lat).where(Door.id.in_(door_ids),
                                                                 Door.office_id == office.id)).all()
    if len(points) != len(door_ids):
        raise InvalidInput(N_("%(count)s of those doors are not in %(office)s"),
                           count=len(door_ids) - len(points), office=office.name, field="doors")
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
    """A query for the turf's doors: its blocks' and its doors of divided blocks, or a re-visit turf's chosen doors."""
    return turf_doors_service.held_doors(turf)


def turf_by_id(turf_id: int) -> Turf:
    turf = db.session.get(Turf, turf_id)
    if turf is None:
        raise NotFound(N_("no turf with id %(turf_id)s"), turf_id=turf_id)
    return turf


def office_of(turf: Turf) -> Office:
    return db.session.get(Office, turf.office_id)


def next_turf_name(office: Office, prefix: str | None = None) -> str:
    count = db.session.scalar(select(func.count(Turf.id)).where(Turf.office_id == office.id)) or 0
    return f"{prefix or office.name} {count + 1:03d}"


def _drawn_vertices(polygon) -> int:
    """The positions in a GeoJSON (Multi)Polygon's rings, counted without building it (0 if it is not one)."""
    if not isinstance(polygon, dict) or not isinstance(polygon.get("coordinates"), list):
        return 0
    polygons = polygon["coordinates"] if polygon.get("type") == "MultiPolygon" else [polygon["coordinates"]]
    return sum(len(ring) for rings in polygons if isinstance(rings, list) for ring in rings if isinstance(ring, list))


def blocks_in_polygon(office: Office, polygon: dict) -> dict:
    """The office's blocks whose centre lies inside a drawn GeoJSON polygon (lon/lat): free ones and taken ones.

    A polygon of more than ``MAX_DRAWN_VERTICES`` corners is refused before anything is built. A drawing
    that crosses itself is never repaired (``make_valid`` of a self-crossing 200-corner scribble takes
    14 s, and of 20,000 corners minutes): a centre is inside when a ray from it crosses the outline an odd
    number of times, which is what the repair's areas would have held, at the cost of a point test.
    """
    if _drawn_vertices(polygon) > MAX_DRAWN_VERTICES:
        raise InvalidInput(N_("the drawn shape has too many corners: draw one with at most %(max_drawn_vertices)s corners"),
                           max_drawn_vertices=format(MAX_DRAWN_VERTICES, ','), field="polygon")
    try:
        shape = shapely.geometry.shape(polygon)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException):
        raise InvalidInput(N_("the drawn shape is not a GeoJSON polygon"), field="polygon") from None
    if shape.geom_type not in ("Polygon", "MultiPolygon") or shape.is_empty:
        raise InvalidInput(N_("draw a polygon around the blocks"), field="polygon")
    return _blocks_in_shape(office, shape)


def _blocks_in_shape(office: Office, shape) -> dict:
    """``blocks_in_polygon`` for a shape already built (a turf's own outline, say)."""
    min_lon, min_lat, max_lon, max_lat = shape.bounds
    rows = db.session.execute(
        select(Block.id, Block.centroid_lon, Block.centroid_lat, Block.door_count, Block.turf_id, Block.divided)
        .where(Block.office_id == office.id, Block.centroid_lon.between(min_lon, max_lon),
               Block.centroid_lat.between(min_lat, max_lat)).order_by(Block.id)).all()
    inside = shapely.contains_xy(shape, [r.centroid_lon for r in rows], [r.centroid_lat for r in rows]) \
        if rows else []
    chosen = [r for r, hit in zip(rows, inside) if hit]
    free = [r for r in chosen if r.turf_id is None and not r.divided]
    return {"blocks": [r.id for r in free], "doors": int(sum(r.door_count for r in free)),
            "taken": len(chosen) - len(free),  # in a turf whole, or divided between turfs door by door
            "divided": sum(1 for r in chosen if r.turf_id is None and r.divided)}


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
            raise InvalidInput(N_("some of the blocks to remove are not in this turf"), field="remove")
        left = db.session.scalar(select(func.count(Block.id)).where(Block.turf_id == turf.id)) - len(remove)
        if left + len(add) == 0:
            raise Conflict(N_("that would leave the turf without blocks; delete or archive it instead"))
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
    if db.session.scalar(select(exists().where(TurfDoor.turf_id == turf.id))):
        raise Conflict(N_("turf %(turf)r holds part of a divided block; split it by cutting again: delete it and auto-cut its "
                          "blocks and doors"), turf=turf.name)
    rows = _block_rows(Block.turf_id == turf.id)
    if len(rows) < 2:
        raise Conflict(N_("turf %(turf)r is a single block and cannot be split"), turf=turf.name)
    groups = _cut(rows, max(1, math.ceil(turf.door_count / 2)), turf.office_id)
    if len(groups) < 2:
        groups = _cut(rows, max(1, math.ceil(turf.door_count / 3)), turf.office_id)
    if len(groups) < 2:
        raise Conflict(N_("turf %(turf)r cannot be split into connected parts"), turf=turf.name)
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
        raise InvalidInput(N_("choose another turf to merge with"), field="other")
    if turf.office_id != other.office_id:
        raise Conflict(N_("turfs of different offices cannot be merged"))
    for locked in sorted((turf, other), key=lambda t: t.id):  # always in id order: no deadlock
        lock_turf(locked.id)
    _allow(turf, Action.RESHAPE, "merged")
    _allow(other, Action.RESHAPE, "merged away")
    _allow(other, Action.DELETE, "merged away")
    blocks = db.session.scalar(select(func.count(Block.id)).where(Block.turf_id == other.id))
    db.session.execute(update(Block).where(Block.turf_id == other.id).values(turf_id=turf.id),
                       execution_options={"synchronize_session": False})
    # Its doors of divided blocks come along, and so do their cells in the outline.
    other_parts = turf_doors_service.part_outline(other)
    db.session.execute(update(TurfDoor).where(TurfDoor.turf_id == other.id).values(turf_id=turf.id),
                       execution_options={"synchronize_session": False})
    if other_parts is not None:
        turf.outline = other_parts if turf.outline is None else shapely.union_all([turf.outline, other_parts])
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
        turf_doors_service.release_parts(turf)
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
        raise InvalidInput(N_("unknown turf state %(target)r"), target=target, field="state") from None
    _allow(turf, Action.STATE, new_state.value, target)
    return move_to(turf, new_state, user_id)


def move_to(turf: Turf, new_state: TurfState, user_id: int | None) -> Turf:
    """Put the turf in ``new_state`` and log it; the caller has asked the transition table first.

    Archiving gives the turf's blocks back to the office, keeping the turf's
    outline and door count for history; reopening takes them back if free.
    """
    try:
        check_transition(turf.state, new_state.value)  # the state graph holds, whoever asked
    except TransitionError as error:
        raise Conflict(f"{turf.name}: {error}") from None  # the transition's own words
    if new_state is TurfState.ARCHIVED and turf.kind != "doors":
        db.session.execute(update(Block).where(Block.turf_id == turf.id).values(turf_id=None),
                           execution_options={"synchronize_session": False})
        turf_doors_service.release_parts(turf)
    elif turf.state == TurfState.ARCHIVED.value and turf.kind != "doors" and turf.outline is not None:
        office = db.session.get(Office, turf.office_id)
        wanted = _blocks_in_shape(office, turf.outline)
        if wanted["taken"] - wanted["divided"]:  # divided blocks give back their free doors below
            raise Conflict(N_("%(count)s of this turf's blocks now belong to other turfs"),
                           count=wanted['taken'] - wanted['divided'])
        db.session.execute(update(Block).where(Block.id.in_(wanted["blocks"])).values(turf_id=turf.id),
                           execution_options={"synchronize_session": False})
        turf_doors_service.reclaim_parts(turf)
        _refresh(turf)
    _log(turf, user_id, "state", f"{turf.state} -> {new_state.value}", from_state=turf.state,
         to_state=new_state.value)
    turf.state = new_state.value
    return turf


def _block_rows(condition) -> list:
    return db.session.execute(
        select(Block.id, Block.source_id, Block.geometry, Block.door_count, Block.housing_units,
               Block.centroid_lon, Block.centroid_lat).where(condition).order_by(Block.id)).all()


def _metric(rows, crs=None):
    """The blocks in metres: an equal-area projection centred on them (right for a city or a continent)."""
    series = gpd.GeoSeries([r.geometry for r in rows], crs="EPSG:4326")
    if crs is None:
        crs = equal_area_crs([r.centroid_lon for r in rows], [r.centroid_lat for r in rows])
    return series.to_crs(crs).to_numpy(), crs


class EveryDoor:
    """What each door counts towards a turf's target: today every door counts one.

    The seam for a canvass's target universe: a weighting that counts only
    targeted doors replaces this (block weights then count the targeted doors
    of each block, and door weights are 0 or 1); the cut itself only sees
    weights.
    """

    def block_weights(self, rows, basis: str) -> list[int]:
        if basis == turf_doors_service.HOUSING_UNITS:
            return [int(r.housing_units or 0) for r in rows]
        return [int(r.door_count) for r in rows]

    def door_weight(self, door) -> int:
        return 1


class TargetedDoors(EveryDoor):
    """Only a canvass's targeted doors count (``services.universes``): a block weighs its targeted doors,
    a door 1 when targeted, else 0. Where the office has no doors yet (housing units), every unit counts."""

    unit_name = "targeted doors"

    def __init__(self, office: Office, canvass_id: int):
        condition = door_is_targeted(canvass_id)
        query = select(Door.id, Door.block_id).where(Door.office_id == office.id)
        if condition is not None:
            query = query.where(condition)
        self.doors: set[int] = set()
        self.per_block: dict[int, int] = {}
        for door_id, block_id in db.session.execute(query):
            self.doors.add(door_id)
            self.per_block[block_id] = self.per_block.get(block_id, 0) + 1

    def block_weights(self, rows, basis: str) -> list[int]:
        if basis == turf_doors_service.HOUSING_UNITS:
            return super().block_weights(rows, basis)
        return [self.per_block.get(r.id, 0) for r in rows]

    def door_weight(self, door) -> int:
        return 1 if door.id in self.doors else 0


def _cut(rows, target: int, office_id: int) -> list[list[int]]:
    """Whole-block groups of ``rows`` (for splitting a turf in two)."""
    metric, _ = _metric(rows)
    basis = turf_doors_service.count_basis(office_id)
    blocks, neighbours, shared = block_graph(metric, EveryDoor().block_weights(rows, basis))
    return cut_turfs(blocks, neighbours, target, shared)


def _door_inputs(block_ids: list[int], crs, weights: EveryDoor, only: set[int] | None = None):
    """Each block's doors as the cut divides them (metres), with their ids, by block id."""
    inputs: dict[int, list[DoorInput]] = {}
    ids: dict[int, list[int]] = {}
    for chunk in range(0, len(block_ids), 5000):
        rows = db.session.execute(
            select(Door.id, Door.block_id, Door.street, Door.house_number, Door.unit, Door.lon, Door.lat)
            .where(Door.block_id.in_(block_ids[chunk:chunk + 5000])).order_by(Door.block_id, Door.id)).all()
        if only is not None:
            rows = [r for r in rows if r.id in only]
        if not rows:
            continue
        points = gpd.GeoSeries(gpd.points_from_xy([r.lon for r in rows], [r.lat for r in rows]),
                               crs="EPSG:4326").to_crs(crs)
        for r, x, y in zip(rows, points.x.to_numpy(), points.y.to_numpy()):
            inputs.setdefault(r.block_id, []).append(DoorInput(
                float(x), float(y), own_building_key(r.street, r.house_number, r.id), normalise_street(r.street),
                unit_order(r.unit), weights.door_weight(r), f"{r.street} {r.house_number}".strip()))
            ids.setdefault(r.block_id, []).append(r.id)
    return inputs, ids


def check_target(target_doors: int) -> None:
    """A cut's doors per turf: at least 1 (checked before a cut runs, in the request or as a job)."""
    if target_doors < 1:
        raise InvalidInput(N_("the number of doors per turf must be at least 1"), field="doors")


def auto_cut(office: Office, target_doors: int, user_id: int | None, *, name_prefix: str | None = None,
             progress=None, weights: EveryDoor | None = None) -> CutResult:
    """Cut the office's free blocks (and the free doors of divided blocks) into draft turfs of about
    ``target_doors`` doors, with the cut's figures.

    Blocks holding more than the target, or that a balanced cut needs, are divided into walkable groups
    of doors (``domain.turf_plan``). ``progress(step, done, total)`` is called as the turfs are saved.
    """
    check_target(target_doors)
    weights = weights or EveryDoor()
    started = time.perf_counter()
    basis = turf_doors_service.count_basis(office.id)
    rows = _block_rows((Block.office_id == office.id) & Block.turf_id.is_(None) & ~Block.divided)
    # Doors of divided blocks that no turf holds (a part-block turf was deleted) are cut again, as what
    # is left of their block.
    leftovers = turf_doors_service.free_part_doors(office.id) if basis == turf_doors_service.DOORS else {}
    left_rows = _block_rows(Block.id.in_(sorted(leftovers))) if leftovers else []
    if not rows and not left_rows:
        return CutResult([], cut_report([], [], [], [], target_doors, 0.0))
    all_rows = rows + left_rows
    metric, crs = _metric(all_rows)
    # Only blocks that might be divided need their doors read: those above a piece of a turf.
    position = {r.id: p for p, r in enumerate(all_rows)}
    block_weights = weights.block_weights(rows, basis)
    candidates = [r.id for r, w in zip(rows, block_weights) if basis == turf_doors_service.DOORS
                  and w > PIECE_SHARE * target_doors]
    inputs, door_ids = _door_inputs(candidates, crs, weights)
    if left_rows:
        more_inputs, more_ids = _door_inputs([r.id for r in left_rows], crs, weights,
                                             only={d for doors in leftovers.values() for d in doors})
        inputs.update(more_inputs)
        door_ids.update(more_ids)
        block_weights += [sum(d.weight for d in more_inputs.get(r.id, [])) for r in left_rows]
    plan = plan_turfs(metric, block_weights, target_doors, {position[b]: doors for b, doors in inputs.items()},
                      must_divide={position[r.id] for r in left_rows},
                      labels=[r.source_id for r in all_rows],
                      unit_name="housing units" if basis == turf_doors_service.HOUSING_UNITS
                      else getattr(weights, "unit_name", "doors"))
    if progress:
        progress("save", 0, len(plan.turfs))
    report = plan_report(plan, target_doors, time.perf_counter() - started)
    start = db.session.scalar(select(func.count(Turf.id)).where(Turf.office_id == office.id)) or 0
    prefix = name_prefix or office.name
    to_lonlat = gpd.GeoSeries([t.outline for t in plan.turfs], crs=crs).to_crs("EPSG:4326").to_numpy()
    # The blocks were read as free a moment ago: the turfs are made from what is in hand, in bulk,
    # not one query per turf. The UPDATEs claim only blocks that are still free, and a shortfall
    # means someone else took some meanwhile.
    # Where the doors of divided blocks stand: a part-block turf's outline holds the hull of its doors, even
    # those an address point puts just outside their block's polygon (OpenStreetMap entrances on the kerb).
    divided_ids = sorted({all_rows[b].id for planned in plan.turfs for b in planned.parts})
    door_points = {} if not divided_ids else {
        row.id: (row.lon, row.lat) for row in db.session.execute(
            select(Door.id, Door.lon, Door.lat).where(Door.block_id.in_(divided_ids)))}
    turfs = []
    for n, (planned, outline) in enumerate(zip(plan.turfs, to_lonlat)):
        whole = sum(all_rows[b].door_count if basis == turf_doors_service.DOORS else (all_rows[b].housing_units or 0)
                    for b in planned.blocks)
        parts = sum(len(doors) for doors in planned.parts.values())
        # Whole blocks keep their exact shapes; the cells of divided blocks come from the projection.
        shapes = [all_rows[b].geometry for b in planned.blocks]
        if planned.parts:
            divided_shapes = shapely.union_all([all_rows[b].geometry for b in planned.parts])
            shapes.append(shapely.intersection(shapely.make_valid(outline), divided_shapes))
            shapes += turf_doors_service.door_margins(
                [door_points[door_ids[all_rows[b].id][i]] for i in doors] for b, doors in planned.parts.items())
        turfs.append(Turf(office_id=office.id, name=f"{prefix} {start + n + 1:03d}", state=TurfState.DRAFT.value,
                          door_count=int(whole + parts), count_basis=basis, outline=shapely.union_all(shapes)))
    db.session.add_all(turfs)
    db.session.flush()
    connection, table = db.session.connection(), Block.__table__  # Core executemany: bulk, by bound keys
    claims = [{"block": all_rows[b].id, "turf": turf.id} for turf, planned in zip(turfs, plan.turfs)
              for b in planned.blocks]
    if claims:
        claimed = connection.execute(
            table.update().where(table.c.id == bindparam("block"), table.c.turf_id.is_(None),
                                 table.c.divided.is_(False))
            .values(turf_id=bindparam("turf")), claims).rowcount
        if claimed != len(claims):
            raise Conflict(N_("some blocks were put in turfs by someone else during the cut: cut again"))
    newly_divided = sorted({all_rows[b].id for planned in plan.turfs for b in planned.parts} - set(leftovers))
    if newly_divided:
        claimed = connection.execute(
            table.update().where(table.c.id.in_(newly_divided), table.c.turf_id.is_(None),
                                 table.c.divided.is_(False)).values(divided=True)).rowcount
        if claimed != len(newly_divided):
            raise Conflict(N_("some blocks were put in turfs by someone else during the cut: cut again"))
    part_rows = [{"turf_id": turf.id, "door_id": door_ids[all_rows[b].id][i]}
                 for turf, planned in zip(turfs, plan.turfs) for b, doors in planned.parts.items() for i in doors]
    if part_rows:
        connection.execute(TurfDoor.__table__.insert(), part_rows)
    db.session.add_all(TurfEvent(turf_id=turf.id, user_id=user_id, action="create", to_state=turf.state,
                                 detail=f"auto-cut: {len(planned.blocks)} blocks"
                                        + (f" and part of {len(planned.parts)}" if planned.parts else "")
                                        + f", {turf.door_count} {report['counts']}")
                       for turf, planned in zip(turfs, plan.turfs))
    if progress:
        progress("save", len(plan.turfs), len(plan.turfs))
    report["seconds"] = round(time.perf_counter() - started, 3)
    return CutResult(turfs, report)


def _english(text: str, **values) -> str:
    return text % values if values else text


def cut_summary(result: CutResult, say=_english) -> str:
    """The cut's quality in two sentences an organizer reads after cutting (the page and the CLI).

    ``say(text, **values)`` words each sentence: English for the CLI, the page's gettext on the page."""
    worst = result.report["largest_deviation_turf"]
    return report_summary(result.report, result.turfs[worst].name if 0 <= worst < len(result.turfs) else None, say)


def report_summary(report: dict, worst_turf: str | None, say=_english) -> str:
    """``cut_summary`` from a cut's report and the name of its most deviating turf (a cut job keeps both)."""
    counts = say(N_("housing units")) if report["counts"].replace("_", " ") == "housing units" else say(N_("doors"))
    text = say(N_("Cut %(doors)s %(counts)s into %(turfs)s draft turfs of about %(target)s: %(within)s of "
                  "%(turfs)s (%(percent)s) within ±20%%, %(contiguity)s."),
               doors=f"{report['doors']:,}", counts=counts, turfs=report["turfs"], target=report["target"],
               within=report["turfs_within_20pct"], percent=f"{report['within_20pct']:.0%}",
               contiguity=say(N_("all contiguous")) if report["contiguous"] else say(N_("NOT all contiguous")))
    if report["largest_deviation_reason"] and worst_turf is not None:
        # The reason is one of the domain's sentences (turf_quality.py, marked N_), or a block's own note.
        text += " " + say(N_("Largest deviation %(deviation)s: %(turf)s with %(doors)s %(counts)s, because %(reason)s."),
                          deviation=f"{report['largest_deviation']:.0%}", turf=worst_turf,
                          doors=f"{report['largest_deviation_doors']:,}", counts=counts,
                          reason=say(report["largest_deviation_reason"]))
    else:
        text += " " + say(N_("Largest deviation %(deviation)s."), deviation=f"{report['largest_deviation']:.0%}")
    if report.get("divided_blocks"):
        text += " " + say(N_("%(blocks)s blocks held more than a turf should, or could not balance whole: their doors "
                             "are divided, by building and street side, among %(turfs)s turfs."),
                          blocks=report["divided_blocks"], turfs=report["part_block_turfs"])
    return text


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
    parts: dict[int, dict[str, int]] = {turf.id: {} for turf in turfs}
    for turf_id, source_id, count in db.session.execute(
            select(TurfDoor.turf_id, Block.source_id, func.count()).join(Door, Door.id == TurfDoor.door_id)
            .join(Block, Block.id == Door.block_id).join(Turf, Turf.id == TurfDoor.turf_id)
            .where(Turf.office_id == office.id, Turf.kind == "blocks")
            .group_by(TurfDoor.turf_id, Block.source_id).order_by(Block.source_id)):
        parts[turf_id][source_id] = int(count)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": turf.id,
         "geometry": shapely.geometry.mapping(turf.outline) if turf.outline is not None else None,
         "properties": {"id": turf.id, "name": turf.name, "doors": turf.door_count, "blocks": blocks[turf.id],
                        "state": turf.state, "counts": turf.count_basis,
                        "part_blocks": parts[turf.id]}}  # divided blocks: source id -> doors held
        for turf in turfs]}


def history(turf: Turf) -> list[dict]:
    """The turf's changes, newest first, with who made them."""
    rows = db.session.execute(
        select(TurfEvent, User.name).outerjoin(User, User.id == TurfEvent.user_id)
        .where(TurfEvent.turf_id == turf.id).order_by(TurfEvent.id.desc()))
    return [{"at": event.at, "action": event.action, "detail": event.detail, "by": name or "system"}
            for event, name in rows]


def _display_shape():
    """A block's display outline (simplified once at import), or its exact shape if stored before outlines were:
    the maps bound those by a vertex budget as they draw them."""
    return func.coalesce(Block.display_outline, Block.geometry, type_=WKBGeometry())


def office_map_data(office: Office, with_blocks: bool = True) -> tuple[list[MapBlock], list[MapTurf]]:
    """The office's blocks (none unless ``with_blocks``) and live turfs, as the map builder takes them."""
    blocks = [] if not with_blocks else [MapBlock(r.id, r.source_id, r.shape, r.door_count, r.turf_id, r.divided) for r in db.session.execute(
        select(Block.id, Block.source_id, _display_shape().label("shape"), Block.door_count, Block.turf_id,
               Block.divided).where(Block.office_id == office.id).order_by(Block.id))]
    turfs = [MapTurf(t.id, t.name, t.state, t.door_count, t.outline, t.count_basis) for t in office_turfs(office.id)]
    return blocks, turfs


def office_door_points(office: Office) -> list[tuple[float, float, int]]:
    """Every door of the office as (lat, lon, id), for the map's clusters."""
    return [(lat, lon, door_id) for lat, lon, door_id in db.session.execute(
        select(Door.lat, Door.lon, Door.id).where(Door.office_id == office.id).order_by(Door.id))]


_OUTLINES: dict[int, tuple[tuple, object]] = {}
OUTLINE_BLOCKS = 5_000  # offices of more blocks are outlined by the cells their blocks' centres fall in
OUTLINE_CELLS = 200     # cells across such an office's longer side


def _cell_outline(office_id: int):
    """A large office's territory as the union of the grid cells holding its blocks' centres: one grouped
    query and at most ``OUTLINE_CELLS``² boxes, whatever the office's number of blocks (a region map
    shows whole offices, so a cell of a two-hundredth of the office is detail enough)."""
    west, south, east, north, wide, high = db.session.execute(
        select(func.min(Block.centroid_lon), func.min(Block.centroid_lat), func.max(Block.centroid_lon),
               func.max(Block.centroid_lat), func.avg(Block.max_lon - Block.min_lon),
               func.avg(Block.max_lat - Block.min_lat)).where(Block.office_id == office_id)).one()
    # No smaller than an average block, so neighbouring blocks' cells touch.
    size = max(max(east - west, north - south, 1e-6) / OUTLINE_CELLS, float(wide or 0), float(high or 0))
    cx = cast((Block.centroid_lon - west) / size, Integer)
    cy = cast((Block.centroid_lat - south) / size, Integer)
    rows = db.session.execute(select(cx, cy).where(Block.office_id == office_id).group_by(cx, cy)).all()
    cells = np.array([(x, y) for x, y in rows], dtype=float).reshape(-1, 2)  # plain tuples: numpy reads Rows slowly
    # Runs of neighbouring cells in a row become one box (a solid office: one box a row), each grown by
    # half a cell so rows overlap and the union closes: hundreds of boxes to union, not tens of thousands.
    cells = cells[np.lexsort((cells[:, 0], cells[:, 1]))]
    starts = np.ones(len(cells), dtype=bool)
    starts[1:] = (cells[1:, 1] != cells[:-1, 1]) | (cells[1:, 0] != cells[:-1, 0] + 1)
    first = np.flatnonzero(starts)
    last = np.append(first[1:], len(cells)) - 1
    x0, x1, y = cells[first, 0], cells[last, 0], cells[first, 1]
    boxes = shapely.box(west + (x0 - 0.5) * size, south + (y - 0.5) * size,
                        west + (x1 + 1.5) * size, south + (y + 1.5) * size)
    return shapely.simplify(shapely.union_all(boxes), size / 2)


def office_outlines(office_ids: list[int]) -> dict[int, object]:
    """Each office's territory as one shape (the union of its blocks), kept in memory until its blocks change.

    In-process and per office: each gunicorn worker computes an office's outline once.
    """
    # Blocks added, removed or reshaped (a re-import updates them in place) change this stamp.
    stamps = {row.office_id: (row.count, row.last, float(f"{row.extent or 0.0:.10g}"))  # 10 digits: a parallel sum varies below
              for row in db.session.execute(
        select(Block.office_id, func.count().label("count"), func.max(Block.centroid_lon + Block.centroid_lat).label("last"),
               func.sum(Block.min_lon + Block.min_lat + Block.max_lon + Block.max_lat).label("extent"))
        .where(Block.office_id.in_(office_ids)).group_by(Block.office_id))}
    # Reshaped outlines count too where the outline is the blocks' union (small offices: the large ones'
    # cells follow the centres and extents above, read from an index without the shapes).
    small = [office_id for office_id, stamp in stamps.items() if stamp[0] <= OUTLINE_BLOCKS]
    if small:
        for office_id, detail in db.session.execute(
                select(Block.office_id, func.sum(func.length(Block.display_outline)))
                .where(Block.office_id.in_(small)).group_by(Block.office_id)):
            stamps[office_id] = (*stamps[office_id], detail)
    outlines = {}
    for office_id in office_ids:
        stamp = stamps.get(office_id)
        cached = _OUTLINES.get(office_id)
        if stamp is None:
            outlines[office_id] = None
            continue
        if (cached is None or cached[0] != stamp) and stamp[0] > OUTLINE_BLOCKS:
            cached = _OUTLINES[office_id] = (stamp, _cell_outline(office_id))
        elif cached is None or cached[0] != stamp:
            # Display outlines: a vertex budget per block, so one detailed block cannot make this slow.
            geometries = [bounded_simplify(g, 0.00001) for g in
                          db.session.scalars(select(_display_shape()).where(Block.office_id == office_id))]
            union = shapely.union_all(shapely.buffer(geometries, 0.00001))  # close the gaps along streets
            cached = _OUTLINES[office_id] = (stamp, shapely.simplify(union, 0.00005))
        outlines[office_id] = cached[1]
    return outlines
