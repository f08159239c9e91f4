"""Coverage figures from the database: grouped SQL in, ``domain.coverage`` maths out.

Every figure comes from a handful of GROUP BY queries, whatever the number of
contacts: no query per row, and no contact is loaded into Python. The pages,
``flask coverage`` and the API all call these functions, so they agree.
"""
from __future__ import annotations

from collections import defaultdict
from functools import cache
from dataclasses import astuple, dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import and_, case, func, or_, select

from ..domain.coverage import Counts, share, total
from ..domain.pacing import ranked
from ..domain.recognition import fair_order, streak
from ..domain.outcomes import REACHED_CODES
from ..domain.time_zones import UTC, day_starts, days_between, today as today_in
from ..errors import InvalidInput, NotFound
from ..extensions import db
from ..models import (Assignment, Block, Canvass, Contact, Door, DoorCanvass, FollowUp, Household, Office, Region,
                      Supporter, Turf, User, VolunteerDay)
from ..maps.coverage_map import CoverageBlock
from . import goals
from .inputs import parse_day, parse_id
from .portable import local_day
from .summaries import counted
from .turf_doors import part_doors
from .turfs import office_map_data
from .universes import door_is_targeted
from ..domain.text import N_

NEGLECT_DAYS = 30  # the comparison's fixed yardstick: every office measured alike


