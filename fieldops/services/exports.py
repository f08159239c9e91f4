"""Contact exports: every knock of an office or region as CSV rows, streamed, and written to the audit log."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from sqlalchemy import select

from ..domain.spreadsheets import safe_row
from ..extensions import db
from ..models import Canvass, Contact, Door, Office, Person, User
from . import audit
from .coverage import Window

COLUMNS = ("contact_id", "recorded_at", "office", "canvass", "door_id", "address", "person", "volunteer",
           "outcome", "answers", "note", "lat", "lon", "accuracy_m")


def contact_rows(office_ids: list[int], window: Window) -> Iterator[list]:
    """The contacts as rows of COLUMNS, oldest first, fetched in chunks rather than all at once."""
    query = (select(Contact, Office.name, Canvass.name, Door, Person.first_name, Person.last_name, User.email)
             .join(Office, Office.id == Contact.office_id).join(Canvass, Canvass.id == Contact.canvass_id)
             .join(Door, Door.id == Contact.door_id).outerjoin(Person, Person.id == Contact.person_id)
             .outerjoin(User, User.id == Contact.volunteer_id)
             .where(Contact.office_id.in_(office_ids), *window.conditions())
             .order_by(Contact.recorded_at, Contact.id).execution_options(yield_per=2000))
    for contact, office, canvass, door, first, last, email in db.session.execute(query):
        person = " ".join(part for part in (first, last) if part)
        yield [contact.id, contact.recorded_at.isoformat(), office, canvass, door.id, door.address, person,
               email or "", contact.outcome, _answers(contact.answers), contact.note, contact.lat, contact.lon,
               contact.accuracy_m]


def _answers(answers: dict) -> str:
    return "; ".join(f"{key}={value}" for key, value in sorted((answers or {}).items()))


def csv_lines(rows: Iterator[list]) -> Iterator[str]:
    """CSV text, a header then one line per row, as a stream; text a spreadsheet would run as a formula
    is written as text (``domain.spreadsheets``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(safe_row(row))
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def record_export(actor_id: int | None, scope: str, scope_id: int, window: Window, destination: str) -> None:
    """Note the export in the audit log (no commit): voter data leaving the system is always traceable."""
    audit.record(actor_id, "export.contacts", scope, scope_id, destination=destination, **window.as_dict())
