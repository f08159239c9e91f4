"""Reading a paper walk list back in: the sheet's outcomes, answers and promises become contacts of the
volunteer named on it, on the day written, through the same checks and writes as a phone's sync, all or
nothing."""
from __future__ import annotations

import uuid
from datetime import date, datetime, time, timezone

from ..domain.paper import SheetError, SheetRow, check_day, read_sheet
from ..errors import InvalidInput
from ..models import Canvass, Turf, User
from ..models._base import utcnow
from . import audit
from .sync import BatchRefused, sync_contacts
from ..domain.text import N_


class SheetRefused(InvalidInput):
    """A sheet that was not stored; ``row`` and ``column`` say where (the page marks that box)."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.row, self.column = row, column


def record_sheet(turf: Turf, canvass: Canvass, volunteer: User, day: date | None, rows: list[SheetRow],
                 entered_by: User) -> int:
    """Store the sheet's knocks (no commit); returns how many. Nothing is written if any row is wrong."""
    if day is None:
        raise InvalidInput(N_("write the date on the list"), field="day")
    now = utcnow()
    try:
        check_day(day, now.date())
    except ValueError as error:
        raise InvalidInput(error, field="day") from None
    try:
        knocked = read_sheet(rows, canvass.questions or [])
    except SheetError as error:
        raise SheetRefused(str(error), error.row, error.field) from None
    if not knocked:
        raise InvalidInput(N_("no door on this sheet has an outcome"), field="outcomes")
    # Noon on the day written (or now, if that is still to come today): paper has no clock.
    at = min(datetime.combine(day, time(12), tzinfo=timezone.utc), now)
    contacts = [{"id": str(uuid.uuid4()), "door_id": knock.door_id, "canvass_id": canvass.id,
                 "outcome": knock.outcome, "note": knock.note, "answers": knock.answers,
                 "follow_ups": list(knock.follow_ups), "recorded_at": at.isoformat()} for knock in knocked]
    audit.record(entered_by.id, "paper.entry", "turf", turf.id, volunteer_id=volunteer.id, day=day.isoformat(),
                 canvass_id=canvass.id, contacts=len(contacts))
    try:
        sync_contacts(volunteer, {"contacts": contacts}, all_or_nothing=True)
    except BatchRefused as refused:
        first = knocked[refused.refusals[0][0]].row
        raise SheetRefused("; ".join(f"row {knocked[n].row}: {reason}" for n, reason in refused.refusals[:5]),
                           first) from None
    return len(contacts)
