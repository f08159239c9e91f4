"""Promises made at the door: who owes what, overdue first, and keeping them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ..domain.consequences import ACTIVE
from ..domain.followups import BY_CODE
from ..domain.roles import Role
from ..domain.time_zones import local_day
from ..errors import Conflict, Forbidden, InvalidInput, NotFound
from ..extensions import db
from ..models import Door, FollowUp, Office, Person, User
from ..models._base import utcnow
from .inputs import required_text
from ..domain.text import N_

MAX_RESULT = 1000


def owed_by(user: User, now: datetime) -> list[dict]:
    """The open promises this user owns, overdue first, then by due date; "today" and the day each was
    made are on its office's clock. A call back shows how to reach the person (``reach``), since the
    owner is one of the office's organizers."""
    rows = db.session.execute(
        select(FollowUp, Door, Person, Office.time_zone).join(Door, Door.id == FollowUp.door_id)
        .join(Office, Office.id == FollowUp.office_id).outerjoin(Person, Person.id == FollowUp.person_id)
        .where(FollowUp.owner_id == user.id, FollowUp.done_at.is_(None))
        .order_by(FollowUp.due_date, FollowUp.id)).all()
    reach = _ways_to_reach([(f, person) for f, _, person, _ in rows],
                           {f.office_id for f, _, _, _ in rows if _sees_details(user, f.office_id)})
    promises = []
    for f, door, person, zone in rows:
        today = local_day(now, zone)
        promises.append({"id": f.id, "kind": f.kind, "label": BY_CODE[f.kind].label if f.kind in BY_CODE else f.kind,
                         "due_date": f.due_date, "overdue": f.due_date < today,
                         "days_late": max((today - f.due_date).days, 0), "address": door.address, "door_id": door.id,
                         "person": person.full_name if person else None, "made_on": local_day(f.created_at, zone),
                         "reach": reach.get(f.id, [])})
    return promises


def _sees_details(user: User, office_id: int) -> bool:
    from .access import may_see_contact_details_of_office
    return may_see_contact_details_of_office(user, office_id)


def _ways_to_reach(promises: list[tuple[FollowUp, Person | None]], offices: set[int]) -> dict[int, list[dict]]:
    """For each call back of these offices: the phone numbers and e-mails imported for the person it was
    promised to, or, when the household was promised, for everyone at the door still living there."""
    calls = [(f, person) for f, person in promises if f.kind == "call_back" and f.office_id in offices]
    households = {f.door_id for f, person in calls if person is None}
    residents: dict[int, list[Person]] = {}
    if households:
        for resident in db.session.scalars(select(Person).where(Person.door_id.in_(households),
                                                                Person.status == ACTIVE).order_by(Person.id)):
            residents.setdefault(resident.door_id, []).append(resident)
    reach = {}
    for f, person in calls:
        people = [person] if person is not None else residents.get(f.door_id, [])
        found = [{"name": p.full_name, "phone": p.phone, "email": p.email} for p in people if p.phone or p.email]
        if found:
            reach[f.id] = found
    return reach


def keep(follow_up_id: int, user: User, result: str) -> FollowUp:
    """Mark a promise kept, with what was done (no commit). Its owner or an organizer of the office may."""
    follow_up = db.session.get(FollowUp, follow_up_id)
    if follow_up is None:
        raise NotFound(N_("no follow-up with id %(follow_up_id)s"), follow_up_id=follow_up_id)
    if follow_up.owner_id != user.id and not _manages(user, follow_up.office_id):
        raise Forbidden(N_("this promise is not yours to close"))
    if follow_up.done_at is not None:
        raise Conflict(N_("this promise was already kept"))
    result = required_text(result, "result", MAX_RESULT, "say what was done")
    follow_up.done_at, follow_up.result = utcnow(), result
    return follow_up


def _manages(user: User, office_id: int) -> bool:
    from .access import may_manage
    return user.role != Role.VOLUNTEER.value and may_manage(user, office_id)


def office_promises(office: Office, now: datetime, user: User) -> list[dict]:
    """Every open promise of the office with its owner, overdue first, then by due date ("today" on the
    office's clock), and how to reach the people promised a call back, for those who may see it."""
    today = local_day(now, office.time_zone)
    rows = db.session.execute(
        select(FollowUp, Door, Person, User.name).join(Door, Door.id == FollowUp.door_id)
        .outerjoin(Person, Person.id == FollowUp.person_id).outerjoin(User, User.id == FollowUp.owner_id)
        .where(FollowUp.office_id == office.id, FollowUp.done_at.is_(None))
        .order_by(FollowUp.due_date, FollowUp.id)).all()
    reach = _ways_to_reach([(f, person) for f, _, person, _ in rows],
                           {office.id} if _sees_details(user, office.id) else set())
    return [{"id": f.id, "label": BY_CODE[f.kind].label if f.kind in BY_CODE else f.kind, "due_date": f.due_date,
             "overdue": f.due_date < today, "address": door.address, "door_id": door.id,
             "person": person.full_name if person else None, "owner_id": f.owner_id, "owner": owner,
             "reach": reach.get(f.id, [])}
            for f, door, person, owner in rows]


def reassign(follow_up_id: int, owner_id: str | int | None, user: User) -> FollowUp:
    """Give an open promise to another organizer of its office (no commit); managers of the office may."""
    follow_up = db.session.get(FollowUp, follow_up_id)
    if follow_up is None:
        raise NotFound(N_("no follow-up with id %(follow_up_id)s"), follow_up_id=follow_up_id)
    if not _manages(user, follow_up.office_id):
        raise Forbidden(N_("only the office's organizers may hand promises on"))
    if follow_up.done_at is not None:
        raise Conflict(N_("this promise was already kept"))
    owner = db.session.get(User, int(owner_id)) if str(owner_id or "").isdigit() else None
    if owner is None or owner.office_id != follow_up.office_id or owner.role != Role.ORGANIZER.value \
            or not owner.active:
        raise InvalidInput(N_("choose an active organizer of this office"), field="owner_id")
    follow_up.owner_id = owner.id
    return follow_up
