"""The JSON API, versioned under /api/v1: session cookie or ``Authorization: Bearer TOKEN``."""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_login import current_user

from ..extensions import login_manager
from ..services import access, coverage, live, shifts, sync, teams, volunteers, walklists
from ..web.security import request_json
from .openapi import OPENAPI

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Routes anyone may read; every other route needs a signed-in user.
PUBLIC_ENDPOINTS = {"api.openapi"}


@bp.before_request
def _require_user():
    if request.endpoint not in PUBLIC_ENDPOINTS and not current_user.is_authenticated:
        return login_manager.unauthorized()


@bp.get("/openapi.json")
def openapi():
    return jsonify(OPENAPI)


@bp.get("/me/turfs")
def me_turfs():
    return jsonify(turfs=walklists.my_turfs(current_user))


@bp.get("/turfs/<int:turf_id>/walklist")
def turf_walklist(turf_id: int):
    turf = access.require_turf(current_user, turf_id)
    return jsonify(walklists.walklist(turf, walklists.canvass_for_viewer(turf, current_user), viewer=current_user))


@bp.post("/contacts")
def contacts():
    return jsonify(results=sync.sync_contacts(current_user, request_json("contacts")))


@bp.get("/offices/<int:office_id>/coverage")
def office_coverage(office_id: int):
    office = access.require_office(current_user, office_id)
    return jsonify(coverage.office_coverage(office, coverage.parse_window(request.args, office.region_id)))


@bp.get("/offices/<int:office_id>/live")
def office_live(office_id: int):
    """The live map's data: today's knocks and conversations by block, and each turf's last knock."""
    return jsonify(live.office_live(access.require_office(current_user, office_id)))


@bp.get("/regions/<int:region_id>/live")
def region_live(region_id: int):
    return jsonify(live.region_live(access.require_region(current_user, region_id)))


@bp.get("/regions/<int:region_id>/coverage")
def region_coverage(region_id: int):
    region = access.require_region(current_user, region_id)
    return jsonify(volunteers.region_figures(region, coverage.parse_window(request.args, region.id)))


@bp.get("/me/team")
def me_team():
    """The signed-in volunteer's or team leader's team: name, members, turfs (``team`` null when on none)."""
    return jsonify(team=teams.my_team(current_user, with_pacing=True))


@bp.get("/offices/<int:office_id>/shifts")
def office_shifts(office_id: int):
    """The office's shifts, soonest first, with sign-ups and attendance counted (its organizers, lead, admins)."""
    office = access.require_office(current_user, office_id)
    return jsonify(shifts=[{**{k: v for k, v in shift.items() if k != "token"},
                            "starts_at": shift["starts_at"].isoformat(), "ends_at": shift["ends_at"].isoformat(),
                            "sign_up_url": shifts_link(shift["token"])}
                           for shift in shifts.office_shifts(office)])


def shifts_link(token: str) -> str:
    from ..web.mails import link
    return link("shifts.sign_up", token=token)
