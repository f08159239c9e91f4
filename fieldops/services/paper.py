"""Reading a paper walk list back in: the sheet's results become contacts of the volunteer named on it,
on the day written, through the same checks and writes as a phone's sync, all or nothing."""
from __future__ import annotations

import uuid
from datetime import date, datetime, time, timezone

from ..domain.paper import read_sheet
from ..errors import InvalidInput
from ..models import Canvass, Turf, User
from ..models._base import utcnow
from . import audit
from .sync import BatchRefused, sync_contacts


def record_sheet(turf: Turf, canvass: Canvass, volunteer: User, day: date | None,
                 rows: list[tuple[int, str, str]], entered_by: User) -> int:
    """Store the sheet's knocks (no commit); returns how many. Nothing is written if any row is wrong."""
    if day is None:
        raise InvalidInput("write the date on the list", field="day")
    try:
        knocked = read_sheet(rows)
    except ValueError as error:
        raise InvalidInput(str(error), field="outcomes") from None
    if not knocked:
        raise InvalidInput("no door on this sheet has an outcome", field="outcomes")
    # Noon on the day written (or now, if that is still to come): paper has no clock.
    at = min(datetime.combine(day, time(12), tzinfo=timezone.utc), utcnow())
    contacts = [{"id": str(uuid.uuid4()), "door_id": door_id, "canvass_id": canvass.id, "outcome": outcome,
                 "note": note, "answers": {}, "recorded_at": at.isoformat()} for _, door_id, outcome, note in knocked]
    audit.record(entered_by.id, "paper.entry", "turf", turf.id, volunteer_id=volunteer.id, day=day.isoformat(),
                 canvass_id=canvass.id, contacts=len(contacts))
    try:
        sync_contacts(volunteer, {"contacts": contacts}, all_or_nothing=True)
    except BatchRefused as refused:
        raise InvalidInput("; ".join(f"row {knocked[n][0]}: {reason}" for n, reason in refused.refusals[:5]),
                           field="outcomes") from None
    return len(contacts)
