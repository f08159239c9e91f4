"""What a volunteer walks: my turfs with progress, and a turf's doors in walking order.

Both say how far the walk has got with the one definition of ``domain.reknock.progress``, from the
same knock states; the walk list also carries each door's state, the canvass's re-knock rule and the
outcome table as data, which the phone applies to the knocks it makes before the server has them.
"""
from __future__ import annotations

from functools import lru_cache

from collections import Counter, defaultdict
from datetime import datetime, timezone
from types import SimpleNamespace

from flask_babel import gettext
from sqlalchemy import select

from ..domain.access import assignment_in_force
from ..domain.buildings import own_building_key
from ..domain.consequences import ACTIVE
from ..domain.languages import NAMES as LANGUAGE_NAMES
from ..domain.people import PHONE_STATUSES
from ..domain.followups import BY_CODE as FOLLOW_UP_KINDS
from ..domain.outcomes import BY_CODE, phone_facts
from ..domain.reknock import KnockState, ReknockRule, knock_state, progress
from ..domain.time_zones import today
from ..domain.universes import DROP_REASONS, is_chase
from ..domain.walk_order import BUSY_CROSSING_M, DoorPoint, busy_sides, local_metres, walk_order
from ..extensions import db
from ..models import Assignment, Canvass, Contact, Door, FollowUp, Office, Person, Turf, User
from .buildings import labels_for, notes_for
from .canvassing import current_canvass_for
from .people import door_languages
from .portable import aware
from .turfs import turf_doors
from .universes import door_is_chased, door_is_targeted, spec_of, targeted_people




def _walk_doors(turf: Turf, canvass: Canvass | None = None):
    """The turf's doors still to be walked: a door banned by a Hostile knock or a request never comes
    back, whatever the canvass; with a canvass that has a target universe, only its targeted doors
    (and those already knocked in it)."""
    spec = spec_of(canvass.id) if canvass is not None else None
    if is_chase(spec):  # election day: a door leaves once nobody there is left to chase, knocked or not
        from .voted import turf_door_ids
        return select(Door).where(Door.id.in_(turf_door_ids(turf)), Door.do_not_contact.is_(None),
                                  door_is_chased(spec, canvass.id))
    query = turf_doors(turf).where(Door.do_not_contact.is_(None))
    targeted = door_is_targeted(canvass.id, spec) if spec is not None else None
    return query if targeted is None else query.where(targeted)


def _knocks_since(turf: Turf) -> datetime | None:
    """A re-visit turf goes back to doors already knocked in this canvass: only its own knocks count."""
    return aware(turf.created_at) if turf.kind == "doors" else None


def _states(door_ids, knocks: dict[int, list[tuple[str, datetime]]], canvass: Canvass | None,
            since: datetime | None) -> dict[int, KnockState]:
    """Each door's knock state in the canvass, from its knocks there (outcome, aware time)."""
    now = datetime.now(timezone.utc)
    rule = ReknockRule(canvass.reknock_hours, canvass.max_attempts) if canvass else ReknockRule()
    return {door_id: knock_state([k for k in knocks.get(door_id, ()) if since is None or k[1] >= since], now, rule)
            for door_id in door_ids}


def my_turfs(user: User) -> list[dict]:
    """The turfs handed to this user and not returned, for canvasses still running, with how far each
    walk has got (``progress``, the same figures as the turf's walk list; ``attempted`` is its doors
    knocked at least once)."""
    now = datetime.now(timezone.utc)
    rows = db.session.execute(
        select(Turf, Canvass, Office.time_zone)
        .join(Assignment, Assignment.turf_id == Turf.id)
        .join(Canvass, Canvass.id == Assignment.canvass_id)
        .join(Office, Office.id == Turf.office_id)
        .where(Assignment.volunteer_id == user.id, Assignment.returned_at.is_(None))
        .order_by(Turf.name)
    ).all()
    turfs = []
    for turf, canvass, zone in rows:
        # An assignment lasts until its canvass ends on the office's clock (or an organizer takes it
        # back), never on a timer: the same rule as the access check.
        if not assignment_in_force(canvass.end_date, today(now, zone)):
            continue
        door_ids = list(db.session.scalars(_walk_doors(turf, canvass).with_only_columns(Door.id)))
        knocks: dict[int, list] = defaultdict(list)
        for door_id, outcome, at in db.session.execute(
                select(Contact.door_id, Contact.outcome, Contact.recorded_at)
                .where(Contact.door_id.in_(door_ids), Contact.canvass_id == canvass.id)):
            knocks[door_id].append((outcome, aware(at)))
        walked = progress(_states(door_ids, knocks, canvass, _knocks_since(turf)).values())
        turfs.append({"id": turf.id, "name": turf.name, "canvass_id": canvass.id, "canvass": canvass.name,
                      "doors": len(door_ids) if spec_of(canvass.id) else turf.door_count,
                      "attempted": walked.attempted, "state": turf.state,
                      "progress": walked.as_dict()})
    return turfs


