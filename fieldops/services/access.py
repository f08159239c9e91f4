"""The one place that decides who may see and change what, against the database.

Every page and API route calls these ``require_*`` helpers (or the ``visible_*``
query helpers) instead of checking roles itself. The rules themselves are the
pure functions of :mod:`fieldops.domain.access`.
"""
from __future__ import annotations

from sqlalchemy import Select, select

from ..domain import access as rules
from ..domain import time_zones
from ..domain.roles import Role
from ..errors import Forbidden, NotFound
from ..extensions import db
from ..models import (Assignment, Block, Canvass, Door, Invite, Job, Office, Region, Shift, Team, TeamMember, TeamTurf,
                      Turf, TurfDoor, User)
from ..models._base import utcnow
from ..domain.text import N_


def actor_of(user: User, *, with_team: bool = False) -> rules.Actor:
    """Reduce a user row to the facts the access rules use: a team leader's team too, and with ``with_team`` a
    volunteer's (only the team pages ask, so a volunteer's walk lists and syncs cost no extra query)."""
    region_id = user.region_id
    if user.office_id is not None and region_id is None:
        region_id = user.office.region_id
    leads, team_id = frozenset(), None
    if user.role == Role.TEAM_LEADER.value or (with_team and user.role == Role.VOLUNTEER.value):
        membership = db.session.get(TeamMember, user.id)
        if membership is not None:
            team_id = membership.team_id
            if membership.leader and user.role == Role.TEAM_LEADER.value:
                leads = frozenset({membership.team_id})
    return rules.Actor(user_id=user.id, role=Role(user.role), office_id=user.office_id, region_id=region_id,
                       leads=leads, team_id=team_id)


def _place(office: Office, team_id: int | None = None) -> rules.Place:
    return rules.Place(region_id=office.region_id, office_id=office.id, team_id=team_id)


def turf_team_id(turf_id: int) -> int | None:
    """The team that owns the turf, if any."""
    return db.session.scalar(select(TeamTurf.team_id).where(TeamTurf.turf_id == turf_id))


def door_turf_ids(door: Door) -> list[int]:
    """Every turf that holds the door: its block's, and those that hold it door by door."""
    return [turf_id for turf_id in [door_turf_id(door), *db.session.scalars(
        select(TurfDoor.turf_id).where(TurfDoor.door_id == door.id))] if turf_id is not None]


def door_team_id(door: Door) -> int | None:
    """The team whose turfs hold the door (its neighborhood), if any."""
    turf_ids = door_turf_ids(door)
    if not turf_ids:
        return None
    return db.session.scalar(select(TeamTurf.team_id).where(TeamTurf.turf_id.in_(turf_ids))
                             .order_by(TeamTurf.team_id).limit(1))


def has_open_assignment(user: User, turf_id: int) -> bool:
    """Is this turf handed to this user right now: not taken back, and its canvass not over on the office's
    clock (``rules.assignment_in_force``)?"""
    rows = db.session.execute(
        select(Canvass.end_date, Office.time_zone)
        .select_from(Assignment)
        .join(Canvass, Canvass.id == Assignment.canvass_id)
        .join(Turf, Turf.id == Assignment.turf_id)
        .join(Office, Office.id == Turf.office_id)
        .where(Assignment.turf_id == turf_id, Assignment.volunteer_id == user.id, Assignment.returned_at.is_(None))
    ).all()
    now = utcnow()
    return any(rules.assignment_in_force(end, time_zones.today(now, zone)) for end, zone in rows)


def require_region(user: User, region_id: int, *, manage: bool = False) -> Region:
    """The region, if the user may see it (or, with ``manage``, change it: region-wide canvasses)."""
    region = db.session.get(Region, region_id)
    if region is None:
        raise NotFound(N_("no region with id %(region_id)s"), region_id=region_id)
    check = rules.can_manage if manage else rules.can_view
    if not check(actor_of(user), rules.Place(region_id=region.id)):
        raise Forbidden("you may not " + ("change" if manage else "see") + " this region")
    return region


