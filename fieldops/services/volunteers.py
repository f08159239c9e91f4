"""Nobody who helped is taken for granted: each volunteer's ladder stage, shifts attended and missed, last
activity, conversations and promises kept; who has gone quiet (a "check in with them" task); one-on-one notes
on the volunteer's own timeline; and the lead's figures per office. No commit here."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from ..domain import volunteers as ladder
from ..domain.office_settings import quiet_volunteer_days
from ..domain.roles import Role
from ..domain.time_zones import local_day
from ..errors import Conflict, NotFound
from ..extensions import db
from ..models import (Contact, FollowUp, Office, Prospect, Shift, ShiftSignup, Team, TeamMember, User, VolunteerDay,
                      VolunteerNote)
from ..models._base import utcnow
from . import audit, coverage, users
from .inputs import required_text
from .portable import aware
from ..domain.text import N_

VOLUNTEER_ROLES = (Role.VOLUNTEER.value, Role.TEAM_LEADER.value)
MAX_NOTE = 4000


def _people(office: Office, team: Team | None) -> list[User]:
    query = select(User).where(User.office_id == office.id, User.role.in_(VOLUNTEER_ROLES), User.active.is_(True))
    if team is not None:
        query = query.join(TeamMember, TeamMember.user_id == User.id).where(TeamMember.team_id == team.id)
    return list(db.session.scalars(query.order_by(User.name)))


def attendance(user_ids: list[int], now: datetime) -> dict[int, dict]:
    """Per volunteer: shifts attended, shifts missed (signed up, started, not come) and the last one attended."""
    out = {user_id: {"attended": 0, "missed": 0, "last_shift": None} for user_id in user_ids}
    if not user_ids:
        return out
    for user_id, starts_at, attended_at in db.session.execute(
            select(ShiftSignup.user_id, Shift.starts_at, ShiftSignup.attended_at)
            .join(Shift, Shift.id == ShiftSignup.shift_id).where(ShiftSignup.user_id.in_(user_ids))):
        row = out[user_id]
        if attended_at is not None:
            row["attended"] += 1
            start = aware(starts_at)
            row["last_shift"] = max(row["last_shift"] or start, start)
        elif aware(starts_at) <= now:
            row["missed"] += 1
    return out


def people(office: Office, now: datetime | None = None, team: Team | None = None) -> dict:
    """The Volunteers page of an office (or of one team): each volunteer's figures, and the quiet ones."""
    now = now or utcnow()
    users = _people(office, team)
    ids = [u.id for u in users]
    shifts = attendance(ids, now)
    worked = {user_id: (conversations, last_day) for user_id, conversations, last_day in db.session.execute(
        select(VolunteerDay.volunteer_id, func.sum(VolunteerDay.conversations), func.max(VolunteerDay.day))
        .where(VolunteerDay.volunteer_id.in_(ids), VolunteerDay.office_id == office.id)
        .group_by(VolunteerDay.volunteer_id))} if ids else {}
    kept = dict(db.session.execute(
        select(Contact.volunteer_id, func.count(FollowUp.id)).join(Contact, Contact.id == FollowUp.contact_id)
        .where(Contact.volunteer_id.in_(ids), FollowUp.done_at.is_not(None)).group_by(Contact.volunteer_id)).all()) \
        if ids else {}
    leaders = set(db.session.scalars(select(TeamMember.user_id).where(TeamMember.user_id.in_(ids),
                                                                      TeamMember.leader.is_(True)))) if ids else set()
    open_tasks = set(db.session.scalars(select(VolunteerNote.volunteer_id).where(
        VolunteerNote.volunteer_id.in_(ids), VolunteerNote.kind == "check_in", VolunteerNote.done_at.is_(None)))) \
        if ids else set()
    today = local_day(now, office.time_zone)
    quiet_days = quiet_volunteer_days(office.settings)
    rows = []
    for user in users:
        s = shifts[user.id]
        conversations, last_knock = worked.get(user.id, (0, None))
        last_shift_day = local_day(s["last_shift"], office.time_zone) if s["last_shift"] else None
        last = max([d for d in (last_shift_day, last_knock) if d is not None], default=None)
        rows.append({
            "user": user, "stage": ladder.ladder_stage(leads_team=user.role == Role.TEAM_LEADER.value and user.id in leaders,
                                                       shifts_attended=s["attended"]),
            "attended": s["attended"], "missed": s["missed"], "last_activity": last,
            "conversations": int(conversations or 0), "promises_kept": int(kept.get(user.id, 0)),
            "quiet": ladder.is_quiet(last_shift_day, local_day(user.created_at, office.time_zone), today, quiet_days),
            "check_in_open": user.id in open_tasks})
    return {"rows": rows, "quiet": [r for r in rows if r["quiet"]], "quiet_days": quiet_days,
            "stage_labels": ladder.STAGE_LABELS}


