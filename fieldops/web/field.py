"""The field: canvasses and their scripts, handing turfs to volunteers, volunteers (deactivating them,
their tokens, password reset links) and invites, and the volunteer's phone page (with its offline
service worker and manifest)."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

from flask import (Blueprint, Response, current_app, flash, redirect, render_template, request, send_from_directory,
                   url_for)
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from ..domain.conditions import describe as describe_condition
from ..domain.followups import FOLLOW_UP_KINDS
from ..domain.outcomes import OUTCOMES
from ..domain.surveys import KIND_LABELS, MAX_QUESTIONS
from ..errors import FieldopsError, InvalidInput
from ..i18n import error_text
from .. import unit_of_work
from ..services import access, canvassing, followups, invites, passwords, users, walklists
from ..services.inputs import parse_day
from . import mails, security, sessions
from .labels import ROLES, TURF_STATES
from ..domain.text import N_

bp = Blueprint("field", __name__)

QUESTION_ROWS = 6


def _turf_state(state: str) -> str:
    """A turf's state (domain/turf_states.py) as a sentence names it, in the page's language."""
    return str(TURF_STATES.get(state, state.replace("_", " ")))

# What the service worker keeps for offline use besides the pages and walk lists themselves.
SHELL_FILES = ("css/app.css", "js/i18n.js", "js/canvass.js", "js/knocks.js", "js/outbox.js", "js/conditions.js",
               "js/people-at-door.js", "js/my-turfs.js", "js/sign-out.js",
               "vendor/leaflet/leaflet.js",
               "vendor/leaflet/leaflet.css", "favicon.svg", "icons/icon-192.png", "icons/icon-512.png")


def _whole_number(field: str, default: int) -> int:
    text = request.form.get(field, "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise InvalidInput(N_("a whole number"), field=field)
    return int(text)


def _survey_optional() -> bool | None:
    """The form's "survey is optional" box, when the form has it (its hidden marker): else None, unchanged."""
    if not request.form.get("survey_optional_shown"):
        return None
    return request.form.get("survey_optional") == "yes"


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
        if request.form.get(f"q{n}_show_if", "").strip():
            question["show_if"] = request.form[f"q{n}_show_if"]  # "q1 >= 3": parsed by domain.surveys
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
                reknock_hours=_whole_number("reknock_hours", 4), max_attempts=_whole_number("max_attempts", 3),
                per_person=request.form.get("per_person") == "yes",
                survey_optional=_survey_optional(), translations=request.form.get("translations"))
        except FieldopsError as error:
            unit_of_work.undo()
            return render_template("field/canvasses.html", office=office, error=error_text(error), form=request.form,
                                   **_canvass_page(office)), error.status
        flash(_("Canvass %(name)s created.", name=canvass.name), "success")
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
                max_attempts=_whole_number("max_attempts", 3), actor_id=current_user.id,
                survey_optional=_survey_optional(), translations=request.form.get("translations"))
        except FieldopsError as error:
            unit_of_work.undo()
            return _edit_page(office, canvass, error_text(error), request.form), error.status
        flash(_("Canvass %(name)s saved. Phones get the change with their next walk list.", name=canvass.name), "success")
        return redirect(url_for("field.canvasses", office_id=office.id))
    return _edit_page(office, canvass, None, None)


def _edit_page(office, canvass, error: str | None, form):
    questions = list(canvass.questions or [])
    counts = canvassing.answer_counts(canvass)
    if form is None:  # the canvass as it is
        form = {"name": canvass.name, "start": canvass.start_date or "", "end": canvass.end_date or "",
                "script": canvass.script, "reknock_hours": canvass.reknock_hours,
                "max_attempts": canvass.max_attempts, "survey_optional": "yes" if canvass.survey_optional else "",
                "translations": json.dumps(canvass.translations, ensure_ascii=False, indent=1)
                if canvass.translations else ""}
        for n, question in enumerate(questions):
            form.update({f"q{n}_key": question["key"], f"q{n}_label": question["label"], f"q{n}_kind": question["kind"],
                         f"q{n}_choices": ", ".join(question.get("choices", [])),
                         f"q{n}_hidden": "1" if question.get("hidden") else "",
                         f"q{n}_show_if": describe_condition(question.get("show_if"))})
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
        raise InvalidInput(N_("choose a canvass"), field="canvass") from None
    canvass = access.require_canvass_for_office(current_user, canvass_id, turf.office_id)
    volunteers = users.office_walkers(turf.office_id, request.form.getlist("volunteers", type=int))
    canvassing.hand_out(turf.id, volunteers, canvass, current_user.id, adding=request.form.get("adding") == "1")
    flash(_("%(turf)s handed to %(walkers)s for %(canvass)s.", turf=turf.name,
            walkers=", ".join(v.name for v in volunteers), canvass=canvass.name), "success")
    return redirect(url_for("main.turf", turf_id=turf.id))


