"""Contacts from phones: a batch in, one answer per contact out, each contact written whole or not at all.

A contact is ``created``, a ``duplicate`` (its UUID is already stored: a
phone repeating a batch it never heard back about), or ``rejected`` with the
reason. Every check runs before anything is written, the good contacts go in
with one INSERT ... ON CONFLICT DO NOTHING, the summaries the dashboards
read are brought up to date for the doors touched, and the batch is one
transaction: if the server fails half-way, nothing is stored and the phone's
retry writes it all. Two phones racing with the same UUID cannot both
create it: the database's primary key decides.
"""
from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.contacts import MAX_UUID_TEXT, ContactIn, parse_contact
from ..domain.followups import due_date
from ..domain.roles import Role
from ..domain.outcomes import BY_CODE as OUTCOMES
from ..domain.surveys import check_answers, unanswered
from ..domain.time_zones import local_day
from ..domain.trust import metres_between
from ..errors import Conflict, InvalidInput
from ..extensions import db
from ..models import (Assignment, Block, Canvass, Contact, Door, FollowUp, Office, Person, Turf, TurfDoor, User,
                      VolunteerDay)
from ..models._base import utcnow
from . import consequences, listening, people, recruits, summaries, teams, trust
from .prepared import per_database, run
from ..domain.text import N_

MAX_BATCH = 500


class BatchTooLarge(InvalidInput):
    status = 413


class BatchRefused(InvalidInput):
    """An all-or-nothing batch with refused contacts: ``refusals`` holds (position in the batch, reason)."""

    def __init__(self, refusals: list[tuple[int, str]]):
        super().__init__("; ".join(f"contact {n + 1}: {reason}" for n, reason in refusals[:5]), field="contacts")
        self.refusals = refusals


def _rejected(raw: Any, reason: str) -> dict:
    """The result of a refused contact: its id as sent, when that is short text the phone can match."""
    sent = raw.get("id") if isinstance(raw, dict) else None
    return {"id": sent if isinstance(sent, str) and len(sent) <= MAX_UUID_TEXT else None, "status": "rejected",
            "error": reason}


def _check_owner(user: User, owner: Any) -> None:
    """A phone names who recorded the batch (``owner``, a user id): on a shared phone the contacts of
    one volunteer must never be stored as the next one's, whoever's session sends them."""
    if owner is None:
        return
    if isinstance(owner, float) and owner.is_integer():  # JSON does not tell 7 from 7.0
        owner = int(owner)
    if isinstance(owner, bool) or not isinstance(owner, int):
        raise InvalidInput(N_("owner is the id of the user who recorded the contacts"), field="owner")
    if owner != user.id:
        raise Conflict(N_("these contacts were recorded by someone else on this phone: they are sent when that person signs in "
                          "again"))


