"""Buildings of an office: the units that share a street address, and the note every volunteer reads."""
from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext
from sqlalchemy import select

from ..domain.buildings import PHRASES, DoorLabel, building_key, door_labels, unit_order
from ..extensions import db
from ..models import BuildingNote, Door, User
from ..models._base import utcnow
from .inputs import required_text

MAX_NOTE = 1000


def notes_for(office_id: int, keys: set[str]) -> dict[str, str]:
    if not keys:
        return {}
    return dict(db.session.execute(select(BuildingNote.building_key, BuildingNote.note)
                                   .where(BuildingNote.office_id == office_id, BuildingNote.building_key.in_(keys))).all())


def units_of(door: Door) -> list[Door]:
    """Every door at the same street address as ``door`` (itself included), floor by floor."""
    key = building_key(door.street, door.house_number)
    candidates = db.session.scalars(select(Door).where(Door.block_id == door.block_id))  # one address, one block
    return sorted((d for d in candidates if building_key(d.street, d.house_number) == key),
                  key=lambda d: (unit_order(d.unit), d.id))


def labels_for(doors: Sequence[Door]) -> dict[int, DoorLabel]:
    """Each door's label (``domain.buildings.door_labels``), told apart from every door at its address:
    the others are looked up in the doors' blocks (one address, one block), walked or not."""
    block_ids = {door.block_id for door in doors}
    if not block_ids:
        return {}
    rows = db.session.execute(select(Door.id, Door.street, Door.house_number, Door.unit, Door.name, Door.unaddressed)
                              .where(Door.block_id.in_(block_ids))).all()
    wanted = {door.id for door in doors}
    return {door_id: label for door_id, label in door_labels(rows, phrase=_phrase).items() if door_id in wanted}


def _phrase(key: str, **values) -> str:
    """A label's words in the reader's language (the request's, or English outside one)."""
    return gettext(PHRASES[key], **values)


def set_note(door: Door, text: str, user: User) -> BuildingNote:
    """Write the building's note (no commit); every volunteer walking one of its units will see it."""
    text = required_text(text, "building_note", MAX_NOTE, "write what a volunteer needs to get in")
    key = building_key(door.street, door.house_number)
    note = db.session.scalar(select(BuildingNote).where(BuildingNote.office_id == door.office_id,
                                                        BuildingNote.building_key == key))
    if note is None:
        note = BuildingNote(office_id=door.office_id, building_key=key, note=text)
        db.session.add(note)
    note.note, note.updated_by_id, note.updated_at = text, user.id, utcnow()
    return note
