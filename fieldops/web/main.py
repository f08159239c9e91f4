"""The landing page for each role, and the territory pages."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..domain.roles import Role
from ..extensions import db
from ..services import access, canvassing, idle_turfs, overview, people, shifts, teams, turf_map, turfs, users, walklists
from .labels import OUTCOMES, TURF_STATES

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home():
    role = Role(current_user.role)
    if role is Role.VOLUNTEER:
        return redirect(url_for("main.my_turfs"))
    if role is Role.TEAM_LEADER:
        return redirect(url_for("teams.my_team"))
    if role is Role.ORGANIZER:
        return redirect(url_for("main.office", office_id=current_user.office_id))
    if role is Role.LEAD:
        return redirect(url_for("main.region", region_id=current_user.region_id))
    return redirect(url_for("main.regions"))


@bp.get("/regions")
@login_required
def regions():
    return render_template("regions.html", regions=db.session.scalars(access.visible_regions(current_user)).all(),
                           may_shape=access.may_shape_regions(current_user))


@bp.get("/regions/<int:region_id>")
@login_required
def region(region_id: int):
    region = access.require_region(current_user, region_id)
    return render_template("region.html", region=region, offices=overview.region_overview(region),
                           may_shape=access.may_shape_region(current_user, region.id))


@bp.get("/offices/<int:office_id>")
@login_required
def office(office_id: int):
    office = access.require_office(current_user, office_id)
    return render_template("office.html", **overview.office_overview(office),
                           may_shape=access.may_shape_office(current_user, office), turf_states=TURF_STATES)


@bp.get("/turfs/<int:turf_id>")
@login_required
def turf(turf_id: int):
    turf = access.require_turf(current_user, turf_id)
    manage = access.may_manage(current_user, turf.office_id)
    office = access.require_office(current_user, turf.office_id) if manage else None
    offer = turfs.offered(turf) if manage else None  # the actions that will succeed, and only those
    walk = walklists.walklist(turf, walklists.canvass_for_viewer(turf, current_user))
    walkers = users.office_volunteers(office) if manage else []
    spoken = people.language_counts(door["id"] for door in walk["doors"])
    return render_template(
        "turf.html", walk=walk, turf=turf, turf_map=turf_map.page_map(turf, walk), spoken=spoken,
        suggested=people.suggest(walkers, spoken),
        manage=manage, offer=offer,
        others=turfs.merge_candidates(turf) if offer and offer.reshape else [],
        history=turfs.history(turf) if manage else [],
        holders=canvassing.open_assignments(turf.id),
        canvasses=canvassing.canvasses_for_office(office) if manage else [],
        walkers=walkers,
        mine=access.has_open_assignment(current_user, turf.id), zone=turfs.office_of(turf).time_zone,
        turf_states=TURF_STATES, outcome_labels=OUTCOMES)


@bp.get("/my/turfs")
@login_required
def my_turfs():
    now = datetime.now(timezone.utc)
    team = teams.my_team(current_user)
    upcoming = shifts.upcoming_for_team(current_user.office_id, teams.neighborhood_of(current_user), now) \
        if current_user.office_id else []
    return render_template("my_turfs.html", turfs=walklists.my_turfs(current_user),
                           quiet=idle_turfs.my_quiet_turfs(current_user, now), team=team, shifts=upcoming[:3])