def sync_contacts(user: User, body: Any, *, all_or_nothing: bool = False) -> list[dict]:
    """Store a batch of contacts from ``user``'s phone (no commit); one result per contact, in order.
    With ``all_or_nothing`` (a paper sheet typed in), one refused contact refuses the whole batch."""
    if not isinstance(body, dict) or not isinstance(body.get("contacts"), list):
        raise InvalidInput(N_('send a JSON object {"contacts": [...]}'), field="contacts")
    _check_owner(user, body.get("owner"))
    raws = body["contacts"]
    if len(raws) > MAX_BATCH:
        raise BatchTooLarge(f"a batch holds at most {MAX_BATCH} contacts, this one has {len(raws)}: "
                            "send them in smaller batches", field="contacts")
    now = utcnow()
    results: list[dict | None] = [None] * len(raws)
    parsed: list[tuple[int, ContactIn]] = []
    for index, raw in enumerate(raws):
        try:
            parsed.append((index, parse_contact(raw, now)))
        except ValueError as error:
            results[index] = _rejected(raw, str(error))
    facts = _Facts(user, [contact for _, contact in parsed])
    rows, seen, refused_ids = [], set(), {}
    for index, contact in parsed:
        if contact.id in seen:
            results[index] = {"id": contact.id, "status": "duplicate"}
            continue
        reason, row = facts.check(contact)
        if reason:
            results[index] = _rejected({"id": contact.id}, reason)
            refused_ids.setdefault(contact.id, []).append(index)
            continue
        seen.add(contact.id)
        rows.append((index, contact, row))
    # A UUID already stored is a duplicate whatever the checks say now (its turf may have been taken back
    # since). The insert below skips stored UUIDs among the accepted contacts by itself, so only the refused
    # ones are looked up: one statement fewer for every batch that is all good.
    if refused_ids:
        for contact_id in run(_statements().stored, {"ids": sorted(refused_ids)}).scalars():
            for index in refused_ids[contact_id]:
                results[index] = {"id": contact_id, "status": "duplicate"}
    refused = [(index, result["error"]) for index, result in enumerate(results)
               if result and result["status"] == "rejected"]
    if all_or_nothing and refused:
        raise BatchRefused(refused)
    # People added and corrected at the door go in first, with the contacts about to be stored (a
    # repeated contact is a duplicate and carries nobody): a contact may name a person just added.
    people_results, added_ids = people.record([(contact, row["office_id"]) for _, contact, row in rows
                                               if contact.people_added or contact.people_changed], user.id)
    refs = {contact.person_ref for _, contact, _ in rows if contact.person_ref and contact.person_ref not in added_ids}
    added_ids.update({ref: person_id for ref, (person_id, _) in people.added_at(refs).items()})
    named = []
    for index, contact, row in rows:
        if contact.person_ref and contact.person_ref not in added_ids:  # the contact adding them was refused
            results[index] = _rejected({"id": contact.id}, f"person {contact.person_ref} was not added: the "
                                                           "contact that added them was refused")
            continue
        named.append((index, replace(contact, person_id=added_ids[contact.person_ref]) if contact.person_ref
                      else contact, row))
    rows = named
    created = _insert(rows, user.id, now)
    stored = [{"office_id": row["office_id"], "canvass_id": contact.canvass_id, "volunteer_id": user.id,
               "recorded_at": contact.recorded_at, "outcome": contact.outcome, "day": facts.days[contact.id]}
              for _, contact, row in rows if contact.id in created]
    summaries.refresh_doors((contact.door_id for _, contact, _ in rows if contact.id in created),
                            supporters=any(summaries.SUPPORT_KEY in row["answers"]
                                           for _, contact, row in rows if contact.id in created))
    added = summaries.count_knocks(stored)
    consequences.apply(contact for _, contact, _ in rows if contact.id in created)
    # The volunteer's counts per canvass came with the assignments (before this batch): add the batch's own.
    totals = {canvass_id: (knocks + added.get((user.id, canvass_id), (0, 0))[0],
                           talks + added.get((user.id, canvass_id), (0, 0))[1])
              for canvass_id, (knocks, talks) in facts.knocked.items()}
    trust.flag_new(user.id, [(contact, row) for _, contact, row in rows if contact.id in created], totals)
    noted: dict[int, list[dict]] = {}
    for _, contact, row in rows:
        if contact.id in created and contact.note:
            noted.setdefault(row["office_id"], []).append(
                {"id": contact.id, "note": contact.note, "recorded_at": contact.recorded_at})
    for office_id, contacts in noted.items():
        listening.tag_notes(office_id, contacts=contacts)
    follow_ups = []
    for index, contact, row in rows:
        if contact.id in created:
            results[index] = {"id": contact.id, "status": "created", **people_results.get(contact.id, {})}
            follow_ups += facts.follow_ups(contact, row)
        else:  # another phone or retry stored the same UUID a moment ago
            results[index] = {"id": contact.id, "status": "duplicate"}
    if follow_ups:
        # A team that owns its doors' promises: its leader owes them, not the office's organizer.
        owners = teams.promise_owners({f.door_id for f in follow_ups})
        for follow_up in follow_ups:
            follow_up.owner_id = owners.get(follow_up.door_id, follow_up.owner_id)
        db.session.add_all(follow_ups)
        recruits.from_promises(follow_ups)  # "wants to volunteer": a prospect for the Recruits page
    return results


