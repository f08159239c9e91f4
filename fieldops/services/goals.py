"""Goals and pacing against the database: set a goal, and measure every office against its own.

A goal is doors to knock and conversations to have by a date, for a canvass and an office (or one of
its turfs, volunteers or neighborhood teams). A team without a goal of its own is paced against its
share of the office's goal (the office's numbers times the team's share of the office's doors). Pacing is never stored: ``domain.pacing`` computes it from the summaries
(doors first knocked in the canvass, ``DoorCanvass``; conversations per volunteer-day,
``VolunteerDay``), each office on its own clock.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timezone

from sqlalchemy import case, func, select

from ..domain import pacing as rules
from ..domain.outcomes import REACHED_CODES
from ..domain.time_zones import UTC, day_starts, today as today_in
from ..errors import InvalidInput, NotFound
from ..extensions import db
from ..models import Block, Canvass, Contact, Door, DoorCanvass, Goal, Office, Team, Turf, User, VolunteerDay
from . import audit
from .portable import local_day
from .summaries import counted
from .turf_doors import part_doors
from ..domain.text import N_

MAX_GOAL = 10_000_000
NO_GOAL = {"goal_doors": None, "goal_conversations": None, "goal_date": None, "goal_canvass_id": None,
           "pace_needed": None, "pace_7d": None, "projected_finish": None, "percent_of_goal": None, "pacing": None}


def check_numbers(doors, conversations) -> tuple[int, int]:
    """The goal's two numbers, checked: whole numbers from 0, not both 0."""
    out = []
    for field, value in (("doors", doors), ("conversations", conversations)):
        if isinstance(value, str):
            value = value.strip() or "0"
            if not value.isdigit():
                raise InvalidInput(N_("%(value)r is not a whole number"), value=value, field=field)
            value = int(value)
        if value is None:
            value = 0
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_GOAL:
            raise InvalidInput(N_("must be a whole number from 0 to %(max_goal)s"),
                               max_goal=format(MAX_GOAL, ','), field=field)
        out.append(value)
    if out == [0, 0]:
        raise InvalidInput(N_("a goal needs doors or conversations to reach"), field="doors")
    return out[0], out[1]


def set_goal(canvass: Canvass, office: Office, *, doors, conversations, due: date | None, actor_id: int | None,
             turf: Turf | None = None, volunteer: User | None = None, team: Team | None = None) -> Goal:
    """Set (or replace) the goal of the office, or of one of its turfs, volunteers or teams, for the canvass."""
    doors, conversations = check_numbers(doors, conversations)
    if due is None:
        raise InvalidInput(N_("give the date the goal is for"), field="by")
    if canvass.end_date is not None and due > canvass.end_date:
        raise InvalidInput(N_("the canvass ends on %(value)s: a goal cannot be due after it"),
                           value=canvass.end_date.isoformat(),
                           field="by")
    if canvass.region_id != office.region_id or canvass.office_id not in (None, office.id):
        raise NotFound(N_("no canvass with id %(canvass_id)s for %(office)s"),
                       canvass_id=canvass.id, office=office.name)
    if turf is not None and turf.office_id != office.id:
        raise NotFound(N_("no turf with id %(turf_id)s in %(office)s"),
                       turf_id=turf.id, office=office.name)
    if volunteer is not None and volunteer.office_id != office.id:
        raise NotFound(N_("no volunteer %(email)s in %(office)s"),
                       email=volunteer.email, office=office.name)
    if team is not None and team.office_id != office.id:
        raise NotFound(N_("no team with id %(id)s in %(office)s"), id=team.id, office=office.name)
    if sum(x is not None for x in (turf, volunteer, team)) > 1:
        raise InvalidInput(N_("a goal is for the office, one turf, one volunteer or one team: only one of them"),
                           field="volunteer" if volunteer is not None else "team")
    goal = db.session.scalar(select(Goal).where(
        Goal.canvass_id == canvass.id, Goal.office_id == office.id,
        Goal.turf_id.is_(None) if turf is None else Goal.turf_id == turf.id,
        Goal.volunteer_id.is_(None) if volunteer is None else Goal.volunteer_id == volunteer.id,
        Goal.team_id.is_(None) if team is None else Goal.team_id == team.id))
    if goal is None:
        goal = Goal(canvass_id=canvass.id, office_id=office.id, turf_id=turf.id if turf else None,
                    volunteer_id=volunteer.id if volunteer else None, team_id=team.id if team else None)
        db.session.add(goal)
    goal.doors, goal.conversations, goal.due_date = doors, conversations, due
    goal.set_by_id, goal.set_at = actor_id, datetime.now(timezone.utc)
    db.session.flush()
    audit.record(actor_id, "goal.set", "canvass", canvass.id, office=office.id, turf=goal.turf_id,
                 volunteer=goal.volunteer_id, team=goal.team_id, doors=doors, conversations=conversations, by=due.isoformat())
    return goal