@bp.post("/assignments/<int:assignment_id>/take-back")
@login_required
def take_back(assignment_id: int):
    assignment = access.require_assignment(current_user, assignment_id)
    turf = canvassing.take_back(assignment, current_user.id)
    flash(_("Taken back. %(turf)s is %(state)s.", turf=turf.name, state=_turf_state(turf.state)), "success")
    team_id = request.form.get("team", type=int)
    if team_id:  # from the team's page: back there
        return redirect(url_for("teams.team", team_id=team_id))
    return redirect(url_for("main.turf", turf_id=turf.id))


def _volunteers_page(office, status: int = 200, **extra):
    return render_template("field/volunteers.html", office=office, volunteers=users.office_volunteers(office),
                           deactivated=users.deactivated_volunteers(office), invites=invites.live_invites(office),
                           invite_days=invites.INVITE_DAYS, mail_ready=mails.configured(), role_labels=ROLES,
                           form=extra.pop("form", {}), **extra), status


@bp.route("/offices/<int:office_id>/volunteers", methods=["GET", "POST"])
@login_required
def volunteers(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    if request.method == "POST":
        try:
            user = users.create_volunteer(office, request.form.get("email", ""), request.form.get("password", ""),
                                          request.form.get("name", ""), current_user.id)
        except FieldopsError as failure:
            unit_of_work.undo()
            return _volunteers_page(office, 400, error=error_text(failure), form=request.form)
        flash(_("%(name)s can now sign in with %(email)s.", name=user.name, email=user.email), "success")
        return redirect(url_for("field.volunteers", office_id=office.id))
    return _volunteers_page(office)


@bp.post("/offices/<int:office_id>/invites")
@login_required
def invite(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    try:
        max_uses = invites.parse_uses(request.form.get("uses"))
    except FieldopsError as failure:
        return _volunteers_page(office, 400, invite_error=error_text(failure))
    token = invites.create_invite(office, current_user.id, max_uses)
    return _volunteers_page(office, invite_link=mails.link("field.join", token=token), invite_uses=max_uses)


@bp.post("/invites/<int:invite_id>/revoke")
@login_required
def revoke_invite(invite_id: int):
    invite = invites.invite_to_manage(current_user, invite_id)
    invites.revoke(invite, current_user.id)
    flash(_("The invitation link is revoked: nobody can join with it any more."), "success")
    return redirect(url_for("field.volunteers", office_id=invite.office_id))


RESET_HOURS = int(passwords.BY_ORGANIZER.total_seconds() // 3600)


def _volunteer_page(person, **extra):
    return render_template("field/volunteer.html", person=person, office=person.office,
                           holdings=users.holdings(person), tokens=users.tokens_of(person),
                           mail_ready=mails.configured(), reset_hours=RESET_HOURS, **extra)


@bp.get("/volunteers/<int:user_id>")
@login_required
def volunteer(user_id: int):
    return _volunteer_page(users.volunteer_for(current_user, user_id))


@bp.post("/volunteers/<int:user_id>/deactivate")
@login_required
def deactivate(user_id: int):
    person = users.volunteer_for(current_user, user_id)
    taken_back = users.deactivate(person, current_user.id)
    flash(ngettext("%(name)s is deactivated: signed out everywhere, tokens revoked, %(num)d turf taken back. "
                   "Their contacts stay.",
                   "%(name)s is deactivated: signed out everywhere, tokens revoked, %(num)d turfs taken back. "
                   "Their contacts stay.", taken_back, name=person.name) if taken_back
          else _("%(name)s is deactivated: signed out everywhere, tokens revoked. Their contacts stay.", name=person.name),
          "success")
    return redirect(url_for("field.volunteer", user_id=person.id))


@bp.post("/volunteers/<int:user_id>/reactivate")
@login_required
def reactivate(user_id: int):
    person = users.volunteer_for(current_user, user_id)
    users.reactivate(person, current_user.id)
    flash(_("%(name)s may sign in again. Hand them a turf when they are ready.", name=person.name), "success")
    return redirect(url_for("field.volunteer", user_id=person.id))


@bp.post("/volunteers/<int:user_id>/reset-link")
@login_required
def reset_link(user_id: int):
    person = users.volunteer_for(current_user, user_id)
    token = passwords.organizer_link(current_user, person, current_app.config["SECRET_KEY"])
    link = mails.link("auth.reset_password", token=token)
    if request.form.get("send") == "email":
        mails.send(person.email, "password_reset_by_organizer", user=person, organizer=current_user, link=link,
                   hours=RESET_HOURS)
        flash(_("A link to choose a new password is on its way to %(email)s.", email=person.email), "success")
        return redirect(url_for("field.volunteer", user_id=person.id))
    return _volunteer_page(person, reset_url=link)


def _join_answer(email: str, office: str) -> str:
    return _("Check your e-mail: we have sent %(email)s a link to finish joining %(office)s (it works for two days). "
             "No e-mail? Look in the spam folder, or ask your organizer.", email=email, office=office)


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    invite = invites.invite_for(token)
    office = access.office_of_invite(invite)
    if request.method == "POST":
        email = request.form.get("email", "")
        try:
            asked = invites.request_to_join(token, email, request.form.get("name", ""),
                                            current_app.config["SECRET_KEY"])
        except FieldopsError as failure:
            return render_template("field/join.html", office=office, error=error_text(failure), form=request.form), 400
        wait = security.mail_request_wait("join", asked.email)
        if wait:
            return render_template("field/join.html", office=office, form=request.form, error=(
                ngettext("Too many join e-mails asked for: try again in %(num)d minute.",
                         "Too many join e-mails asked for: try again in %(num)d minutes.", max(1, wait // 60)))), 429
        if asked.existing is not None:  # the same answer as for a new e-mail: an invite tells nobody who is signed up
            mails.send(asked.email, "join_existing", office=office, user=asked.existing,
                       sign_in=mails.link("auth.login"), forgot=mails.link("auth.forgot_password", email=asked.email))
        else:
            mails.send(asked.email, "join", office=office, name=asked.name,
                       link=mails.link("field.finish_join", join_token=asked.token))
        return render_template("field/join.html", office=office, form={},
                               sent=_join_answer(asked.email, office.name))
    return render_template("field/join.html", office=office, form={})


def _finish_join_page(join_token: str, secret: str, failure: FieldopsError):
    """The password form again with the reason, or, when the link itself no longer works, why."""
    try:
        pending = invites.pending_join(join_token, secret)
    except FieldopsError as broken:
        return render_template("field/finish_join.html", broken=error_text(broken)), broken.status
    return render_template("field/finish_join.html", pending=pending, error=error_text(failure),
                           min_length=users.MIN_PASSWORD_LENGTH), failure.status


@bp.route("/join/finish/<join_token>", methods=["GET", "POST"])
def finish_join(join_token: str):
    secret = current_app.config["SECRET_KEY"]
    try:
        pending = invites.pending_join(join_token, secret)
    except FieldopsError as failure:
        return render_template("field/finish_join.html", broken=error_text(failure)), failure.status
    if request.method == "POST":
        try:
            if request.form.get("password", "") != request.form.get("again", ""):
                raise FieldopsError(_("the two passwords are not the same"))
            user = invites.finish_join(join_token, secret, request.form.get("password", ""))
        except FieldopsError as failure:
            unit_of_work.undo()
            return _finish_join_page(join_token, secret, failure)
        sessions.start(user, remember=False)
        response = redirect(url_for("main.home"))
        security.remember_device(response, user.email)
        flash(_("Welcome to %(office)s! Your organizer will hand you a turf.", office=pending.office.name), "success")
        return response
    return render_template("field/finish_join.html", pending=pending, min_length=users.MIN_PASSWORD_LENGTH)


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
    flash(_("Promise kept. Thank you for following through."), "success")
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