class _Facts:
    """What the checks need from the database, fetched once per batch with grouped queries."""

    def __init__(self, user: User, contacts: list[ContactIn]):
        self.user = user
        self.days: dict[str, date] = {}  # contact id -> its day on its office's clock (set by check)
        statements = _statements()
        door_ids = sorted({c.door_id for c in contacts})
        # The doors are locked as they are read, in id order (PostgreSQL; SQLite has one writer anyway):
        # two phones at one door take turns, so each recomputes its summaries with the other's contacts.
        self.doors = {row.id: row for row in run(statements.doors, {"ids": door_ids})} if door_ids else {}
        assignments = run(statements.assignments, {"volunteer": user.id}).all()
        self.assigned = {(row.turf_id, row.canvass_id) for row in assignments}
        # Doors may also be on re-visit turfs (chosen doors) handed to this volunteer, or, in a block
        # divided between turfs, on the block turf that holds them door by door.
        self.revisits: dict[int, list[int]] = {}
        divided = any(row.divided for row in self.doors.values())
        assigned_turfs = {row.turf_id for row in assignments if row.kind == "doors" or divided}
        if door_ids and assigned_turfs:
            for door_id, turf_id in db.session.execute(
                    select(TurfDoor.door_id, TurfDoor.turf_id)
                    .where(TurfDoor.door_id.in_(door_ids), TurfDoor.turf_id.in_(assigned_turfs))
                    .order_by(TurfDoor.turf_id)):
                self.revisits.setdefault(door_id, []).append(turf_id)
        # The canvasses come with the assignments; another canvass is read only to name it in a refusal.
        canvasses = {row.canvass_id: row for row in assignments}
        others = {c.canvass_id for c in contacts} - set(canvasses)
        if others:
            canvasses.update({row.canvass_id: row for row in run(statements.canvasses, {"ids": sorted(others)})})
        self.questions = {canvass_id: row.questions for canvass_id, row in canvasses.items()}
        self.survey_optional = {canvass_id: row.survey_optional for canvass_id, row in canvasses.items()}
        self.ends = {canvass_id: row.end_date for canvass_id, row in canvasses.items()}
        # The volunteer's knocks and conversations so far in each assigned canvass (for the rate flag).
        self.knocked = {row.canvass_id: (int(row.knocks), int(row.conversations)) for row in assignments}
        person_ids = {c.person_id for c in contacts if c.person_id}
        person_ids |= {change.person_id for c in contacts for change in c.people_changed}
        self.people = people.people_at(person_ids)
        # People added at a door whom a contact names: stored already, or added by a contact of this batch
        # (in any order: a phone's outbox does not keep a visit's contacts in order).
        self.added = {added.id: c.door_id for c in contacts for added in c.people_added}
        self.added.update({ref: door for ref, (_, door) in
                           people.added_at({c.person_ref for c in contacts if c.person_ref}).items()})
        # Due days and owners only matter when a promise was made.
        office_ids = {door.office_id for door in self.doors.values()} if any(c.follow_ups for c in contacts) else set()
        self.office_days, self.owner = {}, {}
        if office_ids:
            for office_id, settings in db.session.execute(
                    select(Office.id, Office.settings).where(Office.id.in_(office_ids))):
                self.office_days[office_id] = (settings or {}).get("follow_up_days", {})
            for office_id, organizer_id in db.session.execute(
                    select(User.office_id, User.id).where(User.office_id.in_(office_ids),
                                                          User.role == Role.ORGANIZER.value, User.active)
                    .order_by(User.id.desc())):
                self.owner[office_id] = organizer_id  # the office's first organizer owns new promises

    def check(self, contact: ContactIn) -> tuple[str | None, dict | None]:
        door = self.doors.get(contact.door_id)
        if door is None:
            return f"no door with id {contact.door_id}", None
        if contact.canvass_id not in self.questions:
            return f"no canvass with id {contact.canvass_id}", None
        ends = self.ends[contact.canvass_id]
        # The contact's day on its office's clock, computed once: the canvass's last day, the volunteer's
        # day and a promise's due date all count it.
        day = self.days[contact.id] = local_day(contact.recorded_at, door.time_zone)
        # Made offline before the end: still welcome. The last day is the office's, so an evening knock in
        # Los Angeles (already tomorrow in UTC) still counts.
        if ends is not None and day > ends:
            return f"canvass {contact.canvass_id} ended on {ends.isoformat()}: its turfs are no longer handed out", None
        turf_id = next((t for t in [door.turf_id, *self.revisits.get(contact.door_id, [])]
                        if (t, contact.canvass_id) in self.assigned), None)
        if turf_id is None:
            return (f"door {contact.door_id} is not in a turf handed to you for canvass {contact.canvass_id}",
                    None)
        if contact.person_id and self.people.get(contact.person_id) != contact.door_id:
            return f"person {contact.person_id} does not live at door {contact.door_id}", None
        if contact.person_ref and self.added.get(contact.person_ref) != contact.door_id:
            return f"person {contact.person_ref} was not added at door {contact.door_id}", None
        for number, change in enumerate(contact.people_changed, start=1):
            if self.people.get(change.person_id) != contact.door_id:
                return f"people_changed {number}: person {change.person_id} does not live at door {contact.door_id}", None
        questions = self.questions[contact.canvass_id] or []
        try:
            answers = check_answers(questions, contact.answers)
        except ValueError as error:
            return str(error), None
        if OUTCOMES[contact.outcome].opens_survey and not self.survey_optional[contact.canvass_id]:
            missing = unanswered(questions, answers)
            if missing:
                return (f"this canvass's survey is not optional: answer {missing[0]!r} "
                        f"({len(missing)} question{'s' if len(missing) > 1 else ''} unanswered)"), None
        distance = (None if contact.lat is None else
                    round(metres_between(contact.lat, contact.lon, door.lat, door.lon), 1))
        return None, {"office_id": door.office_id, "turf_id": turf_id, "answers": answers, "distance_m": distance}

    def follow_ups(self, contact: ContactIn, row: dict) -> list[FollowUp]:
        made_on = self.days[contact.id]  # the office's day
        return [FollowUp(office_id=row["office_id"], door_id=contact.door_id, person_id=contact.person_id,
                         contact_id=contact.id, kind=kind, owner_id=self.owner.get(row["office_id"]),
                         due_date=due_date(kind, made_on, self.office_days.get(row["office_id"])))
                for kind in contact.follow_ups]


