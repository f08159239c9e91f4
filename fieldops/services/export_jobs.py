"""Contact exports as background jobs: an office's contacts (Fieldops' CSV, a VAN bulk-upload file or OSDI
JSON) written by a worker into a file the job keeps, for the organizer to download from the job's page.

A direct download streams from the web worker, which a long export can outlast (gunicorn's 30 s timeout on a
statewide office); a job has no such limit and its page shows the rows written. The export is written to
the audit log when it is asked for, as a direct download is, and each download of the file again. The file is
voter data at rest: it is kept ``EXPORT_KEEP_DAYS`` (7 unless set) after its job ended, then dropped when the
next export is asked for (the job and its audit rows stay).
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from datetime import datetime, timedelta, timezone
from typing import Any

from flask import current_app
from sqlalchemy import delete, select

from ..domain.text import N_
from ..errors import InvalidInput, NotFound
from ..extensions import db
from ..models import Job, JobFile, Office, User
from . import committee_exports, coverage, exports, jobs
from .inputs import parse_day

KIND = "export-contacts"
STEPS = ("write the file",)
EXPORT = "export"  # the job's file: what it wrote
EXTENSIONS = {"csv": "csv", "van-bulk": "csv", "osdi": "json"}
MIMETYPES = {"csv": "text/csv", "json": "application/json"}  # by extension
PROGRESS_EVERY = 5_000  # rows between two progress reports


def check_format(file_format: str) -> str:
    """One of ``committee_exports.FORMATS``, else a 400 naming the field."""
    if file_format not in committee_exports.FORMATS:
        raise InvalidInput(N_("format must be one of %(names)s"), names=", ".join(committee_exports.FORMATS),
                           field="format")
    return file_format


def file_name(office: Office, file_format: str) -> str:
    """The office's export file in the format, as the direct download and the job both name it."""
    suffix = "" if file_format == "csv" else f"-{file_format}"
    return f"contacts-office-{office.id}{suffix}.{EXTENSIONS[file_format]}"


def submit_export(office: Office, user: User, window: coverage.Window, file_format: str) -> Job:
    """Queue the export of the office's contacts in the window, in the format; audited now."""
    check_format(file_format)
    drop_old_files()
    filename = file_name(office, file_format)
    job = jobs.submit(KIND, title=f"Contacts of {office.name} as {filename}", office=office, user=user,
                      params={"format": file_format, **window.as_dict(), "office_name": office.name,
                              "filename": filename})
    exports.record_export(user.id, "office", office.id, window, f"background job {job.id}: {filename}")
    return job


class _Counted:
    """Counts the rows an export has written so far (its progress), whatever the format."""

    def __init__(self):
        self.counts = committee_exports.Counts()

    @property
    def rows(self) -> int:
        return self.counts.rows

    def rows_of(self, rows):
        for row in rows:
            self.counts.rows += 1
            yield row


def drop_old_files(now: datetime | None = None) -> int:
    """Drop the files of export jobs that ended more than ``EXPORT_KEEP_DAYS`` ago; how many chunks went."""
    cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=current_app.config["EXPORT_KEEP_DAYS"])
    old = select(Job.id).where(Job.kind == KIND, Job.finished_at < cutoff)
    return db.session.execute(delete(JobFile).where(JobFile.name == EXPORT, JobFile.job_id.in_(old))).rowcount


def office_lines(office: Office, window: coverage.Window, file_format: str, counted: _Counted | None = None):
    """The office's contacts in the window as the format's text, streamed (the direct download's and the job's)."""
    counted = counted or _Counted()
    if file_format == "csv":
        return exports.csv_lines(counted.rows_of(exports.contact_rows([office.id], window)))
    lines = committee_exports.van_bulk_lines if file_format == "van-bulk" else committee_exports.osdi_lines
    return lines(committee_exports.scope_of(office, window), counted.counts)


def export_contacts_job(job: Job, progress) -> dict[str, Any]:
    office = db.session.get(Office, job.office_id) if job.office_id else None
    if office is None:
        raise NotFound(N_("the office of this export no longer exists"))
    params = job.params
    window = coverage.window_for(office.region_id, params.get("canvass_id"), parse_day(params.get("start"), "start"),
                                 parse_day(params.get("end"), "end"))
    file_format = params["format"]
    folder, counted = Path(tempfile.mkdtemp(prefix="fieldops-export-")), _Counted()
    filename = file_name(office, file_format)
    try:
        path = folder / "export"
        progress(STEPS[0])
        reported = 0
        with open(path, "w", encoding="utf-8", newline="") as handle:
            for chunk in office_lines(office, window, file_format, counted):
                handle.write(chunk)
                if counted.rows - reported >= PROGRESS_EVERY:
                    reported = counted.rows
                    progress(STEPS[0], rows=reported)
        size = path.stat().st_size
        with open(path, "rb") as handle:
            jobs.save_file(job, EXPORT, filename, handle)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {"file": EXPORT, "filename": filename, "format": file_format, "rows": counted.rows, "bytes": size}
