"""Households: one door's whole timeline, notes organizers add away from the door, and search by address."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import FieldopsError
from ..i18n import error_text
from .. import unit_of_work
from ..domain import time_zones
from ..domain.consequences import PERSON_STATUS_LABELS
from ..domain.buildings import building_key
from ..services import access, buildings, consequences, households

bp = Blueprint("households", __name__)


@bp.get("/doors/<int:door_id>")
@login_required
def timeline(door_id: int):
    door = access.require_door(current_user, door_id)
    return _page(door)


@bp.post("/doors/<int:door_id>/notes")
@login_required
def add_note(door_id: int):
    return _organizer_acts(door_id, lambda door: households.add_note(
        door, current_user, request.form.get("channel", ""), request.form.get("note", ""),
        request.form.get("spoken_on", ""), request.form.get("person_id") or None),
        _("Note added to the household's timeline."))


@bp.post("/doors/<int:door_id>/building-note")
@login_required
def building_note(door_id: int):
    return _organizer_acts(door_id, lambda door: buildings.set_note(door, request.form.get("building_note", ""),
                                                                    current_user),
                           _("Building note saved: every volunteer walking these units will see it."))


@bp.post("/doors/<int:door_id>/knock-again")
@login_required
def knock_again(door_id: int):
    return _organizer_acts(door_id, lambda door: consequences.allow_knocking(door, current_user,
                                                                            request.form.get("reason", "")),
                           _("This door is back on walk lists; the reason is in the audit log."))


def _organizer_acts(door_id: int, act, done: str):
    """An office organizer changes something on a door's page: done and back to the timeline, or the
    page again with the reason and what they typed."""
    door = access.require_door(current_user, door_id)
    access.require_office(current_user, door.office_id, manage=True)
    try:
        act(door)
    except FieldopsError as error:
        unit_of_work.undo()
        return _page(door, error=error_text(error), form=request.form), error.status
    flash(done, "success")
    return redirect(url_for("households.timeline", door_id=door.id))


def _page(door, error: str | None = None, form=None):
    story = households.timeline(door)
    units = buildings.units_of(door)
    return render_template("households/timeline.html", story=story, door=door, channels=households.CHANNELS,
                           today=time_zones.today(datetime.now(timezone.utc), story["time_zone"]),
                           zone=story["time_zone"], contact_details=access.may_see_contact_details(current_user, door),
                           ban=consequences.ban_label(door),
                           units=units, labels=buildings.labels_for(units),
                           building_note=buildings.notes_for(door.office_id, {building_key(door.street,
                                                                                           door.house_number)}),
                           statuses=PERSON_STATUS_LABELS,
                           may_note=access.may_manage(current_user, door.office_id), error=error, form=form or {})


@bp.get("/offices/<int:office_id>/households")
@login_required
def search(office_id: int):
    office = access.require_office(current_user, office_id)
    query = request.args.get("q", "").strip()
    return render_template("households/search.html", office=office, query=query,
                           doors=households.search(office, query), limit=households.SEARCH_LIMIT)
