"""The JSON API, versioned under /api/v1: session cookie or ``Authorization: Bearer TOKEN``."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, jsonify, request
from flask_login import current_user

from ..errors import InvalidInput, NotFound
from ..extensions import login_manager
from ..services import access, coverage, sync, walklists
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
    return jsonify(walklists.walklist(turf, walklists.canvass_for_viewer(turf, current_user)))


@bp.post("/contacts")
def contacts():
    return jsonify(results=sync.sync_contacts(current_user, request.get_json(silent=True)))


def _window(region_id: int) -> coverage.Window:
    """The canvass and dates asked for in the query string (?canvass_id=&start=&end=)."""
    def day(name: str) -> date | None:
        text = request.args.get(name)
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise InvalidInput(f"{text!r} is not a date (YYYY-MM-DD)", field=name) from None
    canvass_id = request.args.get("canvass_id")
    if canvass_id is not None:
        if not canvass_id.isdigit():
            raise InvalidInput("canvass_id must be a whole number", field="canvass_id")
        canvass_id = int(canvass_id)
        if access.canvass_region(canvass_id) != region_id:
            raise NotFound(f"no canvass with id {canvass_id} in this region")
    return coverage.Window(canvass_id, day("start"), day("end"))


@bp.get("/offices/<int:office_id>/coverage")
def office_coverage(office_id: int):
    office = access.require_office(current_user, office_id)
    return jsonify(coverage.office_coverage(office, _window(office.region_id)))


@bp.get("/regions/<int:region_id>/coverage")
def region_coverage(region_id: int):
    region = access.require_region(current_user, region_id)
    return jsonify(coverage.region_coverage(region, _window(region.id)))
