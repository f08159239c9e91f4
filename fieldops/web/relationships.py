"""Relationships: the office's promises and who owes them, neglected supporters and their re-visit turf,
turfs gone quiet in volunteers' hands, and the office's own settings."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from ..domain import office_settings, result_codes, time_zones
from ..domain.followups import FOLLOW_UP_KINDS
from ..errors import FieldopsError, InvalidInput
from ..i18n import error_text, refusal_text
from .. import unit_of_work
from ..services import (access, canvassing, committee_exports, followups, idle_turfs, listening, relationships,
                        territory, trust, users)

bp = Blueprint("relationships", __name__)


def _now() -> datetime:
    return datetime.now(timezone.utc)


@bp.get("/offices/<int:office_id>/follow-ups")
@login_required
def office_follow_ups(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    return render_template("relationships/follow_ups.html", office=office,
                           promises=followups.office_promises(office, _now(), current_user),
                           organizers=users.office_organizers(office.id))


@bp.post("/follow-ups/<int:follow_up_id>/owner")
@login_required
def reassign(follow_up_id: int):
    promise = followups.reassign(follow_up_id, request.form.get("owner_id"), current_user)
    flash(_("Promise handed on."), "success")
    return redirect(url_for("relationships.office_follow_ups", office_id=promise.office_id))


@bp.get("/offices/<int:office_id>/neglected")
@login_required
def neglected(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    return render_template("relationships/neglected.html", office=office,
                           quiet=relationships.neglected(office, _now()))


@bp.post("/offices/<int:office_id>/neglected/turf")
@login_required
def revisit_turf(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    turf = relationships.make_revisit_turf(office, current_user, _now())
    flash(ngettext("%(turf)s: %(num)d door to see again, ready to hand out.",
                   "%(turf)s: %(num)d doors to see again, ready to hand out.", turf.door_count, turf=turf.name),
          "success")
    return redirect(url_for("main.turf", turf_id=turf.id))


@bp.get("/offices/<int:office_id>/idle-turfs")
@login_required
def idle(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    return render_template("relationships/idle_turfs.html", office=office, quiet=idle_turfs.idle_turfs(office, _now()),
                           days=office_settings.idle_days(office.settings))


@bp.get("/offices/<int:office_id>/review")
@login_required
def review(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    return render_template("relationships/review.html", office=office, flagged=trust.queue(office.id))


@bp.post("/contacts/<contact_id>/review")
@login_required
def decide(contact_id: str):
    flag = trust.decide(contact_id, request.form.get("decision", ""), current_user)
    flash(_("Rejected: it stays in the log but no longer counts.") if flag.state == "rejected" else _("Accepted."),
          "success")
    return redirect(url_for("relationships.review", office_id=flag.office_id))


@bp.route("/offices/<int:office_id>/settings", methods=["GET", "POST"])
@login_required
def settings(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    if request.method == "POST":
        try:
            try:
                changed = office_settings.parse_form(request.form)
            except ValueError as error:
                field = str(error).split(":", 1)[0]
                raise InvalidInput(error, field=field) from None
            office.settings = {**(office.settings or {}), **changed}
            tagged = listening.retag_office(office)
            moved = territory.set_time_zone(office, request.form.get("time_zone"), current_user.id)
        except FieldopsError as error:
            unit_of_work.undo()
            return _settings_page(office, request.form, error_text(error)), error.status
        saved = ngettext("Settings saved; %(num)d issue mention found in the office's notes.",
                         "Settings saved; %(num)d issue mentions found in the office's notes.", tagged)
        if moved:
            saved = ngettext("Settings saved; %(num)d issue mention found in the office's notes. The office now keeps "
                             "%(zone)s time: its days are counted again on that clock.",
                             "Settings saved; %(num)d issue mentions found in the office's notes. The office now keeps "
                             "%(zone)s time: its days are counted again on that clock.", tagged, zone=office.time_zone)
        flash(saved, "success")
        return redirect(url_for("relationships.settings", office_id=office.id))
    return _settings_page(office, {**office_settings.form_values(office.settings), "time_zone": office.time_zone or ""},
                          None)


def _settings_page(office, values, error: str | None):
    return render_template("relationships/settings.html", office=office, kinds=FOLLOW_UP_KINDS, values=values,
                           error=error, zone_names=time_zones.zone_names(),
                           located_zone=time_zones.zone_at(office.lat, office.lon))


@bp.route("/offices/<int:office_id>/settings/results", methods=["GET", "POST"])
@login_required
def committee_codes(office_id: int):
    """The committee's names for our outcomes, survey questions and responses, used by the VAN and OSDI exports."""
    office = access.require_office(current_user, office_id, manage=True)
    if request.method == "POST":
        try:
            mapping = result_codes.parse_form(request.form, committee_exports.office_questions(office))
        except ValueError as error:
            return _codes_page(office, request.form, refusal_text(error), getattr(error, "field", None)), 400
        office.settings = {**(office.settings or {}), result_codes.SETTINGS_KEY: mapping}
        flash(_("Result codes saved: the VAN and OSDI exports use them from now on."), "success")
        return redirect(url_for("relationships.committee_codes", office_id=office.id))
    return _codes_page(office, result_codes.form_values(office.settings), None, None)


def _codes_page(office, values, error: str | None, field: str | None):
    return render_template("relationships/committee_codes.html", office=office, values=values, error=error,
                           error_field=field, outcomes=result_codes.OUTCOMES,
                           canvasses=canvassing.canvasses_for_office(office))
