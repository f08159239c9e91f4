"""The one place that decides who may see and change what, against the database.

Every page and API route calls these ``require_*`` helpers (or the ``visible_*``
query helpers) instead of checking roles itself. The rules themselves are the
pure functions of :mod:`fieldops.domain.access`.
"""
from __future__ import annotations

from sqlalchemy import Select, exists, select

from ..domain import access as rules
from ..domain.roles import Role
from ..errors import Forbidden, NotFound
from ..extensions import db
from ..models import Assignment, Block, Canvass, Door, Invite, Job, Office, Region, Turf, TurfDoor, User


def actor_of(user: User) -> rules.Actor:
    """Reduce a user row to the facts the access rules use."""
    region_id = user.region_id
    if user.office_id is not None and region_id is None:
        region_id = user.office.region_id
    return rules.Actor(user_id=user.id, role=Role(user.role), office_id=user.office_id, region_id=region_id)


def _place(office: Office) -> rules.Place:
    return rules.Place(region_id=office.region_id, office_id=office.id)


def has_open_assignment(user: User, turf_id: int) -> bool:
    """Is this turf handed to this user right now?"""
    stmt = select(exists().where(
        Assignment.turf_id == turf_id,
        Assignment.volunteer_id == user.id,
        Assignment.returned_at.is_(None),
    ))
    return bool(db.session.scalar(stmt))


def require_region(user: User, region_id: int, *, manage: bool = False) -> Region:
    """The region, if the user may see it (or, with ``manage``, change it: region-wide canvasses)."""
    region = db.session.get(Region, region_id)
    if region is None:
        raise NotFound(f"no region with id {region_id}")
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
        raise NotFound(f"no office with id {office_id}")
    check = rules.can_manage if manage else rules.can_view
    if not check(actor_of(user), _place(office)):
        raise Forbidden("you may not " + ("change" if manage else "see") + " this office")
    return office


def require_turf(user: User, turf_id: int, *, manage: bool = False) -> Turf:
    """The turf, if the user may see its doors (volunteers: only when it is handed to them)."""
    turf = db.session.get(Turf, turf_id)
    if turf is None:
        raise NotFound(f"no turf with id {turf_id}")
    office = db.session.get(Office, turf.office_id)
    actor = actor_of(user)
    if manage:
        allowed = rules.can_manage(actor, _place(office))
    else:
        assigned = actor.role is Role.VOLUNTEER and has_open_assignment(user, turf.id)
        allowed = rules.can_view_turf(actor, _place(office), assigned)
    if not allowed:
        raise Forbidden("this turf is not yours to " + ("change" if manage else "see"))
    return turf


def require_canvass_for_office(user: User, canvass_id: int, office_id: int) -> Canvass:
    """A canvass the office works on (its own or its region's), if the user may manage the office."""
    office = require_office(user, office_id, manage=True)
    canvass = db.session.get(Canvass, canvass_id)
    if canvass is None or canvass.region_id != office.region_id or canvass.office_id not in (None, office.id):
        raise NotFound(f"no canvass with id {canvass_id} for {office.name}")
    return canvass


def require_canvass_editing(user: User, canvass_id: int, office_id: int) -> Canvass:
    """A canvass of the office the user may change: the office's own (its organizers), or the region's
    (only those who manage the whole region, since every office of it walks the same canvass)."""
    canvass = require_canvass_for_office(user, canvass_id, office_id)
    if canvass.office_id is None and not may_manage_region(user, canvass.region_id):
        raise Forbidden("this canvass is the whole region's: the region's lead changes it")
    return canvass


def require_canvass_targeting(user: User, canvass_id: int, office_id: int) -> Canvass:
    """A canvass whose target universe the user may set: the office's own canvass (its organizers), or the
    region's (only those who manage the whole region: one universe serves every office of it)."""
    canvass = require_canvass_for_office(user, canvass_id, office_id)
    if not may_target_canvass(user, canvass):
        raise Forbidden("this canvass is the whole region's: the region's lead sets its target universe")
    return canvass


def may_target_canvass(user: User, canvass: Canvass) -> bool:
    """Whether to offer the universe's Save button (see ``require_canvass_targeting``)."""
    return canvass.office_id is not None or may_manage_region(user, canvass.region_id)


def require_assignment(user: User, assignment_id: int) -> Assignment:
    """An assignment, if the user may manage the turf's office."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFound(f"no assignment with id {assignment_id}")
    require_turf(user, assignment.turf_id, manage=True)
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
        raise NotFound(f"no door with id {door_id}")
    actor = actor_of(user)
    office = db.session.get(Office, door.office_id)
    if actor.role is Role.VOLUNTEER:
        turf_ids = [turf_id for turf_id in [door_turf_id(door), *db.session.scalars(
            select(TurfDoor.turf_id).where(TurfDoor.door_id == door.id))] if turf_id is not None]
        assigned = any(has_open_assignment(user, turf_id) for turf_id in turf_ids)
        allowed = rules.can_view_turf(actor, _place(office), assigned)
    else:
        allowed = rules.can_view(actor, _place(office))
    if not allowed:
        raise Forbidden("this door is not in your turfs")
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
    return office is not None and actor.role is not Role.VOLUNTEER and rules.can_manage(actor, _place(office))


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
        raise Forbidden(f"only admins may {doing}")


def require_region_shaping(user: User, region_id: int) -> Region:
    """The region, if the user may add offices to it: an admin, or the region's lead."""
    region = db.session.get(Region, region_id)
    if region is None:
        raise NotFound(f"no region with id {region_id}")
    if not rules.can_shape_territory(actor_of(user), rules.Place(region_id=region.id)):
        raise Forbidden("only an admin or this region's lead may add offices to it")
    return region


def require_office_shaping(user: User, office_id: int) -> Office:
    """The office, if the user may rename it or change its address: an admin, or its region's lead."""
    office = db.session.get(Office, office_id)
    if office is None:
        raise NotFound(f"no office with id {office_id}")
    if not rules.can_shape_territory(actor_of(user), _place(office)):
        raise Forbidden("only an admin or the region's lead may rename this office")
    return office


def require_regions_shaping(user: User) -> None:
    """Only admins create and rename regions."""
    if not rules.can_shape_regions(actor_of(user)):
        raise Forbidden("only admins may create or rename regions")


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
        raise NotFound(f"no job with id {job_id}")
    if job.office_id is not None:
        require_office(user, job.office_id, manage=True)
    elif job.created_by_id != user.id and actor_of(user).role is not Role.ADMIN:
        raise Forbidden("this job is not yours to see")
    return job
