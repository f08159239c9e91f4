"""Contacts you can trust: flags for a knock made far from its door, a pace no one can walk and talk at,
and a contact rate too good to be true. Flags never stop a volunteer; an organizer reviews them.
Pure functions."""
from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta

from .text import N_

FAR_M, SUSPECT_M = 100.0, 300.0
PACE_DOORS, PACE_WINDOW = 10, timedelta(minutes=2)   # ten doors within two minutes
RATE_MIN_KNOCKS, RATE_SHARE = 30, 0.95              # near-100% conversations over many knocks
FLAG_LABELS = {"far": N_("over 100 m from the door"), "suspect": N_("over 300 m from the door"),
               "pace": N_("ten doors within two minutes"), "rate": N_("a conversation at nearly every door")}


def metres_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def distance_flag(metres: float | None) -> str | None:
    if metres is None or metres <= FAR_M:
        return None
    return "suspect" if metres > SUSPECT_M else "far"


def too_fast(knocks: Iterable[tuple[str, int, datetime]]) -> set[str]:
    """The contacts (id, door, time) inside any two-minute window that holds ten or more doors."""
    ordered = sorted(knocks, key=lambda k: k[2])
    flagged: set[str] = set()
    start = 0
    for end in range(len(ordered)):
        while ordered[end][2] - ordered[start][2] > PACE_WINDOW:
            start += 1
        window = ordered[start:end + 1]
        if len({door for _, door, _ in window}) >= PACE_DOORS:
            flagged.update(contact_id for contact_id, _, _ in window)
    return flagged


def too_good(knocks: int, conversations: int) -> bool:
    """A conversation at 95% or more of 30 or more knocks: worth a look, not proof of anything."""
    return knocks >= RATE_MIN_KNOCKS and conversations >= RATE_SHARE * knocks
