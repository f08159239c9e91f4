"""A canvass's target universe against the database: its definition saved, turned into SQL, counted.

``domain.universes`` checks a definition and says what it means for one person (``matches``);
this module asks the same of the database in one query. A door is targeted when anyone at it is
in the universe. The doors a canvass counts (walk lists, auto-cut weights, coverage, the phone's
list) are its targeted doors **and every door already knocked in it**: changing a universe
mid-canvass drops doors not yet knocked, never a contact already made or the door it was made at.
A canvass without a universe targets every door, as before universes existed.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from ..domain.universes import UniverseSpec, birth_years, describe, parse_definition
from ..errors import InvalidInput
from ..extensions import db
from ..models import Canvass, Door, DoorCanvass, Household, LatestSupport, Office, Person, Universe
from . import audit
from ..domain.text import N_


def spec_of(canvass_id: int | None) -> UniverseSpec | None:
    """The canvass's universe, checked; None when it has none (every door is targeted)."""
    if canvass_id is None:
        return None
    definition = db.session.scalar(select(Universe.definition).where(Universe.canvass_id == canvass_id))
    return None if definition is None else parse_definition(definition)


def offices_of(canvass: Canvass, office_id: int | None = None) -> list[int]:
    """The offices a canvass works in (its own, or every office of its region), or just ``office_id``."""
    if office_id is not None:
        return [office_id]
    if canvass.office_id is not None:
        return [canvass.office_id]
    return list(db.session.scalars(select(Office.id).where(Office.region_id == canvass.region_id)))


def person_conditions(spec: UniverseSpec, canvass_id: int, now: datetime | None = None,
                      bulk: bool = False) -> tuple[list, list]:
    """(outer joins, conditions) over ``Person`` for the people in the universe, less the door's ban
    (which callers add on ``Door``). Follows ``domain.universes.matches``. ``bulk``: for counting many
    people at once (PostgreSQL then joins the support answers instead of looking each up)."""
    now = now or datetime.now(timezone.utc)
    joins, conditions, lookups = [], [Person.status.in_(spec.status)], []
    knocked_here = exists().where(DoorCanvass.door_id == Person.door_id, DoorCanvass.canvass_id == canvass_id)
    if spec.contacted_this is not None:
        lookups.append(knocked_here if spec.contacted_this else ~knocked_here)
    knocked_elsewhere = exists().where(DoorCanvass.door_id == Person.door_id, DoorCanvass.canvass_id != canvass_id)
    if spec.contacted_other is not None:
        lookups.append(knocked_elsewhere if spec.contacted_other else ~knocked_elsewhere)
    if spec.not_spoken_days is not None:
        cutoff = now - timedelta(days=spec.not_spoken_days)
        lookups.append(~exists().where(Household.door_id == Person.door_id, Household.last_spoken_at >= cutoff))
    if spec.age_min is not None or spec.age_max is not None:
        earliest, latest = birth_years(spec, now.year)
        by_year = [Person.birth_year.is_not(None)]
        by_age = [Person.birth_year.is_(None), Person.age.is_not(None)]
        if earliest is not None:
            by_year.append(Person.birth_year >= earliest)
            by_age.append(Person.age <= spec.age_max)
        if latest is not None:
            by_year.append(Person.birth_year <= latest)
            by_age.append(Person.age >= spec.age_min)
        conditions.append(or_(and_(*by_year), and_(*by_age)))
    for name, values in spec.tags:
        conditions.append(Person.tags[name].as_string().in_(values))
    if spec.voted is not None:
        conditions.append(Person.voted_at.is_not(None) if spec.voted else Person.voted_at.is_(None))
    if spec.filters_support:
        if bulk and db.session.get_bind().dialect.name == "postgresql":
            # PostgreSQL hashes the answers once and joins them; SQLite looks each up by key (below).
            own, household = aliased(LatestSupport), aliased(LatestSupport)
            joins += [(own, own.person_id == Person.id),
                      (household, and_(household.door_id == Person.door_id, household.person_id.is_(None)))]
            lookups.append(func.coalesce(own.support, household.support, 0).in_(_wanted(spec)))
        else:
            lookups.append(_support_condition(spec))
    # The people's own columns first: the look-ups in other tables run only for the people they kept.
    return joins, conditions + lookups