def _points(doors: list[Door]) -> list[DoorPoint]:
    xy = local_metres([d.lon for d in doors], [d.lat for d in doors])
    return [DoorPoint(d.street, d.house_number, d.unit, x, y) for d, (x, y) in zip(doors, xy)]


def route_of(doors: list[Door]):
    """The doors' walking order (positions into ``doors``) and the route's length in metres."""
    return walk_order(_points(doors))


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


def walklist(turf: Turf, canvass: Canvass | None = None, viewer: User | None = None) -> dict:
    """The turf's doors in walking order, less those not to be knocked, each with its label (told apart
    from the other doors at its address), its knock state in the canvass and its household's story: the
    people who still live there and may be asked, every earlier conversation (all canvasses, newest
    first) and every promise, open ones first, kept ones with what was done; plus the canvass's script,
    questions and re-knock rule, the outcome table and the walk's progress. Each door names its
    languages; people added at a door are on it (``added``) from the sync that brought them, for every
    phone of the turf; ``viewer``'s languages come along, for the phone to pick the script's language.
    With a target universe only its targeted doors (and those already knocked) are listed."""
    # One lookup per label, not per contact: Flask-Babel finds its context on every call (a long turf's
    # history is thousands of contacts, and the request's language does not change within it).
    say = lru_cache(maxsize=None)(gettext)
    doors = list(db.session.scalars(_walk_doors(turf, canvass).order_by(Door.id)))
    route = route_of(doors)
    doors = [doors[i] for i in route.order]  # walk_order keeps a building's units together, floor by floor
    sides = busy_sides(_points(doors))  # busy streets' sides: the phone's next nearest door prices crossing them
    door_ids = [door.id for door in doors]
    labels = labels_for(doors)
    keys = {door.id: own_building_key(door.street, door.house_number, door.id) for door in doors}
    units = Counter(keys.values())
    building_notes = notes_for(turf.office_id, {key for key, n in units.items() if n > 1})
    people: dict[int, list[dict]] = defaultdict(list)
    names: dict[int, str] = {}
    spec = spec_of(canvass.id) if canvass is not None else None
    targets = targeted_people(spec, canvass.id, door_ids) if spec is not None else None
    # Plain rows, not ORM objects: a long turf's people and history are thousands of rows.
    for person in db.session.execute(select(Person.id, Person.door_id, Person.first_name, Person.last_name,
                                            Person.age, Person.status, Person.language, Person.added_id)
                                     .where(Person.door_id.in_(door_ids)).order_by(Person.id)):
        full_name = " ".join(part for part in (person.first_name, person.last_name) if part) or "Resident"
        names[person.id] = full_name
        if person.status == ACTIVE:  # moved, deceased or asked not to be contacted: not to be asked for
            people[person.door_id].append({"id": person.id, "name": full_name, "age": person.age,
                                           "first_name": person.first_name, "last_name": person.last_name,
                                           "language": person.language, "added": person.added_id is not None,
                                           "targeted": targets is None or person.id in targets})
    history: dict[int, list[dict]] = defaultdict(list)
    knocks: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    contacts = db.session.execute(
        select(Contact.id, Contact.door_id, Contact.canvass_id, Contact.outcome, Contact.person_id, Contact.answers,
               Contact.note, Contact.recorded_at, User.name, Canvass.name)
        .outerjoin(User, User.id == Contact.volunteer_id)
        .join(Canvass, Canvass.id == Contact.canvass_id)
        .where(Contact.door_id.in_(door_ids)).order_by(Contact.recorded_at.desc(), Contact.id))
    for *columns, volunteer_name, canvass_name in contacts:
        contact = SimpleNamespace(**dict(zip(("id", "door_id", "canvass_id", "outcome", "person_id", "answers",
                                              "note", "recorded_at"), columns)))
        history[contact.door_id].append({
            "id": contact.id, "canvass_id": contact.canvass_id, "canvass": canvass_name,
            "outcome": contact.outcome, "outcome_label": say(BY_CODE[contact.outcome].label),
            "person_id": contact.person_id, "person": names.get(contact.person_id),
            "answers": contact.answers, "note": contact.note, "by": volunteer_name,
            "recorded_at": aware(contact.recorded_at).isoformat(),
        })
        if canvass is not None and contact.canvass_id == canvass.id:
            knocks[contact.door_id].append((contact.outcome, aware(contact.recorded_at)))
    promises: dict[int, list[dict]] = defaultdict(list)
    for promise in db.session.scalars(select(FollowUp).where(FollowUp.door_id.in_(door_ids))
                                      .order_by(FollowUp.done_at.is_not(None), FollowUp.due_date, FollowUp.id)):
        promises[promise.door_id].append({
            "id": promise.id, "kind": promise.kind, "label": say(FOLLOW_UP_KINDS[promise.kind].label),
            "due_date": promise.due_date.isoformat(), "person": names.get(promise.person_id),
            "made_on": promise.created_at.date().isoformat(),
            "kept_on": promise.done_at.date().isoformat() if promise.done_at else None, "result": promise.result})
    knocks_since = _knocks_since(turf)
    states = _states(door_ids, knocks, canvass, knocks_since)
    spoken = door_languages(door_ids)
    return {
        "turf": {"id": turf.id, "name": turf.name, "route_metres": route.metres, "doors": len(doors),
                 "targeted": spec is not None, "chase": is_chase(spec),
                 "knocks_since": knocks_since.isoformat() if knocks_since else None},
        "canvass": None if canvass is None else {
            "id": canvass.id, "name": canvass.name, "script": canvass.script, "questions": canvass.questions or [],
            "start_date": canvass.start_date.isoformat() if canvass.start_date else None,
            "end_date": canvass.end_date.isoformat() if canvass.end_date else None,
            "reknock_hours": canvass.reknock_hours, "max_attempts": canvass.max_attempts,
            "per_person": canvass.per_person, "survey_optional": canvass.survey_optional,
            "translations": canvass.translations or {}},
        "volunteer_languages": list(viewer.languages or []) if viewer is not None else [],
        "language_names": {code: gettext(name) for code, name in LANGUAGE_NAMES.items()},
        "person_statuses": dict(PHONE_STATUSES),
        "outcomes": [{**fact, "label": gettext(fact["label"])} for fact in phone_facts()],
        # What the walk order charges for crossing a busy street (a door's "crossing" names its stretch
        # of such a street and its side): the phone's "next nearest door" adds it, as the order does.
        "walking": {"busy_crossing_m": BUSY_CROSSING_M},
        "progress": progress(states.values()).as_dict(),
        # A chase's doors that left the list, by why (the phone shows "N doors dropped: everyone there has
        # voted"): counted here, the one place the rule lives.
        "dropped": _dropped(turf, canvass, spec),
        "drop_reasons": dict(DROP_REASONS),
        "doors": [
            {"id": door.id, "address": door.address, "label": labels[door.id].label, "which": labels[door.id].which,
             "name": door.name, "street": door.street, "house_number": door.house_number,
             "unaddressed": door.unaddressed,
             "unit": door.unit, "lat": door.lat, "lon": door.lon, "people": people[door.id],
             "crossing": None if sides[n] is None else list(sides[n]),
             "history": history[door.id], "promises": promises[door.id], "languages": spoken.get(door.id, []),
             "knock": None if canvass is None else _knock(states[door.id], canvass),
             "building": None if units[keys[door.id]] < 2 else {
                 "key": keys[door.id], "label": f"{door.street} {door.house_number}".strip(),
                 "units": units[keys[door.id]], "note": building_notes.get(keys[door.id])}}
            for n, door in enumerate(doors)
        ],
    }


def _dropped(turf: Turf, canvass: Canvass | None, spec) -> dict:
    if not is_chase(spec):
        return {}
    from .voted import chase_turf
    return {reason: n for reason, n in chase_turf(turf, canvass, spec)["dropped"].items() if n}


def _knock(state: KnockState, canvass: Canvass) -> dict:
    """Where the door stands in this canvass: to do, later (back after some hours) or done; knock N of M."""
    return {"state": state.state, "attempts": state.attempts, "max_attempts": canvass.max_attempts,
            "back_after": state.back_after.isoformat() if state.back_after else None,
            "last_outcome": state.last_outcome,
            "last_at": state.last_at.isoformat() if state.last_at else None}
