"""A web process without Redis that submits one slowed import, prints its job id and waits to be killed.

``python -m tests.jobs.thread_process OFFICE_ID USER_ID CSV PARAMS_JSON``, with ``DATABASE_URL`` set:
the job runs in a thread of this process, as it would in ``flask run``.
"""
from __future__ import annotations

import json
import sys
import time

from fieldops import create_app
from fieldops.extensions import db
from fieldops.models import Office, User
from fieldops.services import jobs
from tests.jobs.slow_kinds import SLOW_DOORS


def main(office_id: str, user_id: str, csv_path: str, params: str) -> None:
    app = create_app({"REDIS_URL": None})
    with app.app_context():
        with open(csv_path, "rb") as handle:
            job = jobs.submit(SLOW_DOORS, title="Doors and people from voters.csv",
                              office=db.session.get(Office, int(office_id)), user=db.session.get(User, int(user_id)),
                              params=json.loads(params), upload=("voters.csv", handle))
        job_id = job.id
        db.session.commit()  # as the upload's request would: the job's thread starts now
    print(job_id, flush=True)
    time.sleep(3600)


if __name__ == "__main__":
    main(*sys.argv[1:])