def office_goals(office_ids: list[int], canvass_id: int | None = None) -> dict[int, Goal]:
    """Each office's own goal (not a turf's, volunteer's or team's): for the canvass, or, without one, the
    goal set most recently."""
    query = select(Goal).where(Goal.office_id.in_(office_ids), Goal.turf_id.is_(None), Goal.volunteer_id.is_(None),
                               Goal.team_id.is_(None))
    if canvass_id is not None:
        query = query.where(Goal.canvass_id == canvass_id)
    goals: dict[int, Goal] = {}
    for goal in db.session.scalars(query.order_by(Goal.set_at, Goal.id)):
        goals[goal.office_id] = goal  # the latest wins
    return goals


def _zones(office_ids: list[int]) -> dict[int, str]:
    return {office_id: zone or UTC for office_id, zone in
            db.session.execute(select(Office.id, Office.time_zone).where(Office.id.in_(office_ids)))}


def office_pacing(office_ids: list[int], canvass_id: int | None = None, today: date | None = None,
                  doors_done: dict[int, int] | None = None) -> dict[int, dict]:
    """Per office: its goal's fields (``NO_GOAL`` where it has none) and its pacing, doors and
    conversations, each office on its own clock. ``today`` fixes the day for all (the tests').
    ``doors_done``: each office's doors knocked in ``canvass_id`` to date, when the caller has counted them
    (the coverage figures without dates): then only the last days are read."""
    goals = office_goals(office_ids, canvass_id)
    out = {office_id: dict(NO_GOAL) for office_id in office_ids}
    if not goals:
        return out
    zones = _zones(list(goals))
    now = datetime.now(timezone.utc)
    todays = {office_id: today or today_in(now, zones[office_id]) for office_id in goals}
    by_canvass: dict[int, list[int]] = defaultdict(list)
    for office_id, goal in goals.items():
        by_canvass[goal.canvass_id].append(office_id)
    done: dict[int, list[int]] = {office_id: [0, 0, 0, 0] for office_id in goals}  # doors, 7d, talks, 7d
    for canvass_id_, ids in by_canvass.items():
        for zone in sorted({zones[i] for i in ids}):
            in_zone = [i for i in ids if zones[i] == zone]
            # One "today" per zone: the offices of one zone share it (``today`` fixes it for all).
            week = rules.last_week_start(todays[in_zone[0]])
            since = day_starts(week, zone)
            if doors_done is None or canvass_id_ != canvass_id:
                for office_id, doors in db.session.execute(
                        select(DoorCanvass.office_id, func.count())
                        .where(DoorCanvass.canvass_id == canvass_id_, DoorCanvass.office_id.in_(in_zone))
                        .group_by(DoorCanvass.office_id)):
                    done[office_id][0] = int(doors)
            else:
                for office_id in in_zone:
                    done[office_id][0] = int(doors_done.get(office_id, 0))
            # The last days only, from ix_door_canvass_first (canvass, first_at, office). Grouped by
            # "office_id + 0" and the offices picked here: grouped by the bare column (or with an IN on it),
            # SQLite's planner takes the other index for its order and reads every door of the canvass
            # (150-300 ms at 370,000 doors, instead of the few of the last 7 days).
            office = (DoorCanvass.office_id + 0).label("office")
            wanted = set(in_zone)
            for office_id, recent in db.session.execute(
                    select(office, func.count())
                    .where(DoorCanvass.canvass_id == canvass_id_, DoorCanvass.first_at >= since)
                    .group_by(office)):
                if office_id in wanted:
                    done[office_id][1] = int(recent)
            for office_id, talks, recent in db.session.execute(
                    select(VolunteerDay.office_id, func.sum(VolunteerDay.conversations),
                           func.sum(case((VolunteerDay.day >= week, VolunteerDay.conversations), else_=0)))
                    .where(VolunteerDay.canvass_id == canvass_id_, VolunteerDay.office_id.in_(in_zone))
                    .group_by(VolunteerDay.office_id)):
                done[office_id][2:4] = [int(talks or 0), int(recent or 0)]
    for office_id, goal in goals.items():
        out[office_id] = goal_fields(goal, *done[office_id], todays[office_id])
    return out


