"""Coverage maths: how much of a territory we have knocked and how much we have talked.

For a scope (block, turf, office, region), a canvass and a date range:

- ``doors``: doors in the scope;
- ``attempted``: doors with at least one contact;
- ``reached``: doors where someone talked with us;
- coverage = attempted / doors; contact rate = reached / attempted.

A door counts once however often it was knocked: Not home then Talked is one
attempted door and one reached door. Contacts outside the canvass or the
dates (days on the office's clock) do not count. The services feed these functions with counts from
grouped SQL; ``count_contacts`` is the same definition over plain records,
which the tests use as the reference.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from .outcomes import REACHED_CODES
from .time_zones import local_day


@dataclass(frozen=True)
class Counts:
    doors: int
    attempted: int
    reached: int

    @property
    def coverage(self) -> float:
        return share(self.attempted, self.doors)

    @property
    def contact_rate(self) -> float:
        return share(self.reached, self.attempted)

    def as_dict(self) -> dict:
        return {"doors": self.doors, "attempted": self.attempted, "reached": self.reached,
                "coverage": self.coverage, "contact_rate": self.contact_rate}


def share(part: int, whole: int) -> float:
    """part / whole, rounded to 4 places; 0 when there is nothing to divide."""
    return round(part / whole, 4) if whole else 0.0


def total(counts: Iterable[Counts]) -> Counts:
    """The counts of disjoint scopes added up (offices into a region)."""
    doors = attempted = reached = 0
    for item in counts:
        doors, attempted, reached = doors + item.doors, attempted + item.attempted, reached + item.reached
    return Counts(doors, attempted, reached)


@dataclass(frozen=True)
class ContactFact:
    door_id: int
    canvass_id: int
    outcome: str
    recorded_at: datetime


def in_window(moment: datetime, start: date | None, end: date | None, zone_name: str | None = None) -> bool:
    """Whether a contact's time falls in the date range (both ends included, by its date on the office's
    clock: ``zone_name``, UTC when None)."""
    day = local_day(moment, zone_name)
    return (start is None or day >= start) and (end is None or day <= end)


def count_contacts(door_ids: Iterable[int], contacts: Iterable[ContactFact], canvass_id: int | None,
                   start: date | None = None, end: date | None = None, zone_name: str | None = None) -> Counts:
    """The reference definition over plain records: doors, attempted and reached for one canvass and range
    (days on the office's clock)."""
    doors = set(door_ids)
    attempted, reached = set(), set()
    for contact in contacts:
        if contact.door_id not in doors or (canvass_id is not None and contact.canvass_id != canvass_id):
            continue
        if not in_window(contact.recorded_at, start, end, zone_name):
            continue
        attempted.add(contact.door_id)
        if contact.outcome in REACHED_CODES:
            reached.add(contact.door_id)
    return Counts(len(doors), len(attempted), len(reached))
