"""A canvass's page for an office: its target universe (previewed with its counts before it is saved)
and its goals. Every figure comes from ``services.universes`` and ``services.goals``."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, gettext as _
from flask_login import current_user, login_required

from .. import unit_of_work
from ..domain.consequences import PERSON_STATUS_LABELS
from ..domain.universes import LABELS, STATUSES, SUPPORT_VALUES, describe, is_chase, parse_definition
from ..errors import FieldopsError, InvalidInput
from ..i18n import error_text
from ..services import access, goals, universes, users, voted
from ..services.inputs import parse_day
from ..services.turfs import office_turfs
from .local_time import local_date
from ..domain.text import N_

bp = Blueprint("targets", __name__)


def _page(office, canvass, *, status: int = 200, universe_form=None, preview=None, universe_error=None,
          goal_form=None, goal_error=None, rebuilt=None):
    spec = universes.spec_of(canvass.id)
    current = universes.counts(spec, canvass, office.id) if spec is not None else None
    if universe_form is None:  # the universe as saved, in the form's terms
        universe_form = _form_of(spec.as_dict() if spec is not None else {})
    return render_template(
        "targets/canvass.html", office=office, canvass=canvass, spec=spec, current=current, form=universe_form,
        preview=preview, universe_error=universe_error, labels=LABELS, support_values=SUPPORT_VALUES,
        statuses=[(s, PERSON_STATUS_LABELS[s]) for s in STATUSES],
        may_target=access.may_target_canvass(current_user, canvass),
        tags=universes.known_tags([office.id]), goals=goals.canvass_goals(canvass, office),
        goal_form=goal_form or {}, goal_error=goal_error, turfs=office_turfs(office.id),
        volunteers=users.office_volunteers(office), chase=is_chase(spec), rebuilt=rebuilt,
        universe_words=_words, preview_words=_words(parse_definition(preview["definition"])) if preview else []), status


def _words(spec) -> list[str]:
    """The universe described in the page's language (the domain words it through gettext)."""
    return describe(spec, say=_, status_labels={s: _(label) for s, label in PERSON_STATUS_LABELS.items()})


def _form_of(definition: dict) -> dict:
    """A saved definition as the form's fields."""
    form = {key: definition[key] for key in ("not_spoken_days", "age_min", "age_max") if key in definition}
    for key in ("contacted_this", "contacted_other", "voted"):
        if key in definition:
            form[key] = "yes" if definition[key] else "no"
    form["support"] = [str(s) for s in definition.get("support", [])]
    form["status"] = definition.get("status", ["active"])
    form["tags"] = "; ".join(f"{name}={','.join(values)}" for name, values in definition.get("tags", {}).items())
    return form


def _posted_form() -> dict:
    form = {key: request.form.get(key, "") for key in ("contacted_this", "contacted_other", "voted",
                                                       "not_spoken_days", "age_min", "age_max", "tags")}
    form["support"] = request.form.getlist("support")
    form["status"] = request.form.getlist("status") or ["active"]
    return form


@bp.get("/offices/<int:office_id>/canvasses/<int:canvass_id>")
@login_required
def canvass_page(office_id: int, canvass_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    canvass = access.require_canvass_for_office(current_user, canvass_id, office.id)
    return _page(office, canvass)


@bp.post("/offices/<int:office_id>/canvasses/<int:canvass_id>/universe")
@login_required
def universe(office_id: int, canvass_id: int):
    """Preview (``action=preview``: counts, nothing saved), save, or clear the canvass's universe."""
    office = access.require_office(current_user, office_id, manage=True)
    canvass = access.require_canvass_targeting(current_user, canvass_id, office.id)
    action = request.form.get("action", "preview")
    if action == "clear":
        universes.clear(canvass, current_user.id)
        flash(_("%(canvass)s targets every door again.", canvass=canvass.name), "success")
        return redirect(url_for("targets.canvass_page", office_id=office.id, canvass_id=canvass.id))
    form = _posted_form()
    try:
        definition = universes.definition_from_form(request.form)
        if action == "save":
            spec = universes.save(canvass, definition, current_user.id)
            counted = universes.counts(spec, canvass, office.id)
            flash(_("Universe saved: %(people)s people at %(doors)s doors in %(office)s. Walk lists, the auto-cut "
                    "and coverage now count its doors; every contact already made stays.",
                    people=format_decimal(counted["people"]), doors=format_decimal(counted["doors"]), office=office.name),
                  "success")
            return redirect(url_for("targets.canvass_page", office_id=office.id, canvass_id=canvass.id))
        preview = universes.preview(definition, canvass, office.id)
    except FieldopsError as error:
        unit_of_work.undo()
        return _page(office, canvass, status=error.status, universe_form=form, universe_error=error_text(error))
    return _page(office, canvass, universe_form=form, preview=preview)


@bp.post("/offices/<int:office_id>/canvasses/<int:canvass_id>/goals")
@login_required
def set_goal(office_id: int, canvass_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    canvass = access.require_canvass_for_office(current_user, canvass_id, office.id)
    form = {key: request.form.get(key, "") for key in ("doors", "conversations", "by", "turf", "volunteer")}
    try:
        turf = volunteer = None
        if form["turf"]:
            if not form["turf"].isdigit():
                raise InvalidInput(N_("choose a turf from the list"), field="turf")
            turf = access.require_turf(current_user, int(form["turf"]), manage=True)
        if form["volunteer"]:
            if not form["volunteer"].isdigit():
                raise InvalidInput(N_("choose a volunteer from the list"), field="volunteer")
            volunteer = users.office_walkers(office.id, [int(form["volunteer"])])[0]
        goal = goals.set_goal(canvass, office, doors=form["doors"], conversations=form["conversations"],
                              due=parse_day(form["by"], "by"), actor_id=current_user.id, turf=turf,
                              volunteer=volunteer)
    except FieldopsError as error:
        unit_of_work.undo()
        return _page(office, canvass, status=error.status, goal_form=form, goal_error=error_text(error))
    flash(_("Goal set: %(doors)s doors and %(conversations)s conversations by %(date)s.",
            doors=format_decimal(goal.doors), conversations=format_decimal(goal.conversations),
            date=local_date(goal.due_date)), "success")
    return redirect(url_for("targets.canvass_page", office_id=office.id, canvass_id=canvass.id))


@bp.post("/offices/<int:office_id>/canvasses/<int:canvass_id>/chase/rebuild")
@login_required
def rebuild_chase(office_id: int, canvass_id: int):
    """Rebuild the office's chase walk lists from the universe (assignments stay): the page lists each
    assigned turf's doors left and dropped."""
    office = access.require_office(current_user, office_id, manage=True)
    canvass = access.require_canvass_for_office(current_user, canvass_id, office.id)
    try:
        rebuilt = voted.rebuild_chase(canvass, office, current_user.id)
    except FieldopsError as error:
        unit_of_work.undo()
        flash(error_text(error), "error")
        return _page(office, canvass, status=error.status)
    totals = rebuilt["totals"]
    flash(_("Walk lists rebuilt: %(doors)s doors to chase in %(office)s, %(dropped)s dropped because everyone "
            "there has voted.", doors=totals["doors"], office=office.name, dropped=totals["dropped_voted"]), "success")
    return _page(office, canvass, rebuilt=rebuilt)


__all__ = ["bp", "parse_definition"]
