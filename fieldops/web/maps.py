"""The office maps' viewport data: blocks (or cells) in a bounding box at a zoom, as JSON.

``static/js/viewport-map.js`` asks for it on every move of the coverage map (office dashboard) and the
turf workspace; ``services.map_view`` answers. The coverage layer is for whoever may see the office,
the turfs layer for whoever may change it (as the workspace is).
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required

from ..errors import InvalidInput
from ..services import access, coverage, map_view
from ..domain.text import N_

bp = Blueprint("maps", __name__)


@bp.get("/offices/<int:office_id>/map/<layer>")
@login_required
def office_view(office_id: int, layer: str):
    if layer not in map_view.LAYERS:
        raise InvalidInput(N_("layer must be one of %(names)s"), names=', '.join(map_view.LAYERS), field="layer")
    office = access.require_office(current_user, office_id, manage=layer == "turfs")
    window = coverage.parse_window(request.args, office.region_id)
    box, zoom = map_view.parse_view(request.args, default_box=map_view.office_extent(office))
    return jsonify(map_view.office_view(office, layer, window, box, zoom))