def goal_fields(goal: Goal, doors: int, doors_7d: int, talks: int, talks_7d: int, today: date) -> dict:
    """The API's goal fields for one goal and what was done: doors lead (``pace_needed``, ``pace_7d``,
    ``projected_finish`` are the doors'); ``pacing`` holds both, in full."""
    door_pace = rules.pace(goal.doors, doors, doors_7d, today, goal.due_date)
    talk_pace = rules.pace(goal.conversations, talks, talks_7d, today, goal.due_date)
    return {"goal_doors": goal.doors, "goal_conversations": goal.conversations,
            "goal_date": goal.due_date.isoformat(), "goal_canvass_id": goal.canvass_id,
            "pace_needed": door_pace.pace_needed, "pace_7d": door_pace.pace_7d,
            "projected_finish": door_pace.projected_finish.isoformat() if door_pace.projected_finish else None,
            "percent_of_goal": door_pace.percent if goal.doors else talk_pace.percent,
            "pacing": {"today": today.isoformat(), "doors": door_pace.as_dict(), "conversations": talk_pace.as_dict()}}


def office_chart_series(office: Office, goal: Goal, today: date | None = None) -> dict:
    """The office dashboard's pacing chart: doors knocked to date (running total per office-local day),
    the goal line from the canvass's start (or the first knock) to the goal, and the projection."""
    return _chart_series(office, goal.canvass_id, goal.doors, goal.due_date, today)


def _chart_series(office: Office, canvass_id: int, goal_doors: int, due: date, today: date | None,
                  *where) -> dict:
    """A pacing chart's three lines for the office's doors first knocked in the canvass (``where``: more
    conditions on ``DoorCanvass``, a team's doors)."""
    zone = office.time_zone or UTC
    today = today or today_in(datetime.now(timezone.utc), zone)
    day = local_day(DoorCanvass.first_at, Office.time_zone)
    per_day = [(d if isinstance(d, date) else date.fromisoformat(str(d)), int(n)) for d, n in db.session.execute(
        select(day, func.count()).join(Office, Office.id == DoorCanvass.office_id)
        .where(DoorCanvass.canvass_id == canvass_id, DoorCanvass.office_id == office.id, *where).group_by(day))]
    actual = rules.cumulative(per_day, today)
    done = actual[-1][1] if actual else 0
    recent = sum(n for d, n in per_day if rules.last_week_start(today) <= d <= today)
    result = rules.pace(goal_doors, done, recent, today, due)
    canvass = db.session.get(Canvass, canvass_id)
    start = min([d for d, _ in actual] + ([canvass.start_date] if canvass.start_date else []) + [today])
    if actual and actual[0][0] > start:
        actual = [(start, 0), *actual]
    return {"actual": actual + ([(today, done)] if actual and actual[-1][0] < today else []),
            "goal": rules.goal_line(start, due, goal_doors),
            "projection": rules.projection_line(today, done, result), "pace": result}


def canvass_goals(canvass: Canvass, office: Office, today: date | None = None) -> list[dict]:
    """The office's goals for the canvass (the office's own first, then turfs', then volunteers'), each
    with what is done so far: doors knocked and conversations had in the canvass."""
    goals = list(db.session.scalars(select(Goal).where(Goal.canvass_id == canvass.id, Goal.office_id == office.id)
                                    .order_by(Goal.turf_id.is_not(None), Goal.volunteer_id.is_not(None),
                                              Goal.team_id.is_not(None), Goal.id)))
    if not goals:
        return []
    today = today or today_in(datetime.now(timezone.utc), office.time_zone)
    office_fields = office_pacing([office.id], canvass.id, today)[office.id]
    rows = []
    for goal in goals:
        turf_name = team_name = None  # the page words "Turf <name>" and "Team <name>" in its own language
        if goal.team_id is not None:
            team = db.session.get(Team, goal.team_id)
            doors, _, talks, _ = _team_done(team, canvass.id, today)
            who, team_name = f"Team {team.name}", team.name
        elif goal.turf_id is None and goal.volunteer_id is None:
            p = office_fields["pacing"]
            doors, talks = p["doors"]["done"], p["conversations"]["done"]
            who = office.name
        elif goal.turf_id is not None:
            turf = db.session.get(Turf, goal.turf_id)
            doors, talks = _turf_done(turf, canvass.id)
            who, turf_name = f"Turf {turf.name}", turf.name
        else:
            volunteer = db.session.get(User, goal.volunteer_id)
            doors, talks = _volunteer_done(volunteer.id, office.id, canvass.id)
            who = volunteer.name
        rows.append({"id": goal.id, "who": who, "turf_name": turf_name, "team_name": team_name, "doors": goal.doors,
                     "conversations": goal.conversations,
                     "due_date": goal.due_date, "doors_done": doors, "conversations_done": talks,
                     "pace": rules.pace(goal.doors, doors, 0, today, goal.due_date)})
    return rows


def _turf_done(turf: Turf, canvass_id: int) -> tuple[int, int]:
    parts = part_doors()
    turf_of = func.coalesce(Block.turf_id, parts.c.turf_id)
    doors = db.session.scalar(
        select(func.count()).select_from(DoorCanvass).join(Block, Block.id == DoorCanvass.block_id)
        .outerjoin(parts, parts.c.door_id == DoorCanvass.door_id)
        .where(DoorCanvass.canvass_id == canvass_id, turf_of == turf.id)) or 0
    talks = db.session.scalar(select(func.count()).where(
        Contact.turf_id == turf.id, Contact.canvass_id == canvass_id, counted(),
        Contact.outcome.in_(sorted(REACHED_CODES)))) or 0
    return int(doors), int(talks)


