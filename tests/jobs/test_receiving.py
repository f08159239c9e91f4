"""A big upload is answered before it is stored whole (issue 21, the upload's figure): the request stores the
file's head, a thread of the web process the rest after the answer, and the job waits for the whole file,
with jobs in a thread and in RQ workers. A web process that dies mid-copy leaves the job failed with its
reason, its part of the file dropped and nothing imported."""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import func, select

from fieldops import job_progress, job_runner
from fieldops.extensions import db
from fieldops.models import Job, JobFile, Person
from fieldops.services import jobs, territory
from tests.importers.conftest import voter_rows
from tests.job_modes import REDIS_URL, ROOT, finished_job, progress_dropped
from tests.jobs.test_jobs import counts, progress_of, wait_until_finished

NOTES = "knocked in 2024, " * 3_000  # 51 kB of notes a person: the file passes 2 MB, three chunks


def big_voters_csv(office) -> bytes:
    rows = voter_rows(territory.office_blocks_frame(office))
    rows["canvass notes"] = NOTES
    data = rows.to_csv(index=False).encode()
    assert len(data) > 2 * jobs.CHUNK_BYTES
    return data


def stored_chunks(job_id: int) -> int:
    db.session.commit()
    return db.session.scalar(select(func.count(JobFile.id)).where(JobFile.job_id == job_id,
                                                                  JobFile.name == jobs.UPLOAD))


@pytest.fixture
def held_back(monkeypatch):
    """The receiver waits before each batch until the test lets it go on: one chunk a batch."""
    gate, batches, real = threading.Event(), [], jobs.store_chunks

    def store(job_id, filename, first_seq, chunks):
        batches.append(first_seq)
        assert gate.wait(120), "the test never let the receiver go on"
        return real(job_id, filename, first_seq, chunks)
    monkeypatch.setattr(jobs, "store_chunks", store)
    monkeypatch.setattr(job_runner, "RECEIVE_BATCH_CHUNKS", 1)
    return gate, batches


def post(client, office, data: bytes, **form):
    return client.post(f"/offices/{office.id}/import", content_type="multipart/form-data",
                       data={"kind": "doors", "upload": (io.BytesIO(data), "voters.csv"), **form})


def test_the_upload_is_answered_before_the_file_is_whole_and_runs_once_it_is(client, auth, world, job_mode,
                                                                            held_back):
    gate, batches = held_back
    auth.login("organizer.a@test.example")
    before = counts()
    data = big_voters_csv(world.office_a)
    answer = post(client, world.office_a, data)
    assert answer.status_code == 303
    job_id = int(answer.headers["Location"].rsplit("/", 1)[1])
    waiting = progress_of(client, job_id)
    assert waiting["state"] == "queued" and waiting["waiting"] == "receiving the file", waiting
    assert "receiving the file" in client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert stored_chunks(job_id) == 1 and counts() == before  # the head only; nothing sent, nothing read
    gate.set()
    job = finished_job(job_id)
    assert job.state == "done" and job.receiving is False, job.error
    assert job.result["doors_created"] == 32 and job.result["people_created"] == 48
    assert batches == [1, 2]  # the head came with the request; the other two chunks after its answer
    notes = db.session.scalars(select(Person.tags).where(Person.first_name == "Cy")).first()
    assert notes["canvass notes"] == NOTES.strip()  # the whole file was read: its last bytes too
    assert stored_chunks(job_id) == 0  # the upload went with the job
    assert progress_dropped(job.key)


@pytest.mark.parametrize("confirm_first", [True, False], ids=["confirmed-before-whole", "whole-before-confirmed"])
def test_the_mapping_step_reads_the_head_and_the_job_waits_for_the_whole_file(client, auth, world, job_mode,
                                                                             held_back, confirm_first):
    gate, _ = held_back
    auth.login("organizer.a@test.example")
    answer = post(client, world.office_a, big_voters_csv(world.office_a), step="columns")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/columns")
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "canvass notes" in page and "Nicollet Ave" in page, page[page.find("<main"):][:3000]  # the head alone
    job = db.session.scalar(select(Job).where(Job.office_id == world.office_a.id))
    columns = ["voter_id", "first_name", "last_name", "age", "street", "house_number", "unit", "city", "zip",
               "latitude", "longitude", "canvass notes"]
    fields = ["id", "first_name", "last_name", "age", "street", "house_number", "unit", "city", "postcode",
              "lat", "lon", ""]
    form = {f"map-{i}": field for i, field in enumerate(fields)}
    assert [c for c in columns if c in page] == columns
    if not confirm_first:
        gate.set()
        deadline = time.monotonic() + 60
        while stored_chunks(job.id) < 3 or db.session.get(Job, job.id).receiving:
            assert time.monotonic() < deadline
            db.session.expire_all()
            time.sleep(0.1)
        assert db.session.get(Job, job.id).state == "held"  # whole, still waiting for the organizer
    confirmed = client.post(answer.headers["Location"], data=form)
    assert confirmed.status_code == 303, confirmed.get_data(as_text=True)[:300]
    if confirm_first:
        waiting = progress_of(client, job.id)
        assert waiting["state"] == "queued" and waiting["waiting"] == "receiving the file", waiting
        gate.set()
    done = finished_job(job.id)
    assert done.state == "done" and done.result["people_created"] == 48, done.error


def test_a_web_process_dying_mid_copy_leaves_the_job_failed_with_nothing_written(app, client, auth, world, job_mode,
                                                                                 tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "JOB_STALE_S", 3)
    auth.login("organizer.a@test.example")
    before = counts()
    voters = tmp_path / "voters.csv"
    voters.write_bytes(big_voters_csv(world.office_a))
    env = {name: value for name, value in os.environ.items() if name != "REDIS_URL"}
    env.update(DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY="test-secret")
    if job_mode == "rq":
        env["REDIS_URL"] = REDIS_URL
    process = subprocess.Popen([sys.executable, "-m", "tests.jobs.receiving_process", str(world.office_a.id),
                                str(voters)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        job_id = int(process.stdout.readline())
        deadline = time.monotonic() + 60
        while stored_chunks(job_id) < 2:  # the head and one batch: the rest never comes
            assert time.monotonic() < deadline, "the receiver stored nothing after the head"
            time.sleep(0.1)
        receiving = progress_of(client, job_id)
        assert receiving["state"] == "queued" and receiving["waiting"] == "receiving the file"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
        progress = wait_until_finished(client, job_id, timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert progress["state"] == "failed" and progress["error"] == job_runner.RECEIVING_STOPPED
    assert stored_chunks(job_id) == 0 and counts() == before
    job = db.session.get(Job, job_id)
    job_progress.store(runner=job.runner).delete(job.key)
    assert "upload the file again" in client.get(f"/jobs/{job_id}").get_data(as_text=True)
