"""Turfs that have gone quiet in a volunteer's hands. Assignments never expire on a timer: an
assignment lasts until its canvass ends or an organizer takes it back. Instead, a turf with no knock
for the office's idle days is listed for its organizer, and its volunteer is told on My turfs."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select

from ..domain import office_settings
from ..extensions import db
from ..models import Assignment, Canvass, Contact, Office, Turf, User
from .portable import aware


def _quiet_assignments(conditions: list, now: datetime, days_of) -> list[dict]:
    last_knock = (select(func.max(Contact.recorded_at)).where(Contact.turf_id == Assignment.turf_id,
                                                               Contact.canvass_id == Assignment.canvass_id)
                  .scalar_subquery())
    rows = db.session.execute(
        select(Assignment, Turf, User.name, Canvass.name, Office.settings, last_knock.label("last_knock"))
        .join(Turf, Turf.id == Assignment.turf_id).join(User, User.id == Assignment.volunteer_id)
        .join(Canvass, Canvass.id == Assignment.canvass_id).join(Office, Office.id == Turf.office_id)
        .where(Assignment.returned_at.is_(None), *conditions,
               or_(Canvass.end_date.is_(None), Canvass.end_date >= now.date()))
        .order_by(Turf.name, User.name)).all()
    quiet = []
    for assignment, turf, volunteer, canvass, settings, last in rows:
        days = days_of(settings)
        since = aware(last) or aware(assignment.assigned_at)
        if now - since >= timedelta(days=days):
            quiet.append({"assignment_id": assignment.id, "turf_id": turf.id, "turf": turf.name,
                          "volunteer": volunteer, "canvass": canvass, "assigned_on": aware(assignment.assigned_at).date(),
                          "assigned_at": aware(assignment.assigned_at),
                          "last_knock": aware(last), "days_quiet": (now - since).days, "idle_days": days})
    return quiet


def idle_turfs(office: Office, now: datetime) -> list[dict]:
    """The office's turfs in volunteers' hands with no knock for its idle days (7 unless set), quietest first."""
    quiet = _quiet_assignments([Turf.office_id == office.id], now, office_settings.idle_days)
    return sorted(quiet, key=lambda q: -q["days_quiet"])


def my_quiet_turfs(user: User, now: datetime) -> dict[int, dict]:
    """This volunteer's turfs that have gone quiet, by turf id: what My turfs tells them."""
    return {q["turf_id"]: q for q in _quiet_assignments([Assignment.volunteer_id == user.id], now,
                                                        office_settings.idle_days)}
