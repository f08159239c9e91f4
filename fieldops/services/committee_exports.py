"""An office's contacts in the committee's formats: a VAN bulk-upload file and OSDI record_canvass JSON.

The rows and documents are made by ``domain.result_codes`` with the office's own mapping of our
outcomes and answers to the committee's names; this module reads the contacts (in chunks, never all at
once) and the ids of the people each speaks for: the person named, else everyone at the door with an
imported id (a household knock speaks for the household). A contact that speaks for nobody with an id
cannot go to the committee and is counted in ``Counts.without_id`` instead.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select

from ..domain import result_codes, time_zones
from ..domain.spreadsheets import safe_cell
from ..domain.outcomes import REACHED_CODES
from ..extensions import db
from ..models import Canvass, Contact, Office, Person
from .coverage import Window
from .canvassing import canvasses_for_office

FORMATS = ("csv", "van-bulk", "osdi")
_CHUNK = 2000


@dataclass(frozen=True)
class Scope:
    """What an export needs of its office, read before the file streams (a streamed response outlives the
    request's unit of work, so it holds no ORM objects)."""
    office_id: int
    office_name: str
    time_zone: str | None
    mapping: result_codes.Mapping
    questions: tuple[dict, ...]
    window: Window


def scope_of(office: Office, window: Window) -> Scope:
    return Scope(office.id, office.name, office.time_zone, result_codes.mapping(office.settings),
                 tuple(questions_for(office, window)), window)


@dataclass
class Counts:
    contacts: int = 0
    rows: int = 0
    without_id: int = 0


def questions_for(office: Office, window: Window) -> list[dict]:
    """The survey columns: the canvass's questions, or every canvass's of the office (newest first), each
    key once; hidden questions stay, since answers to them are still answers."""
    canvasses = ([db.session.get(Canvass, window.canvass_id)] if window.canvass_id is not None
                 else canvasses_for_office(office))
    return _each_key_once(canvasses)


def office_questions(office: Office) -> list[dict]:
    """Every question the office's canvasses ask, newest canvass first: what its result-code mapping may name.
    A key two canvasses ask differently (a scale in one, yes/no in the other) comes once for each."""
    return [question for canvass in canvasses_for_office(office) for question in (canvass.questions or [])]


def _each_key_once(canvasses) -> list[dict]:
    seen, questions = set(), []
    for canvass in canvasses:
        for question in (canvass.questions if canvass else None) or []:
            if question["key"] not in seen:
                seen.add(question["key"])
                questions.append(question)
    return questions


def exported_contacts(scope: Scope, counts: Counts) -> Iterator[result_codes.ExportedContact]:
    """The office's contacts in the window, oldest first, each with the ids of the people it speaks for."""
    query = (select(Contact).where(Contact.office_id == scope.office_id, *scope.window.conditions())
             .order_by(Contact.recorded_at, Contact.id).execution_options(yield_per=_CHUNK))
    chunk: list[Contact] = []
    for contact in db.session.scalars(query):
        chunk.append(contact)
        if len(chunk) == _CHUNK:
            yield from _with_ids(chunk, scope.time_zone, counts)
            chunk = []
    yield from _with_ids(chunk, scope.time_zone, counts)


def _with_ids(chunk: list[Contact], zone: str | None, counts: Counts) -> Iterator[result_codes.ExportedContact]:
    if not chunk:
        return
    people = db.session.execute(select(Person.id, Person.door_id, Person.source_id)
                                .where(Person.door_id.in_({c.door_id for c in chunk}),
                                       Person.source_id.is_not(None)).order_by(Person.id)).all()
    by_person = {pid: source for pid, _door, source in people}
    by_door: dict[int, list[str]] = {}
    for _pid, door_id, source in people:
        by_door.setdefault(door_id, []).append(source)
    for contact in chunk:
        counts.contacts += 1
        if contact.person_id is not None:
            ids = (by_person[contact.person_id],) if contact.person_id in by_person else ()
        else:
            ids = tuple(by_door.get(contact.door_id, ()))
        if not ids:
            counts.without_id += 1
            continue
        counts.rows += len(ids)
        yield result_codes.ExportedContact(contact.id, contact.recorded_at,
                                           time_zones.local_day(contact.recorded_at, zone),
                                           contact.outcome, contact.answers or {}, ids)


def van_bulk_lines(scope: Scope, counts: Counts) -> Iterator[str]:
    """The VAN bulk-upload file as CSV text, streamed."""
    questions = list(scope.questions)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(result_codes.van_header(questions, scope.mapping))
    for row in result_codes.van_rows(exported_contacts(scope, counts), questions, scope.mapping):
        writer.writerow([safe_cell(cell) for cell in row])
        if buffer.tell() > 64_000:
            yield _drain(buffer)
    yield _drain(buffer)


def osdi_lines(scope: Scope, counts: Counts) -> Iterator[str]:
    """OSDI record_canvass helper bodies as one JSON document, streamed: {"origin_system", "canvasses": [...]}."""
    yield '{"origin_system": "Fieldops", "office": ' + json.dumps(scope.office_name) + ', "canvasses": ['
    first = True
    for document in result_codes.osdi_canvasses(exported_contacts(scope, counts), list(scope.questions),
                                                scope.mapping, REACHED_CODES):
        yield ("\n" if first else ",\n") + json.dumps(document, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
