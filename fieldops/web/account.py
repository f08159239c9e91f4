"""My account: who I am, my password, and my API tokens; revoking a token (mine, or a volunteer's)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext as _
from flask_login import current_user, login_required

from .. import i18n, unit_of_work
from ..errors import FieldopsError
from ..i18n import error_text, refusal_text
from ..services import users
from . import sessions

bp = Blueprint("account", __name__)


def _page(**extra):
    me = current_user._get_current_object()
    return render_template("account/account.html", me=me, tokens=users.tokens_of(me),
                           min_length=users.MIN_PASSWORD_LENGTH, **extra)


@bp.get("/account")
@login_required
def account():
    return _page()


@bp.post("/account/password")
@login_required
def change_password():
    me = current_user._get_current_object()
    new, again = request.form.get("password", ""), request.form.get("again", "")
    try:
        if new != again:
            raise FieldopsError(_("the two new passwords are not the same"))
        users.change_own_password(me, request.form.get("current", ""), new)
    except FieldopsError as failure:
        unit_of_work.undo()
        return _page(error=error_text(failure)), failure.status
    sessions.restart(me)
    flash(_("Your password is changed. You stay signed in here; everywhere else you were signed out, "
            "and your API tokens were revoked."), "success")
    return redirect(url_for("account.account"))


@bp.post("/account/language")
@login_required
def set_language():
    """The language Fieldops speaks to me; blank: my browser's."""
    me = current_user._get_current_object()
    try:
        me.locale = i18n.check_language(request.form.get("locale"))
    except ValueError as error:
        return _page(error=refusal_text(error)), 400
    with force_locale(me.locale or i18n.select_locale()):
        flash(_("Language saved."), "success")
    return redirect(url_for("account.account"))


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    token = users.token_for(current_user, token_id)
    users.revoke_token(token, current_user.id)
    flash(_("Token “%(name)s” is revoked: it stops working at once.", name=token.name or token.id), "success")
    if token.user_id == current_user.id:
        return redirect(url_for("account.account"))
    return redirect(url_for("field.volunteer", user_id=token.user_id))