def ask_check_in(volunteer: User, actor: User) -> VolunteerNote:
    """The one-tap "check in with them" task, owed by whoever tapped it (one open at a time). No commit."""
    open_task = db.session.scalar(select(VolunteerNote).where(VolunteerNote.volunteer_id == volunteer.id,
                                                              VolunteerNote.kind == "check_in",
                                                              VolunteerNote.done_at.is_(None)))
    if open_task is not None:
        raise Conflict(N_("a check-in with %(volunteer)s is already on someone's list"),
                       volunteer=volunteer.name)
    task = VolunteerNote(office_id=volunteer.office_id, volunteer_id=volunteer.id, author_id=actor.id,
                         kind="check_in", note=f"Check in with {volunteer.name}")
    db.session.add(task)
    db.session.flush()
    return task


def add_note(volunteer: User, actor: User, text: str) -> VolunteerNote:
    """A one-on-one note on the volunteer's timeline; it keeps any open check-in task. No commit."""
    text = required_text(text, "note", MAX_NOTE, "write what you talked about")
    now = utcnow()
    for task in db.session.scalars(select(VolunteerNote).where(VolunteerNote.volunteer_id == volunteer.id,
                                                               VolunteerNote.kind == "check_in",
                                                               VolunteerNote.done_at.is_(None))):
        task.done_at = now
    note = VolunteerNote(office_id=volunteer.office_id, volunteer_id=volunteer.id, author_id=actor.id, kind="note",
                         note=text, created_at=now)
    db.session.add(note)
    db.session.flush()
    audit.record(actor.id, "volunteer.note", "user", volunteer.id)
    return note


def timeline(volunteer: User, now: datetime | None = None) -> dict:
    """The volunteer's own timeline: notes and check-ins, shifts signed up for, where they were recruited."""
    now = now or utcnow()
    notes = db.session.execute(
        select(VolunteerNote, User.name).outerjoin(User, User.id == VolunteerNote.author_id)
        .where(VolunteerNote.volunteer_id == volunteer.id)
        .order_by(VolunteerNote.created_at.desc(), VolunteerNote.id.desc())).all()
    shifts = db.session.execute(
        select(ShiftSignup, Shift).join(Shift, Shift.id == ShiftSignup.shift_id)
        .where(ShiftSignup.user_id == volunteer.id).order_by(Shift.starts_at.desc())).all()
    recruited = db.session.scalar(select(Prospect).where(Prospect.user_id == volunteer.id))
    return {"notes": notes, "shifts": [{"signup": s, "shift": sh, "missed": s.attended_at is None
                                        and aware(sh.starts_at) <= now} for s, sh in shifts],
            "recruited": recruited, "figures": attendance([volunteer.id], now)[volunteer.id]}


def team_of(user: User) -> Team | None:
    membership = db.session.get(TeamMember, user.id)
    return db.session.get(Team, membership.team_id) if membership else None


def person(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role not in VOLUNTEER_ROLES or user.office_id is None:
        raise NotFound(N_("no volunteer with id %(user_id)s"), user_id=user_id)
    return user


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def lead_figures(offices: list[Office], now: datetime | None = None) -> dict[int, dict]:
    """Per office: volunteers active this week and last (a knock or a shift attended, Monday to Sunday on the
    office's clock), new recruits from the doors who joined this week and last, and retention (the share of
    volunteers who came to a first shift and came back)."""
    now = now or utcnow()
    out = {}
    for office in offices:
        today = local_day(now, office.time_zone)
        this_week = _week_start(today)
        last_week = this_week - timedelta(days=7)
        days: dict[int, list[date]] = {}
        for user_id, day in db.session.execute(
                select(VolunteerDay.volunteer_id, VolunteerDay.day).where(VolunteerDay.office_id == office.id,
                                                                           VolunteerDay.day >= last_week)):
            days.setdefault(user_id, []).append(day)
        attended: dict[int, int] = {}
        for user_id, starts_at in db.session.execute(
                select(ShiftSignup.user_id, Shift.starts_at).join(Shift, Shift.id == ShiftSignup.shift_id)
                .where(Shift.office_id == office.id, ShiftSignup.attended_at.is_not(None),
                       ShiftSignup.user_id.is_not(None))):
            attended[user_id] = attended.get(user_id, 0) + 1
            days.setdefault(user_id, []).append(local_day(aware(starts_at), office.time_zone))
        joined = [local_day(aware(at), office.time_zone) for at in db.session.scalars(
            select(Prospect.joined_at).where(Prospect.office_id == office.id, Prospect.joined_at.is_not(None)))]
        kept = ladder.retention(attended)
        out[office.id] = {
            "active_this_week": ladder.active_between(days, this_week, this_week + timedelta(days=6)),
            "active_last_week": ladder.active_between(days, last_week, this_week - timedelta(days=1)),
            "recruits_this_week": sum(1 for d in joined if d >= this_week),
            "recruits_last_week": sum(1 for d in joined if last_week <= d < this_week),
            "recruits": len(joined),
            "first_shift_volunteers": kept.first_timers, "came_back": kept.came_back, "retention": kept.share}
    return out


def region_figures(region, window) -> dict:
    """The region comparison's figures with each office's volunteers (active this week and last, recruits,
    retention): what the API serves and ``flask coverage --region`` prints, from one place."""
    figures = coverage.region_coverage(region, window)
    people = lead_figures(users.region_offices(region))
    for office in figures["offices"]:
        office["volunteers"] = people.get(office["id"])
    return figures
