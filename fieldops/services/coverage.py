"""Coverage figures from the database: grouped SQL in, ``domain.coverage`` maths out.

Every figure comes from a handful of GROUP BY queries, whatever the number of
contacts: no query per row, and no contact is loaded into Python. The pages,
``flask coverage`` and the API all call these functions, so they agree.
"""
from __future__ import annotations

from collections import defaultdict
from functools import cache
from dataclasses import astuple, dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import case, func, or_, select

from ..domain.coverage import Counts, share, total
from ..domain.outcomes import REACHED_CODES
from ..errors import InvalidInput, NotFound
from ..extensions import db
from ..models import (Assignment, Block, Canvass, Contact, Door, DoorCanvass, FollowUp, Household, Office, Region,
                      Supporter, Turf, User, VolunteerDay)
from ..maps.coverage_map import CoverageBlock
from .inputs import parse_day
from .portable import utc_day
from .summaries import counted
from .turf_doors import part_doors
from .turfs import office_map_data

NEGLECT_DAYS = 30  # the comparison's fixed yardstick: every office measured alike


@dataclass(frozen=True)
class Window:
    """Which contacts count: one canvass (or all) and a date range, both ends included (UTC dates)."""
    canvass_id: int | None = None
    start: date | None = None
    end: date | None = None

    def __post_init__(self):
        if self.start and self.end and self.end < self.start:
            raise InvalidInput("the date range ends before it starts", field="end")

    def conditions(self) -> list:
        conditions = [counted()]  # contacts rejected in review stay in the ledger but do not count
        if self.canvass_id is not None:
            conditions.append(Contact.canvass_id == self.canvass_id)
        if self.start is not None:
            conditions.append(Contact.recorded_at >= datetime.combine(self.start, time(0), tzinfo=timezone.utc))
        if self.end is not None:
            conditions.append(Contact.recorded_at <
                              datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=timezone.utc))
        return conditions

    def as_dict(self) -> dict:
        return {"canvass_id": self.canvass_id, "start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None}


def parse_window(args, region_id: int) -> Window:
    """The window a page or API call asks for (``canvass_id``, ``start``, ``end`` as text), checked."""
    canvass_id = (args.get("canvass_id") or "").strip() or None
    if canvass_id is not None:
        if not canvass_id.isdigit():
            raise InvalidInput("canvass_id must be a whole number", field="canvass_id")
        canvass_id = int(canvass_id)
        if db.session.scalar(select(Canvass.region_id).where(Canvass.id == canvass_id)) != region_id:
            raise NotFound(f"no canvass with id {canvass_id} in this region")
    return Window(canvass_id, parse_day(args.get("start"), "start"), parse_day(args.get("end"), "end"))


def _office_doors(office_ids: list[int]) -> dict[int, int]:
    return dict(db.session.execute(select(Door.office_id, func.count(Door.id))
                                   .where(Door.office_id.in_(office_ids)).group_by(Door.office_id)).all())


def _contact_counts(group: str, window: Window, office_ids: list[int]) -> dict[object, tuple[int, int]]:
    """Doors attempted and reached per office or block (``group``) of these offices.

    Without dates, one row per door is read from the summaries: per canvass
    (DoorCanvass) or over all canvasses (Household). With dates, the contacts
    themselves are grouped, first one row per door, then per group.
    """
    if window.start is None and window.end is None:
        if window.canvass_id is not None:
            source, reached = DoorCanvass, case((DoorCanvass.reached, 1), else_=0)
            conditions = [DoorCanvass.canvass_id == window.canvass_id]
        else:
            source, reached = Household, case((Household.canvasses_reached > 0, 1), else_=0)
            conditions = [Household.first_knocked_at.is_not(None)]
        query = select(_grouping(group, source), func.count(), func.sum(reached)).select_from(source)
        query = _join_doors(query, group, source.door_id)
        rows = db.session.execute(query.where(source.office_id.in_(office_ids), *conditions)
                                  .group_by(_grouping(group, source)))
    else:
        per_door = select(_grouping(group, Contact).label("key"), Contact.door_id,
                          func.max(case((Contact.outcome.in_(sorted(REACHED_CODES)), 1), else_=0)).label("reached"))
        per_door = _join_doors(per_door.select_from(Contact), group, Contact.door_id)
        per_door = per_door.where(Contact.office_id.in_(office_ids), *window.conditions()) \
            .group_by(_grouping(group, Contact), Contact.door_id).subquery()
        rows = db.session.execute(select(per_door.c.key, func.count(), func.sum(per_door.c.reached))
                                  .group_by(per_door.c.key))
    return {key: (attempted, int(reached or 0)) for key, attempted, reached in rows}


@cache
def _parts():
    """Doors of divided blocks and the turf holding each (one subquery object, reused in every query)."""
    return part_doors()


def _grouping(group: str, source):
    if group == "office":
        return source.office_id
    if group == "turf":  # a door's turf is its block's, or, in a divided block, the turf that holds it
        return func.coalesce(Block.turf_id, _parts().c.turf_id)
    return DoorCanvass.block_id if source is DoorCanvass else Door.block_id


def _join_doors(query, group: str, door_column):
    """Summary rows per canvass carry their block; anything else finds it through the door. A turf is
    its blocks' and its doors' of divided blocks."""
    if group == "office":
        return query
    if door_column is not DoorCanvass.door_id:
        query = query.join(Door, Door.id == door_column)
    if group == "turf":
        block = DoorCanvass.block_id if door_column is DoorCanvass.door_id else Door.block_id
        query = query.join(Block, Block.id == block).outerjoin(_parts(), _parts().c.door_id == door_column)
    return query


def _counts(keys, doors: dict, contacts: dict) -> dict:
    return {key: Counts(doors.get(key, 0), *contacts.get(key, (0, 0))) for key in keys}


def _volunteer_days(office_id: int, window: Window):
    conditions = [VolunteerDay.office_id == office_id]
    if window.canvass_id is not None:
        conditions.append(VolunteerDay.canvass_id == window.canvass_id)
    if window.start is not None:
        conditions.append(VolunteerDay.day >= window.start)
    if window.end is not None:
        conditions.append(VolunteerDay.day <= window.end)
    return conditions


def office_coverage(office: Office, window: Window, today: date | None = None) -> dict:
    """The office's figures, its turfs, its volunteers ranked, knocks per day, and its relationship depth."""
    totals = _counts([office.id], _office_doors([office.id]),
                     _contact_counts("office", window, [office.id]))[office.id]
    turfs = list(db.session.scalars(select(Turf).where(Turf.office_id == office.id, Turf.state != "archived",
                                                       Turf.kind == "blocks").order_by(Turf.name, Turf.id)))
    by_turf = _turf_counts(office, window)
    walkers: dict[int, list[str]] = {}
    for turf_id, name in db.session.execute(
            select(Assignment.turf_id, User.name).join(User, User.id == Assignment.volunteer_id)
            .join(Turf, Turf.id == Assignment.turf_id)
            .where(Turf.office_id == office.id, Assignment.returned_at.is_(None)).order_by(User.name)):
        walkers.setdefault(turf_id, []).append(name)
    in_days = _volunteer_days(office.id, window)
    volunteers = db.session.execute(
        select(User.id, User.name, func.sum(VolunteerDay.knocks), func.sum(VolunteerDay.conversations))
        .join(User, User.id == VolunteerDay.volunteer_id).where(*in_days).group_by(User.id, User.name)).all()
    days = db.session.execute(
        select(VolunteerDay.day, func.sum(VolunteerDay.knocks), func.sum(VolunteerDay.conversations))
        .where(*in_days).group_by(VolunteerDay.day).order_by(VolunteerDay.day)).all()
    depth = relationship_depth([office.id], today or datetime.now(timezone.utc).date())[office.id]
    return {
        "id": office.id, "name": office.name, "window": window.as_dict(), **totals.as_dict(), "depth": depth,
        "turfs": [{"id": t.id, "name": t.name, "state": t.state, "volunteers": walkers.get(t.id, []),
                   **by_turf[t.id].as_dict()} for t in turfs],
        "volunteers": [{"id": user_id, "name": name, "knocks": int(knocks), "conversations": int(talked)}
                       for user_id, name, knocks, talked in sorted(volunteers, key=lambda r: (-r[2], -r[3], r[1]))],
        "days": [{"date": str(d), "knocks": int(knocks), "conversations": int(talked)} for d, knocks, talked in days],
    }


def region_coverage(region: Region, window: Window, today: date | None = None) -> dict:
    """Every office of the region side by side, with its relationship depth, and the region's totals."""
    offices = list(db.session.scalars(select(Office).where(Office.region_id == region.id).order_by(Office.name)))
    ids = [o.id for o in offices]
    by_office = _counts(ids, _office_doors(ids),
                        _contact_counts("office", window, ids))
    depth = relationship_depth(ids, today or datetime.now(timezone.utc).date())
    return {
        "id": region.id, "name": region.name, "window": window.as_dict(),
        **total(by_office.values()).as_dict(),
        "offices": [{"id": o.id, "name": o.name, **by_office[o.id].as_dict(), **depth[o.id]} for o in offices],
    }


def relationship_depth(office_ids: list[int], today: date) -> dict[int, dict]:
    """Per office, to date and across every canvass: doors reached in two or more canvasses,
    supporters not spoken with in 30 days, and promises open, overdue and kept on time."""
    repeat = dict(db.session.execute(
        select(Household.office_id, func.count()).where(Household.office_id.in_(office_ids),
                                                        Household.canvasses_reached >= 2)
        .group_by(Household.office_id)).all())
    cutoff = datetime.combine(today - timedelta(days=NEGLECT_DAYS), time(0), tzinfo=timezone.utc)
    neglected = dict(db.session.execute(
        select(Supporter.office_id, func.count()).join(Household, Household.door_id == Supporter.door_id)
        .where(Supporter.office_id.in_(office_ids),
               or_(Household.last_spoken_at.is_(None), Household.last_spoken_at < cutoff))
        .group_by(Supporter.office_id)).all())
    done_day = utc_day(FollowUp.done_at)
    promises = {row.office_id: row for row in db.session.execute(
        select(FollowUp.office_id,
               func.count().label("made"),
               func.sum(case((FollowUp.done_at.is_(None), 1), else_=0)).label("open"),
               func.sum(case((FollowUp.done_at.is_(None) & (FollowUp.due_date < today), 1), else_=0)).label("overdue"),
               func.sum(case((FollowUp.done_at.is_not(None) & (done_day <= FollowUp.due_date), 1), else_=0))
               .label("kept_on_time"),
               func.sum(case((FollowUp.done_at.is_not(None) | (FollowUp.due_date < today), 1), else_=0)).label("due"))
        .where(FollowUp.office_id.in_(office_ids)).group_by(FollowUp.office_id))}
    depth = {}
    for office_id in office_ids:
        row = promises.get(office_id)
        made, open_, overdue, on_time, due = (
            (row.made, row.open or 0, row.overdue or 0, row.kept_on_time or 0, row.due or 0) if row else (0,) * 5)
        depth[office_id] = {"reached_in_two_canvasses": repeat.get(office_id, 0),
                            "supporters_not_spoken_30_days": neglected.get(office_id, 0), "promises_made": made,
                            "promises_open": open_, "promises_overdue": overdue, "promises_kept_on_time": on_time,
                            "kept_on_time_rate": share(on_time, due)}
    return depth


def coverage_blocks(office: Office, window: Window) -> list[CoverageBlock]:
    """The office's blocks with their shapes and counts, as the coverage map draws them."""
    counts = block_coverage(office, window)
    empty = Counts(0, 0, 0)
    return [CoverageBlock(b.id, b.source_id, b.geometry, *astuple(counts.get(b.id, empty)))
            for b in office_map_data(office)[0]]


def _turf_counts(office: Office, window: Window) -> dict[int, Counts]:
    """Each turf's counts, grouped in the database by its blocks' turf (a door belongs to exactly one block)."""
    doors = {turf_id: int(count) for turf_id, count in db.session.execute(
        select(Block.turf_id, func.sum(Block.door_count))
        .where(Block.office_id == office.id, Block.turf_id.is_not(None)).group_by(Block.turf_id))}
    parts = _parts()
    for turf_id, count in db.session.execute(
            select(parts.c.turf_id, func.count()).join(Door, Door.id == parts.c.door_id)
            .where(Door.office_id == office.id).group_by(parts.c.turf_id)):
        doors[turf_id] = doors.get(turf_id, 0) + int(count)
    return defaultdict(lambda: Counts(0, 0, 0), _counts(list(doors), doors, _contact_counts("turf", window, [office.id])))


def block_coverage(office: Office, window: Window) -> dict[int, Counts]:
    """Each block of the office with its doors, attempted and reached: what the coverage map colours."""
    doors = dict(db.session.execute(select(Block.id, Block.door_count).where(Block.office_id == office.id,
                                                                            Block.door_count > 0)).all())
    return _counts(list(doors), doors, _contact_counts("block", window, [office.id]))


def region_trend(region: Region, window: Window) -> dict[str, list[tuple[str, float]]]:
    """Each office's coverage as it grew, day by day: the share of its doors knocked by the end of each day.

    Each door's first knock in the window comes from the summaries (or, with
    dates, one grouped query over the contacts); the running sum is done over
    days, never over contacts.
    """
    offices = list(db.session.scalars(select(Office).where(Office.region_id == region.id).order_by(Office.name)))
    ids = [o.id for o in offices]
    doors = _office_doors(ids)
    if window.start is None and window.end is None and window.canvass_id is not None:
        first = (select(DoorCanvass.office_id.label("office_id"), DoorCanvass.first_at)
                 .where(DoorCanvass.office_id.in_(ids), DoorCanvass.canvass_id == window.canvass_id).subquery())
    elif window.start is None and window.end is None:
        first = (select(Household.office_id.label("office_id"), Household.first_knocked_at.label("first_at"))
                 .where(Household.office_id.in_(ids), Household.first_knocked_at.is_not(None)).subquery())
    else:
        first = (select(Contact.office_id.label("office_id"), func.min(Contact.recorded_at).label("first_at"))
                 .where(Contact.office_id.in_(ids), *window.conditions())
                 .group_by(Contact.office_id, Contact.door_id).subquery())
    day = utc_day(first.c.first_at)
    rows = db.session.execute(select(first.c.office_id, day, func.count())
                              .group_by(first.c.office_id, day).order_by(first.c.office_id, day)).all()
    names = {o.id: o.name for o in offices}
    series: dict[str, list[tuple[str, float]]] = {}
    running: dict[int, int] = {}
    for office_id, when, count in rows:
        running[office_id] = running.get(office_id, 0) + count
        series.setdefault(names[office_id], []).append(
            (str(when), running[office_id] / doors[office_id] if doors.get(office_id) else 0.0))
    return series
