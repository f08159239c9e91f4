"""Background jobs, in a thread of the app and in RQ workers: what the organizer sees and what gets written.

Each test that takes ``job_mode`` runs twice: jobs in a thread (no Redis) and jobs sent to a real
``flask worker`` process through Redis. The import is the real door import, slowed or stopped where
a test needs it (``tests/jobs/slow_kinds.py``).
"""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from fieldops import job_progress, job_runner
from fieldops.extensions import db
from fieldops.models import Door, Job, JobFile, Person
from fieldops.models._base import utcnow
from fieldops.services import jobs, territory
from tests.importers.conftest import voter_rows
from tests.job_modes import (REDIS_URL, ROOT, finished_job, forget_queue, progress_dropped, redis_client,
                             start_worker, stop_worker)
from tests.jobs.slow_kinds import SLOW_DOORS


def voters_csv(office) -> bytes:
    """Three people in two households in every block of the office."""
    return voter_rows(territory.office_blocks_frame(office)).to_csv(index=False).encode()


def submit_slowed(world, **params) -> tuple[int, str]:
    job = jobs.submit(SLOW_DOORS, title="Doors and people from voters.csv", office=world.office_a,
                      user=world.users.organizer_a, params=params,
                      upload=("voters.csv", io.BytesIO(voters_csv(world.office_a))))
    job_id, key = job.id, job.key
    db.session.commit()  # as the upload's request does; the job is sent now
    return job_id, key


def counts() -> tuple[int, int]:
    db.session.commit()
    return db.session.scalar(select(func.count(Door.id))), db.session.scalar(select(func.count(Person.id)))


def progress_of(client, job_id: int) -> dict:
    response = client.get(f"/jobs/{job_id}/progress")
    assert response.status_code == 200, response.status_code
    return response.get_json()


