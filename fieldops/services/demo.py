"""Load the Helsinki demo: real territory from data/helsinki, synthetic people and history.

The demo is loaded once. Its canvass marks it loaded: a later run writes
nothing at all and only says what is there, whatever people did in between
(handed out turfs, canvassed, took turfs back, deleted a user). Within the
first run each step is still get-or-create on a natural key, so a region or
office made by hand beforehand is reused. The synthetic history lies inside
each canvass's dates and before the moment it is loaded: never in the future.
"""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

import geopandas as gpd
import pandas as pd
from sqlalchemy import func, insert, select

from ..config import PROJECT_ROOT
from ..domain.followups import FOLLOW_UP_KINDS, due_date
from ..domain.outcomes import OUTCOME_CODES
from ..domain.roles import Role
from ..domain.turf_states import TurfState
from ..extensions import db
from ..models import Assignment, Block, Canvass, Contact, Door, FollowUp, Office, Person, Region, Turf, User
from . import canvassing, goals, listening, recruits, summaries, teams, territory, turfs, users
from .turf_doors import part_doors

DATA_DIR = PROJECT_ROOT / "data" / "helsinki"
REGION_NAME = "Helsinki Centre"
OFFICES = {  # name -> street address of the field office
    "Kluuvi": "Aleksanterinkatu 21, 00100 Helsinki",
    "Kaartinkaupunki": "Erottajankatu 7, 00130 Helsinki",
}
TURF_DOORS = 40
DEMO_NAMESPACE = uuid.UUID("6f1d0c3e-8a51-4c3b-9a55-1d6f0e2b7c10")
CANVASS_NAME = "Neighbourhood listening canvass (demo)"
EARLIER_CANVASS_NAME = "Spring introduction canvass (demo)"
VOLUNTEER_NAMES = {"Kluuvi": ["Aino Volunteer", "Eero Volunteer"], "Kaartinkaupunki": ["Helmi Volunteer"]}
# A neighborhood team of Kluuvi, led by one of its volunteers: it owns the turfs its leader was handed and the
# next two, so "My team" has turfs walked and free to hand out.
TEAM = {"office": "Kluuvi", "name": "Kluuvi harbour side", "leader": "eero@fieldops.example", "free_turfs": 2}
# Each office's goal for the current canvass: shares of its doors, due on the canvass's last day.
GOAL_DOOR_SHARE, GOAL_CONVERSATION_SHARE = 0.5, 0.15

QUESTIONS = [
    {"key": "support", "label": "How likely are you to support us? (1 = not at all, 5 = certainly)",
     "kind": "scale", "min": 1, "max": 5},
    {"key": "top_issue", "label": "What matters most to you here?", "kind": "choice",
     "choices": ["Housing", "Schools", "Transport", "Jobs", "Safety", "Environment"]},
    {"key": "volunteer", "label": "Would you help us for an hour?", "kind": "yes_no"},
    {"key": "comment", "label": "Anything else we should know?", "kind": "text"},
]
SCRIPT = ("Hi, I'm {name}, a volunteer with the neighbourhood campaign. We're talking with everyone on "
          "{street} about what this area needs. Do you have two minutes?")

FIRST_NAMES = ["Aino", "Eero", "Helmi", "Juha", "Kaisa", "Leo", "Maria", "Mikko", "Noora", "Olli",
               "Sanna", "Timo", "Venla", "Ville", "Elina", "Antti", "Ida", "Pekka", "Sofia", "Lauri"]
LAST_NAMES = ["Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen",
              "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen"]
NOTES = ["[demo] Worried about rents going up on this street.",
         "[demo] Asked when the tram works end.",
         "[demo] Kids' school is over capacity, wants to hear our plan.",
         "[demo] Runs the shop downstairs; deliveries are hard since the street changed.",
         "[demo] Happy to see someone at the door, come back after the holidays.",
         "[demo] Wants more green space by the harbour.", ""]


@dataclass
class DemoLogin:
    email: str
    role: str
    where: str


@dataclass
class DemoSummary:
    offices: dict[str, dict] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)
    contacts_added: int = 0
    password: str = ""


