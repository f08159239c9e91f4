"""Buildings of an office: the units that share a street address, and the note every volunteer reads."""
from __future__ import annotations

from sqlalchemy import select

from ..domain.buildings import building_key, unit_order
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
                  key=lambda d: unit_order(d.unit))


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