def may_manage_region(user: User, region_id: int) -> bool:
    return rules.can_manage(actor_of(user), rules.Place(region_id=region_id))


def require_office(user: User, office_id: int, *, manage: bool = False) -> Office:
    """The office, if the user may see it (or, with ``manage``, change it)."""
    office = db.session.get(Office, office_id)
    if office is None:
        raise NotFound(N_("no office with id %(office_id)s"), office_id=office_id)
    check = rules.can_manage if manage else rules.can_view
    if not check(actor_of(user), _place(office)):
        raise Forbidden("you may not " + ("change" if manage else "see") + " this office")
    return office


def require_turf(user: User, turf_id: int, *, manage: bool = False) -> Turf:
    """The turf, if the user may see its doors (volunteers: only when it is handed to them)."""
    turf = db.session.get(Turf, turf_id)
    if turf is None:
        raise NotFound(N_("no turf with id %(turf_id)s"), turf_id=turf_id)
    office = db.session.get(Office, turf.office_id)
    actor = actor_of(user)
    if manage:
        allowed = rules.can_manage(actor, _place(office))
    else:
        assigned = actor.role in (Role.VOLUNTEER, Role.TEAM_LEADER) and has_open_assignment(user, turf.id)
        team_id = turf_team_id(turf.id) if actor.role is Role.TEAM_LEADER else None
        allowed = rules.can_view_turf(actor, _place(office, team_id), assigned)
    if not allowed:
        raise Forbidden("this turf is not yours to " + ("change" if manage else "see"))
    return turf


def may_hand_out(user: User, turf: Turf) -> bool:
    """Whether the user may hand this turf out and take it back (its office's managers, its team's leaders)."""
    office = db.session.get(Office, turf.office_id)
    return rules.can_hand_out(actor_of(user), _place(office, turf_team_id(turf.id)))


def require_turf_hand_out(user: User, turf_id: int) -> Turf:
    """The turf, if the user may hand it out and take it back."""
    turf = db.session.get(Turf, turf_id)
    if turf is None:
        raise NotFound(N_("no turf with id %(turf_id)s"), turf_id=turf_id)
    if not may_hand_out(user, turf):
        raise Forbidden(N_("this turf is not yours to hand out"))
    return turf


def _team_place(team: Team) -> rules.Place:
    return _place(db.session.get(Office, team.office_id), team.id)


def require_team(user: User, team_id: int, *, work: bool = False, shape: bool = False) -> Team:
    """The team, if the user may see it (members), work it (``work``: its leaders and the office's
    organizers) or change its turfs, members and leaders (``shape``: the office's organizers)."""
    team = db.session.get(Team, team_id)
    if team is None:
        raise NotFound(N_("no team with id %(team_id)s"), team_id=team_id)
    actor, place = actor_of(user, with_team=True), _team_place(team)
    check = rules.can_shape_teams if shape else rules.can_work_team if work else rules.can_view_team
    if not check(actor, place):
        raise Forbidden("this team is not yours to " + ("change" if shape else "work" if work else "see"))
    return team


def may_work_team(user: User, team: Team) -> bool:
    return rules.can_work_team(actor_of(user), _team_place(team))


def may_shape_teams(user: User, office: Office) -> bool:
    return rules.can_shape_teams(actor_of(user), _place(office))


def led_team(user: User) -> Team | None:
    """The team this user leads, if they are a team leader."""
    actor = actor_of(user)
    return db.session.get(Team, next(iter(actor.leads))) if actor.leads else None


def require_shift(user: User, shift_id: int) -> Shift:
    """A shift, if the user may run it (check-ins, sign-ups): the office's managers, or the leaders of the
    shift's team."""
    shift = db.session.get(Shift, shift_id)
    if shift is None:
        raise NotFound(N_("no shift with id %(shift_id)s"), shift_id=shift_id)
    office = db.session.get(Office, shift.office_id)
    if not rules.can_work_team(actor_of(user), _place(office, shift.team_id)):
        raise Forbidden(N_("this shift is not yours to run"))
    return shift


