"""Promises made at the door: who owes what, overdue first, and keeping them."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..domain.followups import BY_CODE
from ..domain.roles import Role
from ..errors import Conflict, Forbidden, InvalidInput, NotFound
from ..extensions import db
from ..models import Door, FollowUp, Person, User
from ..models._base import utcnow
from .inputs import required_text

MAX_RESULT = 1000


def owed_by(user: User, today: date) -> list[dict]:
    """The open promises this user owns, overdue first, then by due date."""
    rows = db.session.execute(
        select(FollowUp, Door, Person).join(Door, Door.id == FollowUp.door_id)
        .outerjoin(Person, Person.id == FollowUp.person_id)
        .where(FollowUp.owner_id == user.id, FollowUp.done_at.is_(None))
        .order_by(FollowUp.due_date, FollowUp.id)).all()
    return [{"id": f.id, "kind": f.kind, "label": BY_CODE[f.kind].label if f.kind in BY_CODE else f.kind,
             "due_date": f.due_date, "overdue": f.due_date < today, "days_late": max((today - f.due_date).days, 0),
             "address": door.address, "door_id": door.id, "person": person.full_name if person else None,
             "made_on": f.created_at.date()} for f, door, person in rows]


def keep(follow_up_id: int, user: User, result: str) -> FollowUp:
    """Mark a promise kept, with what was done (no commit). Its owner or an organizer of the office may."""
    follow_up = db.session.get(FollowUp, follow_up_id)
    if follow_up is None:
        raise NotFound(f"no follow-up with id {follow_up_id}")
    if follow_up.owner_id != user.id and not _manages(user, follow_up.office_id):
        raise Forbidden("this promise is not yours to close")
    if follow_up.done_at is not None:
        raise Conflict("this promise was already kept")
    result = required_text(result, "result", MAX_RESULT, "say what was done")
    follow_up.done_at, follow_up.result = utcnow(), result
    return follow_up


def _manages(user: User, office_id: int) -> bool:
    from .access import may_manage
    return user.role != Role.VOLUNTEER.value and may_manage(user, office_id)


def office_promises(office_id: int, today: date) -> list[dict]:
    """Every open promise of the office with its owner, overdue first, then by due date."""
    rows = db.session.execute(
        select(FollowUp, Door, Person, User.name).join(Door, Door.id == FollowUp.door_id)
        .outerjoin(Person, Person.id == FollowUp.person_id).outerjoin(User, User.id == FollowUp.owner_id)
        .where(FollowUp.office_id == office_id, FollowUp.done_at.is_(None))
        .order_by(FollowUp.due_date, FollowUp.id)).all()
    return [{"id": f.id, "label": BY_CODE[f.kind].label if f.kind in BY_CODE else f.kind, "due_date": f.due_date,
             "overdue": f.due_date < today, "address": door.address, "door_id": door.id,
             "person": person.full_name if person else None, "owner_id": f.owner_id, "owner": owner}
            for f, door, person, owner in rows]


def reassign(follow_up_id: int, owner_id: str | int | None, user: User) -> FollowUp:
    """Give an open promise to another organizer of its office (no commit); managers of the office may."""
    follow_up = db.session.get(FollowUp, follow_up_id)
    if follow_up is None:
        raise NotFound(f"no follow-up with id {follow_up_id}")
    if not _manages(user, follow_up.office_id):
        raise Forbidden("only the office's organizers may hand promises on")
    if follow_up.done_at is not None:
        raise Conflict("this promise was already kept")
    owner = db.session.get(User, int(owner_id)) if str(owner_id or "").isdigit() else None
    if owner is None or owner.office_id != follow_up.office_id or owner.role != Role.ORGANIZER.value \
            or not owner.active:
        raise InvalidInput("choose an active organizer of this office", field="owner_id")
    follow_up.owner_id = owner.id
    return follow_up
