"""People at the door: residents added and corrected from phones, the organizer's review and merge, and
the languages of households and volunteers.

Every change is one ``PersonChange`` row (append-only: the person's original details stay readable
there); the ``Person`` row holds the current state that walk lists read. Changes arrive with contacts
(``services/sync.py``) and are written in the same transaction, only for contacts actually created,
so a repeated batch (the same contact UUIDs) adds nobody twice. A person's UUID is also unique, so two
contacts carrying the same new person add them once.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select

from ..domain import languages as language_rules
from ..domain.contacts import ContactIn
from ..domain.people import KINDS, STATUSES, corrections
from ..errors import Conflict, InvalidInput, NotFound
from ..extensions import db
from ..models import Contact, Door, Person, PersonChange, Turf, User
from ..models._base import utcnow
from . import audit, turfs
from .portable import aware
from ..domain.text import N_

REVIEW_LIMIT = 200
PERSON_FIELDS = ("first_name", "last_name", "status")


def stored_added_ids(ids: Iterable[str]) -> dict[str, int]:
    """Person UUIDs (made on phones) already stored -> the person's id."""
    ids = list(ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(Person.added_id, Person.id).where(Person.added_id.in_(ids))).all())


def people_at(person_ids: Iterable[int]) -> dict[int, int]:
    """Person id -> their door id."""
    ids = list(person_ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(Person.id, Person.door_id).where(Person.id.in_(ids))).all())


def added_at(ids: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Person UUIDs already stored -> (person id, door id)."""
    ids = list(ids)
    if not ids:
        return {}
    return {added: (person_id, door_id) for added, person_id, door_id in db.session.execute(
        select(Person.added_id, Person.id, Person.door_id).where(Person.added_id.in_(ids)))}


def record(contacts: list[tuple[ContactIn, int]], user_id: int) -> tuple[dict[str, dict], dict[str, int]]:
    """Write the people added and changed with the contacts about to be stored (``(contact, office id)``;
    no commit). Returns, per contact id, its ``people_added`` and ``people_changed`` results, and each
    added person's UUID -> their id (for contacts whose ``person_ref`` names one)."""
    results: dict[str, dict] = {}
    wanted = [p.id for contact, _ in contacts for p in contact.people_added]
    known = stored_added_ids(wanted)
    changed_ids = {c.person_id for contact, _ in contacts for c in contact.people_changed}
    people = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(changed_ids)))} \
        if changed_ids else {}
    received = utcnow()
    for contact, office_id in sorted(contacts, key=lambda item: item[0].recorded_at):
        added, changed = [], []
        for entry in contact.people_added:
            if entry.id in known:  # sent before with another contact: the same person, once
                added.append({"id": entry.id, "status": "duplicate", "person_id": known[entry.id]})
                continue
            person = Person(door_id=contact.door_id, first_name=entry.first_name, last_name=entry.last_name,
                            phone=entry.phone, email=entry.email, birth_year=entry.birth_year,
                            language=entry.language, status="active",
                            consent_phone_at=contact.recorded_at if entry.consent_phone else None,
                            consent_email_at=contact.recorded_at if entry.consent_email else None,
                            added_id=entry.id, added_by_id=user_id, added_contact_id=contact.id)
            db.session.add(person)
            db.session.flush()
            known[entry.id] = person.id
            db.session.add(PersonChange(office_id=office_id, door_id=contact.door_id, person_id=person.id,
                                        kind="added", contact_id=contact.id, by_id=user_id, before={},
                                        after=entry.details(), at=contact.recorded_at, received_at=received))
            added.append({"id": entry.id, "status": "created", "person_id": person.id})
        for entry in contact.people_changed:
            person = people[entry.person_id]
            current = {name: getattr(person, name) for name in PERSON_FIELDS}
            before, after = corrections(current, entry)
            if not after:
                changed.append({"person_id": person.id, "status": "unchanged"})
                continue
            kind = "corrected" if set(after) & {"first_name", "last_name"} else "status"
            for name, value in after.items():
                setattr(person, name, value)
            if "status" in after:
                person.status_at = contact.recorded_at
            db.session.add(PersonChange(office_id=office_id, door_id=contact.door_id, person_id=person.id,
                                        kind=kind, contact_id=contact.id, by_id=user_id, before=before,
                                        after=after, at=contact.recorded_at, received_at=received))
            changed.append({"person_id": person.id, "status": "changed"})
        results[contact.id] = {"people_added": added, "people_changed": changed}
    return results, known


def describe(change: PersonChange, name: str) -> str:
    """One line for the timeline and the review list: 'Resident added: Maria García (es)'."""
    if change.kind == "added":
        extra = [language_rules.name_of(change.after.get("language"))] if change.after.get("language") else []
        if change.after.get("birth_year"):
            extra.append(f"born {change.after['birth_year']}")
        return f"{KINDS['added']}: {name}" + (f" ({', '.join(extra)})" if extra else "")
    if change.kind == "corrected":
        was = " ".join(str(change.before.get(f) or "") for f in ("first_name", "last_name") if f in change.before)
        now = " ".join(str(change.after.get(f) or "") for f in ("first_name", "last_name") if f in change.after)
        return f"{KINDS['corrected']}: {was.strip() or '(none)'} → {now.strip()}"
    if change.kind == "status":
        return f"{name}: {STATUSES.get(change.after.get('status'), change.after.get('status'))}"
    return f"{KINDS['merged']}: {change.before.get('name', 'a new resident')} is {name}"