def require_volunteer_timeline(user: User, volunteer: User) -> None:
    """A volunteer's own timeline (one-on-one notes, check-ins): the office's organizers and the leader of
    the volunteer's team; never the volunteer themselves, nor other volunteers."""
    if volunteer.office_id is None:
        raise NotFound(N_("no volunteer with id %(volunteer_id)s"), volunteer_id=volunteer.id)
    office = db.session.get(Office, volunteer.office_id)
    membership = db.session.get(TeamMember, volunteer.id)
    if not rules.can_work_team(actor_of(user), _place(office, membership.team_id if membership else None)):
        raise Forbidden(N_("only the office's organizers and the volunteer's team leader see their timeline"))


def require_canvass_for_office(user: User, canvass_id: int, office_id: int) -> Canvass:
    """A canvass the office works on (its own or its region's), if the user may manage the office."""
    office = require_office(user, office_id, manage=True)
    canvass = db.session.get(Canvass, canvass_id)
    if canvass is None or canvass.region_id != office.region_id or canvass.office_id not in (None, office.id):
        raise NotFound(N_("no canvass with id %(canvass_id)s for %(office)s"),
                       canvass_id=canvass_id, office=office.name)
    return canvass


def require_canvass_editing(user: User, canvass_id: int, office_id: int) -> Canvass:
    """A canvass of the office the user may change: the office's own (its organizers), or the region's
    (only those who manage the whole region, since every office of it walks the same canvass)."""
    canvass = require_canvass_for_office(user, canvass_id, office_id)
    if canvass.office_id is None and not may_manage_region(user, canvass.region_id):
        raise Forbidden(N_("this canvass is the whole region's: the region's lead changes it"))
    return canvass


def require_canvass_targeting(user: User, canvass_id: int, office_id: int) -> Canvass:
    """A canvass whose target universe the user may set: the office's own canvass (its organizers), or the
    region's (only those who manage the whole region: one universe serves every office of it)."""
    canvass = require_canvass_for_office(user, canvass_id, office_id)
    if not may_target_canvass(user, canvass):
        raise Forbidden(N_("this canvass is the whole region's: the region's lead sets its target universe"))
    return canvass


def may_target_canvass(user: User, canvass: Canvass) -> bool:
    """Whether to offer the universe's Save button (see ``require_canvass_targeting``)."""
    return canvass.office_id is not None or may_manage_region(user, canvass.region_id)


def require_assignment(user: User, assignment_id: int) -> Assignment:
    """An assignment, if the user may hand its turf out and take it back."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFound(N_("no assignment with id %(assignment_id)s"), assignment_id=assignment_id)
    require_turf_hand_out(user, assignment.turf_id)
    return assignment


def office_of_invite(invite: Invite) -> Office:
    return db.session.get(Office, invite.office_id)


def may_manage(user: User, office_id: int) -> bool:
    """Whether the user may change this office's territory (for showing or hiding controls)."""
    office = db.session.get(Office, office_id)
    return office is not None and rules.can_manage(actor_of(user), _place(office))


def require_door(user: User, door_id: int) -> Door:
    """The door, if the user may see it: volunteers only inside a turf handed to them."""
    door = db.session.get(Door, door_id)
    if door is None:
        raise NotFound(N_("no door with id %(door_id)s"), door_id=door_id)
    actor = actor_of(user)
    office = db.session.get(Office, door.office_id)
    if actor.role in (Role.VOLUNTEER, Role.TEAM_LEADER):
        turf_ids = door_turf_ids(door)
        assigned = any(has_open_assignment(user, turf_id) for turf_id in turf_ids)
        allowed = rules.can_view_turf(actor, _place(office), assigned)
        if not allowed and actor.leads:
            allowed = any(rules.can_view_turf(actor, _place(office, turf_team_id(turf_id)), False)
                          for turf_id in turf_ids)
    else:
        allowed = rules.can_view(actor, _place(office))
    if not allowed:
        raise Forbidden(N_("this door is not in your turfs"))
    return door