@dataclass(frozen=True)
class Window:
    """Which contacts count: one canvass (or all) and a date range, both ends included.

    The dates are days on each office's own clock: ``zones`` holds (office id, time zone) for the
    offices the window is used on, so a region whose offices are in different zones counts each
    office's own days. Offices not named count UTC days.
    """
    canvass_id: int | None = None
    start: date | None = None
    end: date | None = None
    zones: tuple[tuple[int, str | None], ...] = ()

    def __post_init__(self):
        if self.start and self.end and self.end < self.start:
            raise InvalidInput(N_("the date range ends before it starts"), field="end")

    def conditions(self) -> list:
        conditions = [counted()]  # contacts rejected in review stay in the ledger but do not count
        if self.canvass_id is not None:
            conditions.append(Contact.canvass_id == self.canvass_id)
        if self.start is not None or self.end is not None:
            conditions.append(self._in_dates())
        return conditions

    def _in_dates(self):
        """The date range as ranges of UTC moments, one per zone, so the contacts' time index serves."""
        offices_in: dict[str | None, list[int]] = defaultdict(list)
        for office_id, zone in self.zones:
            offices_in[zone or UTC].append(office_id)
        if len(offices_in) <= 1:
            return and_(*self._moments(next(iter(offices_in), UTC)))
        named = [office_id for office_id, _ in self.zones]
        return or_(*[and_(Contact.office_id.in_(ids), *self._moments(zone)) for zone, ids in offices_in.items()],
                   and_(Contact.office_id.not_in(named), *self._moments(UTC)))

    def _moments(self, zone: str) -> list:
        begins, ends = days_between(self.start, self.end, zone)
        return ([Contact.recorded_at >= begins] if begins else []) + ([Contact.recorded_at < ends] if ends else [])

    def as_dict(self) -> dict:
        return {"canvass_id": self.canvass_id, "start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None}


def window_for(region_id: int | None, canvass_id: int | None = None, start: date | None = None,
               end: date | None = None) -> Window:
    """A window over the region's offices (every office's, for None), its dates on each office's clock."""
    zones = ()
    if start is not None or end is not None:
        offices = select(Office.id, Office.time_zone).order_by(Office.id)
        if region_id is not None:
            offices = offices.where(Office.region_id == region_id)
        zones = tuple((office_id, zone) for office_id, zone in db.session.execute(offices))
    return Window(canvass_id, start, end, zones)


def parse_window(args, region_id: int) -> Window:
    """The window a page or API call asks for (``canvass_id``, ``start``, ``end`` as text), checked."""
    canvass_id = parse_id(args.get("canvass_id"), "canvass_id")
    if canvass_id is not None:
        if db.session.scalar(select(Canvass.region_id).where(Canvass.id == canvass_id)) != region_id:
            raise NotFound(N_("no canvass with id %(canvass_id)s in this region"), canvass_id=canvass_id)
    return window_for(region_id, canvass_id, parse_day(args.get("start"), "start"), parse_day(args.get("end"), "end"))


def _office_doors(office_ids: list[int], canvass_id: int | None = None) -> dict[int, int]:
    """Doors per office: those the canvass counts (its targeted doors, and those knocked in it) when it has a
    target universe, else every door."""
    targeted = door_is_targeted(canvass_id)
    if targeted is None:  # the blocks' cached door counts (kept by every door import): a fifth of the rows
        return {office_id: int(doors) for office_id, doors in db.session.execute(
            select(Block.office_id, func.sum(Block.door_count)).where(Block.office_id.in_(office_ids))
            .group_by(Block.office_id)) if doors}
    query = select(Door.office_id, func.count(Door.id)).where(Door.office_id.in_(office_ids), targeted)
    return dict(db.session.execute(query.group_by(Door.office_id)).all())


def _targeted_doors_by(group, office: Office, canvass_id: int | None) -> dict | None:
    """Targeted doors of the office per block or turf (``group`` "block" or "turf"), or None without a
    target universe."""
    targeted = door_is_targeted(canvass_id)
    if targeted is None:
        return None
    key = Door.block_id if group == "block" else func.coalesce(Block.turf_id, _parts().c.turf_id)
    query = select(key, func.count(Door.id)).where(Door.office_id == office.id, targeted)
    if group == "turf":
        query = query.join(Block, Block.id == Door.block_id).outerjoin(_parts(), _parts().c.door_id == Door.id)
    return {k: int(n) for k, n in db.session.execute(query.group_by(key)) if k is not None}


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
    totals = _counts([office.id], _office_doors([office.id], window.canvass_id),
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
    depth = relationship_depth([office.id], today)[office.id]
    local_today = today or today_in(datetime.now(timezone.utc), office.time_zone)
    return {
        "id": office.id, "name": office.name, "window": window.as_dict(), **totals.as_dict(), "depth": depth,
        **goals.office_pacing([office.id], window.canvass_id, today,
                              {office.id: totals.attempted} if window.start is None and window.end is None else None
                              )[office.id],
        "turfs": [{"id": t.id, "name": t.name, "state": t.state, "volunteers": walkers.get(t.id, []),
                   **by_turf[t.id].as_dict()} for t in turfs],
        "volunteers": _fair_table(office, window, volunteers, local_today),
        "days": [{"date": str(d), "knocks": int(knocks), "conversations": int(talked)} for d, knocks, talked in days],
    }


def _fair_table(office: Office, window: Window, volunteers, today: date) -> list[dict]:
    """The volunteers' table: conversations, promises kept and streaks of days in a row canvassing (office
    days) beside knocks, ordered by conversations (``domain.recognition``), never by raw knocks."""
    ids = [row[0] for row in volunteers]
    kept: dict[int, int] = {}
    streak_days: dict[int, list] = defaultdict(list)
    if ids:
        promises = (select(Contact.volunteer_id, func.count()).join(FollowUp, FollowUp.contact_id == Contact.id)
                    .where(Contact.office_id == office.id, Contact.volunteer_id.in_(ids), FollowUp.done_at.is_not(None)))
        if window.canvass_id is not None:
            promises = promises.where(Contact.canvass_id == window.canvass_id)
        kept = dict(db.session.execute(promises.group_by(Contact.volunteer_id)).all())
        days = select(VolunteerDay.volunteer_id, VolunteerDay.day).where(
            *_volunteer_days(office.id, window), VolunteerDay.volunteer_id.in_(ids), VolunteerDay.knocks > 0)
        for user_id, day in db.session.execute(days.distinct()):
            streak_days[user_id].append(day if isinstance(day, date) else date.fromisoformat(str(day)))
    rows = []
    for user_id, name, knocks, talked in volunteers:
        run = streak(streak_days.get(user_id, []), today)
        rows.append({"id": user_id, "name": name, "knocks": int(knocks), "conversations": int(talked),
                     "promises_kept": int(kept.get(user_id, 0)), "streak": run.current,
                     "longest_streak": run.longest})
    return fair_order(rows)


def region_coverage(region: Region, window: Window, today: date | None = None) -> dict:
    """Every office of the region side by side, with its relationship depth, its goal and pacing, the
    region's totals, and the offices ranked by percent of goal and by projected finish."""
    offices = list(db.session.scalars(select(Office).where(Office.region_id == region.id).order_by(Office.name)))
    ids = [o.id for o in offices]
    by_office = _counts(ids, _office_doors(ids, window.canvass_id),
                        _contact_counts("office", window, ids))
    depth = relationship_depth(ids, today)
    undated = window.start is None and window.end is None
    paced = goals.office_pacing(ids, window.canvass_id, today,
                                {i: c.attempted for i, c in by_office.items()} if undated else None)
    rows = [{"id": o.id, "name": o.name, **by_office[o.id].as_dict(), **depth[o.id], **paced[o.id]}
            for o in offices]
    return {
        "id": region.id, "name": region.name, "window": window.as_dict(),
        **total(by_office.values()).as_dict(),
        "offices": rows,
        "ranking": ranked([{"id": r["id"], "percent": r["percent_of_goal"],
                            "projected_finish": date.fromisoformat(r["projected_finish"])
                            if r["projected_finish"] else None} for r in rows]),
    }


def relationship_depth(office_ids: list[int], today: date | None = None) -> dict[int, dict]:
    """Per office, to date and across every canvass: doors reached in two or more canvasses,
    supporters not spoken with in 30 days, and promises open, overdue and kept on time.

    "Today", "30 days" and "on time" are on each office's own clock; ``today`` fixes the date for all
    (the tests' fixed day)."""
    repeat = dict(db.session.execute(
        select(Household.office_id, func.count()).where(Household.office_id.in_(office_ids),
                                                        Household.canvasses_reached >= 2)
        .group_by(Household.office_id)).all())
    offices_in: dict[str, list[int]] = defaultdict(list)
    for office_id, zone in db.session.execute(select(Office.id, Office.time_zone).where(Office.id.in_(office_ids))):
        offices_in[zone or UTC].append(office_id)
    now = datetime.now(timezone.utc)
    neglected, promises = {}, {}
    for zone, ids in offices_in.items():  # usually one zone: one pass
        day = today or today_in(now, zone)
        cutoff = day_starts(day - timedelta(days=NEGLECT_DAYS), zone)
        neglected.update(db.session.execute(
            select(Supporter.office_id, func.count()).join(Household, Household.door_id == Supporter.door_id)
            .where(Supporter.office_id.in_(ids),
                   or_(Household.last_spoken_at.is_(None), Household.last_spoken_at < cutoff))
            .group_by(Supporter.office_id)).all())
        done_day = local_day(FollowUp.done_at, zone)
        promises.update({row.office_id: row for row in db.session.execute(
            select(FollowUp.office_id,
                   func.count().label("made"),
                   func.sum(case((FollowUp.done_at.is_(None), 1), else_=0)).label("open"),
                   func.sum(case((FollowUp.done_at.is_(None) & (FollowUp.due_date < day), 1), else_=0))
                   .label("overdue"),
                   func.sum(case((FollowUp.done_at.is_not(None) & (done_day <= FollowUp.due_date), 1), else_=0))
                   .label("kept_on_time"),
                   func.sum(case((FollowUp.done_at.is_not(None) | (FollowUp.due_date < day), 1), else_=0))
                   .label("due"))
            .where(FollowUp.office_id.in_(ids)).group_by(FollowUp.office_id))})
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
    targeted = _targeted_doors_by("turf", office, window.canvass_id)
    if targeted is not None:
        doors = {turf_id: targeted.get(turf_id, 0) for turf_id in doors}
    return defaultdict(lambda: Counts(0, 0, 0), _counts(list(doors), doors, _contact_counts("turf", window, [office.id])))


def block_coverage(office: Office, window: Window) -> dict[int, Counts]:
    """Each block of the office with its doors, attempted and reached: what the coverage map colours."""
    doors = dict(db.session.execute(select(Block.id, Block.door_count).where(Block.office_id == office.id,
                                                                            Block.door_count > 0)).all())
    targeted = _targeted_doors_by("block", office, window.canvass_id)
    if targeted is not None:
        doors = {block_id: targeted.get(block_id, 0) for block_id in doors}
    return _counts(list(doors), doors, _contact_counts("block", window, [office.id]))


def region_trend(region: Region, window: Window) -> dict[str, list[tuple[str, float]]]:
    """Each office's coverage as it grew, day by day: the share of its doors knocked by the end of each day.

    Each door's first knock in the window comes from the summaries (or, with
    dates, one grouped query over the contacts); the running sum is done over
    days (each office's own), never over contacts.
    """
    offices = list(db.session.scalars(select(Office).where(Office.region_id == region.id).order_by(Office.name)))
    ids = [o.id for o in offices]
    doors = _office_doors(ids, window.canvass_id)
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
    day = local_day(first.c.first_at, Office.time_zone)  # each office's own days
    rows = db.session.execute(select(first.c.office_id, day, func.count())
                              .join(Office, Office.id == first.c.office_id)
                              .group_by(first.c.office_id, day).order_by(first.c.office_id, day)).all()
    names = {o.id: o.name for o in offices}
    series: dict[str, list[tuple[str, float]]] = {}
    running: dict[int, int] = {}
    for office_id, when, count in rows:
        running[office_id] = running.get(office_id, 0) + count
        series.setdefault(names[office_id], []).append(
            (str(when), running[office_id] / doors[office_id] if doors.get(office_id) else 0.0))
    return series