def timeline_entries(door: Door) -> list[dict]:
    """The door's people changes, as entries of the household timeline (who changed what, when)."""
    rows = db.session.execute(
        select(PersonChange, User.name, Person).outerjoin(User, User.id == PersonChange.by_id)
        .join(Person, Person.id == PersonChange.person_id).where(PersonChange.door_id == door.id)).all()
    return [{"kind": "person", "at": aware(change.at), "canvass": None, "by": by, "outcome": describe(change, person.full_name),
             "reached": False, "person": None, "answers": {}, "answer_rows": [], "note": "", "review": None}
            for change, by, person in rows]


def review(office_id: int, may_see_details: bool) -> list[dict]:
    """The office's new and corrected people, newest first: what changed, who did it, and for a person
    added at a door who is not merged yet, the other people of that door they might be."""
    rows = db.session.execute(
        select(PersonChange, User.name, Person, Door).outerjoin(User, User.id == PersonChange.by_id)
        .join(Person, Person.id == PersonChange.person_id).join(Door, Door.id == PersonChange.door_id)
        .where(PersonChange.office_id == office_id)
        .order_by(PersonChange.at.desc(), PersonChange.id.desc()).limit(REVIEW_LIMIT)).all()
    door_ids = {door.id for _, _, _, door in rows}
    residents: dict[int, list[Person]] = defaultdict(list)
    if door_ids:
        for person in db.session.scalars(select(Person).where(Person.door_id.in_(door_ids),
                                                              Person.merged_into_id.is_(None)).order_by(Person.id)):
            residents[person.door_id].append(person)
    out = []
    for change, by, person, door in rows:
        mergeable = change.kind == "added" and person.merged_into_id is None and person.status != "merged"
        out.append({
            "change": change, "by": by, "person": person, "door": door, "text": describe(change, person.full_name),
            "details": ({"phone": person.phone, "email": person.email} if may_see_details else None),
            "candidates": [p for p in residents[door.id] if p.id != person.id and p.added_id is None]
            if mergeable else []})
    return out


def merge(person: Person, into_id: int, user: User) -> Person:
    """An organizer merges a person added at the door into the imported person they are (no commit): what
    the door learnt (phone, e-mail, year of birth, language, consents) fills the imported person's empty
    fields, the new person leaves walk lists (status "merged"), and the merge is one more history row."""
    if person.added_id is None:
        raise Conflict(N_("only a person added at the door is merged into another"))
    if person.merged_into_id is not None:
        raise Conflict(N_("this person is already merged"))
    target = db.session.get(Person, into_id) if isinstance(into_id, int) else None
    if target is None or target.door_id != person.door_id or target.id == person.id:
        raise InvalidInput(N_("merge into another person of the same door"), field="into")
    if target.merged_into_id is not None:
        raise InvalidInput(N_("that person is merged into someone else"), field="into")
    filled = {}
    for name in ("phone", "email", "birth_year", "language", "consent_phone_at", "consent_email_at"):
        if getattr(target, name) is None and getattr(person, name) is not None:
            value = getattr(person, name)
            setattr(target, name, value)
            filled[name] = value.isoformat() if isinstance(value, datetime) else value
    for name in ("first_name", "last_name"):
        if not getattr(target, name) and getattr(person, name):
            setattr(target, name, getattr(person, name))
            filled[name] = getattr(person, name)
    person.status, person.status_at, person.merged_into_id = "merged", utcnow(), target.id
    office_id = db.session.scalar(select(Door.office_id).where(Door.id == person.door_id))
    db.session.add(PersonChange(office_id=office_id, door_id=person.door_id, person_id=target.id, kind="merged",
                                by_id=user.id, before={"person_id": person.id, "name": person.full_name},
                                after=filled, at=utcnow()))
    audit.record(user.id, "person.merge", "person", person.id, into=target.id, filled=sorted(filled))
    return target


# ---- languages -------------------------------------------------------------------------------------

