"""A web process that takes a big upload through the import page, answers, and dies while storing the rest.

``python -m tests.jobs.receiving_process OFFICE_ID CSV``, with ``DATABASE_URL`` (and ``REDIS_URL`` for the
RQ mode) set: signs in as office A's organizer, posts the file as the upload page does, prints the job id
once the answer has come, and waits to be killed; its receiver stores one batch of the file, then hangs.
"""
from __future__ import annotations

import os
import sys
import time

from fieldops import create_app, job_runner
from fieldops.services import jobs
from tests.factories import PASSWORD

real_store_chunks = jobs.store_chunks


def store_then_hang(job_id, filename, first_seq, chunks):
    if first_seq > 1:
        time.sleep(3600)  # killed here: a batch stored, the rest never
    return real_store_chunks(job_id, filename, first_seq, chunks)


def main(office_id: str, csv_path: str) -> None:
    app = create_app({"REDIS_URL": os.environ.get("REDIS_URL") or None, "WTF_CSRF_ENABLED": False})
    jobs.store_chunks = store_then_hang
    job_runner.RECEIVE_BATCH_CHUNKS = 1
    client = app.test_client()
    signed_in = client.post("/login", data={"email": "organizer.a@test.example", "password": PASSWORD})
    assert signed_in.status_code == 302, signed_in.status_code
    with open(csv_path, "rb") as handle:
        answer = client.post(f"/offices/{office_id}/import", content_type="multipart/form-data",
                             data={"kind": "doors", "upload": (handle, "voters.csv")})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
    print(answer.headers["Location"].rsplit("/", 1)[1], flush=True)
    time.sleep(3600)


if __name__ == "__main__":
    main(*sys.argv[1:])