def wait_for_step(client, job_id: int, step: str, timeout: float = 90.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        progress = progress_of(client, job_id)
        if progress["step"] == step and progress["state"] == "running":
            return progress
        assert not progress["finished"], f"the job ended before {step!r}: {progress}"
        assert time.monotonic() < deadline, f"no {step!r} after {timeout:.0f} s: {progress}"
        time.sleep(0.1)


def wait_until_finished(client, job_id: int, timeout: float = 60.0) -> dict:
    """Poll the job's progress as its page does, until it has ended (the reader reports a dead worker)."""
    deadline = time.monotonic() + timeout
    while True:
        progress = progress_of(client, job_id)
        if progress["finished"]:
            return progress
        assert time.monotonic() < deadline, f"still {progress['state']} after {timeout:.0f} s: {progress}"
        time.sleep(0.2)


def test_a_failing_import_is_failed_with_its_reason_and_wrote_nothing(client, auth, world, job_mode):
    auth.login("organizer.a@test.example")
    before = counts()
    job_id, _ = submit_slowed(world, pause_s=0, fail_at="write people")  # after its doors were written
    job = finished_job(job_id)
    assert job.state == "failed" and "the test stopped the import at 'write people'" in job.error
    assert job.progress["step"] == "write people"
    assert counts() == before
    assert db.session.scalar(select(func.count(JobFile.id)).where(JobFile.job_id == job_id)) == 0  # upload dropped
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Nothing was written: the test stopped the import at" in page and "Try again with a fixed file" in page


def test_a_finished_import_keeps_its_summary_and_drops_its_upload(client, auth, world, job_mode):
    auth.login("organizer.a@test.example")
    doors_before, _ = counts()
    job_id, key = submit_slowed(world, pause_s=0)
    job = finished_job(job_id)
    assert job.state == "done" and job.error is None
    assert job.result["doors_created"] == 32 and job.result["people_created"] == 48
    assert job.progress["percent"] == 100 and job.progress["rows"] == 48 and job.progress["rejected"] == 0
    assert counts()[0] == doors_before + 32
    assert jobs.file_name(job, jobs.UPLOAD) is None
    assert progress_dropped(key)  # the live progress went with the job


def test_a_killed_worker_leaves_the_job_failed_and_nothing_written(app, client, auth, world, job_mode,
                                                                    tmp_path, monkeypatch):
    """kill -9 of the process running the job, half-way through its transaction (its doors written, not
    committed): the job's page reports it failed with the reason, and the database is as before."""
    monkeypatch.setitem(app.config, "JOB_STALE_S", 3)
    auth.login("organizer.a@test.example")
    before = counts()
    params = {"pause_s": 0, "hang_at": "write people", "hang_s": 300}
    if job_mode == "rq":
        queue = f"fieldops-test-kill-{uuid.uuid4().hex[:8]}"
        monkeypatch.setitem(app.config, "JOB_QUEUE", queue)
        job_id, key = submit_slowed(world, **params)
        process = start_worker(app, queue, tmp_path)  # a `flask worker` of its own, to be killed
    else:  # a web process without Redis, whose thread runs the job
        voters = tmp_path / "voters.csv"
        voters.write_bytes(voters_csv(world.office_a))
        env = {name: value for name, value in os.environ.items() if name != "REDIS_URL"}
        env.update(DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY="test-secret")
        process = subprocess.Popen([sys.executable, "-m", "tests.jobs.thread_process", str(world.office_a.id),
                                    str(world.users.organizer_a.id), str(voters), json.dumps(params)],
                                   cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        job_id = int(process.stdout.readline())
        key = db.session.get(Job, job_id).key
    try:
        wait_for_step(client, job_id, "write people")
        assert counts() == before  # the doors are written, but only inside the job's open transaction
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
        progress = wait_until_finished(client, job_id, timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        if job_mode == "rq":
            forget_queue(redis_client(), queue)
        job_progress.store().delete(key)
    assert progress["state"] == "failed" and progress["error"] == job_runner.WORKER_STOPPED
    assert counts() == before
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Nothing was written: the worker stopped" in page


@pytest.mark.parametrize("job_mode", ["rq"], indirect=True)  # a thread has no worker to stop: see the kill test
def test_a_stopped_worker_finishes_its_job_first(app, client, auth, world, job_mode, tmp_path, monkeypatch):
    """SIGTERM (a deploy, Ctrl+C) is a warm shutdown: the worker ends the job it holds, then exits."""
    queue = f"fieldops-test-stop-{uuid.uuid4().hex[:8]}"
    monkeypatch.setitem(app.config, "JOB_QUEUE", queue)
    auth.login("organizer.a@test.example")
    job_id, _ = submit_slowed(world, pause_s=0, hang_at="write doors", hang_s=2)
    process = start_worker(app, queue, tmp_path)
    try:
        wait_for_step(client, job_id, "write doors")
        process.send_signal(signal.SIGTERM)
        assert process.wait(60) == 0
    finally:
        stop_worker(process)
        forget_queue(redis_client(), queue)
    assert finished_job(job_id).state == "done"


def test_a_job_given_up_for_dead_while_it_ran_keeps_nothing(client, auth, world, job_mode):
    """If a job is reported failed while its worker is in fact still at work, the work is rolled back when
    it ends: a job's page never says failed about work that was kept.

    On PostgreSQL the job row is free and the reader's "failed" lands at once. On SQLite the reader must
    wait for the worker's write lock, so it lands after the work committed, finds the job done, and
    changes nothing: done, and kept. Either way the page and the database agree.
    """
    auth.login("organizer.a@test.example")
    before = counts()
    job_id, key = submit_slowed(world, pause_s=0, hang_at="write people", hang_s=2)
    wait_for_step(client, job_id, "write people")
    given_up = jobs.fail(key, "given up by the test")
    db.session.commit()
    assert progress_dropped(key, timeout=60)  # the worker drops it once its work has ended
    job = finished_job(job_id)
    if db.engine.dialect.name == "postgresql":
        assert given_up
    if given_up:
        assert job.state == "failed" and job.error == "given up by the test"
        assert counts() == before
    else:
        assert job.state == "done" and counts()[0] == before[0] + 32


def test_a_rolled_back_submit_sends_nothing(app, world, job_mode):
    job = jobs.submit(SLOW_DOORS, title="never", office=world.office_a, user=world.users.organizer_a,
                      params={"pause_s": 0}, upload=("voters.csv", io.BytesIO(voters_csv(world.office_a))))
    key = job.key
    db.session.rollback()
    time.sleep(1.0)
    assert job_progress.store().read(key) is None
    if job_mode == "rq":
        from rq.job import Job as RQJob
        assert not RQJob.exists(job_runner.rq_job_id(app, key), connection=redis_client())
    assert db.session.scalar(select(func.count(Job.id))) == 0
    assert counts()[0] == 5 * 16 * 3  # the world's doors, nothing more


@pytest.mark.parametrize("job_mode", ["thread"], indirect=True)  # RQ: as many at once as there are workers
def test_a_web_process_without_redis_runs_one_job_at_a_time(client, auth, world, job_mode):
    auth.login("organizer.a@test.example")
    first, _ = submit_slowed(world, pause_s=0, hang_at="write doors", hang_s=1.5)
    second, _ = submit_slowed(world, pause_s=0)
    wait_for_step(client, first, "write doors")
    waiting = progress_of(client, second)
    assert waiting["state"] == "queued" and waiting["waiting"] == "waiting for the job before it to finish"
    assert finished_job(first).state == "done" and finished_job(second).state == "done"


def make_job(world, runner: str, state: str, age_s: float) -> Job:
    job = Job(key=uuid.uuid4().hex, kind="import-doors", title="Doors and people from lost.csv",
              office_id=world.office_a.id, created_by_id=world.users.organizer_a.id, runner=runner, state=state,
              params={}, progress={"step": "", "steps": [], "percent": 0},
              created_at=utcnow() - timedelta(seconds=age_s),
              started_at=utcnow() - timedelta(seconds=age_s) if state == "running" else None)
    db.session.add(job)
    db.session.commit()
    return job


def test_jobs_that_can_never_end_are_reported_failed_with_the_reason(app, client, auth, world, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "JOB_QUEUE", f"fieldops-test-lost-{uuid.uuid4().hex[:8]}")
    redis_client()
    auth.login("organizer.a@test.example")
    never_began = make_job(world, "thread", "queued", age_s=60)
    silent = make_job(world, "rq", "running", age_s=60)
    lost = make_job(world, "rq", "queued", age_s=60)
    waiting = make_job(world, "rq", "queued", age_s=1)
    assert progress_of(client, never_began.id)["error"] == job_runner.NEVER_BEGAN
    assert progress_of(client, silent.id)["error"] == job_runner.WORKER_STOPPED
    assert progress_of(client, lost.id)["error"] == job_runner.LOST_FROM_QUEUE
    still = progress_of(client, waiting.id)
    assert still["state"] == "queued" and still["waiting"] == "waiting for a worker to take it"


def test_another_office_cannot_see_the_job(client, auth, world, job_mode):
    job_id, _ = submit_slowed(world, pause_s=0)
    finished_job(job_id)
    auth.login("organizer.b@test.example")
    for url in (f"/jobs/{job_id}", f"/jobs/{job_id}/progress", f"/jobs/{job_id}/files/rejects",
                f"/offices/{world.office_a.id}/jobs"):
        assert client.get(url).status_code == 403, url
    assert "voters.csv" not in client.get(f"/offices/{world.office_b.id}/jobs").get_data(as_text=True)
    auth.logout()
    auth.login("organizer.a@test.example")
    listing = client.get(f"/offices/{world.office_a.id}/jobs").get_data(as_text=True)
    assert "Doors and people from voters.csv" in listing and "Done" in listing


def test_flask_jobs_lists_them_and_flask_worker_needs_redis(app, runner, world, job_mode):
    job_id, _ = submit_slowed(world, pause_s=0, fail_at="read rows")
    finished_job(job_id)
    listed = runner.invoke(args=["jobs", "--office", "Alpha", "--json"])
    assert listed.exit_code == 0, listed.output
    [row] = json.loads(listed.output)
    assert row["id"] == job_id and row["state"] == "failed" and "'read rows'" in row["error"]
    if job_mode == "thread":
        refused = runner.invoke(args=["worker", "--burst"])
        assert refused.exit_code == 1 and "REDIS_URL is not set" in refused.output
