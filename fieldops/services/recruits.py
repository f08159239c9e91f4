"""Recruits from the door: a "wants to volunteer" promise makes a prospect linked to the household and the
person; the organizer invites them (the office's invite link, by e-mail or as a QR code to print), and when
they join from it the promise is kept and their account is linked to the door they were met at. No commit."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ..errors import Conflict, InvalidInput, NotFound
from ..extensions import db
from ..models import Door, FollowUp, Invite, Office, Person, Prospect, Team, TeamTurf, User
from ..models._base import utcnow
from . import access, audit, invites
from ..domain.text import N_

VOLUNTEER_PROMISE = "volunteer"


def from_promises(follow_ups: list[FollowUp]) -> list[Prospect]:
    """A prospect for each new "wants to volunteer" promise among these (flushed first, for their ids)."""
    wanting = [f for f in follow_ups if f.kind == VOLUNTEER_PROMISE]
    if not wanting:
        return []
    db.session.flush()
    made = [Prospect(office_id=f.office_id, door_id=f.door_id, person_id=f.person_id, follow_up_id=f.id,
                     created_at=f.created_at or utcnow()) for f in wanting]
    db.session.add_all(made)
    db.session.flush()
    return made


def neighborhoods(office: Office, door_ids: set[int]) -> dict[int, Team]:
    """The team whose turfs hold each door (door id -> team), for the doors that have one."""
    teams = {t.id: t for t in db.session.scalars(select(Team).where(Team.office_id == office.id))}
    if not teams or not door_ids:
        return {}
    out = {}
    for door_id in door_ids:
        door = db.session.get(Door, door_id)
        turf_ids = access.door_turf_ids(door)
        if turf_ids:
            team_id = db.session.scalar(select(TeamTurf.team_id).where(TeamTurf.turf_id.in_(turf_ids))
                                        .order_by(TeamTurf.team_id).limit(1))
            if team_id in teams:
                out[door_id] = teams[team_id]
    return out


def office_prospects(office: Office) -> list[dict]:
    """The office's prospects grouped by neighborhood: [{"team": Team | None, "prospects": [...]}], teams by
    name, doors in no team's turf last."""
    rows = db.session.execute(
        select(Prospect, Door, Person, FollowUp, User.name).join(Door, Door.id == Prospect.door_id)
        .outerjoin(Person, Person.id == Prospect.person_id).outerjoin(FollowUp, FollowUp.id == Prospect.follow_up_id)
        .outerjoin(User, User.id == Prospect.user_id)
        .where(Prospect.office_id == office.id).order_by(Prospect.created_at.desc(), Prospect.id.desc())).all()
    hoods = neighborhoods(office, {door.id for _, door, _, _, _ in rows})
    groups: dict[int | None, dict] = {}
    for prospect, door, person, promise, joined_as in rows:
        team = hoods.get(door.id)
        group = groups.setdefault(team.id if team else None, {"team": team, "prospects": []})
        group["prospects"].append({
            "id": prospect.id, "door_id": door.id, "address": door.address,
            "person": person.full_name if person else None, "email": person.email if person else None,
            "met_on": prospect.created_at, "invited_at": prospect.invited_at, "invited_how": prospect.invited_how,
            "joined_at": prospect.joined_at, "joined_as": joined_as,
            "promise_kept": promise is not None and promise.done_at is not None})
    return sorted(groups.values(), key=lambda g: (g["team"] is None, g["team"].name if g["team"] else ""))


def prospect_to_manage(user: User, prospect_id: int) -> Prospect:
    prospect = db.session.get(Prospect, prospect_id)
    if prospect is None:
        raise NotFound(N_("no recruit with id %(prospect_id)s"), prospect_id=prospect_id)
    access.require_office(user, prospect.office_id, manage=True)
    return prospect


def invite(prospect: Prospect, actor_id: int | None, how: str) -> str:
    """A one-use invite link's secret for this prospect (``how``: email or qr), remembered on the prospect so
    that joining from it links their account to the door. No commit."""
    if how not in ("email", "qr"):
        raise InvalidInput(N_("send the invitation by e-mail or show it as a QR code"), field="how")
    if prospect.user_id is not None:
        raise Conflict(N_("this recruit has already joined"))
    office = db.session.get(Office, prospect.office_id)
    token = invites.create_invite(office, actor_id, 1)
    prospect.invite_id = db.session.scalar(select(Invite.id).where(Invite.token_hash == invites._hash(token)))
    prospect.invited_at, prospect.invited_how = utcnow(), how
    audit.record(actor_id, "prospect.invite", "prospect", prospect.id, how=how, invite_id=prospect.invite_id)
    return token


def address_of(prospect: Prospect, given: str | None) -> str:
    """Where to e-mail the invitation: the address typed, else the one imported for the person."""
    from .users import EMAIL_PATTERN
    email = (given or "").strip().lower()
    if not email and prospect.person_id:
        email = (db.session.get(Person, prospect.person_id).email or "").strip().lower()
    if not EMAIL_PATTERN.match(email or ""):
        raise InvalidInput(N_("give the recruit's e-mail address"), field="email")
    return email


def joined(user: User, invite_id: int, now: datetime | None = None) -> Prospect | None:
    """Someone made their account from an invite: if it was a recruit's, link them to the door they were met
    at and mark the "wants to volunteer" promise kept. No commit."""
    prospect = db.session.scalar(select(Prospect).where(Prospect.invite_id == invite_id))
    if prospect is None:
        return None
    now = now or utcnow()
    prospect.user_id, prospect.joined_at = user.id, now
    promise = db.session.get(FollowUp, prospect.follow_up_id) if prospect.follow_up_id else None
    if promise is not None and promise.done_at is None:
        promise.done_at, promise.result = now, f"Joined as a volunteer ({user.email})"
    audit.record(user.id, "prospect.joined", "prospect", prospect.id, door_id=prospect.door_id)
    return prospect

