"""Canvasses and assignments: rounds of work, and the turfs handed to volunteers for them.

Handing out a turf locks its row before reading it, so two organizers
handing out the same turf at once are served one after the other and the
second is told who was first (see ``turfs.lock_turf``). The states a turf
takes when handed out and taken back come from the transition table
(``domain/turf_states.py``): checked out while anyone holds it, open again
when the last assignment is taken back.
"""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import Text, cast, func, select

from ..domain.roles import WALKERS
from ..domain.reknock import DEFAULT_MAX_ATTEMPTS, DEFAULT_REKNOCK_HOURS
from ..domain.surveys import check_question_edit, check_questions, check_translations
from ..domain.turf_states import TransitionError, state_after_take_back, states_on_hand_out
from ..errors import Conflict, InvalidInput, NotFound
from ..extensions import db
from ..models import Assignment, Canvass, Contact, Office, Region, Turf, User
from ..models._base import utcnow
from . import audit
from .inputs import optional_text
from .turfs import lock_turf, move_to
from ..domain.text import N_

MAX_NAME = 120
MAX_SCRIPT = 20_000  # what volunteers read at the door: a few pages at most
CAN_WALK = frozenset(role.value for role in WALKERS)


def build_canvass(name: str, region_id: int, office_id: int | None, *, start: date | None = None,
                  end: date | None = None, script: str = "", questions: list | None = None,
                  created_by_id: int | None = None, reknock_hours: int = DEFAULT_REKNOCK_HOURS,
                  max_attempts: int = DEFAULT_MAX_ATTEMPTS, per_person: bool = False,
                  survey_optional: bool | None = True, translations: dict | str | None = None) -> Canvass:
    """Add a canvass for a region (``office_id`` None) or one office (no commit). With ``per_person``
    the phone asks the survey of each resident spoken with, else once per household; without
    ``survey_optional`` a conversation answers every question shown. ``translations``: the script and
    questions in other languages (``domain.surveys.check_translations``; JSON text from a form)."""
    name = _checked_name(name, region_id)
    script = optional_text(script, "script", MAX_SCRIPT)
    _check_plan(start, end, reknock_hours, max_attempts)
    try:
        questions = check_questions(questions or [])
    except ValueError as error:
        raise InvalidInput(error, field="questions") from None
    translations = _checked_translations(questions, translations)
    canvass = Canvass(name=name, region_id=region_id, office_id=office_id, start_date=start, end_date=end,
                      script=(script or "").strip(), questions=questions, created_by_id=created_by_id,
                      reknock_hours=reknock_hours, max_attempts=max_attempts, per_person=bool(per_person),
                      survey_optional=survey_optional is not False, translations=translations)
    db.session.add(canvass)
    db.session.flush()
    return canvass


def _checked_translations(questions: list, translations) -> dict:
    """Translations from a form (JSON text) or a file (an object), checked against the questions."""
    if isinstance(translations, str):
        if not translations.strip():
            return {}
        try:
            translations = json.loads(translations)
        except ValueError as error:
            raise InvalidInput(N_("translations are not JSON: %(error)s"), error=error, field="translations") from None
    try:
        return check_translations(questions, translations)
    except ValueError as error:
        raise InvalidInput(error, field="translations") from None


