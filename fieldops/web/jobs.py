"""Background jobs on the web: an office's jobs, each job's page (polled by static/js/job-status.js,
refreshed by the browser without JavaScript), its progress as JSON, and the files it wrote."""
from __future__ import annotations

import io

from flask import redirect, url_for, Blueprint, abort, jsonify, render_template, send_file
from flask_login import current_user, login_required

from ..importers.blocks import layers_named_in
from ..services import access, jobs

bp = Blueprint("jobs", __name__)

FILE_NAMES = {"rejects"}  # the files a job writes that people may download
STATE_LABELS = {"held": "Columns to confirm", "queued": "Waiting", "running": "Running", "done": "Done", "failed": "Failed"}


@bp.get("/offices/<int:office_id>/jobs")
@login_required
def office_jobs(office_id: int):
    office = access.require_office(current_user, office_id, manage=True)
    views = jobs.office_jobs(office)
    return render_template("jobs/list.html", office=office, views=views, labels=STATE_LABELS,
                           running=any(not view.finished for view in views))


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
    return render_template("jobs/status.html", view=view, job=view.job, office=office, has_rejects=has_rejects,
                           labels=STATE_LABELS, layer_choices=layer_choices)


@bp.get("/jobs/<int:job_id>/progress")
@login_required
def progress(job_id: int):
    view = jobs.follow(access.require_job(current_user, job_id))
    response = jsonify({**view.as_json(), "state_label": STATE_LABELS[view.state]})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/jobs/<int:job_id>/files/<name>")
@login_required
def job_file(job_id: int, name: str):
    job = access.require_job(current_user, job_id)
    filename = jobs.file_name(job, name) if name in FILE_NAMES else None
    if filename is None:
        abort(404)
    data = b"".join(jobs.file_chunks(job, name))
    return send_file(io.BytesIO(data), mimetype="text/csv", as_attachment=True, download_name=filename)
