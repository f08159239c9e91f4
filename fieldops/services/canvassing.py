"""Canvasses and assignments: rounds of work and the turfs handed out for them."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..domain.roles import Role
from ..domain.turf_states import TurfState
from ..errors import Conflict, InvalidInput
from ..extensions import db
from ..models import Assignment, Canvass, Office, Turf, User
from ..models._base import utcnow
from .turfs import change_state


def build_canvass(name: str, region_id: int, office_id: int | None, *, start: date | None = None,
                  end: date | None = None, script: str = "", questions: list | None = None,
                  created_by_id: int | None = None) -> Canvass:
    """Add a canvass to the session (no commit)."""
    if start and end and end < start:
        raise InvalidInput("the canvass ends before it starts", field="end")
    canvass = Canvass(name=name, region_id=region_id, office_id=office_id, start_date=start, end_date=end,
                      script=script, questions=questions or [], created_by_id=created_by_id)
    db.session.add(canvass)
    db.session.flush()
    return canvass


def assign(turf_id: int, volunteer: User, canvass: Canvass, assigned_by_id: int | None) -> Assignment:
    """Hand a turf to a volunteer for a canvass (no commit).

    The turf row is locked (SELECT ... FOR UPDATE on PostgreSQL) so that two
    organizers handing out the same turf at once are served one after the other.
    """
    turf = db.session.scalar(select(Turf).where(Turf.id == turf_id).with_for_update())
    if volunteer.role != Role.VOLUNTEER.value and volunteer.role != Role.ORGANIZER.value:
        raise InvalidInput(f"{volunteer.email} is a {volunteer.role}, not a volunteer", field="volunteer")
    if volunteer.office_id != turf.office_id:
        raise InvalidInput(f"{volunteer.email} works for another office", field="volunteer")
    if canvass.office_id not in (None, turf.office_id):
        raise InvalidInput("that canvass is for another office", field="canvass")
    duplicate = db.session.scalar(select(Assignment.id).where(
        Assignment.turf_id == turf.id, Assignment.volunteer_id == volunteer.id,
        Assignment.canvass_id == canvass.id, Assignment.returned_at.is_(None)))
    if duplicate:
        raise Conflict(f"{turf.name} is already handed to {volunteer.email} for {canvass.name}")
    if turf.state in (TurfState.DRAFT.value, TurfState.OPEN.value):
        if turf.state == TurfState.DRAFT.value:
            change_state(turf, TurfState.OPEN.value, assigned_by_id)
        change_state(turf, TurfState.CHECKED_OUT.value, assigned_by_id)
    elif turf.state != TurfState.CHECKED_OUT.value:
        raise Conflict(f"{turf.name} is {turf.state} and cannot be handed out")
    assignment = Assignment(turf_id=turf.id, volunteer_id=volunteer.id, canvass_id=canvass.id,
                            assigned_by_id=assigned_by_id, assigned_at=utcnow())
    db.session.add(assignment)
    return assignment


def current_canvass_for(turf: Turf) -> Canvass | None:
    """The canvass a turf is being walked for: its newest open assignment's, else the office's newest canvass."""
    assigned = db.session.scalar(
        select(Canvass).join(Assignment, Assignment.canvass_id == Canvass.id)
        .where(Assignment.turf_id == turf.id, Assignment.returned_at.is_(None))
        .order_by(Assignment.assigned_at.desc(), Assignment.id.desc()).limit(1))
    if assigned is not None:
        return assigned
    office = db.session.get(Office, turf.office_id)
    return db.session.scalar(
        select(Canvass).where(Canvass.region_id == office.region_id,
                              (Canvass.office_id.is_(None)) | (Canvass.office_id == office.id))
        .order_by(Canvass.start_date.desc().nulls_last(), Canvass.id.desc()).limit(1))
