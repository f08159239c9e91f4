"""People at the door: the organizer's review of new and corrected residents (and merging a new one into
an imported one), re-visit turfs for doors that need a speaker of a language, and volunteers' languages."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from .. import unit_of_work
from ..domain import languages
from ..errors import FieldopsError, NotFound
from ..i18n import error_text
from ..extensions import db
from ..models import Person
from ..services import access, people, users
from ..domain.text import N_

bp = Blueprint("people", __name__)


def _review_page(office, error: str | None = None):
    return render_template("people/review.html", office=office, error=error,
                           changes=people.review(office.id, access.may_see_contact_details_of_office(current_user,
                                                                                                      office.id)),
                           waiting=people.languages_waiting(office.id), language_names=languages.NAMES,
                           name_of=languages.name_of)


@bp.get("/offices/<int:office_id>/people")
@login_required
def review(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    return _review_page(office)


@bp.get("/offices/<int:office_id>/people.csv")
@login_required
def export(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(people.export_rows(
        office.id, access.may_see_contact_details_of_office(current_user, office.id), current_user.id))
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="people-office-{office.id}.csv"'})


@bp.post("/people/<int:person_id>/merge")
@login_required
def merge(person_id: int):
    person = db.session.get(Person, person_id)
    if person is None:
        raise NotFound(N_("no person with id %(person_id)s"), person_id=person_id)
    door = access.require_door(current_user, person.door_id)
    office = access.require_office(current_user, door.office_id, manage=True)
    into = request.form.get("into", "")
    try:
        target = people.merge(person, int(into) if into.isdigit() else None, current_user)
    except FieldopsError as error:
        unit_of_work.undo()
        return _review_page(office, error=error_text(error)), error.status
    flash(_("%(person)s is merged into %(target)s.", person=person.full_name, target=target.full_name), "success")
    return redirect(url_for("people.review", office_id=office.id))


@bp.post("/offices/<int:office_id>/language-turf")
@login_required
def language_turf(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    try:
        turf = people.make_language_turf(office, request.form.get("language", ""), current_user,
                                         datetime.now(timezone.utc))
    except FieldopsError as error:
        unit_of_work.undo()
        return _review_page(office, error=error_text(error)), error.status
    flash(ngettext("%(name)s: %(num)d door that needs that language, ready to hand out.",
                   "%(name)s: %(num)d doors that need that language, ready to hand out.", turf.door_count, name=turf.name),
          "success")
    return redirect(url_for("main.turf", turf_id=turf.id))


@bp.post("/account/languages")
@login_required
def my_languages():
    me = current_user._get_current_object()
    try:
        people.set_languages(me, request.form.get("languages", ""), me)
    except FieldopsError as error:
        unit_of_work.undo()
        flash(error_text(error), "error")
        return redirect(url_for("account.account")), 303
    flash(_("Your languages are saved."), "success")
    return redirect(url_for("account.account"))


@bp.post("/volunteers/<int:user_id>/languages")
@login_required
def volunteer_languages(user_id: int):
    person = users.volunteer_for(current_user, user_id)
    try:
        people.set_languages(person, request.form.get("languages", ""), current_user)
    except FieldopsError as error:
        unit_of_work.undo()
        flash(error_text(error), "error")
        return redirect(url_for("field.volunteer", user_id=person.id)), 303
    flash(_("The languages of %(name)s are saved.", name=person.name), "success")
    return redirect(url_for("field.volunteer", user_id=person.id))


@bp.app_template_filter("language_name")
def language_name(code: str | None) -> str:
    """{{ 'fi'|language_name }} -> Finnish (an unknown code as written)."""
    return languages.name_of(code)
