"""Carrying out what contacts mean for the future (``domain.consequences``), and the organizer's undo."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import update

from ..domain.consequences import DOOR_BANS, GONE_STATUSES, consequences
from ..domain.contacts import ContactIn
from ..errors import Conflict
from ..extensions import db
from ..models import Door, Person, User
from . import audit
from .inputs import required_text
from ..domain.text import N_

MAX_REASON = 500


def apply(contacts: Iterable[ContactIn]) -> None:
    """Ban doors and mark people gone for newly stored contacts; the latest knock's word stands."""
    for contact in sorted(contacts, key=lambda c: c.recorded_at):
        for consequence in consequences(contact.outcome, contact.person_id is not None, contact.do_not_contact):
            if consequence.target == "door":
                db.session.execute(update(Door).where(Door.id == contact.door_id, Door.do_not_contact.is_(None))
                                   .values(do_not_contact=consequence.status, do_not_contact_at=contact.recorded_at),
                                   execution_options={"synchronize_session": False})
            elif consequence.status in GONE_STATUSES:
                db.session.execute(update(Person).where(Person.id == contact.person_id,
                                                        Person.door_id == contact.door_id)
                                   .values(status=consequence.status, status_at=contact.recorded_at),
                                   execution_options={"synchronize_session": False})


def allow_knocking(door: Door, user: User, reason: str) -> Door:
    """An organizer puts a banned door back on walk lists (no commit); the reason goes to the audit log."""
    if door.do_not_contact is None:
        raise Conflict(N_("this door is already on walk lists"))
    reason = required_text(reason, "reason", MAX_REASON, "say why this door may be knocked again")
    audit.record(user.id, "door.knock_again", "door", door.id, was=door.do_not_contact,
                 since=door.do_not_contact_at.isoformat() if door.do_not_contact_at else None, reason=reason)
    door.do_not_contact, door.do_not_contact_at = None, None
    return door


def ban_label(door: Door) -> str | None:
    return DOOR_BANS.get(door.do_not_contact) if door.do_not_contact else None

