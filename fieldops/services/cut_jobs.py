"""Auto-cuts as background jobs: an office with more free blocks than a web request should plan over
(``CUT_IN_JOB_BLOCKS``, 3,000 unless set) is cut by a worker, the page following its progress.

The job runs the cut the form and ``flask cut-turfs`` run (``turfs.auto_cut``), in one transaction: a
cut that fails, or whose worker dies, has made no turf. Its result is the cut's report and summary.
"""
from __future__ import annotations

from typing import Any

from flask import current_app

from ..domain.text import N_
from ..errors import NotFound
from ..extensions import db
from ..models import Canvass, Job, Office, User
from . import jobs, turfs
from .map_view import free_block_count

KIND = "cut-turfs"
STEPS = ("plan", "save")  # planning the turfs (one step, no count), then saving them one by one


def needs_job(office: Office) -> bool:
    """Whether the office's free blocks are too many to cut inside a web request."""
    return free_block_count(office) > current_app.config["CUT_IN_JOB_BLOCKS"]


def submit_cut(office: Office, user: User, target_doors: int, canvass: Canvass | None) -> Job:
    """Queue the cut of the office's free blocks into turfs of about ``target_doors`` doors (the canvass's
    targeted doors, with one)."""
    what = f"targeted doors of {canvass.name}" if canvass else "doors"
    # The title in English for the CLI and the log; the pages word it from the params (web/jobs.job_title).
    return jobs.submit(KIND, title=f"Turfs of about {target_doors} {what} for {office.name}", office=office,
                       user=user, params={"doors": target_doors, "canvass_id": canvass.id if canvass else None,
                                          "office_name": office.name, "canvass_name": canvass.name if canvass else None})


def cut_turfs_job(job: Job, progress) -> dict[str, Any]:
    office = db.session.get(Office, job.office_id) if job.office_id else None
    if office is None:
        raise NotFound(N_("the office of this cut no longer exists"))
    canvass_id = job.params.get("canvass_id")
    weights = turfs.TargetedDoors(office, canvass_id) if canvass_id else None
    progress("plan")
    result = turfs.auto_cut(office, int(job.params["doors"]), job.created_by_id, weights=weights,
                            progress=lambda step, done=None, total=None: progress(step, done, total))
    worst = result.report["largest_deviation_turf"]
    return {"turfs": len(result.turfs), "summary": turfs.cut_summary(result) if result.turfs else "",
            "worst_turf": result.turfs[worst].name if 0 <= worst < len(result.turfs) else None,
            "report": {key: value for key, value in result.report.items() if not isinstance(value, list)}}
