"""Nobody taken for granted: the supporters and promises an office has let go quiet, and a turf to see them.

Reads the summaries (``Supporter``, ``Household``) kept with the ledger; the
rule itself is ``domain.relationships``.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from ..domain import office_settings
from ..domain.followups import BY_CODE as FOLLOW_UP_KINDS
from ..domain.relationships import neglect_cutoff
from ..extensions import db
from ..models import Door, FollowUp, Household, Office, Person, Supporter, Turf, User
from . import turfs
from .portable import aware


def neglected(office: Office, now: datetime) -> dict:
    """Doors of the office with a supporter or an open promise, where nobody has spoken with the household
    in the office's neglect window (30 days unless set): most overdue first."""
    days = office_settings.neglect_days(office.settings)
    cutoff = neglect_cutoff(now, days)
    quiet = or_(Household.last_spoken_at.is_(None), Household.last_spoken_at < cutoff)
    doors: dict[int, dict] = {}

    def entry(door: Door, household: Household | None) -> dict:
        spoken = aware(household.last_spoken_at) if household else None
        return doors.setdefault(door.id, {
            "door_id": door.id, "address": door.address, "last_spoken_at": spoken,
            "days_quiet": (now - spoken).days if spoken else None, "supporters": [], "promises": []})

    for supporter, door, household, person in db.session.execute(
            select(Supporter, Door, Household, Person).join(Door, Door.id == Supporter.door_id)
            .outerjoin(Household, Household.door_id == Supporter.door_id)
            .outerjoin(Person, Person.id == Supporter.person_id)
            .where(Supporter.office_id == office.id, quiet)):
        entry(door, household)["supporters"].append(
            {"name": person.full_name if person else "the household", "support": supporter.support,
             "answered_on": aware(supporter.answered_at).date()})
    for promise, door, household in db.session.execute(
            select(FollowUp, Door, Household).join(Door, Door.id == FollowUp.door_id)
            .outerjoin(Household, Household.door_id == FollowUp.door_id)
            .where(FollowUp.office_id == office.id, FollowUp.done_at.is_(None), quiet)):
        entry(door, household)["promises"].append(
            {"label": FOLLOW_UP_KINDS[promise.kind].label if promise.kind in FOLLOW_UP_KINDS else promise.kind,
             "due_date": promise.due_date})
    rows = sorted(doors.values(), key=lambda d: (d["last_spoken_at"] is not None, d["last_spoken_at"] or now,
                                                 d["address"]))
    return {"days": days, "cutoff": cutoff, "doors": rows}


def make_revisit_turf(office: Office, user: User | None, now: datetime) -> Turf:
    """A real, open turf of exactly the neglected doors, walked in route order and handed out like any other."""
    door_ids = [d["door_id"] for d in neglected(office, now)["doors"]]
    name = f"Re-visit {now.date().isoformat()}"
    taken = set(db.session.scalars(select(Turf.name).where(Turf.office_id == office.id, Turf.name.like(f"{name}%"))))
    if name in taken:
        name = next(f"{name} ({n})" for n in range(2, len(taken) + 3) if f"{name} ({n})" not in taken)
    return turfs.build_door_turf(office, door_ids, name, user.id if user else None)
