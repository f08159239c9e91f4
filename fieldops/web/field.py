"""The field: canvasses and their scripts, handing turfs to volunteers, volunteers and invites,
and the volunteer's phone page (with its offline service worker and manifest)."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

from flask import (Blueprint, Response, current_app, flash, redirect, render_template, request, send_from_directory,
                   url_for)
from flask_login import current_user, login_required, login_user

from ..domain.followups import FOLLOW_UP_KINDS
from ..domain.outcomes import OUTCOMES
from ..domain.surveys import KIND_LABELS, MAX_QUESTIONS
from ..errors import FieldopsError, InvalidInput
from .. import unit_of_work
from ..services import access, canvassing, followups, users, walklists
from ..services.inputs import parse_day

bp = Blueprint("field", __name__)

QUESTION_ROWS = 6
# What the service worker keeps for offline use besides the pages and walk lists themselves.
SHELL_FILES = ("css/app.css", "js/canvass.js", "js/outbox.js", "vendor/leaflet/leaflet.js",
               "vendor/leaflet/leaflet.css", "favicon.svg", "icons/icon-192.png", "icons/icon-512.png")


def _whole_number(field: str, default: int) -> int:
    text = request.form.get(field, "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise InvalidInput("a whole number", field=field)
    return int(text)


def _questions_from_form(rows: int = QUESTION_ROWS) -> list[dict]:
    """The question rows of the canvass form; rows without a label, or ticked to be removed, are left out.
    On the edit form each existing question carries its key, and may be hidden from new contacts."""
    questions = []
    for n in range(rows):
        label = request.form.get(f"q{n}_label", "").strip()
        if not label or request.form.get(f"q{n}_remove"):
            continue
        question = {"label": label, "kind": request.form.get(f"q{n}_kind", "")}
        if request.form.get(f"q{n}_key"):
            question["key"] = request.form[f"q{n}_key"]
        if question["kind"] == "choice":
            question["choices"] = [c.strip() for c in request.form.get(f"q{n}_choices", "").split(",")]
        if request.form.get(f"q{n}_hidden"):
            question["hidden"] = True
        questions.append(question)
    return questions


@bp.route("/offices/<int:office_id>/canvasses", methods=["GET", "POST"])
@login_required
def canvasses(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    if request.method == "POST":
        whole_region = request.form.get("scope") == "region"
        if whole_region:
            access.require_region(current_user, office.region_id, manage=True)
        try:
            canvass = canvassing.build_canvass(
                request.form.get("name", ""), office.region_id, None if whole_region else office.id,
                start=parse_day(request.form.get("start"), "start"), end=parse_day(request.form.get("end"), "end"), script=request.form.get("script", ""),
                questions=_questions_from_form(), created_by_id=current_user.id,
                reknock_hours=_whole_number("reknock_hours", 4), max_attempts=_whole_number("max_attempts", 3))
        except FieldopsError as error:
            unit_of_work.undo()
            return render_template("field/canvasses.html", office=office, error=error.message, form=request.form,
                                   **_canvass_page(office)), error.status
        flash(f"Canvass {canvass.name} created.", "success")
        return redirect(url_for("field.canvasses", office_id=office.id))
    return render_template("field/canvasses.html", office=office, form={}, **_canvass_page(office))


NEW_QUESTION_ROWS = 3  # empty rows under a canvass's questions on its edit page


@bp.route("/offices/<int:office_id>/canvasses/<int:canvass_id>/edit", methods=["GET", "POST"])
@login_required
def edit_canvass(office_id: int, canvass_id: int):
    """Change a running canvass: dates, script, questions, re-knocks; answers already given stay valid."""
    office = access.require_office(current_user, office_id, manage=True)
    canvass = access.require_canvass_editing(current_user, canvass_id, office.id)
    if request.method == "POST":
        rows = min(_whole_number("rows", 0), MAX_QUESTIONS + NEW_QUESTION_ROWS)
        try:
            canvassing.update_canvass(
                canvass, name=request.form.get("name", ""), start=parse_day(request.form.get("start"), "start"),
                end=parse_day(request.form.get("end"), "end"), script=request.form.get("script", ""),
                questions=_questions_from_form(rows), reknock_hours=_whole_number("reknock_hours", 4),
                max_attempts=_whole_number("max_attempts", 3), actor_id=current_user.id)
        except FieldopsError as error:
            unit_of_work.undo()
            return _edit_page(office, canvass, error.message, request.form), error.status
        flash(f"Canvass {canvass.name} saved. Phones get the change with their next walk list.", "success")
        return redirect(url_for("field.canvasses", office_id=office.id))
    return _edit_page(office, canvass, None, None)


def _edit_page(office, canvass, error: str | None, form):
    questions = list(canvass.questions or [])
    counts = canvassing.answer_counts(canvass)
    if form is None:  # the canvass as it is
        form = {"name": canvass.name, "start": canvass.start_date or "", "end": canvass.end_date or "",
                "script": canvass.script, "reknock_hours": canvass.reknock_hours,
                "max_attempts": canvass.max_attempts}
        for n, question in enumerate(questions):
            form.update({f"q{n}_key": question["key"], f"q{n}_label": question["label"], f"q{n}_kind": question["kind"],
                         f"q{n}_choices": ", ".join(question.get("choices", [])),
                         f"q{n}_hidden": "1" if question.get("hidden") else ""})
    return render_template("field/canvass_edit.html", office=office, canvass=canvass, questions=questions,
                           answers=counts, kinds=KIND_LABELS, rows=len(questions) + NEW_QUESTION_ROWS, form=form,
                           error=error)


def _canvass_page(office) -> dict:
    return {"canvasses": canvassing.canvasses_for_office(office), "kinds": KIND_LABELS, "rows": QUESTION_ROWS,
            "may_region": access.may_manage_region(current_user, office.region_id)}


@bp.post("/turfs/<int:turf_id>/hand-out")
@login_required
def hand_out(turf_id: int):
    turf = access.require_turf(current_user, turf_id, manage=True)
    try:
        canvass_id = int(request.form.get("canvass", ""))
    except ValueError:
        raise InvalidInput("choose a canvass", field="canvass") from None
    canvass = access.require_canvass_for_office(current_user, canvass_id, turf.office_id)
    volunteers = users.office_walkers(turf.office_id, request.form.getlist("volunteers", type=int))
    canvassing.hand_out(turf.id, volunteers, canvass, current_user.id, adding=request.form.get("adding") == "1")
    flash(f"{turf.name} handed to {', '.join(v.name for v in volunteers)} for {canvass.name}.", "success")
    return redirect(url_for("main.turf", turf_id=turf.id))


@bp.post("/assignments/<int:assignment_id>/take-back")
@login_required
def take_back(assignment_id: int):
    assignment = access.require_assignment(current_user, assignment_id)
    turf = canvassing.take_back(assignment, current_user.id)
    flash(f"Taken back. {turf.name} is {turf.state.replace('_', ' ')}.", "success")
    return redirect(url_for("main.turf", turf_id=turf.id))


@bp.route("/offices/<int:office_id>/volunteers", methods=["GET", "POST"])
@login_required
def volunteers(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    error = None
    if request.method == "POST":
        try:
            user = users.create_volunteer(office, request.form.get("email", ""), request.form.get("password", ""),
                                          request.form.get("name", ""), current_user.id)
        except FieldopsError as failure:
            unit_of_work.undo()
            error = failure.message
        else:
            flash(f"{user.name} can now sign in with {user.email}.", "success")
            return redirect(url_for("field.volunteers", office_id=office.id))
    return render_template("field/volunteers.html", office=office, volunteers=users.office_volunteers(office),
                           error=error, form=request.form), (400 if error else 200)


@bp.post("/offices/<int:office_id>/invites")
@login_required
def invite(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    token = users.create_invite(office, current_user.id)
    link = url_for("field.join", token=token, _external=True)
    return render_template("field/volunteers.html", office=office, volunteers=users.office_volunteers(office),
                           invite_link=link, invite_days=users.INVITE_DAYS, form={})


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    invite = users.invite_for(token)
    office = access.office_of_invite(invite)
    error = None
    if request.method == "POST":
        try:
            user = users.join_with_invite(token, request.form.get("email", ""), request.form.get("password", ""),
                                          request.form.get("name", ""))
        except FieldopsError as failure:
            unit_of_work.undo()
            error = failure.message
        else:
            login_user(user)
            flash(f"Welcome to {office.name}! Your organizer will hand you a turf.", "success")
            return redirect(url_for("main.home"))
    return render_template("field/join.html", office=office, error=error, form=request.form), (400 if error else 200)


@bp.get("/canvass/<int:turf_id>")
@login_required
def phone(turf_id: int):
    turf = access.require_turf(current_user, turf_id)
    canvass = walklists.canvass_for_viewer(turf, current_user)
    return render_template("field/phone.html", turf=turf, canvass=canvass, outcomes=OUTCOMES,
                           follow_ups=FOLLOW_UP_KINDS, volunteer=current_user,
                           walking=access.has_open_assignment(current_user, turf.id))


@bp.get("/my/follow-ups")
@login_required
def my_follow_ups():
    return render_template("field/follow_ups.html",
                           promises=followups.owed_by(current_user, datetime.now(timezone.utc)))


@bp.post("/follow-ups/<int:follow_up_id>/kept")
@login_required
def keep_follow_up(follow_up_id: int):
    followups.keep(follow_up_id, current_user, request.form.get("result", ""))
    flash("Promise kept. Thank you for following through.", "success")
    return redirect(url_for("field.my_follow_ups"))


@bp.get("/sw.js")
def service_worker():
    body = render_template("field/sw.js", version=_shell_version(), shell=[
        url_for("static", filename=name) for name in SHELL_FILES] + [url_for("field.manifest")])
    return Response(body, mimetype="text/javascript",
                    headers={"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"})


@bp.get("/manifest.webmanifest")
def manifest():
    return send_from_directory(current_app.static_folder, "manifest.webmanifest",
                               mimetype="application/manifest+json")


def _shell_version() -> str:
    """A digest of the offline shell's files, so a new release replaces the phones' cached copies."""
    cached = current_app.extensions.get("fieldops_shell_version")
    if cached is None:
        digest = hashlib.sha256()
        for name in SHELL_FILES + ("manifest.webmanifest",):
            digest.update(Path(current_app.static_folder, name).read_bytes())
        cached = current_app.extensions["fieldops_shell_version"] = digest.hexdigest()[:12]
    return cached
