"""The organizer's import page: upload blocks, a voter file or an OpenStreetMap extract."""
from __future__ import annotations


from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.utils import secure_filename
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from ..errors import InvalidInput
from ..i18n import error_text
from ..importers import columns as import_columns
from ..services import access, import_jobs, imports, jobs

bp = Blueprint("territory", __name__)

# Lazy: the form is built per request, and each label speaks that request's language.
KINDS = {"blocks": _l("Blocks (TIGER/Line zip, zipped shapefile, GeoJSON, GeoPackage)"),
         "doors": _l("Doors and people (voter file or customer list, CSV)"),
         "osm": _l("OpenStreetMap extract (.osm.pbf): blocks and doors"),
         "voted": _l("Has voted (election day: a CSV of voter ids)")}


class ImportForm(FlaskForm):
    kind = SelectField(_l("What are you importing?"), choices=[SelectChoice(key, label) for key, label in KINDS.items()])
    upload = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to import."))])
    id_field = StringField(_l("Block id field (blocks only; guessed for TIGER/Line)"), validators=[Optional()])
    doors_field = StringField(_l("Housing units field (blocks only; guessed for TIGER/Line)"), validators=[Optional()])
    layer = StringField(_l("Layer (blocks only: for a GeoPackage or zip holding several, the one to read)"),
                        validators=[Optional()])


def _page(office, form):
    return render_template("territory/import.html", office=office, form=form,
                           join_distance_m=imports.join_distance_m())


@bp.route("/offices/<int:office_id>/import", methods=["GET", "POST"])
@login_required
def import_page(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    form = ImportForm()
    if request.method == "POST" and not form.validate_on_submit():
        return _page(office, form), 400
    if request.method == "POST":
        # The import runs as a background job; its page shows the progress, then the summary.
        # A door file sent from the page (step=columns) is held until its columns are confirmed; a script
        # posting the file alone gets the guessed mapping at once, as before.
        upload = form.upload.data
        confirm = form.kind.data == "doors" and request.form.get("step") == "columns"
        job = import_jobs.submit_import(form.kind.data, office, current_user,
                                        secure_filename(upload.filename or "") or "upload", upload.stream,
                                        id_field=form.id_field.data or None, doors_field=form.doors_field.data or None,
                                        layer=form.layer.data or None, confirm_columns=confirm,
                                        receive_after=True)  # the answer comes before the file is stored whole
        if confirm:
            return redirect(url_for("territory.columns", office_id=office.id, job_id=job.id), code=303)
        return redirect(url_for("jobs.status", job_id=job.id), code=303)
    if request.args.get("kind") in KINDS:  # back from a failed import, with the choice it asked for
        form.kind.data = request.args["kind"]
        form.layer.data = request.args.get("layer", "")[:200]
    return _page(office, form)


@bp.route("/offices/<int:office_id>/import/<int:job_id>/columns", methods=["GET", "POST"])
@login_required
def columns(office_id: int, job_id: int):
    """The mapping step: each column of the uploaded door file, some of its values, and the field to read it
    as (the guess chosen); confirming queues the import with that mapping."""
    office = access.require_office(current_user, office_id, manage=True)
    job = access.require_job(current_user, job_id)
    if job.office_id != office.id or job.kind != import_jobs.KIND_OF["doors"]:
        abort(404)
    if jobs.follow(job).state != "held":  # confirmed already (or by another tab), or its upload was lost: its page
        return redirect(url_for("jobs.status", job_id=job.id))
    preview = import_jobs.column_preview(job)
    if preview.failure is not None:  # no table to map: the job ends here, and its page says why
        import_jobs.refuse_held(job, preview.failure)
        return redirect(url_for("jobs.status", job_id=job.id), code=303)
    error = None
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():
            error = _("the form expired: confirm again")
        elif request.form.get("action") == "discard":
            if not import_jobs.discard_held(job):  # confirmed in another tab meanwhile: it runs
                return redirect(url_for("jobs.status", job_id=job.id), code=303)
            flash(_("Discarded: nothing was imported from %(file)s.", file=preview.filename))
            return redirect(url_for("territory.import_page", office_id=office.id), code=303)
        else:
            mapping = {column["name"]: request.form.get(f"map-{i}", "") for i, column in enumerate(preview.columns)}
            try:
                import_jobs.confirm_columns(job, mapping)
                return redirect(url_for("jobs.status", job_id=job.id), code=303)
            except InvalidInput as problem:
                error = error_text(problem)
                for i, column in enumerate(preview.columns):
                    column["guess"] = request.form.get(f"map-{i}", "")
    status = 400 if error else 200
    return render_template("territory/columns.html", office=office, job=job, preview=preview,
                           fields=import_columns.FIELDS, error=error, form=FlaskForm()), status


