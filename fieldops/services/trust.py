"""Flagging contacts that need a look (``domain.trust``), and the organizer's review queue.

Flags never block a volunteer: the sync stores the contact and flags it. An
organizer accepts or rejects it; a rejected contact stays in the ledger and on
the timeline but stops counting toward coverage, so its door's summaries and
its volunteer's day are recomputed without it.
"""
from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import bindparam, func, insert, select

from ..domain.contacts import ContactIn
from ..domain.outcomes import BY_CODE as OUTCOMES
from ..domain.trust import FLAG_LABELS, PACE_WINDOW, distance_flag, too_fast, too_good
from ..errors import InvalidInput, NotFound
from ..extensions import db
from ..models import Contact, ContactFlag, Door, User, VolunteerDay
from ..models._base import utcnow
from . import audit, summaries
from .access import require_office
from .portable import aware
from .prepared import per_database, run
from ..domain.text import N_

DECISIONS = ("accepted", "rejected")


def flag_new(volunteer_id: int, created: list[tuple[ContactIn, dict]],
             totals: dict[int, tuple[int, int]] | None = None) -> None:
    """Flag the newly stored contacts that were far from their door, too fast or too good.

    ``totals`` (canvass id -> the volunteer's knocks and conversations in it, these contacts included), when
    the caller has them (the sync reads them with the volunteer's assignments), saves a read per canvass."""
    if not created:
        return
    flags: dict[str, set[str]] = {}
    office_of = {contact.id: row["office_id"] for contact, row in created}
    for contact, row in created:
        flag = distance_flag(row["distance_m"])
        if flag:
            flags.setdefault(contact.id, set()).add(flag)
    statements = _statements()
    nearby = run(statements.nearby, {"volunteer": volunteer_id,
                                     "start": min(c.recorded_at for c, _ in created) - PACE_WINDOW,
                                     "end": max(c.recorded_at for c, _ in created) + PACE_WINDOW}).all()
    office_of.update({contact_id: office_id for contact_id, _, _, office_id in nearby})
    for contact_id in too_fast((i, door, aware(at)) for i, door, at, _ in nearby):
        flags.setdefault(contact_id, set()).add("pace")
    for canvass_id in {contact.canvass_id for contact, _ in created}:
        if totals is not None and canvass_id in totals:
            knocks, talks = totals[canvass_id]
        else:
            knocks, talks = run(statements.knocks, {"volunteer": volunteer_id, "canvass": canvass_id}).one()
        if too_good(int(knocks), int(talks)):
            for contact, _ in created:
                if contact.canvass_id == canvass_id:
                    flags.setdefault(contact.id, set()).add("rate")
    if not flags:
        return
    existing = {f.contact_id: f for f in db.session.scalars(select(ContactFlag)
                                                             .where(ContactFlag.contact_id.in_(flags)))}
    for contact_id, flag in existing.items():
        flag.flags = sorted(set(flag.flags) | flags[contact_id])
    new = [{"contact_id": contact_id, "office_id": office_of[contact_id], "volunteer_id": volunteer_id,
            "flags": sorted(found), "state": "pending"} for contact_id, found in flags.items() if contact_id not in existing]
    if new:
        run(insert(ContactFlag.__table__), new)


@per_database
def _statements(dialect_name: str) -> SimpleNamespace:
    """The flagging's two reads, built once (``services.prepared``): every sync runs them."""
    contact, days = Contact.__table__, VolunteerDay.__table__
    return SimpleNamespace(
        nearby=select(contact.c.id, contact.c.door_id, contact.c.recorded_at, contact.c.office_id)
        .where(contact.c.volunteer_id == bindparam("volunteer"), contact.c.recorded_at >= bindparam("start"),
               contact.c.recorded_at <= bindparam("end")),
        knocks=select(func.coalesce(func.sum(days.c.knocks), 0), func.coalesce(func.sum(days.c.conversations), 0))
        .where(days.c.volunteer_id == bindparam("volunteer"), days.c.canvass_id == bindparam("canvass")),
    )


def queue(office_id: int) -> list[dict]:
    """The office's flagged contacts still to review, by volunteer, then time."""
    rows = db.session.execute(
        select(ContactFlag, Contact, Door, User.name).join(Contact, Contact.id == ContactFlag.contact_id)
        .join(Door, Door.id == Contact.door_id).outerjoin(User, User.id == ContactFlag.volunteer_id)
        .where(ContactFlag.office_id == office_id, ContactFlag.state == "pending")
        .order_by(User.name, Contact.recorded_at)).all()
    return [{"contact_id": contact.id, "volunteer": name, "at": aware(contact.recorded_at), "door_id": door.id,
             "address": door.address, "outcome": OUTCOMES[contact.outcome].label, "distance_m": contact.distance_m,
             "flags": [FLAG_LABELS.get(f, f) for f in flag.flags]} for flag, contact, door, name in rows]


def decide(contact_id: str, decision: str, user: User) -> ContactFlag:
    """Accept or reject a flagged contact (no commit); a rejection takes it out of the counts."""
    flag = db.session.get(ContactFlag, contact_id)
    if flag is None:
        raise NotFound(N_("that contact was not flagged"))
    require_office(user, flag.office_id, manage=True)
    if decision not in DECISIONS:
        raise InvalidInput(N_("decide one of: %(names)s"), names=', '.join(DECISIONS), field="decision")
    contact = db.session.get(Contact, contact_id)
    was = flag.state
    flag.state, flag.reviewed_by_id, flag.reviewed_at = decision, user.id, utcnow()
    audit.record(user.id, f"contact.{decision}", "contact", contact_id, flags=flag.flags, was=was)
    db.session.flush()
    if "rejected" in (was, decision) and was != decision:
        _recount(contact)
    return flag


def _recount(contact: Contact) -> None:
    """Recompute what the contact's door and its volunteer's day count, with or without it."""
    summaries.lock_doors([contact.door_id])
    summaries.forget_doors([contact.door_id])
    summaries.refresh_doors([contact.door_id])
    if contact.volunteer_id is not None:
        summaries.recount_volunteer_day(contact.office_id, contact.canvass_id, contact.volunteer_id,
                                        aware(contact.recorded_at))