def _checked_name(name: str, region_id: int, canvass_id: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(N_("a canvass needs a name"), field="name")
    if len(name) > MAX_NAME:
        raise InvalidInput(N_("a canvass name has at most %(max_name)s characters"), max_name=MAX_NAME, field="name")
    clash = db.session.scalar(select(Canvass.id).where(Canvass.region_id == region_id, Canvass.name == name,
                                                       Canvass.id != (canvass_id or 0)))
    if clash:
        raise Conflict(N_("the region already has a canvass named %(name)r"), name=name)
    return name


def _check_plan(start: date | None, end: date | None, reknock_hours, max_attempts) -> None:
    if start and end and end < start:
        raise InvalidInput(N_("the canvass ends before it starts"), field="end")
    if not isinstance(reknock_hours, int) or not 1 <= reknock_hours <= 168:
        raise InvalidInput(N_("Not home doors come back after 1 to 168 hours"), field="reknock_hours")
    if not isinstance(max_attempts, int) or not 1 <= max_attempts <= 10:
        raise InvalidInput(N_("a door is knocked 1 to 10 times at most"), field="max_attempts")


def answer_counts(canvass: Canvass) -> dict[str, int]:
    """How many contacts of the canvass answered each of its questions (by key): what an edit must keep valid."""
    counts = {}
    for question in canvass.questions or []:
        # Answers are a JSON object: a key answered appears as "key": in its text. Keys are [a-z0-9_];
        # "_" is escaped so that LIKE reads it as itself.
        pattern = '%"' + question["key"].replace("_", "\\_") + '":%'
        counts[question["key"]] = db.session.scalar(
            select(func.count()).select_from(Contact)
            .where(Contact.canvass_id == canvass.id, cast(Contact.answers, Text).like(pattern, escape="\\")))
    return counts


def update_canvass(canvass: Canvass, *, name: str, start: date | None, end: date | None, script: str,
                   questions: list, reknock_hours: int, max_attempts: int, actor_id: int | None,
                   survey_optional: bool | None = None, translations: dict | str | None = None) -> Canvass:
    """Change a canvass's plan while it runs (no commit), keeping every answer already given valid
    (``domain.surveys.check_question_edit``).

    A question nobody answered may be removed, but while the canvass's turfs are in volunteers' hands it
    is hidden instead: a phone offline since it last loaded its walk list may still send answers to it,
    and those must not be refused.
    """
    name = _checked_name(name, canvass.region_id, canvass.id)
    script = optional_text(script, "script", MAX_SCRIPT)
    _check_plan(start, end, reknock_hours, max_attempts)
    before = list(canvass.questions or [])
    counts = answer_counts(canvass)
    try:
        edited = check_question_edit(before, questions, {key for key, n in counts.items() if n})
    except ValueError as error:
        raise InvalidInput(error, field="questions") from None
    kept = {q["key"] for q in edited}
    out_now = db.session.scalar(select(func.count(Assignment.id)).where(Assignment.canvass_id == canvass.id,
                                                                        Assignment.returned_at.is_(None)))
    if out_now:
        edited += [{**q, "hidden": True} for q in before if q["key"] not in kept]
    try:
        edited = check_questions(edited)
    except ValueError as error:
        raise InvalidInput(error, field="questions") from None
    changes = {field: {"was": str(old), "now": str(new)} for field, old, new in (
        ("name", canvass.name, name), ("start", canvass.start_date, start), ("end", canvass.end_date, end),
        ("reknock_hours", canvass.reknock_hours, reknock_hours), ("max_attempts", canvass.max_attempts, max_attempts))
        if old != new}
    if (script or "").strip() != canvass.script:
        changes["script"] = "changed"
    if translations is not None:
        translations = _checked_translations(edited, translations)
        if translations != (canvass.translations or {}):
            changes["translations"] = sorted(translations)
        canvass.translations = translations
    if survey_optional is not None and bool(survey_optional) != canvass.survey_optional:
        changes["survey_optional"] = {"was": canvass.survey_optional, "now": bool(survey_optional)}
        canvass.survey_optional = bool(survey_optional)
    if edited != before:
        changes["questions"] = {"was": [q["key"] for q in before], "now": [q["key"] for q in edited],
                                "hidden": [q["key"] for q in edited if q.get("hidden")]}
    canvass.name, canvass.start_date, canvass.end_date = name, start, end
    canvass.script, canvass.questions = (script or "").strip(), edited
    canvass.reknock_hours, canvass.max_attempts = reknock_hours, max_attempts
    if changes:
        audit.record(actor_id, "canvass.edit", "canvass", canvass.id, **changes)
    return canvass


def canvasses_for_office(office: Office) -> list[Canvass]:
    """The canvasses an office can work on: its own and its region's, newest first."""
    return list(db.session.scalars(
        select(Canvass).where(Canvass.region_id == office.region_id,
                              Canvass.office_id.is_(None) | (Canvass.office_id == office.id))
        .order_by(Canvass.start_date.desc().nulls_last(), Canvass.id.desc())))


def canvasses_for_region(region: Region) -> list[Canvass]:
    return list(db.session.scalars(select(Canvass).where(Canvass.region_id == region.id)
                                   .order_by(Canvass.start_date.desc().nulls_last(), Canvass.id.desc())))


def canvass_by_name(name: str, office: Office | None = None, region: Region | None = None) -> Canvass:
    query = select(Canvass).where(Canvass.name == name)
    if office is not None:
        query = query.where(Canvass.region_id == office.region_id)
    if region is not None:
        query = query.where(Canvass.region_id == region.id)
    canvass = db.session.scalar(query.order_by(Canvass.id))
    if canvass is None:
        raise NotFound(N_("no canvass named %(name)r"), name=name)
    return canvass


def canvass_of_office(canvass_id: int, office_id: int) -> Canvass:
    """A canvass the office works on (its own or its region's), else NotFound."""
    office = db.session.get(Office, office_id)
    canvass = db.session.get(Canvass, canvass_id)
    if canvass is None or office is None or canvass.region_id != office.region_id \
            or canvass.office_id not in (None, office.id):
        raise NotFound(N_("no canvass with id %(canvass_id)s for this office"), canvass_id=canvass_id)
    return canvass


def _check_walker(volunteer: User, turf: Turf) -> None:
    if volunteer.role not in CAN_WALK:
        raise InvalidInput(N_("%(email)s is a %(role)s, not a volunteer"),
                           email=volunteer.email, role=volunteer.role, field="volunteer")
    if volunteer.office_id != turf.office_id:
        raise InvalidInput(N_("%(email)s works for another office"), email=volunteer.email, field="volunteer")
    if not volunteer.active:
        raise InvalidInput(N_("%(email)s is no longer active"), email=volunteer.email, field="volunteer")


def open_assignments(turf_id: int) -> list[tuple[Assignment, User]]:
    return list(db.session.execute(
        select(Assignment, User).join(User, User.id == Assignment.volunteer_id)
        .where(Assignment.turf_id == turf_id, Assignment.returned_at.is_(None))
        .order_by(Assignment.assigned_at, Assignment.id)).all())


def hand_out(turf_id: int, volunteers: list[User], canvass: Canvass, assigned_by_id: int | None, *,
             adding: bool = False) -> list[Assignment]:
    """Check a turf out to one or more volunteers for a canvass (no commit).

    A turf already checked out is refused, naming who has it, unless
    ``adding`` more volunteers to the same canvass: that is how two
    organizers racing for one turf learn that one of them was first.
    """
    if not volunteers:
        raise InvalidInput(N_("choose at least one volunteer"), field="volunteers")
    turf = lock_turf(turf_id)
    if turf is None:
        raise NotFound(N_("no turf with id %(turf_id)s"), turf_id=turf_id)
    if canvass.office_id not in (None, turf.office_id):
        raise InvalidInput(N_("that canvass is for another office"), field="canvass")
    office_region = db.session.scalar(select(Office.region_id).where(Office.id == turf.office_id))
    if canvass.region_id != office_region:
        raise InvalidInput(N_("that canvass is for another region"), field="canvass")
    for volunteer in volunteers:
        _check_walker(volunteer, turf)
    holders = open_assignments(turf.id)
    if holders:
        other_canvass = [a for a, _ in holders if a.canvass_id != canvass.id]
        if not adding or other_canvass:
            names = ", ".join(sorted({user.name for _, user in holders}))
            raise Conflict(N_("%(turf)s is already checked out to %(names)s; take it back first"),
                           turf=turf.name, names=names)
    try:
        path = states_on_hand_out(turf.state)
    except TransitionError as error:
        raise Conflict(N_("%(turf)s cannot be handed out: %(error)s"), turf=turf.name, error=error) from None
    for state in path:
        move_to(turf, state, assigned_by_id)
    already = {user.id for _, user in holders}
    made = []
    for volunteer in volunteers:
        if volunteer.id in already:
            raise Conflict(N_("%(turf)s is already handed to %(email)s"),
                           turf=turf.name, email=volunteer.email)
        assignment = Assignment(turf_id=turf.id, volunteer_id=volunteer.id, canvass_id=canvass.id,
                                assigned_by_id=assigned_by_id, assigned_at=utcnow())
        db.session.add(assignment)
        made.append(assignment)
    db.session.flush()
    return made


def assign(turf_id: int, volunteer: User, canvass: Canvass, assigned_by_id: int | None) -> Assignment:
    """Hand a turf to one more volunteer for a canvass (no commit)."""
    return hand_out(turf_id, [volunteer], canvass, assigned_by_id, adding=True)[0]


def take_back(assignment: Assignment, by_id: int | None) -> Turf:
    """End an assignment; when nobody holds the turf any more it is open again (no commit)."""
    if assignment.returned_at is not None:
        raise Conflict(N_("that assignment was already taken back"))
    turf = lock_turf(assignment.turf_id)
    assignment.returned_at = utcnow()
    db.session.flush()
    still_out = db.session.scalar(select(func.count(Assignment.id)).where(
        Assignment.turf_id == turf.id, Assignment.returned_at.is_(None)))
    after = state_after_take_back(turf.state, still_out)
    if after.value != turf.state:
        move_to(turf, after, by_id)
    return turf


def current_canvass_for(turf: Turf) -> Canvass | None:
    """The canvass a turf is being walked for: its newest open assignment's, else the office's newest canvass."""
    assigned = db.session.scalar(
        select(Canvass).join(Assignment, Assignment.canvass_id == Canvass.id)
        .where(Assignment.turf_id == turf.id, Assignment.returned_at.is_(None))
        .order_by(Assignment.assigned_at.desc(), Assignment.id.desc()).limit(1))
    if assigned is not None:
        return assigned
    office = db.session.get(Office, turf.office_id)
    canvasses = canvasses_for_office(office)
    return canvasses[0] if canvasses else None