def _support_condition(spec: UniverseSpec):
    """The person's latest support answer (their own, else their household's unnamed one) is one of the
    universe's, or they never answered and "none" is: two look-ups by key, 0 standing for no answer."""
    own = select(LatestSupport.support).where(LatestSupport.person_id == Person.id).limit(1).scalar_subquery()
    household = (select(LatestSupport.support).where(LatestSupport.door_id == Person.door_id,
                                                     LatestSupport.person_id.is_(None)).limit(1).scalar_subquery())
    return func.coalesce(own, household, 0).in_(_wanted(spec))


def _wanted(spec: UniverseSpec) -> list[int]:
    """The support answers the universe takes, 0 standing for "never answered"."""
    return [*(spec.support or ()), *([0] if spec.support_none else [])]


def _people(spec: UniverseSpec, canvass_id: int, *columns, bulk: bool = False):
    joins, conditions = person_conditions(spec, canvass_id, bulk=bulk)
    query = select(*columns).select_from(Person)
    for target, on in joins:
        query = query.outerjoin(target, on)
    return query, conditions


def door_is_targeted(canvass_id: int | None, spec: UniverseSpec | None = None):
    """A condition on ``Door``: the door counts for the canvass (targeted, or already knocked in it).
    None when the canvass has no universe: every door counts."""
    spec = spec if spec is not None else spec_of(canvass_id)
    if spec is None:
        return None
    knocked = exists().where(DoorCanvass.door_id == Door.id, DoorCanvass.canvass_id == canvass_id)
    return or_(_someone_targeted(spec, canvass_id), knocked)


def door_is_chased(spec: UniverseSpec, canvass_id: int):
    """A condition on ``Door`` for a chase canvass's walk list: someone there is still to chase (a door
    already knocked stays only while they are)."""
    return _someone_targeted(spec, canvass_id)


def _someone_targeted(spec: UniverseSpec, canvass_id: int):
    """A condition on ``Door``: someone at the door is in the universe (and the door is not banned)."""
    people, conditions = _people(spec, canvass_id, literal(1))
    return and_(Door.do_not_contact.is_(None), exists(people.where(Person.door_id == Door.id, *conditions)))


def targeted_people(spec: UniverseSpec, canvass_id: int, door_ids: list[int]) -> set[int]:
    """The people at these doors who are in the universe."""
    found: set[int] = set()
    for start in range(0, len(door_ids), 5000):
        people, conditions = _people(spec, canvass_id, Person.id)
        people = people.join(Door, Door.id == Person.door_id)
        found.update(db.session.scalars(people.where(Person.door_id.in_(door_ids[start:start + 5000]),
                                                     Door.do_not_contact.is_(None), *conditions)))
    return found


def counts(spec: UniverseSpec, canvass: Canvass, office_id: int | None = None) -> dict:
    """The universe's people and doors (in the canvass's offices, or one of them): its preview."""
    people, conditions = _people(spec, canvass.id, func.count(Person.id), func.count(func.distinct(Person.door_id)),
                                 bulk=True)
    people = people.join(Door, Door.id == Person.door_id)
    offices = offices_of(canvass, office_id)
    # Over several offices, read the people in order and find each door by key: on SQLite, following the
    # doors' office index instead reads every door and person at random (3x slower over 1,000,000 people).
    in_offices = (Door.office_id + 0).in_(offices) if len(offices) > 1 else Door.office_id.in_(offices)
    row = db.session.execute(people.where(in_offices, Door.do_not_contact.is_(None), *conditions)).one()
    return {"people": int(row[0] or 0), "doors": int(row[1] or 0), "describe": describe(spec)}