def may_see_contact_details(user: User, door: Door) -> bool:
    """Whether the user sees the phone numbers and e-mails imported for this door's people: the
    office's organizers, its region's lead and admins, who call back and keep promises. Volunteers
    do not, even at their own doors: they meet people at the door, and their phones keep walk lists
    offline, where a lost phone should hold as little as it can."""
    return may_see_contact_details_of_office(user, door.office_id)


def may_see_contact_details_of_office(user: User, office_id: int) -> bool:
    """``may_see_contact_details`` for every door of the office."""
    office = db.session.get(Office, office_id)
    actor = actor_of(user)
    return office is not None and actor.role not in (Role.VOLUNTEER, Role.TEAM_LEADER) \
        and rules.can_manage(actor, _place(office))


def door_turf_id(door: Door) -> int | None:
    """The turf that holds the door's block, if any."""
    return db.session.scalar(select(Block.turf_id).where(Block.id == door.block_id))


def visible_offices(user: User) -> Select:
    """A query for the offices this user may see, by name."""
    actor = actor_of(user)
    stmt = select(Office).order_by(Office.name)
    if actor.role is Role.ADMIN:
        return stmt
    if actor.role is Role.LEAD:
        return stmt.where(Office.region_id == actor.region_id)
    if actor.role is Role.ORGANIZER:
        return stmt.where(Office.id == actor.office_id)
    return stmt.where(False)


def visible_regions(user: User) -> Select:
    """A query for the regions this user may compare."""
    actor = actor_of(user)
    stmt = select(Region).order_by(Region.name)
    if actor.role is Role.ADMIN:
        return stmt
    if actor.role is Role.LEAD:
        return stmt.where(Region.id == actor.region_id)
    return stmt.where(False)


def require_admin(user: User, doing: str = "read the audit log") -> None:
    """Only admins read the audit log (and do whatever ``doing`` says)."""
    if actor_of(user).role is not Role.ADMIN:
        raise Forbidden(N_("only admins may %(doing)s"), doing=doing)


def require_region_shaping(user: User, region_id: int) -> Region:
    """The region, if the user may add offices to it: an admin, or the region's lead."""
    region = db.session.get(Region, region_id)
    if region is None:
        raise NotFound(N_("no region with id %(region_id)s"), region_id=region_id)
    if not rules.can_shape_territory(actor_of(user), rules.Place(region_id=region.id)):
        raise Forbidden(N_("only an admin or this region's lead may add offices to it"))
    return region


def require_office_shaping(user: User, office_id: int) -> Office:
    """The office, if the user may rename it or change its address: an admin, or its region's lead."""
    office = db.session.get(Office, office_id)
    if office is None:
        raise NotFound(N_("no office with id %(office_id)s"), office_id=office_id)
    if not rules.can_shape_territory(actor_of(user), _place(office)):
        raise Forbidden(N_("only an admin or the region's lead may rename this office"))
    return office


def require_regions_shaping(user: User) -> None:
    """Only admins create and rename regions."""
    if not rules.can_shape_regions(actor_of(user)):
        raise Forbidden(N_("only admins may create or rename regions"))


def may_shape_regions(user: User) -> bool:
    """Whether to offer "Regions and offices" (admins)."""
    return rules.can_shape_regions(actor_of(user))


def may_shape_region(user: User, region_id: int) -> bool:
    """Whether to offer "New office" on the region's page."""
    return rules.can_shape_territory(actor_of(user), rules.Place(region_id=region_id))


def may_shape_office(user: User, office: Office) -> bool:
    """Whether to offer "Rename" on the office's page."""
    return rules.can_shape_territory(actor_of(user), _place(office))


def require_job(user: User, job_id: int) -> Job:
    """A background job, if the user may manage its office (a job of no office: its creator and admins)."""
    job = db.session.get(Job, job_id)
    if job is None:
        raise NotFound(N_("no job with id %(job_id)s"), job_id=job_id)
    if job.office_id is not None:
        require_office(user, job.office_id, manage=True)
    elif job.created_by_id != user.id and actor_of(user).role is not Role.ADMIN:
        raise Forbidden(N_("this job is not yours to see"))
    return job