def load_demo(password: str, now: datetime | None = None) -> DemoSummary:
    """Load the demo unless it is there already (no commit), and say what is there."""
    now = now or datetime.now(timezone.utc)
    today = now.date()
    summary = DemoSummary(password=password)
    if _already_loaded():
        return _describe(summary)
    region = territory.get_or_create_region(REGION_NAME)
    blocks = gpd.read_file(DATA_DIR / "blocks.geojson")
    doors = pd.read_csv(DATA_DIR / "doors.csv", dtype={"postcode": str, "house_number": str, "unit": str})
    offices = {}
    for name, address in OFFICES.items():
        office_blocks = blocks[blocks["office"] == name]
        office = territory.get_or_create_office(
            name, region, address=address,
            lat=float(office_blocks.geometry.representative_point().y.mean()),
            lon=float(office_blocks.geometry.representative_point().x.mean()))
        offices[name] = office
        if not db.session.scalar(select(func.count(Block.id)).where(Block.office_id == office.id)):
            territory.save_blocks(office, office_blocks)
            territory.save_doors(office, doors)
        _add_people(office)
        if not db.session.scalar(select(func.count(Turf.id)).where(Turf.office_id == office.id)):
            for turf in turfs.auto_cut(office, TURF_DOORS, None).turfs:
                turfs.change_state(turf, TurfState.OPEN.value, None)
    staff = _add_users(region, offices, password)
    earlier = _get_or_create_canvass(EARLIER_CANVASS_NAME, region.id, today - timedelta(days=120),
                                     today - timedelta(days=90), staff["lead"])
    current = _get_or_create_canvass(CANVASS_NAME, region.id, today - timedelta(days=14),
                                     today + timedelta(days=21), staff["lead"])
    for name, office in offices.items():
        volunteers = [u for u in staff["volunteers"] if u.office_id == office.id]
        _assign_first_turfs(office, volunteers, current, staff["organizers"][name])
        summary.contacts_added += _add_history(office, earlier, volunteers, now, share=0.35)
        summary.contacts_added += _add_history(office, current, volunteers, now, share=0.5, assigned_only=True)
    summaries.rebuild_all()
    for office in offices.values():
        listening.retag_office(office)
        _set_goal(office, current)
    _add_team(offices[TEAM["office"]], current)
    db.session.flush()
    return _describe(summary)


def _set_goal(office: Office, canvass: Canvass) -> None:
    """The office's goal for the canvass, so its dashboard, the region comparison and its team have a pace."""
    doors = db.session.scalar(select(func.count(Door.id)).where(Door.office_id == office.id)) or 0
    if doors:
        goals.set_goal(canvass, office, doors=round(doors * GOAL_DOOR_SHARE),
                       conversations=round(doors * GOAL_CONVERSATION_SHARE), due=canvass.end_date, actor_id=None)


def _add_team(office: Office, canvass: Canvass) -> None:
    """The demo's neighborhood team: its leader's turfs and the next free ones, its leader made team leader."""
    leader = db.session.scalar(select(User).where(User.email == TEAM["leader"]))
    if leader is None:
        return
    handed = list(db.session.scalars(select(Assignment.turf_id).where(
        Assignment.volunteer_id == leader.id, Assignment.canvass_id == canvass.id).order_by(Assignment.turf_id)))
    free = db.session.scalars(select(Turf.id).where(
        Turf.office_id == office.id, Turf.state == TurfState.OPEN.value, Turf.id.not_in(handed or [0]))
        .order_by(Turf.name).limit(TEAM["free_turfs"])).all()
    team = teams.create_team(office, TEAM["name"], None, turf_ids=[*handed, *free])
    teams.add_member(team, leader, None, leader=True)


def _already_loaded() -> bool:
    """The demo's current canvass exists: the demo was loaded, and nothing more is added."""
    return db.session.scalar(select(Canvass.id).join(Region, Region.id == Canvass.region_id)
                             .where(Region.name == REGION_NAME, Canvass.name == CANVASS_NAME)) is not None


