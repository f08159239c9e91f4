"""The organizer's turf workspace: the office map, drawing and auto-cutting turfs, editing, the printed packet, export.

Views only translate HTTP to ``services.turfs`` calls; the map editor script
(static/js/turf-editor.js) talks to the JSON routes here.
"""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from ..domain.outcomes import OUTCOMES
from ..domain.surveys import asked_questions
from ..domain.turf_drawing import scale_bar
from ..errors import InvalidInput
from ..maps.office_map import STATE_COLOURS, UNASSIGNED_EDGE, door_legend, map_parts, viewport_office_map
from ..services import access, audit, cut_jobs, map_view, turf_map, turfs, universes, walklists
from .labels import OUTCOMES as OUTCOME_LABELS, TURF_STATE_LEGEND, TURF_STATES
from .paper import sheet_helpers
from .security import csp_nonce, request_json
from ..domain.text import N_

bp = Blueprint("turfs", __name__)


def _json_body() -> dict:
    body = request_json()
    if not isinstance(body, dict):
        raise InvalidInput(N_("send a JSON object"), field="body")
    return body


def _ids(body: dict, field: str) -> list[int]:
    values = body.get(field, [])
    if not isinstance(values, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise InvalidInput(N_("%(field_name)s must be a list of block ids"), field_name=field, field=field)
    return values


@bp.get("/offices/<int:office_id>/turfs")
@login_required
def workspace(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    live_turfs = turfs.office_map_data(office, with_blocks=False)[1]
    # The page embeds no block: the editor asks for what its viewport shows (services/map_view.py).
    fmap = viewport_office_map(url_for("maps.office_view", office_id=office.id, layer="turfs"),
                               map_view.office_extent(office),
                               vendor_prefix=url_for("static", filename="vendor").rstrip("/"))
    return render_template("turfs/workspace.html", office=office, map=map_parts(fmap, nonce=csp_nonce()),
                           turfs=live_turfs, turf_bounds=map_view.turf_bounds(live_turfs),
                           free_blocks=map_view.free_block_count(office),
                           next_name=turfs.next_turf_name(office), legend=_legend(),
                           state_colours=STATE_COLOURS, unassigned_edge=UNASSIGNED_EDGE,
                           state_labels=TURF_STATE_LEGEND, turf_states=TURF_STATES,
                           targeted_canvasses=universes.canvasses_with_universe(office))


def _legend() -> list[tuple[str, str]]:
    """The map's door-count legend in the page's language (the map module writes it in figures and English)."""
    translated = []
    for label, colour in door_legend():
        if label == "0 doors":
            label = _("0 doors")
        elif label.endswith("+ doors"):
            label = _("%(num)s+ doors", num=label.removesuffix("+ doors"))
        translated.append((label, colour))
    return translated


@bp.post("/offices/<int:office_id>/turfs/preview")
@login_required
def preview(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    return jsonify(turfs.blocks_in_polygon(office, _json_body().get("polygon")))


@bp.post("/offices/<int:office_id>/turfs")
@login_required
def create(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    body = _json_body()
    turf = turfs.build_turf(office, _ids(body, "blocks"), body.get("name") or turfs.next_turf_name(office),
                            current_user.id)
    return jsonify(id=turf.id, name=turf.name, doors=turf.door_count, state=turf.state), 201


@bp.post("/offices/<int:office_id>/turfs/cut")
@login_required
def cut(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    try:
        target = int(request.form.get("doors", ""))
    except ValueError:
        raise InvalidInput(N_("give the number of doors per turf as a whole number"), field="doors") from None
    canvass_id = (request.form.get("canvass") or "").strip()
    canvass = weights = None
    if canvass_id:
        if not canvass_id.isdigit():
            raise InvalidInput(N_("choose a canvass from the list"), field="canvass")
        canvass = access.require_canvass_for_office(current_user, int(canvass_id), office.id)
        weights = turfs.TargetedDoors(office, canvass.id)
    turfs.check_target(target)  # before a job is queued with it
    if cut_jobs.needs_job(office):  # too many blocks to plan inside the request: a worker cuts them
        job = cut_jobs.submit_cut(office, current_user, target, canvass)
        return redirect(url_for("jobs.status", job_id=job.id), code=303)
    result = turfs.auto_cut(office, target, current_user.id, weights=weights)
    if result.turfs:
        flash(turfs.cut_summary(result, say=_), "success")
    else:
        flash(_("Every block already belongs to a turf: there was nothing to cut."), "info")
    return redirect(url_for("turfs.workspace", office_id=office.id))


@bp.get("/offices/<int:office_id>/turfs.geojson")
@login_required
def export(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    collection = turfs.turfs_geojson(office)
    audit.record(current_user.id, "export.turfs", "office", office.id, turfs=len(collection["features"]))
    return Response(json.dumps(collection, ensure_ascii=False), mimetype="application/geo+json",
                    headers={"Content-Disposition": f'attachment; filename="turfs-{office.id}.geojson"'})


@bp.post("/turfs/<int:turf_id>/blocks")
@login_required
def change_blocks(turf_id: int):
    turf = access.require_turf(current_user, turf_id, manage=True)
    body = _json_body()
    turfs.change_blocks(turf, _ids(body, "add"), _ids(body, "remove"), current_user.id)
    return jsonify(id=turf.id, name=turf.name, doors=turf.door_count, state=turf.state)


def _back_to(turf_id: int | None, office_id: int):
    if turf_id is None:
        return redirect(url_for("turfs.workspace", office_id=office_id))
    return redirect(url_for("main.turf", turf_id=turf_id))


@bp.post("/turfs/<int:turf_id>/rename")
@login_required
def rename(turf_id: int):
    turf = access.require_turf(current_user, turf_id, manage=True)
    turfs.rename(turf, request.form.get("name", ""), current_user.id)
    flash(_("Renamed to %(name)s.", name=turf.name), "success")
    return _back_to(turf.id, turf.office_id)


@bp.post("/turfs/<int:turf_id>/state")
@login_required
def change_state(turf_id: int):
    turf = access.require_turf(current_user, turf_id, manage=True)
    turfs.change_state(turf, request.form.get("state", ""), current_user.id)
    flash(_("%(name)s is now %(state)s.", name=turf.name, state=TURF_STATES.get(turf.state, turf.state)), "success")
    return _back_to(turf.id, turf.office_id)


@bp.post("/turfs/<int:turf_id>/split")
@login_required
def split(turf_id: int):
    turf = access.require_turf(current_user, turf_id, manage=True)
    parts = turfs.split(turf, current_user.id)
    pieces = ", ".join(ngettext("%(name)s (%(num)d door)", "%(name)s (%(num)d doors)", p.door_count, name=p.name)
                       for p in parts)
    flash(_("Split into %(parts)s.", parts=pieces), "success")
    return _back_to(turf.id, turf.office_id)


@bp.post("/turfs/<int:turf_id>/merge")
@login_required
def merge(turf_id: int):
    turf = access.require_turf(current_user, turf_id, manage=True)
    try:
        other_id = int(request.form.get("other", ""))
    except ValueError:
        raise InvalidInput(N_("choose the turf to merge with"), field="other") from None
    other = access.require_turf(current_user, other_id, manage=True)
    name = other.name
    turfs.merge(turf, other, current_user.id)
    flash(ngettext("Merged %(other)s into %(name)s: now %(num)d door.", "Merged %(other)s into %(name)s: now %(num)d doors.",
                  turf.door_count, other=name, name=turf.name), "success")
    return _back_to(turf.id, turf.office_id)


@bp.post("/turfs/<int:turf_id>/delete")
@login_required
def delete(turf_id: int):
    turf = access.require_turf(current_user, turf_id, manage=True)
    office_id, name = turf.office_id, turf.name
    turfs.delete_turf(turf, current_user.id)
    flash(_("Deleted %(name)s; its blocks are free again.", name=name), "success")
    return _back_to(None, office_id)


@bp.get("/turfs/<int:turf_id>/print")
@login_required
def print_walklist(turf_id: int):
    turf = access.require_turf(current_user, turf_id)
    canvass = walklists.canvass_for_viewer(turf, current_user)
    walk = walklists.walklist(turf, canvass)
    return render_template("turfs/print.html", turf=turf, walk=walk, canvass=canvass,
                           drawing=turf_map.packet_map(turf, walk), scale_bar=scale_bar,
                           zone=turfs.office_of(turf).time_zone, printed_at=datetime.now(timezone.utc),
                           questions=asked_questions(canvass.questions) if canvass else [],
                           outcomes=[dataclasses.replace(o, label=str(OUTCOME_LABELS.get(o.code, o.label))) for o in OUTCOMES],
                           **sheet_helpers())

