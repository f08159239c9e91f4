"""Sign in and sign out, and resetting a forgotten password by e-mail."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired

from .. import unit_of_work
from ..errors import FieldopsError
from ..i18n import error_text
from ..services import passwords
from ..services.users import MIN_PASSWORD_LENGTH, authenticate
from . import mails, sessions
from .security import mail_request_wait, remember_device, sign_in_attempt

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in for the weekend"))


def _safe_next(target: str | None) -> str:
    """Only follow ``next`` to a path on this site."""
    if target and urlsplit(target).netloc == "" and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.home")


def _minutes(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return ngettext("a minute", "%(num)d minutes", minutes)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        attempt = sign_in_attempt(form.email.data)
        wait = attempt.wait_seconds()
        if wait:  # too many wrong passwords: this one is not even checked, so guessing learns nothing
            page = render_template("auth/login.html", form=form, locked_for=_minutes(wait))
            return page, 429, {"Retry-After": str(wait)}
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            attempt.refused()
            flash(_("That e-mail and password do not match an account."), "error")
            return render_template("auth/login.html", form=form), 401
        sessions.start(user, remember=form.remember.data)
        response = redirect(_safe_next(request.args.get("next")))
        remember_device(response, user.email)
        return response
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    response = redirect(url_for("auth.login"))
    sessions.end(current_user._get_current_object(), response)
    flash(_("You are signed out, on this device and everywhere else."), "info")
    return response


def _forgot_answer(email: str, hours: int) -> str:
    """The same answer whether or not the e-mail has an account: it tells nobody who has one."""
    return _("If %(email)s belongs to an account, we have sent it a link to choose a new password. "
             "It works once, for %(hours)s hours. No e-mail? Look in the spam folder, or ask your organizer.",
             email=email, hours=hours)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    email = (request.form.get("email") or request.args.get("email") or "").strip()
    if request.method == "POST":
        if not email:
            return render_template("auth/forgot.html", email=email, error=_("Type the e-mail you sign in with.")), 400
        wait = mail_request_wait("reset", email)
        if wait:
            return render_template("auth/forgot.html", email=email, error=(
                _("Too many reset e-mails asked for: try again in %(wait)s.", wait=_minutes(wait)))), 429, {"Retry-After": str(wait)}
        user = passwords.account_to_reset(email)
        if user is not None:  # the answer below is the same either way: it tells nobody who has an account
            token = passwords.reset_token(user, current_app.config["SECRET_KEY"], passwords.BY_EMAIL)
            mails.send(user.email, "password_reset", user=user, link=mails.link("auth.reset_password", token=token),
                       hours=int(passwords.BY_EMAIL.total_seconds() // 3600))
        hours = int(passwords.BY_EMAIL.total_seconds() // 3600)
        return render_template("auth/forgot.html", email=email, sent=_forgot_answer(email, hours))
    return render_template("auth/forgot.html", email=email)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    secret = current_app.config["SECRET_KEY"]
    try:
        user = passwords.user_for_reset(token, secret)
    except FieldopsError as failure:
        return render_template("auth/reset.html", broken=error_text(failure)), failure.status
    if request.method == "POST":
        new, again = request.form.get("password", ""), request.form.get("again", "")
        try:
            if new != again:
                raise FieldopsError(_("the two passwords are not the same"))
            passwords.reset_with_link(token, secret, new)
        except FieldopsError as failure:
            unit_of_work.undo()
            return render_template("auth/reset.html", user=user, error=error_text(failure),
                                   min_length=MIN_PASSWORD_LENGTH), 400
        sessions.start(user, remember=False)
        response = redirect(url_for("main.home"))
        remember_device(response, user.email)
        flash(_("Your new password is set, and you are signed in. Sessions elsewhere were signed out."), "success")
        return response
    return render_template("auth/reset.html", user=user, min_length=MIN_PASSWORD_LENGTH)
