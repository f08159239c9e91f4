"""What a volunteer walks: my turfs with progress, and a turf's doors in walking order."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timezone

from sqlalchemy import func, or_, select

from ..domain.buildings import building_key
from ..domain.consequences import ACTIVE
from ..domain.followups import BY_CODE as FOLLOW_UP_KINDS
from ..domain.outcomes import BY_CODE
from ..domain.reknock import knock_state
from ..domain.walk_order import DoorPoint, local_metres, walk_order
from ..extensions import db
from ..models import Assignment, Canvass, Contact, Door, FollowUp, Person, Turf, User
from .buildings import notes_for
from .canvassing import current_canvass_for
from .portable import aware
from .turfs import turf_doors


def _canvass_running():
    """An assignment lasts until its canvass ends (or an organizer takes it back): never on a timer."""
    return or_(Canvass.end_date.is_(None), Canvass.end_date >= datetime.now(timezone.utc).date())


def my_turfs(user: User) -> list[dict]:
    """The turfs handed to this user and not returned, for canvasses still running, with doors knocked."""
    rows = db.session.execute(
        select(Turf, Assignment.canvass_id, Canvass.name)
        .join(Assignment, Assignment.turf_id == Turf.id)
        .join(Canvass, Canvass.id == Assignment.canvass_id)
        .where(Assignment.volunteer_id == user.id, Assignment.returned_at.is_(None), _canvass_running())
        .order_by(Turf.name)
    ).all()
    if not rows:
        return []
    attempted = dict(db.session.execute(
        select(Contact.turf_id, func.count(func.distinct(Contact.door_id)))
        .where(Contact.turf_id.in_([turf.id for turf, _, _ in rows]),
               Contact.canvass_id.in_({canvass_id for _, canvass_id, _ in rows}))
        .group_by(Contact.turf_id)
    ).all())
    return [
        {"id": turf.id, "name": turf.name, "canvass_id": canvass_id, "canvass": canvass_name,
         "doors": turf.door_count, "attempted": attempted.get(turf.id, 0), "state": turf.state}
        for turf, canvass_id, canvass_name in rows
    ]


def route_of(doors: list[Door]):
    """The doors' walking order (positions into ``doors``) and the route's length in metres."""
    xy = local_metres([d.lon for d in doors], [d.lat for d in doors])
    return walk_order([DoorPoint(d.street, d.house_number, d.unit, x, y) for d, (x, y) in zip(doors, xy)])


def canvass_for_viewer(turf: Turf, user: User | None) -> Canvass | None:
    """The canvass this person walks the turf for: their own open assignment's, else the turf's current one."""
    if user is not None:
        mine = db.session.scalar(
            select(Canvass).join(Assignment, Assignment.canvass_id == Canvass.id)
            .where(Assignment.turf_id == turf.id, Assignment.volunteer_id == user.id,
                   Assignment.returned_at.is_(None)).order_by(Assignment.id.desc()).limit(1))
        if mine is not None:
            return mine
    return current_canvass_for(turf)


def walklist(turf: Turf, canvass: Canvass | None = None) -> dict:
    """The turf's doors in walking order, less those not to be knocked, each with its household's
    story: the people who still live there and may be asked, every earlier conversation (all
    canvasses, newest first) and every promise, open ones first, kept ones with what was done; plus
    the canvass's script and questions."""
    # Doors banned by a Hostile knock or a request never come back, whatever the canvass.
    doors = list(db.session.scalars(turf_doors(turf).where(Door.do_not_contact.is_(None)).order_by(Door.id)))
    route = route_of(doors)
    doors = [doors[i] for i in route.order]  # walk_order keeps a building's units together, floor by floor
    door_ids = [door.id for door in doors]
    keys = {door.id: building_key(door.street, door.house_number) for door in doors}
    units = Counter(keys.values())
    building_notes = notes_for(turf.office_id, {key for key, n in units.items() if n > 1})
    people: dict[int, list[dict]] = defaultdict(list)
    names: dict[int, str] = {}
    for person in db.session.scalars(select(Person).where(Person.door_id.in_(door_ids)).order_by(Person.id)):
        names[person.id] = person.full_name
        if person.status == ACTIVE:  # moved, deceased or asked not to be contacted: not to be asked for
            people[person.door_id].append({"id": person.id, "name": person.full_name, "age": person.age})
    history: dict[int, list[dict]] = defaultdict(list)
    contacts = db.session.execute(
        select(Contact, User.name, Canvass.name).outerjoin(User, User.id == Contact.volunteer_id)
        .join(Canvass, Canvass.id == Contact.canvass_id)
        .where(Contact.door_id.in_(door_ids)).order_by(Contact.recorded_at.desc(), Contact.id))
    for contact, volunteer_name, canvass_name in contacts:
        history[contact.door_id].append({
            "id": contact.id, "canvass_id": contact.canvass_id, "canvass": canvass_name,
            "outcome": contact.outcome, "outcome_label": BY_CODE[contact.outcome].label,
            "person_id": contact.person_id, "person": names.get(contact.person_id),
            "answers": contact.answers, "note": contact.note, "by": volunteer_name,
            "recorded_at": aware(contact.recorded_at).isoformat(),
        })
    promises: dict[int, list[dict]] = defaultdict(list)
    for promise in db.session.scalars(select(FollowUp).where(FollowUp.door_id.in_(door_ids))
                                      .order_by(FollowUp.done_at.is_not(None), FollowUp.due_date, FollowUp.id)):
        promises[promise.door_id].append({
            "id": promise.id, "kind": promise.kind, "label": FOLLOW_UP_KINDS[promise.kind].label,
            "due_date": promise.due_date.isoformat(), "person": names.get(promise.person_id),
            "made_on": promise.created_at.date().isoformat(),
            "kept_on": promise.done_at.date().isoformat() if promise.done_at else None, "result": promise.result})
    # A re-visit turf goes back to doors already knocked in this canvass: only its own knocks count.
    knocks_since = aware(turf.created_at) if turf.kind == "doors" else None
    return {
        "turf": {"id": turf.id, "name": turf.name, "route_metres": route.metres, "doors": len(doors),
                 "knocks_since": knocks_since.isoformat() if knocks_since else None},
        "canvass": None if canvass is None else {
            "id": canvass.id, "name": canvass.name, "script": canvass.script, "questions": canvass.questions or [],
            "start_date": canvass.start_date.isoformat() if canvass.start_date else None,
            "end_date": canvass.end_date.isoformat() if canvass.end_date else None,
            "reknock_hours": canvass.reknock_hours, "max_attempts": canvass.max_attempts},
        "doors": [
            {"id": door.id, "address": door.address, "street": door.street, "house_number": door.house_number,
             "unit": door.unit, "lat": door.lat, "lon": door.lon, "people": people[door.id],
             "history": history[door.id], "promises": promises[door.id],
             "knock": _knock(history[door.id], canvass, knocks_since),
             "building": None if units[keys[door.id]] < 2 else {
                 "key": keys[door.id], "label": f"{door.street} {door.house_number}".strip(),
                 "units": units[keys[door.id]], "note": building_notes.get(keys[door.id])}}
            for door in doors
        ],
    }


def _knock(history: list[dict], canvass: Canvass | None, since) -> dict | None:
    """Where the door stands in this canvass: to do, later (Not home, back after some hours) or done."""
    if canvass is None:
        return None
    knocks = [(entry["outcome"], datetime.fromisoformat(entry["recorded_at"])) for entry in history
              if entry["canvass_id"] == canvass.id]
    state = knock_state([k for k in knocks if since is None or k[1] >= since], datetime.now(timezone.utc),
                        canvass.reknock_hours, canvass.max_attempts)
    return {"state": state.state, "attempts": state.attempts,
            "back_after": state.back_after.isoformat() if state.back_after else None}
