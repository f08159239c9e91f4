"""What an outcome means beyond the knock: who is not to be visited again, and who is gone.

Hostile puts the door off every future walk list; a person's request not to be
contacted takes them off (or, when nobody was named, the whole door); Moved
marks the named person as gone from that address; Deceased removes them.
Organizers can undo a door's ban (audited). Which outcome does what is read from the one outcome table
(``outcomes.py``: ``do_not_contact``, ``person_status``). Pure functions.
"""
from __future__ import annotations

from dataclasses import dataclass

from .outcomes import BY_CODE
from .text import N_

ACTIVE = "active"
GONE_STATUSES = ("moved", "deceased", "do_not_contact")  # people walk lists leave out
DOOR_BANS = {"hostile": N_("Hostile at the door"), "request": N_("Asked not to be contacted")}
PERSON_STATUS_LABELS = {"active": N_("Lives here"), "moved": N_("Moved away"), "deceased": N_("Deceased"),
                        "merged": N_("Merged into another resident (added at the door)"),
                        "do_not_contact": N_("Asked not to be contacted")}


@dataclass(frozen=True)
class Consequence:
    target: str   # "door" or "person"
    status: str   # for a door: a key of DOOR_BANS; for a person: one of GONE_STATUSES


def consequences(outcome: str, person_named: bool, asked_not_to_be_contacted: bool) -> list[Consequence]:
    """What follows from one contact: its outcome, whether a person was named, and the do-not-contact box."""
    fact = BY_CODE[outcome]
    found = []
    if fact.do_not_contact:
        found.append(Consequence("door", "hostile"))
    if asked_not_to_be_contacted:
        found.append(Consequence("person", "do_not_contact") if person_named else Consequence("door", "request"))
    if fact.person_status and person_named:
        found.append(Consequence("person", fact.person_status))
    return found
