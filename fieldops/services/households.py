"""One household's whole story, newest first, and what organizers add to it away from the door.

The timeline merges every knock across canvasses with the office's own notes
(calls, meetings), shows each person's support answers over time, and every
promise with who made it and who owes it.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from ..domain.followups import BY_CODE as FOLLOW_UP_KINDS
from ..domain.outcomes import BY_CODE as OUTCOMES
from ..domain.text import N_
from ..domain.time_zones import at_local_time, local_day
from ..errors import InvalidInput
from ..extensions import db
from ..models import Canvass, Contact, ContactFlag, Door, FollowUp, HouseholdNote, Office, Person, User
from ..models._base import utcnow
from . import listening, people as people_changes, summaries
from .inputs import NAME_MAX, required_text
from .portable import aware

CHANNELS = {"phone": N_("Phone call"), "meeting": N_("Met at the office"), "other": N_("Other")}  # shown with _()
MAX_NOTE = 2000
SEARCH_LIMIT = 50


def timeline(door: Door) -> dict:
    """The door's people, its entries (knocks and office notes) newest first, support over time, promises,
    and the office's time zone, on whose clock the page shows them. Each answer is shown by its
    question's label as the canvass words it now (a question relabelled after it was answered keeps its
    key, so its answers follow it)."""
    zone = db.session.scalar(select(Office.time_zone).where(Office.id == door.office_id))
    people = list(db.session.scalars(select(Person).where(Person.door_id == door.id).order_by(Person.id)))
    names = {p.id: p.full_name for p in people}
    entries = []
    for contact, volunteer, canvass, questions, review in db.session.execute(
            select(Contact, User.name, Canvass.name, Canvass.questions, ContactFlag.state)
            .outerjoin(User, User.id == Contact.volunteer_id)
            .join(Canvass, Canvass.id == Contact.canvass_id).outerjoin(ContactFlag, ContactFlag.contact_id == Contact.id)
            .where(Contact.door_id == door.id)):
        labels = {q["key"]: q["label"] for q in questions or []}
        entries.append({"kind": "knock", "at": aware(contact.recorded_at), "canvass": canvass, "by": volunteer,
                        "outcome": OUTCOMES[contact.outcome].label, "reached": OUTCOMES[contact.outcome].reached,
                        "person": names.get(contact.person_id), "answers": contact.answers or {},
                        "answer_rows": [(labels.get(key, key.replace("_", " ")), value)
                                        for key, value in (contact.answers or {}).items()],
                        "note": contact.note, "review": review})
    for note, author in db.session.execute(
            select(HouseholdNote, User.name).outerjoin(User, User.id == HouseholdNote.author_id)
            .where(HouseholdNote.door_id == door.id)):
        entries.append({"kind": "note", "at": aware(note.spoken_at), "canvass": None, "by": author,
                        "outcome": CHANNELS.get(note.channel, note.channel), "reached": True,
                        "person": names.get(note.person_id), "answers": {}, "answer_rows": [], "note": note.note,
                        "review": None})
    entries += people_changes.timeline_entries(door)  # residents added, corrected, gone: who changed what
    entries.sort(key=lambda e: e["at"], reverse=True)
    promises = []
    owner, maker = aliased(User), aliased(User)
    for promise, owner_name, made_by in db.session.execute(
            select(FollowUp, owner.name, maker.name).outerjoin(owner, owner.id == FollowUp.owner_id)
            .outerjoin(Contact, Contact.id == FollowUp.contact_id).outerjoin(maker, maker.id == Contact.volunteer_id)
            .where(FollowUp.door_id == door.id).order_by(FollowUp.created_at.desc(), FollowUp.id.desc())):
        promises.append({"id": promise.id, "label": FOLLOW_UP_KINDS[promise.kind].label
                         if promise.kind in FOLLOW_UP_KINDS else promise.kind,
                         "person": names.get(promise.person_id), "made_by": made_by, "owner": owner_name,
                         "made_on": local_day(promise.created_at, zone), "due_date": promise.due_date,
                         "kept_on": local_day(promise.done_at, zone) if promise.done_at else None,
                         "result": promise.result})
    return {"door": door, "people": people, "entries": entries, "support": _support_over_time(entries),
            "promises": promises, "time_zone": zone}


def _support_over_time(entries: list[dict]) -> list[dict]:
    """Each support answer, oldest first, with whether it went up or down from that person's last one."""
    series, last = [], {}
    # A contact rejected in review says nothing about support, as it says nothing to coverage.
    for entry in sorted((e for e in entries if isinstance(e["answers"].get(summaries.SUPPORT_KEY), int)
                         and e["review"] != "rejected"),
                        key=lambda e: e["at"]):
        who = entry["person"] or "the household"
        value = entry["answers"][summaries.SUPPORT_KEY]
        before = last.get(who)
        series.append({"at": entry["at"], "person": who, "support": value, "canvass": entry["canvass"],
                       "change": None if before is None else (value > before) - (value < before)})
        last[who] = value
    return series


def add_note(door: Door, author: User, channel: str, note: str, spoken_on: str, person_id: str | None) -> HouseholdNote:
    """An organizer's note of a conversation away from the door (no commit): it counts as a conversation
    for the household, never as a knock."""
    if channel not in CHANNELS:
        raise InvalidInput(N_("how you spoke must be one of %(names)s"), names=', '.join(CHANNELS), field="channel")
    note = required_text(note, "note", MAX_NOTE, "write what was said")
    # The date written is a day on the office's clock.
    zone = db.session.scalar(select(Office.time_zone).where(Office.id == door.office_id))
    now = utcnow()
    today = local_day(now, zone)
    try:
        day = date.fromisoformat((spoken_on or "").strip()) if (spoken_on or "").strip() else today
    except ValueError:
        raise InvalidInput(N_("the date must look like 2026-11-23"), field="spoken_on") from None
    if day > today:
        raise InvalidInput(N_("the conversation cannot be in the future"), field="spoken_on")
    spoken_at = now if day == today else at_local_time(day, 12, zone)
    person = None
    if person_id:
        person = db.session.get(Person, int(person_id)) if str(person_id).isdigit() else None
        if person is None or person.door_id != door.id:
            raise InvalidInput(N_("that person does not live at this door"), field="person_id")
    summaries.lock_doors([door.id])
    row = HouseholdNote(office_id=door.office_id, door_id=door.id, person_id=person.id if person else None,
                        author_id=author.id, channel=channel, note=note, spoken_at=spoken_at)
    db.session.add(row)
    db.session.flush()
    summaries.refresh_doors([door.id], supporters=False)  # a note carries no support answer
    listening.tag_notes(door.office_id, notes=[row])
    return row


def search(office: Office, query: str) -> list[Door]:
    """The office's doors whose address or residents' names contain every word typed, up to 50."""
    words = [w[:NAME_MAX] for w in (query or "").split() if w][:5]
    if not words:
        return []
    statement = select(Door).where(Door.office_id == office.id)
    for word in words:
        word = word.casefold()

        def has(column, word=word):  # the word as typed: % and _ are letters here, not wildcards
            return func.lower(func.coalesce(column, "")).contains(word, autoescape=True)
        statement = statement.where(or_(
            has(Door.street), has(Door.house_number), has(Door.unit), has(Door.name),
            Door.id.in_(select(Person.door_id).where(or_(has(Person.first_name), has(Person.last_name))))))
    return list(db.session.scalars(statement.order_by(Door.street, Door.house_number, Door.unit, Door.id)
                                   .limit(SEARCH_LIMIT)))