def knocked_outside(spec: UniverseSpec, canvass: Canvass, office_id: int | None = None) -> int:
    """Doors already knocked in the canvass that the universe would leave out: they stay counted."""
    inside = _someone_targeted(spec, canvass.id)
    return int(db.session.scalar(
        select(func.count()).select_from(DoorCanvass).join(Door, Door.id == DoorCanvass.door_id)
        .where(DoorCanvass.canvass_id == canvass.id, Door.office_id.in_(offices_of(canvass, office_id)),
               ~inside)) or 0)


def preview(definition, canvass: Canvass, office_id: int | None = None) -> dict:
    """What a definition would target, before it is saved: people, doors, its description."""
    spec = parse_definition(definition)
    return {**counts(spec, canvass, office_id), "definition": spec.as_dict(),
            "knocked_outside": knocked_outside(spec, canvass, office_id)}


def save(canvass: Canvass, definition, actor_id: int | None) -> UniverseSpec:
    """Save (or replace) the canvass's universe. Contacts already made stay, and keep counting."""
    spec = parse_definition(definition)
    universe = db.session.get(Universe, canvass.id)
    if universe is None:
        universe = Universe(canvass_id=canvass.id)
        db.session.add(universe)
    universe.definition = spec.as_dict()
    universe.updated_by_id = actor_id
    universe.updated_at = datetime.now(timezone.utc)
    audit.record(actor_id, "universe.save", "canvass", canvass.id, definition=spec.as_dict())
    return spec


def clear(canvass: Canvass, actor_id: int | None) -> None:
    """Target every door again."""
    universe = db.session.get(Universe, canvass.id)
    if universe is not None:
        db.session.delete(universe)
        audit.record(actor_id, "universe.clear", "canvass", canvass.id)


def canvasses_with_universe(office: Office) -> list[Canvass]:
    """The office's canvasses (its own and its region's) that have a target universe, by name."""
    return list(db.session.scalars(
        select(Canvass).join(Universe, Universe.canvass_id == Canvass.id)
        .where(Canvass.region_id == office.region_id, or_(Canvass.office_id.is_(None), Canvass.office_id == office.id))
        .order_by(Canvass.name)))


def known_tags(office_ids: list[int], limit: int = 20) -> list[str]:
    """Tag names the offices' imports kept (from a sample of people), for the form's hints."""
    names: set[str] = set()
    for tags in db.session.scalars(select(Person.tags).join(Door, Door.id == Person.door_id)
                                   .where(Door.office_id.in_(office_ids), Person.tags.is_not(None)).limit(200)):
        names.update((tags or {}).keys())
    return sorted(names)[:limit]


def definition_from_form(form) -> dict:
    """A definition from the canvass page's form fields (blank fields are no filter)."""
    definition: dict = {}
    support = form.getlist("support") if hasattr(form, "getlist") else form.get("support", [])
    if support:
        definition["support"] = [s if s == "none" else int(s) if str(s).isdigit() else s for s in support]
    for key in ("contacted_this", "contacted_other", "voted"):
        value = (form.get(key) or "").strip()
        if value:
            definition[key] = value
    for key in ("not_spoken_days", "age_min", "age_max"):
        value = (form.get(key) or "").strip()
        if value:
            definition[key] = value
    status = form.getlist("status") if hasattr(form, "getlist") else form.get("status", [])
    if status:
        definition["status"] = list(status)
    tags = (form.get("tags") or "").strip()
    if tags:
        parsed: dict[str, list[str]] = {}
        for n, part in enumerate(filter(None, (p.strip() for p in tags.replace("\n", ";").split(";"))), start=1):
            if "=" not in part:
                raise InvalidInput(N_("tag %(n)s (%(part)r) needs name=value (values separated by commas)"),
                                   n=n, part=part, field="tags")
            name, values = part.split("=", 1)
            parsed.setdefault(name.strip(), []).extend(v.strip() for v in values.split(",") if v.strip())
        definition["tags"] = parsed
    return definition
