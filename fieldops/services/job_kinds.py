"""The kinds of background job: for each, its title, its steps and the one function that does it.

A kind's function is ``work(job, progress) -> dict``. It reads what it needs from ``job.params``
(and ``jobs.file_on_disk(job, jobs.UPLOAD)`` for an uploaded file), calls the same service the
command line calls, and returns the result as JSON-able data, which the job's page shows. It
never commits: the runner runs it as one unit of work, so a job that fails has written nothing.
It reports progress with ``progress(step, done=None, total=None, rows=None, rejected=None)``:
the step (one of ``steps``, in order), how far through the step, rows read and rows rejected.

Adding a kind is that function plus one line in ``KINDS`` (and, for its result, a template
``templates/jobs/kinds/<kind>.html``; see the README, "Background jobs").
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidInput
from ..models import Job
from . import cut_jobs, export_jobs, import_jobs, imports, voted
from ..domain.text import N_

Progress = Callable[..., None]


@dataclass(frozen=True)
class JobKind:
    title: str                               # what kind of work, as the jobs list names it
    steps: tuple[str, ...]                   # the steps it reports, in order: the page's percent counts them
    work: Callable[[Job, Progress], dict[str, Any]]


KINDS: dict[str, JobKind] = {
    "import-blocks": JobKind(N_("Import blocks"), imports.BLOCK_STEPS, import_jobs.import_blocks_job),
    "import-doors": JobKind(N_("Import doors and people"), imports.DOOR_STEPS, import_jobs.import_doors_job),
    "import-osm": JobKind(N_("Import OpenStreetMap"), imports.OSM_STEPS, import_jobs.import_osm_job),
    "import-voted": JobKind(N_("Import a has-voted file"), voted.VOTED_STEPS, import_jobs.import_voted_job),
    cut_jobs.KIND: JobKind(N_("Cut turfs"), cut_jobs.STEPS, cut_jobs.cut_turfs_job),
    export_jobs.KIND: JobKind(N_("Export contacts"), export_jobs.STEPS, export_jobs.export_contacts_job),
}


def kind_named(name: str) -> JobKind:
    try:
        return KINDS[name]
    except KeyError:
        raise InvalidInput(N_("no kind of job named %(name)r"), name=name, field="kind") from None
