"""Typing a paper walk list back in: one row per door in the printed order, outcomes by their initials."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..domain.outcomes import OUTCOMES
from ..domain.paper import door_code
from ..errors import FieldopsError, InvalidInput
from .. import unit_of_work
from ..services import access, canvassing, paper, walklists
from ..services.inputs import parse_day

bp = Blueprint("paper", __name__)


@bp.route("/turfs/<int:turf_id>/paper", methods=["GET", "POST"])
@login_required
def entry(turf_id: int):
    turf = access.require_turf(current_user, turf_id, manage=True)
    canvass = walklists.canvass_for_viewer(turf, None)
    walk = walklists.walklist(turf, canvass)
    walkers = [user for _, user in canvassing.open_assignments(turf.id)]
    if request.method == "POST":
        try:
            if canvass is None:
                raise InvalidInput("hand this turf out for a canvass first", field="canvass")
            volunteer_id = request.form.get("volunteer", "")
            volunteer = next((w for w in walkers if str(w.id) == volunteer_id), None)
            if volunteer is None:
                raise InvalidInput("choose the volunteer named on the list (one the turf is handed to)",
                                   field="volunteer")
            rows = [(door["id"], request.form.get(f"o{door['id']}", ""), request.form.get(f"n{door['id']}", ""))
                    for door in walk["doors"]]
            stored = paper.record_sheet(turf, canvass, volunteer, parse_day(request.form.get("day"), "day"), rows,
                                        current_user)
        except FieldopsError as error:
            unit_of_work.undo()
            return _page(turf, canvass, walk, walkers, error.message, request.form), error.status
        flash(f"{stored} contacts from the paper list recorded for {volunteer.name}.", "success")
        return redirect(url_for("main.turf", turf_id=turf.id))
    return _page(turf, canvass, walk, walkers, None, {})


def _page(turf, canvass, walk, walkers, error, form):
    return render_template("turfs/paper.html", turf=turf, canvass=canvass, walk=walk, walkers=walkers, error=error,
                           form=form, outcomes=OUTCOMES, door_code=door_code)
