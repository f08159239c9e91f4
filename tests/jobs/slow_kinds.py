"""Kinds of job for the tests: the real door import, with pauses (and a failure) where a test asks.

Registered in the test process and in the test workers (``tests/jobs/worker.py``), so that a test
can watch a real import's progress advance, stop it half-way, or kill its worker mid-transaction.
``job.params``: ``pause_s`` after each step (default 0.5 s), ``hang_at`` a step to wait at for
``hang_s`` seconds, ``fail_at`` a step at which to raise, after everything before it was written.
"""
from __future__ import annotations

import time

from fieldops.errors import InvalidInput
from fieldops.services import import_jobs, imports
from fieldops.services.job_kinds import KINDS, JobKind

SLOW_DOORS = "import-doors-slowed"  # of the import family: its page shows the import summary


def slow_import_doors(job, progress):
    pause_s = float(job.params.get("pause_s", 0.5))

    def paused(step, *args, **facts):
        progress(step, *args, **facts)
        if args:  # how far a step got (rows written): only a step's start pauses, fails or hangs
            return
        if step and step == job.params.get("fail_at"):
            raise InvalidInput(f"the test stopped the import at {step!r}")
        if step and step == job.params.get("hang_at"):
            time.sleep(float(job.params.get("hang_s", 60)))
        time.sleep(pause_s)
    return import_jobs.import_doors_job(job, paused)


KINDS.setdefault(SLOW_DOORS, JobKind("Import doors and people (slowed for a test)", imports.DOOR_STEPS,
                                     slow_import_doors))
