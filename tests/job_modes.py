"""Fixtures that run background jobs both ways: in a thread of the app (no Redis) and in RQ workers.

``job_mode`` is parametrised over the two: a test that asks for it runs twice. The RQ mode uses a
real Redis (``TEST_REDIS_URL``, default 127.0.0.1:6379) with a queue named for this test session,
and a real ``flask worker`` subprocess (``tests/jobs/worker.py``, which also knows the tests' slow
kinds) on the suite's own database. Everything the session wrote to Redis is deleted at the end.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from fieldops import job_progress
from fieldops.extensions import db
from fieldops.models import Job
from fieldops.models.jobs import FINISHED

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_client():
    from redis import Redis
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except Exception as error:  # no skip: CI runs the job tests with Redis, and so must everyone
        pytest.fail(f"the RQ-mode job tests need Redis at {REDIS_URL} ({error}); start redis-server "
                    "or set TEST_REDIS_URL")
    return client


def start_worker(app, queue: str, log_folder: Path, *extra: str) -> subprocess.Popen:
    """A ``flask worker`` process on the suite's database and the given queue, logging into the folder."""
    env = {**os.environ, "FLASK_APP": "wsgi.py", "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "REDIS_URL": REDIS_URL, "SECRET_KEY": "test-secret", "PYTHONUNBUFFERED": "1",
           # A worker sits idle between jobs: it pings its connection before each job, as the README's
           # production section runs workers, so a database restart (tests/test_database_restart.py ends
           # every session) costs it nothing.
           "DATABASE_PRE_PING": "1"}
    log = open(log_folder / f"worker-{queue}.log", "ab")
    return subprocess.Popen([sys.executable, "-m", "tests.jobs.worker", "worker", "--queue", queue, *extra],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def forget_queue(client, queue: str) -> None:
    """Delete every RQ key of the queue (its jobs and workers carry the queue's name). The live progress
    of each job is deleted when it ends (and by the tests that kill a worker)."""
    for key in client.scan_iter(match=f"rq:*{queue}*", count=500):
        client.delete(key)


@pytest.fixture(scope="session")
def rq_queue(app, tmp_path_factory):
    """A queue of this test session, with one ``flask worker`` taking its jobs; removed at the end."""
    client = redis_client()
    queue = f"fieldops-test-{uuid.uuid4().hex[:10]}"
    worker = start_worker(app, queue, tmp_path_factory.mktemp("workers"))
    yield queue
    stop_worker(worker)
    forget_queue(client, queue)


def wait_for_jobs(timeout: float = 90.0) -> None:
    """Until every job has ended, so that the next test empties a quiet database."""
    deadline = time.monotonic() + timeout
    while True:
        db.session.commit()  # a fresh snapshot: SQLite would keep showing the first one
        states = db.session.scalars(select(Job.state)).all()
        if all(state in FINISHED for state in states) or time.monotonic() > deadline:
            return
        time.sleep(0.1)


@pytest.fixture(params=["thread", "rq"])
def job_mode(request, app):
    """Jobs run in a thread of the app (no REDIS_URL), or go to the session's RQ worker."""
    saved = {name: app.config.get(name) for name in ("REDIS_URL", "JOB_QUEUE")}
    if request.param == "rq":
        app.config.update(REDIS_URL=REDIS_URL, JOB_QUEUE=request.getfixturevalue("rq_queue"))
    else:
        app.config.update(REDIS_URL=None, JOB_QUEUE=None)
    yield request.param
    wait_for_jobs()
    app.config.update(saved)


def finished_job(job_id: int, timeout: float = 180.0) -> Job:
    """The job, once it has ended (read afresh from the database). The RQ worker is another process: on a
    loaded machine (CI runs SQLite and PostgreSQL side by side) it may take a while to pick the job up."""
    deadline = time.monotonic() + timeout
    while True:
        db.session.commit()
        job = db.session.get(Job, job_id)
        db.session.refresh(job)
        if job.state in FINISHED:
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {job.state} after {timeout:.0f} s: {job.progress}")
        time.sleep(0.1)


def progress_dropped(key: str, timeout: float = 30.0) -> bool:
    """Whether the job's live progress is gone within the timeout. The runner drops it just after the job's
    last unit of work has committed, so a reader that has seen the job ended may still find it for a moment."""
    deadline = time.monotonic() + timeout
    while job_progress.store().read(key) is not None:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
