"""What people raised, counted: notes tagged with the office's issues (``domain.listening``), and the tops.

Tags are stored (``NoteIssue``) so counting is one grouped query. New notes
are tagged as they arrive (sync, office notes); changing an office's issue
list re-tags all of its notes.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, delete, func, insert, select

from ..domain import office_settings
from ..domain.listening import tag_note
from ..extensions import db
from ..models import Contact, HouseholdNote, NoteIssue, Office
from .portable import aware
from .prepared import per_database, run

_BATCH = 5000


def tag_notes(office_id: int, *, contacts: Iterable[dict] = (), notes: Iterable[HouseholdNote] = ()) -> int:
    """Tag new notes of one office: contacts as dicts (``id``, ``note``, ``recorded_at``) and office notes."""
    issues = office_settings.issues(run(_office_settings(), {"office": office_id}).scalar())
    return _tag(office_id, issues, contacts, notes)


@per_database
def _office_settings(dialect_name: str):
    office = Office.__table__
    return select(office.c.settings).where(office.c.id == bindparam("office"))


def _tag(office_id: int, issues: dict, contacts: Iterable[dict], notes: Iterable[HouseholdNote]) -> int:
    rows = [{"office_id": office_id, "contact_id": c["id"], "note_id": None, "issue": issue,
             "said_at": c["recorded_at"]} for c in contacts for issue in tag_note(c["note"], issues)]
    rows += [{"office_id": office_id, "contact_id": None, "note_id": n.id, "issue": issue, "said_at": n.spoken_at}
             for n in notes for issue in tag_note(n.note, issues)]
    if rows:
        run(insert(NoteIssue.__table__), rows)
    return len(rows)


def retag_office(office: Office) -> int:
    """Tag every note of the office again with its current issue list (after the list changed)."""
    db.session.execute(delete(NoteIssue).where(NoteIssue.office_id == office.id))
    issues = office_settings.issues(office.settings)
    contacts = db.session.execute(select(Contact.id, Contact.note, Contact.recorded_at)
                                  .where(Contact.office_id == office.id, Contact.note != "")).all()
    tagged = 0
    for start in range(0, len(contacts), _BATCH):
        tagged += _tag(office.id, issues, [{"id": i, "note": n, "recorded_at": aware(at)}
                                           for i, n, at in contacts[start:start + _BATCH]], [])
    notes = list(db.session.scalars(select(HouseholdNote).where(HouseholdNote.office_id == office.id)))
    return tagged + _tag(office.id, issues, [], notes)


def top_issues(office_ids: list[int], limit: int = 5) -> dict[int, list[tuple[str, int]]]:
    """Per office, its most-raised issues and how many notes raised each, most first."""
    tops: dict[int, list[tuple[str, int]]] = {office_id: [] for office_id in office_ids}
    for office_id, issue, count in db.session.execute(
            select(NoteIssue.office_id, NoteIssue.issue, func.count()).where(NoteIssue.office_id.in_(office_ids))
            .group_by(NoteIssue.office_id, NoteIssue.issue).order_by(NoteIssue.office_id, func.count().desc(),
                                                                     NoteIssue.issue)):
        if len(tops[office_id]) < limit:
            tops[office_id].append((issue, count))
    return tops


def region_issues(office_ids: list[int], limit: int = 8) -> list[tuple[str, int]]:
    """The region's most-raised issues over all its offices."""
    return [(issue, count) for issue, count in db.session.execute(
        select(NoteIssue.issue, func.count()).where(NoteIssue.office_id.in_(office_ids))
        .group_by(NoteIssue.issue).order_by(func.count().desc(), NoteIssue.issue).limit(limit))]