def _insert(rows: list[tuple[int, ContactIn, dict]], volunteer_id: int, now) -> set[str]:
    """Insert the contacts, skipping UUIDs already stored; the ids actually written."""
    if not rows:
        return set()
    values = []
    for _, contact, row in rows:
        fields = asdict(contact)
        fields.pop("follow_ups")
        fields.pop("do_not_contact")  # carried out on the door or person, not stored on the knock
        fields.pop("people_added")    # written as people and their history (services.people)
        fields.pop("people_changed")
        fields.pop("person_ref")      # resolved into person_id
        fields.update(row, volunteer_id=volunteer_id, received_at=now)
        values.append(fields)
    # One statement, built once: the rows go as parameters, not as a new VALUES list each time.
    return set(run(_statements().insert, values).scalars())


@per_database
def _statements(dialect_name: str) -> SimpleNamespace:
    """The checks' reads and the insert, built once (``services.prepared``)."""
    contact, door, block = Contact.__table__, Door.__table__, Block.__table__
    assignment, turf, canvass, office = Assignment.__table__, Turf.__table__, Canvass.__table__, Office.__table__
    days = VolunteerDay.__table__

    def so_far(column):  # the volunteer's count in the assignment's canvass, over every day
        return (select(func.coalesce(func.sum(column), 0))
                .where(days.c.volunteer_id == assignment.c.volunteer_id, days.c.canvass_id == assignment.c.canvass_id)
                .scalar_subquery())
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    ids = bindparam("ids", expanding=True)
    return SimpleNamespace(
        stored=select(contact.c.id).where(contact.c.id.in_(ids)),
        doors=select(door.c.id, door.c.office_id, door.c.lat, door.c.lon, block.c.turf_id, block.c.divided,
                     office.c.time_zone)
        .join(block, block.c.id == door.c.block_id).join(office, office.c.id == door.c.office_id)
        .where(door.c.id.in_(ids)).order_by(door.c.id)
        .with_for_update(of=door),
        assignments=select(assignment.c.turf_id, assignment.c.canvass_id, turf.c.kind, canvass.c.questions,
                           canvass.c.end_date, canvass.c.survey_optional, so_far(days.c.knocks).label("knocks"),
                           so_far(days.c.conversations).label("conversations"))
        .join(turf, turf.c.id == assignment.c.turf_id).join(canvass, canvass.c.id == assignment.c.canvass_id)
        .where(assignment.c.volunteer_id == bindparam("volunteer"), assignment.c.returned_at.is_(None)),
        canvasses=select(canvass.c.id.label("canvass_id"), canvass.c.questions, canvass.c.end_date,
                         canvass.c.survey_optional)
        .where(canvass.c.id.in_(ids)),
        insert=dialect.insert(contact).on_conflict_do_nothing(index_elements=["id"]).returning(contact.c.id),
    )
