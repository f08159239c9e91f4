"""Canvass shifts: the office's shifts (organizers make them), the public sign-up page and its calendar file,
and the check-in list at the launch."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import unit_of_work
from ..errors import FieldopsError
from ..i18n import error_text
from ..models import Canvass, Office, Team, User
from ..extensions import db
from ..services import access, canvassing, shifts, teams, turfs
from ..services.inputs import parse_coordinate
from . import mails, security

bp = Blueprint("shifts", __name__)

SIGNUP_LIMIT_PER_ADDRESS = "20 per hour"  # sign-ups one client address may send


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _shifts_page(office, status: int = 200, **extra):
    return render_template("shifts/list.html", office=office, shifts=shifts.office_shifts(office),
                           canvasses=canvassing.canvasses_for_office(office), turfs=turfs.office_turfs(office.id),
                           teams=teams.office_teams(office), form=extra.pop("form", {}), now=_now(),
                           link=lambda token: mails.link("shifts.sign_up", token=token), **extra), status


@bp.route("/offices/<int:office_id>/shifts", methods=["GET", "POST"])
@login_required
def office_shifts(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    if request.method == "POST":
        form = request.form
        try:
            canvass = canvassing.canvass_of_office(form.get("canvass", type=int) or 0, office.id)
            team_id = form.get("team", type=int)
            team = db.session.get(Team, team_id) if team_id else None
            shift = shifts.create_shift(
                office, canvass, starts_at=shifts.parse_moment(form.get("start"), "start", office.time_zone),
                ends_at=shifts.parse_moment(form.get("end"), "end", office.time_zone), place=form.get("place", ""),
                capacity=shifts.parse_capacity(form.get("capacity")), turf_ids=form.getlist("turfs", type=int),
                lat=parse_coordinate(form.get("lat"), "lat", 90), lon=parse_coordinate(form.get("lon"), "lon", 180),
                team=team, actor_id=current_user.id)
        except FieldopsError as error:
            unit_of_work.undo()
            return _shifts_page(office, error.status, error=error_text(error), form=form)
        flash(_("Shift made. Share its sign-up link."), "success")
        return redirect(url_for("shifts.shift", shift_id=shift.id))
    return _shifts_page(office)


@bp.get("/shifts/<int:shift_id>")
@login_required
def shift(shift_id: int):
    shift = access.require_shift(current_user, shift_id)
    office = db.session.get(Office, shift.office_id)
    now = _now()
    return render_template("shifts/shift.html", shift=shift, office=office,
                           canvass=db.session.get(Canvass, shift.canvass_id), signups=shifts.signups(shift),
                           no_shows=shifts.no_shows(shift, now), turfs=shifts.shift_turfs(shift),
                           free=[p for p in shifts.free_turfs(shift) if p.free],
                           link=mails.link("shifts.sign_up", token=shift.token))


@bp.post("/shifts/<int:shift_id>/check-in/<int:signup_id>")
@login_required
def check_in(shift_id: int, signup_id: int):
    """Tap who came; with ``turf=1``, hand them the free turf of the shift nearest the staging place."""
    shift = access.require_shift(current_user, shift_id)
    signup, turf = shifts.check_in(shift, signup_id, current_user, hand_turf=request.form.get("turf") == "1")
    flash(_("%(name)s is here: %(turf)s is theirs.", name=signup.name, turf=turf.name) if turf
          else _("%(name)s is here.", name=signup.name), "success")
    return redirect(url_for("shifts.shift", shift_id=shift.id))


@bp.post("/shifts/<int:shift_id>/walk-in")
@login_required
def walk_in(shift_id: int):
    """Someone came without signing up: add them to the list, checked in."""
    shift = access.require_shift(current_user, shift_id)
    signup = shifts.walk_in(shift, request.form.get("name", ""), request.form.get("email"), request.form.get("phone"),
                            current_user)
    flash(_("%(name)s is here.", name=signup.name) if signup.user_id
          else _("%(name)s is here (no account yet: invite them).", name=signup.name), "success")
    return redirect(url_for("shifts.shift", shift_id=shift.id))


def _public(shift, status: int = 200, **extra):
    office = db.session.get(Office, shift.office_id)
    return render_template("shifts/sign_up.html", shift=shift, office=office,
                           canvass=db.session.get(Canvass, shift.canvass_id), places_left=max(
                               0, shift.capacity - shifts.signed_up(shift.id)), form=extra.pop("form", {}),
                           **extra), status


@bp.route("/s/<token>", methods=["GET", "POST"])
def sign_up(token: str):
    """The public sign-up page: a name and an e-mail or phone, no account."""
    shift = shifts.shift_for_token(token)
    if request.method == "POST":
        contact = (request.form.get("email") or request.form.get("phone") or "").strip()
        wait = security.mail_request_wait("shift-sign-up", contact)
        if wait:
            return _public(shift, 429, form=request.form,
                           error=f"Too many sign-ups from here: try again in {max(1, wait // 60)} minutes.")
        try:
            signup = shifts.sign_up(token, request.form.get("name", ""), request.form.get("email"),
                                    request.form.get("phone"))
        except FieldopsError as error:
            unit_of_work.undo()
            return _public(shift, error.status, form=request.form, error=error_text(error))
        office = db.session.get(Office, shift.office_id)
        if signup.email:
            mails.send(signup.email, "shift_signed_up", signup=signup, shift=shift, office=office,
                       link=mails.link("shifts.sign_up", token=shift.token),
                       calendar=mails.link("shifts.calendar", token=shift.token))
        return _public(shift, signed=signup)
    return _public(shift)


@bp.get("/s/<token>/shift.ics")
def calendar(token: str):
    shift = shifts.shift_for_token(token)
    body = shifts.calendar(shift, mails.link("shifts.sign_up", token=token))
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="shift-{shift.id}.ics"'})


def reminder_text(signup, shift, kind: str) -> tuple[str, str]:
    """A reminder's subject and body (``templates/mail/shift_reminder.txt``; first line the subject)."""
    office = db.session.get(Office, shift.office_id)
    recipient = db.session.get(User, signup.user_id) if signup.user_id else None
    return mails.compose(signup.email, "shift_reminder", recipient=recipient, signup=signup, shift=shift, office=office, kind=kind,
                         link=mails.link("shifts.sign_up", token=shift.token))




def queue_reminders(now: datetime | None = None) -> int:
    """Queue the shift reminders due now (``flask send-reminders``, each round of ``flask mail-worker``);
    each sign-up gets each reminder once. No commit: run it as a unit of work."""
    from flask import has_request_context
    if has_request_context():
        return shifts.queue_reminders(reminder_text, now)
    with mails.outside_request():
        return shifts.queue_reminders(reminder_text, now)


def sign_up_link(shift) -> str:
    """The shift's public sign-up link, on BASE_URL (for commands, outside a request)."""
    from flask import has_request_context
    if has_request_context():
        return mails.link("shifts.sign_up", token=shift.token)
    with mails.outside_request():
        return mails.link("shifts.sign_up", token=shift.token)
