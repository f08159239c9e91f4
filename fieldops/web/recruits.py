"""Recruits from the door: the office's prospects by neighborhood, and their invitation (by e-mail through the
outbox, or a QR code to print)."""
from __future__ import annotations

import io

import segno
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ..extensions import db
from ..models import Office
from ..services import access, recruits
from . import mails

bp = Blueprint("recruits", __name__)


def qr_svg(link: str) -> Markup:
    """The link as an SVG QR code, inline in the page (no script, no image file)."""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="svg", scale=6, border=2, xmldecl=False, svgns=True,
                                     title="QR code of the invitation link")
    return Markup(out.getvalue().decode())


@bp.get("/offices/<int:office_id>/recruits")
@login_required
def office_recruits(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    return render_template("recruits/list.html", office=office, groups=recruits.office_prospects(office),
                           mail_ready=mails.configured())


@bp.post("/recruits/<int:prospect_id>/invite")
@login_required
def invite(prospect_id: int):
    """One action: the invitation e-mailed (``how=email``) or shown as a QR code to print (``how=qr``)."""
    prospect = recruits.prospect_to_manage(current_user, prospect_id)
    office = db.session.get(Office, prospect.office_id)
    how = request.form.get("how", "email")
    email = recruits.address_of(prospect, request.form.get("email")) if how == "email" else None
    token = recruits.invite(prospect, current_user.id, how)
    link = mails.link("field.join", token=token)
    if how == "email":
        mails.send(email, "recruit_invite", office=office, link=link, organizer=current_user)
        flash(_("The invitation is on its way to %(email)s.", email=email), "success")
        return redirect(url_for("recruits.office_recruits", office_id=office.id))
    return render_template("recruits/qr.html", office=office, link=link, qr=qr_svg(link))
