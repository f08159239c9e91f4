"""Typing a paper walk list back in: one row per door in the printed order, with the sheet's own codes for
outcomes, answers and promises (``domain/paper.py``)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..domain.outcomes import OUTCOMES
from ..domain.paper import SheetRow, answer_codes, answer_hint, door_code, promise_legend, question_name
from ..errors import FieldopsError, InvalidInput
from ..i18n import error_text
from .. import unit_of_work
from ..models._base import utcnow
from ..services import access, canvassing, paper, walklists
from ..services.inputs import parse_day
from ..domain.text import N_

bp = Blueprint("paper", __name__)


def sheet_helpers() -> dict:
    """What the printed sheet and the type-in page both use to show the sheet's codes."""
    return {"door_code": door_code, "question_name": question_name, "answer_codes": answer_codes,
            "answer_hint": answer_hint, "promise_legend": promise_legend}


def _rows(walk: dict, questions: list[dict]) -> list[SheetRow]:
    """What was typed beside each printed door (the inputs are named by door id, not by position)."""
    form = request.form
    return [SheetRow(door_id=door["id"], outcome=form.get(f"o{door['id']}", ""), note=form.get(f"n{door['id']}", ""),
                     answers={q["key"]: form.get(f"a{door['id']}-{q['key']}", "") for q in questions},
                     promises=form.get(f"p{door['id']}", ""))
            for door in walk["doors"]]


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
                raise InvalidInput(N_("hand this turf out for a canvass first"), field="canvass")
            volunteer_id = request.form.get("volunteer", "")
            volunteer = next((w for w in walkers if str(w.id) == volunteer_id), None)
            if volunteer is None:
                raise InvalidInput(N_("choose the volunteer named on the list (one the turf is handed to)"),
                                   field="volunteer")
            stored = paper.record_sheet(turf, canvass, volunteer, parse_day(request.form.get("day"), "day"),
                                        _rows(walk, canvass.questions or []), current_user)
        except FieldopsError as error:
            unit_of_work.undo()
            return _page(turf, canvass, walk, walkers, error, request.form), error.status
        flash(ngettext("%(num)d contact from the paper list recorded for %(volunteer)s.",
                       "%(num)d contacts from the paper list recorded for %(volunteer)s.", stored,
                       volunteer=volunteer.name), "success")
        return redirect(url_for("main.turf", turf_id=turf.id))
    return _page(turf, canvass, walk, walkers, None, {})


def _page(turf, canvass, walk, walkers, error: FieldopsError | None, form):
    return render_template("turfs/paper.html", turf=turf, canvass=canvass, walk=walk, walkers=walkers,
                           error=error_text(error) if error else None, form=form,
                           error_field=getattr(error, "field", None), error_row=getattr(error, "row", None),
                           error_column=getattr(error, "column", None), today=utcnow().date().isoformat(),
                           outcomes=OUTCOMES, questions=(canvass.questions or []) if canvass else [],
                           **sheet_helpers())