def _volunteer_done(volunteer_id: int, office_id: int, canvass_id: int) -> tuple[int, int]:
    """A volunteer's doors are their knocks (a door they knocked twice counts twice: their own work)."""
    knocks, talks = db.session.execute(
        select(func.coalesce(func.sum(VolunteerDay.knocks), 0), func.coalesce(func.sum(VolunteerDay.conversations), 0))
        .where(VolunteerDay.volunteer_id == volunteer_id, VolunteerDay.office_id == office_id,
               VolunteerDay.canvass_id == canvass_id)).one()
    return int(knocks), int(talks)


# --- a neighborhood team's pacing (issue 20.2: its leader sees it on the team's page) ------------------

def _team_door_ids(team: Team):
    from .teams import team_door_ids  # teams imports coverage, which imports this module
    return team_door_ids(team)


def _team_done(team: Team, canvass_id: int, today: date) -> tuple[int, int, int, int]:
    """Doors first knocked and conversations had at the team's doors in the canvass: to date, and in the
    last 7 days of the office's clock."""
    office = db.session.get(Office, team.office_id)
    since = day_starts(rules.last_week_start(today), office.time_zone or UTC)
    door_ids = _team_door_ids(team)
    doors, doors_7d = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((DoorCanvass.first_at >= since, 1), else_=0)), 0))
        .where(DoorCanvass.canvass_id == canvass_id, DoorCanvass.office_id == office.id,
               DoorCanvass.door_id.in_(door_ids))).one()
    talks, talks_7d = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((Contact.recorded_at >= since, 1), else_=0)), 0))
        .where(Contact.canvass_id == canvass_id, Contact.office_id == office.id, Contact.door_id.in_(door_ids),
               Contact.outcome.in_(sorted(REACHED_CODES)), counted())).one()
    return int(doors), int(doors_7d), int(talks), int(talks_7d)


def team_pacing(team: Team, canvass_id: int | None = None, today: date | None = None) -> dict | None:
    """The team's goal and where it stands: its own goal for the canvass, else its share of the office's
    goal (the office's doors and conversations times the team's share of the office's doors, rounded
    up). Without ``canvass_id``: the canvass of the goal set last, the team's or the office's own (a team goal
    of a canvass long over never hides the office's new one). None when neither has a goal. ``source`` says
    which ("team" or "share", with ``share`` the fraction)."""
    office = db.session.get(Office, team.office_id)
    latest = select(Goal).order_by(Goal.set_at.desc(), Goal.id.desc())
    if canvass_id is None:
        newest = [goal for goal in (
            db.session.scalars(latest.where(Goal.team_id == team.id)).first(),
            office_goals([office.id]).get(office.id)) if goal is not None]
        if not newest:
            return None
        canvass_id = max(newest, key=lambda goal: (goal.set_at, goal.id)).canvass_id
    own = db.session.scalars(latest.where(Goal.team_id == team.id, Goal.canvass_id == canvass_id)).first()
    share = None
    if own is not None:
        goal_doors, goal_talks, due, canvass_id = own.doors, own.conversations, own.due_date, own.canvass_id
    else:
        office_goal = office_goals([office.id], canvass_id).get(office.id)
        if office_goal is None:
            return None
        team_doors = db.session.scalar(select(func.count()).select_from(_team_door_ids(team).subquery())) or 0
        office_doors = db.session.scalar(select(func.count(Door.id)).where(Door.office_id == office.id)) or 0
        share = rules.share_of(team_doors, office_doors)
        goal_doors, goal_talks = rules.scaled(office_goal.doors, share), rules.scaled(office_goal.conversations, share)
        due, canvass_id = office_goal.due_date, office_goal.canvass_id
        if not goal_doors and not goal_talks:
            return None
    today = today or today_in(datetime.now(timezone.utc), office.time_zone)
    doors, doors_7d, talks, talks_7d = _team_done(team, canvass_id, today)
    chart = _chart_series(office, canvass_id, goal_doors, due, today, DoorCanvass.door_id.in_(_team_door_ids(team))) \
        if goal_doors else None
    return {"source": "team" if own is not None else "share", "share": share,
            "canvass": db.session.get(Canvass, canvass_id), "goal_doors": goal_doors,
            "goal_conversations": goal_talks, "due_date": due,
            "doors": rules.pace(goal_doors, doors, doors_7d, today, due),
            "conversations": rules.pace(goal_talks, talks, talks_7d, today, due), "chart": chart}
