"""Neighborhood teams: the office's teams (organizers make them), a team's page (its leaders and the office's
organizers work it: hand out its turfs to its members, see its coverage and promises)."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, gettext as _
from flask_login import current_user, login_required

from .. import unit_of_work
from ..errors import FieldopsError, InvalidInput
from ..i18n import error_text
from .local_time import local_date
from .pacing_chart import goal_chart
from ..services import access, canvassing, goals, shifts, teams, turfs, users
from ..services.inputs import parse_day, parse_id
from ..domain.text import N_

bp = Blueprint("teams", __name__)


def _teams_page(office, status: int = 200, **extra):
    rows = [{"team": team, "members": teams.members(team), "turfs": teams.team_turfs(team)}
            for team in teams.office_teams(office)]
    return render_template("teams/list.html", office=office, teams=rows, turfs=turfs.office_turfs(office.id),
                           form=extra.pop("form", {}), **extra), status


@bp.route("/offices/<int:office_id>/teams", methods=["GET", "POST"])
@login_required
def office_teams(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    if request.method == "POST":
        try:
            team = teams.create_team(office, request.form.get("name", ""), current_user.id,
                                     turf_ids=request.form.getlist("turfs", type=int),
                                     owns_promises=request.form.get("owns_promises") == "yes")
        except FieldopsError as error:
            unit_of_work.undo()
            return _teams_page(office, error.status, error=error_text(error), form=request.form)
        flash(_("Team %(name)s made. Add its members and leaders.", name=team.name), "success")
        return redirect(url_for("teams.team", team_id=team.id))
    return _teams_page(office)


def _team_page(team, status: int = 200, **extra):
    work = access.may_work_team(current_user, team)
    overview = teams.team_overview(team, datetime.now(timezone.utc)) if work else None
    pacing = goals.team_pacing(team) if work else None
    chart = goal_chart(pacing["chart"], pacing["goal_doors"], pacing["due_date"]) \
        if pacing and pacing["chart"] else None
    team_shifts = shifts.team_shifts(team) if work else []
    office = access.require_office(current_user, team.office_id) if access.may_manage(current_user, team.office_id) \
        else None
    return render_template(
        "teams/team.html", team=team, work=work, shape=office is not None, overview=overview,
        members=teams.members(team), team_turfs=teams.team_turfs(team),
        office_turfs=turfs.office_turfs(team.office_id) if office else [],
        candidates=[u for u in users.office_volunteers(office) if u.role != "organizer"] if office else [],
        canvasses=canvassing.canvasses_for_office(office) if office else [],
        shifts=team_shifts, pacing=pacing, pacing_chart=chart, **extra), status


@bp.get("/teams/<int:team_id>")
@login_required
def team(team_id: int):
    return _team_page(access.require_team(current_user, team_id))


@bp.post("/teams/<int:team_id>/turfs")
@login_required
def set_turfs(team_id: int):
    team = access.require_team(current_user, team_id, shape=True)
    teams.set_turfs(team, request.form.getlist("turfs", type=int), current_user.id)
    teams.set_owns_promises(team, request.form.get("owns_promises") == "yes", current_user.id)
    flash(_("The turfs and promises of %(name)s saved.", name=team.name), "success")
    return redirect(url_for("teams.team", team_id=team.id))


@bp.post("/teams/<int:team_id>/goal")
@login_required
def set_goal(team_id: int):
    """The team's own goal for a canvass (the office's organizers set it; without one the team is paced on
    its share of the office's goal)."""
    team = access.require_team(current_user, team_id, shape=True)
    office = access.require_office(current_user, team.office_id, manage=True)
    form = {key: request.form.get(key, "") for key in ("canvass", "doors", "conversations", "by")}
    try:
        canvass_id = parse_id(form["canvass"], "canvass")
        if canvass_id is None:
            raise InvalidInput(N_("choose a canvass"), field="canvass")
        goal = goals.set_goal(canvassing.canvass_of_office(canvass_id, office.id), office, doors=form["doors"],
                              conversations=form["conversations"], due=parse_day(form["by"], "by"),
                              actor_id=current_user.id, team=team)
    except FieldopsError as error:
        unit_of_work.undo()
        return _team_page(team, status=error.status, goal_form=form, goal_error=error_text(error))
    flash(_("Goal for %(team)s: %(doors)s doors and %(conversations)s conversations by %(day)s.", team=team.name,
            doors=format_decimal(goal.doors), conversations=format_decimal(goal.conversations),
            day=local_date(goal.due_date)), "success")
    return redirect(url_for("teams.team", team_id=team.id))


@bp.post("/teams/<int:team_id>/members")
@login_required
def add_member(team_id: int):
    team = access.require_team(current_user, team_id, shape=True)
    user_id = request.form.get("user_id", type=int)
    person = users.volunteer_or_leader(team.office_id, user_id)
    teams.add_member(team, person, current_user.id, leader=request.form.get("leader") == "yes")
    flash(_("%(person)s is on %(team)s as a team leader.", person=person.name, team=team.name)
          if request.form.get("leader") == "yes" else _("%(person)s is on %(team)s.", person=person.name, team=team.name),
          "success")
    return redirect(url_for("teams.team", team_id=team.id))


@bp.post("/teams/<int:team_id>/members/<int:user_id>/remove")
@login_required
def remove_member(team_id: int, user_id: int):
    team = access.require_team(current_user, team_id, shape=True)
    person = users.volunteer_or_leader(team.office_id, user_id)
    teams.remove_member(team, person, current_user.id)
    flash(_("%(person)s is no longer on %(team)s.", person=person.name, team=team.name), "success")
    return redirect(url_for("teams.team", team_id=team.id))


@bp.post("/teams/<int:team_id>/turfs/<int:turf_id>/hand-out")
@login_required
def hand_out(team_id: int, turf_id: int):
    """Hand one of the team's turfs to members of the team (its leaders and the office's organizers may)."""
    team = access.require_team(current_user, team_id, work=True)
    turf = access.require_turf_hand_out(current_user, turf_id)
    if access.turf_team_id(turf.id) != team.id:
        raise InvalidInput(N_("%(turf)s is not one of %(team)s's turfs"), turf=turf.name, team=team.name, field="turf")
    try:
        canvass_id = int(request.form.get("canvass", ""))
    except ValueError:
        raise InvalidInput(N_("choose a canvass"), field="canvass") from None
    canvass = canvassing.canvass_of_office(canvass_id, turf.office_id)
    walkers = teams.team_walkers(team, request.form.getlist("volunteers", type=int))
    canvassing.hand_out(turf.id, walkers, canvass, current_user.id, adding=request.form.get("adding") == "1")
    flash(_("%(turf)s handed to %(walkers)s for %(canvass)s.", turf=turf.name, walkers=", ".join(w.name for w in walkers),
            canvass=canvass.name), "success")
    return redirect(url_for("teams.team", team_id=team.id))


@bp.get("/my/team")
@login_required
def my_team():
    membership = teams.my_team(current_user)
    if membership is None:
        return render_template("teams/none.html")
    return redirect(url_for("teams.team", team_id=membership["id"]))
