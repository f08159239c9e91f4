"""The Volunteers pages (per office, per team): the ladder, shifts attended and missed, who has gone quiet;
and each volunteer's own timeline of one-on-one notes (their organizers and their team leader only)."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import unit_of_work
from ..errors import FieldopsError
from ..i18n import error_text
from ..extensions import db
from ..models import Office
from ..services import access, volunteers
from .labels import ROLES, STAGES

bp = Blueprint("volunteers", __name__)


def _now() -> datetime:
    return datetime.now(timezone.utc)


@bp.get("/offices/<int:office_id>/volunteer-ladder")
@login_required
def office_people(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    return render_template("volunteers/people.html", office=office, team=None,
                           **{**volunteers.people(office, _now()), "stage_labels": STAGES})


@bp.get("/teams/<int:team_id>/volunteer-ladder")
@login_required
def team_people(team_id: int):
    team = access.require_team(current_user, team_id, work=True)
    office = db.session.get(Office, team.office_id)
    return render_template("volunteers/people.html", office=office, team=team,
                           **{**volunteers.people(office, _now(), team=team), "stage_labels": STAGES})


def _person(user_id: int):
    person = volunteers.person(user_id)
    access.require_volunteer_timeline(current_user, person)
    return person


def _back(person):
    team_id = request.form.get("team", type=int)
    if team_id:
        return redirect(url_for("volunteers.team_people", team_id=team_id))
    if request.form.get("back") == "office":
        return redirect(url_for("volunteers.office_people", office_id=person.office_id))
    return redirect(url_for("volunteers.timeline", user_id=person.id))


@bp.post("/people/<int:user_id>/check-in")
@login_required
def ask_check_in(user_id: int):
    person = _person(user_id)
    volunteers.ask_check_in(person, current_user)
    flash(_("Check in with %(name)s: it is on your list, and done when you write a note of the talk.", name=person.name),
          "success")
    return _back(person)


@bp.get("/people/<int:user_id>")
@login_required
def timeline(user_id: int):
    person = _person(user_id)
    return render_template("volunteers/timeline.html", person=person, office=person.office, role_labels=ROLES,
                           team=volunteers.team_of(person), **volunteers.timeline(person, _now()))


@bp.post("/people/<int:user_id>/notes")
@login_required
def add_note(user_id: int):
    person = _person(user_id)
    try:
        volunteers.add_note(person, current_user, request.form.get("note", ""))
    except FieldopsError as error:
        unit_of_work.undo()
        return render_template("volunteers/timeline.html", person=person, office=person.office, role_labels=ROLES,
                               team=volunteers.team_of(person), error=error_text(error),
                               **volunteers.timeline(person, _now())), error.status
    flash(_("Note kept on their timeline."), "success")
    return redirect(url_for("volunteers.timeline", user_id=person.id))
