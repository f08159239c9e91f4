"""``flask worker`` whose door imports pause half a second after each step, so that a test can watch a job
submitted through the real upload page advance: ``python -m tests.jobs.slowed_worker worker --queue NAME``."""
from flask.cli import main

from fieldops.services.job_kinds import KINDS
from tests.jobs.slow_kinds import SLOW_DOORS

KINDS["import-doors"] = KINDS[SLOW_DOORS]  # the real import, with its steps paused (tests/jobs/slow_kinds.py)

if __name__ == "__main__":
    main()