def _describe(summary: DemoSummary) -> DemoSummary:
    """What the demo holds now, and the logins of its users that still exist."""
    for name in OFFICES:
        office = db.session.scalar(select(Office).join(Region, Region.id == Office.region_id)
                                   .where(Region.name == REGION_NAME, Office.name == name))
        if office is None:
            continue
        summary.offices[name] = {
            "blocks": db.session.scalar(select(func.count(Block.id)).where(Block.office_id == office.id)),
            "doors": db.session.scalar(select(func.count(Door.id)).where(Door.office_id == office.id)),
            "turfs": db.session.scalar(select(func.count(Turf.id)).where(Turf.office_id == office.id)),
            "contacts": db.session.scalar(select(func.count(Contact.id)).where(Contact.office_id == office.id)),
        }
    present = set(db.session.scalars(select(User.email).where(
        User.email.in_([email for email, *_ in _demo_people()]))))
    roles = dict(db.session.execute(select(User.email, User.role).where(User.email.in_(present))).all())
    summary.logins = [DemoLogin(email, roles[email], "everything" if role is Role.ADMIN else office or REGION_NAME)
                      for email, role, _, office in _demo_people() if email in present]
    return summary


def _add_people(office: Office) -> None:
    """Synthetic residents for doors that have none: one to three per door, seeded by the door."""
    doors = db.session.execute(
        select(Door.id, Door.source_id).where(Door.office_id == office.id)
        .where(~select(Person.id).where(Person.door_id == Door.id).exists()).order_by(Door.id)).all()
    rows = []
    for door_id, source_id in doors:
        rng = random.Random(f"people:{source_id}")
        last = rng.choice(LAST_NAMES)
        for n in range(rng.choice([1, 1, 2, 2, 3])):
            rows.append({"door_id": door_id, "source_id": f"demo-{source_id}-{n}", "first_name": rng.choice(FIRST_NAMES),
                         "last_name": last, "age": rng.randint(19, 88)})
    if rows:
        db.session.execute(insert(Person), rows)


def _user(email: str, role: Role, password: str, name: str, office: Office | None = None,
          region_name: str | None = None) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = users.build_user(email, role.value, password, name=name,
                                office_name=office.name if office else None, region_name=region_name)
        db.session.flush()
    return user


def _demo_people() -> list[tuple[str, Role, str, str | None]]:
    """(e-mail, role, name, office) of each demo user, in the order their logins are printed."""
    people = [("admin@fieldops.example", Role.ADMIN, "Ada Admin", None),
              ("lead@fieldops.example", Role.LEAD, "Leena Lead", None)]
    for office_name in OFFICES:
        people.append((f"organizer.{office_name.lower()}@fieldops.example", Role.ORGANIZER,
                       f"Olli Organizer ({office_name})", office_name))
        people += [(f"{name.split()[0].lower()}@fieldops.example", Role.VOLUNTEER, name, office_name)
                   for name in VOLUNTEER_NAMES.get(office_name, [])]
    return people


def _add_users(region, offices: dict[str, Office], password: str) -> dict:
    staff = {"organizers": {}, "volunteers": []}
    for email, role, name, office_name in _demo_people():
        user = _user(email, role, password, name, office=offices.get(office_name),
                     region_name=region.name if role is Role.LEAD else None)
        if role is Role.ORGANIZER:
            staff["organizers"][office_name] = user
        elif role is Role.VOLUNTEER:
            staff["volunteers"].append(user)
        else:
            staff[role.value] = user
    return staff


def _get_or_create_canvass(name: str, region_id: int, start: date, end: date, lead: User) -> Canvass:
    canvass = db.session.scalar(select(Canvass).where(Canvass.name == name, Canvass.region_id == region_id))
    if canvass is None:
        canvass = canvassing.build_canvass(name, region_id, None, start=start, end=end, script=SCRIPT,
                                           questions=QUESTIONS, created_by_id=lead.id)
    return canvass


def _assign_first_turfs(office: Office, volunteers: list[User], canvass: Canvass, organizer: User) -> None:
    """Two turfs per volunteer, the first ones by name, unless they already have work."""
    open_turfs = iter(db.session.scalars(select(Turf.id).where(
        Turf.office_id == office.id, Turf.state == TurfState.OPEN.value).order_by(Turf.name)).all())
    for volunteer in volunteers:
        has_work = db.session.scalar(select(func.count(Assignment.id)).where(
            Assignment.volunteer_id == volunteer.id, Assignment.canvass_id == canvass.id))
        if has_work:
            continue
        for turf_id in (next(open_turfs, None), next(open_turfs, None)):
            if turf_id is not None:
                canvassing.assign(turf_id, volunteer, canvass, organizer.id)
    db.session.flush()


