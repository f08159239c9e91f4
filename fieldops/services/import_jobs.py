"""Imports as background jobs: the upload page submits one, a worker runs the import the CLI runs.

The uploaded file travels with the job (``jobs.UPLOAD``, in the database) and the rejected rows
come back the same way (``REJECTS``), so the worker may run on any host. Each function is the
``work`` of a kind in ``job_kinds.KINDS``: one transaction, all or nothing.
"""
from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from ..errors import NotFound
from ..extensions import db
from ..models import Job, Office, User
from . import imports, jobs, voted

REJECTS = "rejects"  # the job's file of rejected rows, with the reason per row
KIND_OF = {"blocks": "import-blocks", "doors": "import-doors", "osm": "import-osm", "voted": "import-voted"}
WHAT = {"blocks": "Blocks", "doors": "Doors and people", "osm": "OpenStreetMap territory", "voted": "Has voted"}


def submit_import(what: str, office: Office, user: User, filename: str, stream: IO[bytes], *,
                  id_field: str | None = None, doors_field: str | None = None, layer: str | None = None) -> Job:
    """Queue the import of an uploaded file (``what``: blocks, doors or osm) into the office."""
    params = {"id_field": id_field, "doors_field": doors_field, "layer": layer} if what == "blocks" else {}
    return jobs.submit(KIND_OF[what], title=f"{WHAT[what]} from {filename}", office=office, user=user,
                       params=params, upload=(filename, stream))


def _office(job: Job) -> Office:
    office = db.session.get(Office, job.office_id) if job.office_id else None
    if office is None:
        raise NotFound("the office of this import no longer exists")
    return office


def import_blocks_job(job: Job, progress) -> dict[str, Any]:
    office = _office(job)
    with _rejects_file(job, office) as rejects, jobs.file_on_disk(job, jobs.UPLOAD) as path:
        summary = imports.import_blocks(path, office.name, id_field=job.params.get("id_field") or None,
                                        doors_field=job.params.get("doors_field") or None,
                                        layer=job.params.get("layer") or None, rejects_path=rejects,
                                        actor_id=job.created_by_id, progress=progress)
        _keep_rejects(job, office, summary, rejects)
    return asdict(summary)


@contextmanager
def _rejects_file(job: Job, office: Office):
    """A path for the import to write its rejected rows to, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="fieldops-rejects-"))
    try:
        yield folder / "rejects.csv"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _keep_rejects(job: Job, office: Office, summary: imports.ImportSummary, rejects: Path) -> None:
    """The rejected rows go with the job, for the page to offer them."""
    if summary.rejects_file:
        with open(rejects, "rb") as handle:
            jobs.save_file(job, REJECTS, f"rejects-{office.name}.csv", handle)
        summary.rejects_file = REJECTS


def import_doors_job(job: Job, progress) -> dict[str, Any]:
    office = _office(job)
    folder = Path(tempfile.mkdtemp(prefix="fieldops-rejects-"))
    try:
        rejects = folder / "rejects.csv"
        with jobs.file_on_disk(job, jobs.UPLOAD) as path:
            summary = imports.import_doors(path, office.name, rejects_path=rejects, actor_id=job.created_by_id,
                                           progress=progress)
        if summary.rejects_file:
            with open(rejects, "rb") as handle:
                jobs.save_file(job, REJECTS, f"rejects-{office.name}.csv", handle)
            summary.rejects_file = REJECTS
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return asdict(summary)


def import_osm_job(job: Job, progress) -> dict[str, Any]:
    office = _office(job)
    with jobs.file_on_disk(job, jobs.UPLOAD) as path:
        summary = imports.import_osm(path, office.name, actor_id=job.created_by_id, progress=progress)
    return asdict(summary)


def import_voted_job(job: Job, progress) -> dict[str, Any]:
    """A has-voted file: marks who voted, then rebuilds the office's chase walk lists (one transaction)."""
    office = _office(job)
    with _rejects_file(job, office) as rejects, jobs.file_on_disk(job, jobs.UPLOAD) as path:
        summary = voted.import_voted(path, office.name, rejects_path=rejects, actor_id=job.created_by_id,
                                     progress=progress)
        if summary.rejects_file:
            with open(rejects, "rb") as handle:
                jobs.save_file(job, REJECTS, f"rejects-voted-{office.name}.csv", handle)
            summary.rejects_file = REJECTS
    return asdict(summary)