def door_languages(door_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each door's languages: its residents' (still living there) and any a Language barrier knock named,
    each once, residents' first."""
    ids = list(door_ids)
    found: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return found
    for door_id, language in db.session.execute(
            select(Person.door_id, Person.language).where(Person.door_id.in_(ids), Person.language.is_not(None),
                                                          Person.status == "active").order_by(Person.id)):
        if language not in found[door_id]:
            found[door_id].append(language)
    for door_id, language in db.session.execute(
            select(Contact.door_id, Contact.language).where(Contact.door_id.in_(ids), Contact.language.is_not(None))
            .order_by(Contact.recorded_at)):
        if language not in found[door_id]:
            found[door_id].append(language)
    return found


def set_languages(user: User, text, actor: User) -> User:
    """The languages a volunteer canvasses in (no commit): their own profile, or their organizer's page."""
    try:
        user.languages = language_rules.parse_languages(text or "")
    except ValueError as error:
        raise InvalidInput(error, field="languages") from None
    if actor.id != user.id:
        audit.record(actor.id, "user.languages", "user", user.id, languages=user.languages)
    return user


def language_counts(door_ids: Iterable[int]) -> dict[str, int]:
    """How many of these doors speak each language (a door of two languages counts for both)."""
    counts: dict[str, int] = defaultdict(int)
    for languages in door_languages(door_ids).values():
        for code in languages:
            counts[code] += 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def suggest(volunteers: list[User], wanted: dict[str, int]) -> list[dict]:
    """The volunteers who speak a turf's households' languages, most doors first: who to hand it to."""
    suggestions = []
    for volunteer in volunteers:
        speaks = [code for code in wanted if code in (volunteer.languages or [])]
        if speaks:
            suggestions.append({"user": volunteer, "speaks": speaks, "doors": sum(wanted[c] for c in speaks)})
    return sorted(suggestions, key=lambda s: (-s["doors"], s["user"].name))


def doors_needing(office_id: int, language: str) -> list[int]:
    """Doors of the office that need a speaker of ``language``: a Language barrier there that no later
    conversation resolved, and the household's language (a resident's, or the one the knock named) is it."""
    barrier = select(Contact.door_id, func.max(Contact.recorded_at).label("at")).where(
        Contact.office_id == office_id, Contact.outcome == "language_barrier").group_by(Contact.door_id).subquery()
    rows = db.session.execute(select(barrier.c.door_id, barrier.c.at)).all()
    if not rows:
        return []
    last_talk = dict(db.session.execute(
        select(Contact.door_id, func.max(Contact.recorded_at)).where(
            Contact.door_id.in_([r.door_id for r in rows]), Contact.outcome == "talked").group_by(Contact.door_id)).all())
    open_doors = [r.door_id for r in rows if r.door_id not in last_talk or aware(last_talk[r.door_id]) < aware(r.at)]
    spoken = door_languages(open_doors)
    banned = set(db.session.scalars(select(Door.id).where(Door.id.in_(open_doors), Door.do_not_contact.is_not(None))))
    return sorted(d for d in open_doors if language in spoken.get(d, []) and d not in banned)


def make_language_turf(office, language_text: str, user: User | None, now: datetime) -> Turf:
    """A re-visit turf of the doors that need a speaker of a language (no commit), handed out like any other."""
    try:
        language = language_rules.parse_language(language_text, "language")
    except ValueError as error:
        raise InvalidInput(error, field="language") from None
    if not language:
        raise InvalidInput(N_("say which language"), field="language")
    door_ids = doors_needing(office.id, language)
    if not door_ids:
        raise NotFound(N_("no door of %(office)s is waiting for a speaker of %(value)s"),
                       office=office.name, value=language_rules.name_of(language))
    name = f"Speakers of {language_rules.name_of(language)} {now.date().isoformat()}"
    taken = set(db.session.scalars(select(Turf.name).where(Turf.office_id == office.id, Turf.name.like(f"{name}%"))))
    if name in taken:
        name = next(f"{name} ({n})" for n in range(2, len(taken) + 3) if f"{name} ({n})" not in taken)
    return turfs.build_door_turf(office, door_ids, name, user.id if user else None)


def languages_waiting(office_id: int) -> dict[str, int]:
    """Languages with doors waiting for a speaker, and how many doors each (for the office's page)."""
    codes = set(db.session.scalars(select(Contact.language).where(
        Contact.office_id == office_id, Contact.language.is_not(None)).distinct()))
    codes |= set(db.session.scalars(
        select(Person.language).join(Door, Door.id == Person.door_id).join(Contact, Contact.door_id == Door.id)
        .where(Door.office_id == office_id, Contact.outcome == "language_barrier", Person.language.is_not(None))
        .distinct()))
    waiting = {code: len(doors_needing(office_id, code)) for code in sorted(codes)}
    return {code: n for code, n in waiting.items() if n}



EXPORT_COLUMNS = ["at", "door_id", "address", "person_id", "person", "change", "by", "phone", "email", "language",
                  "birth_year", "consent_phone_at", "consent_email_at"]


def export_rows(office_id: int, may_see_details: bool, actor_id: int) -> list[list]:
    """The review list as CSV rows (header first), written to the audit log (no commit): phone numbers and
    e-mails leave the system only for those who may see them, and always traceably."""
    rows = [EXPORT_COLUMNS]
    for row in review(office_id, may_see_details):
        person = row["person"]
        details = [person.phone, person.email] if may_see_details else ["", ""]
        rows.append([aware(row["change"].at).isoformat(), row["door"].id, row["door"].address, person.id,
                     person.full_name, row["text"], row["by"] or "", *details, person.language or "",
                     person.birth_year or "",
                     aware(person.consent_phone_at).isoformat() if person.consent_phone_at else "",
                     aware(person.consent_email_at).isoformat() if person.consent_email_at else ""])
    audit.record(actor_id, "export.people", "office", office_id, rows=len(rows) - 1, contact_details=may_see_details)
    return rows