def _add_history(office: Office, canvass: Canvass, volunteers: list[User], now: datetime, *, share: float,
                 assigned_only: bool = False) -> int:
    """Synthetic knocks for a share of the office's doors, labelled "[demo]" in their notes.

    Every knock falls on a day of the canvass, and no later than yesterday (UTC): history, not plans.
    """
    first_day = canvass.start_date or now.date() - timedelta(days=14)
    last_day = min(canvass.end_date or now.date(), now.date() - timedelta(days=1))
    span = (last_day - first_day).days
    if not volunteers or span < 0:
        return 0
    # A door's turf: its block's, or, in a block divided between turfs, the one holding it door by door.
    parts = part_doors()
    turf_of = func.coalesce(Block.turf_id, parts.c.turf_id)
    query = (select(Door.id, Door.source_id, turf_of).join(Block, Block.id == Door.block_id)
             .outerjoin(parts, parts.c.door_id == Door.id).where(Door.office_id == office.id).order_by(Door.id))
    if assigned_only:
        assigned = select(Assignment.turf_id).where(Assignment.canvass_id == canvass.id)
        query = query.where(turf_of.in_(assigned))
    doors = db.session.execute(query).all()
    first_person = dict(db.session.execute(
        select(Person.door_id, func.min(Person.id)).where(Person.door_id.in_([d.id for d in doors]))
        .group_by(Person.door_id)).all())
    rows = []
    for door_id, source_id, turf_id in doors:
        rng = random.Random(f"history:{canvass.name}:{source_id}")
        if rng.random() > share:
            continue
        volunteer = volunteers[rng.randrange(len(volunteers))]
        knocks = 2 if rng.random() < 0.25 and span >= 2 else 1  # some doors: not home first, then a second try
        day = first_day + timedelta(days=rng.randint(0, span - 2 * (knocks - 1)))
        for knock in range(knocks):
            outcome = "not_home" if knock < knocks - 1 else rng.choices(
                OUTCOME_CODES, weights=[40, 30, 8, 8, 3, 2, 2, 1, 3, 1, 0])[0]  # no Left literature: the history as before
            at = datetime.combine(day + timedelta(days=knock * 2), time(10 + rng.randint(0, 8), rng.randint(0, 59)),
                                  tzinfo=timezone.utc)
            answers = {}
            if outcome == "talked":
                answers = {"support": rng.choices([1, 2, 3, 4, 5], weights=[1, 1, 2, 3, 3])[0],
                           "top_issue": rng.choice(QUESTIONS[1]["choices"]),
                           "volunteer": rng.random() < 0.15}
            rows.append({
                "id": str(uuid.uuid5(DEMO_NAMESPACE, f"{canvass.name}:{source_id}:{knock}")),
                "office_id": office.id, "door_id": door_id, "person_id": first_person.get(door_id),
                "volunteer_id": volunteer.id, "turf_id": turf_id, "canvass_id": canvass.id, "outcome": outcome,
                "answers": answers, "note": rng.choice(NOTES) if outcome == "talked" else "",
                "recorded_at": at, "received_at": at,
            })
    known = set(db.session.scalars(select(Contact.id).where(Contact.id.in_([r["id"] for r in rows]))))
    fresh = [r for r in rows if r["id"] not in known]
    if fresh:
        db.session.execute(insert(Contact), fresh)
        promises = _promises(fresh, office)
        db.session.add_all(promises)
        recruits.from_promises(promises)  # "wants to volunteer": the Recruits page's prospects
    return len(fresh)


def _promises(contacts: list[dict], office: Office) -> list[FollowUp]:
    """A promise at about one conversation in five: some kept, most still open."""
    owner = db.session.scalar(select(User.id).where(User.office_id == office.id, User.role == Role.ORGANIZER.value))
    made = []
    for contact in contacts:
        rng = random.Random(f"promise:{contact['id']}")
        if contact["outcome"] != "talked" or rng.random() > 0.2:
            continue
        kind = rng.choice(FOLLOW_UP_KINDS).code
        made_on = contact["recorded_at"].date()
        kept = rng.random() < 0.4
        made.append(FollowUp(office_id=office.id, door_id=contact["door_id"], person_id=contact["person_id"],
                             contact_id=contact["id"], kind=kind, owner_id=owner, created_at=contact["recorded_at"],
                             due_date=due_date(kind, made_on),
                             done_at=contact["recorded_at"] + timedelta(days=1) if kept else None,
                             result="[demo] done" if kept else None))
    return made
