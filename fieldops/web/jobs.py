"""Background jobs on the web: an office's jobs, each job's page (polled by static/js/job-status.js,
refreshed by the browser without JavaScript), its progress as JSON, and the files it wrote."""
from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, stream_with_context, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required

from ..importers.blocks import REJECT_LABELS as BLOCK_REJECT_LABELS
from ..importers.blocks import layers_named_in
from ..importers.doors import REJECT_LABELS as DOOR_REJECT_LABELS
from ..errors import FieldopsError, InvalidInput
from ..i18n import error_text
from ..services import access, audit, cut_jobs, export_jobs, import_jobs, jobs, rejects, turfs, voted

bp = Blueprint("jobs", __name__)

FILE_NAMES = {"rejects", "export"}  # the files a job writes that people may download
# The reasons a rejects file can give (English labels, catalog msgids), worded for the downloader.
REJECT_REASONS = {*map(str, BLOCK_REJECT_LABELS.values()), *map(str, DOOR_REJECT_LABELS.values()),
                  *map(str, voted.REJECT_LABELS.values())}
STATE_LABELS = {"held": _l("Columns to confirm"), "queued": _l("Waiting"), "running": _l("Running"), "done": _l("Done"),
                "failed": _l("Failed")}
# The steps the import jobs report (services/imports.py) and why a queued job waits (services/jobs.py),
# in the page's language; a step not named here shows as the job reported it.
STEP_LABELS = {"read blocks": _l("read blocks"), "write blocks": _l("write blocks"), "read rows": _l("read rows"),
               "place in blocks": _l("place in blocks"), "group households": _l("group households"),
               "write doors": _l("write doors"), "write people": _l("write people"),
               "read OpenStreetMap": _l("read OpenStreetMap"), "saving": _l("saving"),
               "plan": _l("plan the turfs"), "save": _l("save the turfs"), "write the file": _l("write the file"),
               "read ids": _l("read ids"), "match people": _l("match people"), "mark voted": _l("mark voted"),
               "rebuild chase lists": _l("rebuild chase lists")}
WAITING_LABELS = {"waiting for a worker to take it": _l("waiting for a worker to take it"),
                  "about to begin": _l("about to begin"), "receiving the file": _l("receiving the file"),
                  "waiting for the job before it to finish": _l("waiting for the job before it to finish")}


def step_label(step: str) -> str:
    return str(STEP_LABELS.get(step, step))


def waiting_label(reason: str | None) -> str:
    return str(WAITING_LABELS.get(reason, reason)) if reason else ""


def job_title(job) -> str:
    """The job's title in the page's language: stored as English ("Doors and people from voters.csv",
    services/import_jobs.py), so the kind is read back from it and worded here; any other title as it is."""
    for what, label in import_jobs.WHAT.items():
        if job.kind == import_jobs.KIND_OF[what] and job.title.startswith(f"{label} from "):
            return _("%(what)s from %(file)s", what=_(label), file=job.title[len(label) + len(" from "):])
    params = job.params or {}
    if job.kind == cut_jobs.KIND and "office_name" in params:  # its figures kept with it (services/cut_jobs.py)
        if params.get("canvass_name"):
            return _("Turfs of about %(doors)s targeted doors of %(canvass)s for %(office)s", doors=params["doors"],
                     canvass=params["canvass_name"], office=params["office_name"])
        return _("Turfs of about %(doors)s doors for %(office)s", doors=params["doors"], office=params["office_name"])
    if job.kind == export_jobs.KIND and "filename" in params:
        return _("Contacts of %(office)s as %(file)s", office=params["office_name"], file=params["filename"])
    return job.title


def job_error(job) -> str | None:
    """Why the job failed, in the page's language when the runner kept the reason's words
    (``job_runner.reason_words``); else as stored, English."""
    words = (job.progress or {}).get("error_words") if job.error else None
    if not words:
        return job.error
    try:
        if any(words.get(key) is not None for key in ("file", "row", "field")):
            error = InvalidInput(words["text"], file=words.get("file"), row=words.get("row"),
                                 field=words.get("field"), **words.get("values", {}))
        else:
            error = FieldopsError(words["text"], **words.get("values", {}))
        return error_text(error)
    except (KeyError, TypeError, ValueError):  # a reason kept by an older version: the English then
        return job.error


def _render(template: str, **context):
    return render_template(template, labels=STATE_LABELS, step_label=step_label, waiting_label=waiting_label,
                           job_title=job_title, job_error=job_error, **context)


@bp.get("/offices/<int:office_id>/jobs")
@login_required
def office_jobs(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    views = jobs.office_jobs(office)
    return _render("jobs/list.html", office=office, views=views, running=any(not view.finished for view in views))


@bp.get("/jobs/<int:job_id>")
@login_required
def status(job_id: int):
    view = jobs.follow(access.require_job(current_user, job_id))
    office = access.require_office(current_user, view.job.office_id) if view.job.office_id else None
    if view.state == "held" and office is not None:  # a door file whose columns are still to confirm
        return redirect(url_for("territory.columns", office_id=office.id, job_id=view.job.id))
    has_rejects = view.state == "done" and jobs.file_name(view.job, "rejects") is not None
    # A block file of several layers failed naming them: the page offers each as a choice for the next try.
    layer_choices = layers_named_in(view.job.error) if view.job.kind == "import-blocks" else []
    return _render("jobs/status.html", view=view, job=view.job, office=office, has_rejects=has_rejects,
                   layer_choices=layer_choices, cut_text=_cut_text(view.job))


def _cut_text(job) -> str | None:
    """A finished cut's summary in the page's language: the same sentences the cut form's flash says."""
    if job.kind != cut_jobs.KIND or job.state != "done" or not (job.result or {}).get("turfs"):
        return None
    return turfs.report_summary(job.result["report"], job.result.get("worst_turf"), say=_)


@bp.get("/jobs/<int:job_id>/progress")
@login_required
def progress(job_id: int):
    view = jobs.follow(access.require_job(current_user, job_id))
    # The figures as the job reports them, and the words for them in the page's language (job-status.js).
    response = jsonify({**view.as_json(), "state_label": str(STATE_LABELS[view.state]),
                        "step_label": step_label(view.step) if view.step else "",
                        "step_labels": [step_label(step) for step in view.steps],
                        "waiting_label": waiting_label(view.waiting)})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/jobs/<int:job_id>/files/<name>")
@login_required
def job_file(job_id: int, name: str):
    job = access.require_job(current_user, job_id)
    filename = jobs.file_name(job, name) if name in FILE_NAMES else None
    if filename is None:
        abort(404)
    if name == "export":  # contacts leaving the system: each download is in the audit log, as the export was
        audit.record(current_user.id, "export.download", "job", job.id, filename=filename)
    # Chunk by chunk from the database: a statewide export never sits whole in the web worker's memory.
    mimetype = export_jobs.MIMETYPES.get(filename.rsplit(".", 1)[-1].lower(), "application/octet-stream")
    chunks = jobs.file_chunks(job, name)
    if name == "rejects":  # its column names and reasons in the downloader's language
        chunks = rejects.in_language(chunks, rejects.reader_words(REJECT_REASONS, say=_))
    return Response(stream_with_context(chunks), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
