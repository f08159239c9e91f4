"""Runs background jobs, the same way wherever they run: RQ workers, or a thread of the web process.

``send(keys)`` is called once the transaction that submitted the jobs has committed. With
``REDIS_URL`` set the jobs go to the RQ queue, for ``flask worker`` processes on any host; without
it each gets a thread of the process that took it, one job at a time per process (as one worker
would: SQLite has one writer, and a web process should not run two big imports at once).

``perform(key)`` is what a worker or a thread does with a job:

1. start the heartbeat: the live progress, written every second outside the database
   (``job_progress``), where pages read it while the work's transaction is open;
2. mark the job running, a small unit of work of its own, so that every page sees it;
3. run the kind's work as one unit of work, in which the job is also marked done: the work's
   writes and "done" are committed together or not at all;
4. on any error the work is rolled back and the job marked failed with the reason, another
   small unit of work;
5. stop the heartbeat and drop the live progress (the job row holds the last of it).

A worker killed at any point leaves its job running with a silent heartbeat, and its transaction
dies with it: the next reader of the job (``lost_reason``) marks it failed with "the worker stopped".

``receive(uploads)`` stores the rest of big uploads after the request has answered, each in a thread of
the web process, with a heartbeat of its own ("receiving the file"), then sends the job if it is queued.
A web process that dies mid-copy leaves a silent heartbeat too: the job is failed with
``RECEIVING_STOPPED``, its partial file dropped, nothing imported.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
from contextlib import nullcontext
from typing import Any

from flask import Flask, current_app, has_app_context
from rq import Queue, SimpleWorker
from sqlalchemy.exc import OperationalError

from . import job_progress, unit_of_work
from .errors import FieldopsError, words_of
from .extensions import db
from .models import Job
from .models.jobs import FINISHED, HELD, QUEUED, RQ, RUNNING, THREAD
from .services import job_kinds, jobs
from .domain.text import N_

log = logging.getLogger(__name__)

JOB_TIMEOUT_S = 6 * 3600  # RQ stops a job after this long: a statewide file takes minutes, not hours
WORKER_STOPPED = "the worker stopped (killed or restarted) before the job ended"
NEVER_BEGAN = "the web process that was to run it stopped before it began"
LOST_FROM_QUEUE = "it was lost from the job queue (Redis was emptied, or could not be reached when it was sent)"
RECEIVING_STOPPED = ("the web process that took the upload stopped before the whole file was stored: "
                     "nothing was imported; upload the file again")
RECEIVE_BATCH_CHUNKS = 8  # chunks stored per transaction: SQLite's other writers wait for one batch at most
QUEUE_GRACE_S = 10.0  # a job just committed may not be in Redis yet

_one_at_a_time = threading.Lock()  # thread mode: this process runs one job at a time


class LiveProgress:
    """The job's live progress: called by the work as it goes, written out at once and on every heartbeat."""

    def __init__(self, store: job_progress.ProgressStore, key: str, steps: tuple[str, ...]):
        self.store, self.key, self.steps = store, key, steps
        self.facts: dict[str, Any] = {"state": QUEUED, "step": "", "steps": list(steps), "percent": 0,
                                      "host": socket.gethostname(), "pid": os.getpid()}
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._beating: threading.Thread | None = None

    def __call__(self, step: str, done: int | None = None, total: int | None = None, *,
                 rows: int | None = None, rejected: int | None = None) -> None:
        """``progress(step, done, total, rows=, rejected=)``: the work's progress callback; an empty step means
        every step is done."""
        with self._lock:
            if step:
                self.facts["step"] = step
            else:
                self.facts["step"] = "saving"
            self.facts["percent"] = self._percent(step, done, total)
            if rows:
                self.facts["rows"] = rows
            if rejected is not None and (rejected or "rows" in self.facts):  # "0 rejected" once rows are read
                self.facts["rejected"] = rejected
        self._write()

    def _percent(self, step: str, done: int | None, total: int | None) -> int:
        within = (done / total) if total else 0.0
        if not step:
            return 100
        if step in self.steps:
            return min(99, int(100 * (self.steps.index(step) + within) / len(self.steps)))
        return min(99, int(100 * within)) if total else self.facts.get("percent", 0)

    def waiting(self, why: str | None) -> None:
        with self._lock:
            if why:
                self.facts["waiting"] = why
            else:
                self.facts.pop("waiting", None)
                self.facts["state"] = RUNNING
        self._write()

    def last(self) -> dict[str, Any]:
        """What to keep on the job row when it ends."""
        with self._lock:
            return {name: value for name, value in self.facts.items() if name not in ("state", "host", "pid")}

    def _write(self) -> None:
        with self._lock:
            snapshot = {**self.facts, "beat": time.time()}
        try:
            self.store.write(self.key, snapshot)
        except Exception:  # a store that is down must not stop the work; readers will see a silent job
            log.exception("job %s: could not write its progress", self.key)

    def start(self, every_s: float) -> None:
        self._write()

        def beat():
            while not self._stopped.wait(every_s):
                self._write()
        self._beating = threading.Thread(target=beat, name=f"fieldops-heartbeat-{self.key[:8]}", daemon=True)
        self._beating.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._beating is not None:
            self._beating.join()
        try:
            self.store.delete(self.key)
        except Exception:
            log.exception("job %s: could not drop its live progress", self.key)


def reason_for(error: BaseException) -> str:
    """What the organizer reads when a job fails (English: the job's ``error``, its JSON, the CLI)."""
    if isinstance(error, FieldopsError):
        return error.message
    words = reason_words(error)
    return words["text"] % words["values"]


def reason_words(error: BaseException) -> dict[str, Any]:
    """The same reason as the catalogs know it, kept with the job so its page can say it in the reader's
    language (``web/jobs.py``): the text, its values (as text, JSON-ready), and where bad input was."""
    if isinstance(error, FieldopsError):
        return words_of(error)
    if type(error).__name__ == "JobTimeoutException":
        return {"text": N_("it ran for longer than the %(hours)s hours a job may take"),
                "values": {"hours": JOB_TIMEOUT_S // 3600}}
    if not isinstance(error, Exception):
        return {"text": N_("the worker was stopped before the job ended"), "values": {}}
    return {"text": N_("an unexpected error (%(kind)s) stopped it; the worker's log has the details"),
            "values": {"kind": type(error).__name__}}


def _queued_kind(key: str) -> str | None:
    job = jobs.job_by_key(key)
    return job.kind if job is not None and job.state == QUEUED else None


def _work(key: str, kind: job_kinds.JobKind, live: LiveProgress) -> None:
    job = jobs.job_by_key(key)
    result = kind.work(job, live)
    live("")
    jobs.finish(key, result, live.last())


def perform(key: str, gate=None) -> str:
    """Run the job named ``key`` to its end and return its state. Needs an app context.

    ``gate`` is held while the work runs (thread mode: this process's one-at-a-time lock).
    """
    kind_name = unit_of_work.run(_queued_kind, key)
    if kind_name is None:
        log.info("job %s is not queued (gone, or delivered twice): nothing to do", key)
        return "skipped"
    kind = job_kinds.kind_named(kind_name)
    live = LiveProgress(job_progress.store(), key, kind.steps)
    live.start(job_progress.heartbeat_every())
    try:
        if gate is not None:
            live.waiting("waiting for the job before it to finish")
        with gate if gate is not None else nullcontext():
            if not unit_of_work.run(jobs.start, key):
                return "skipped"
            live.waiting(None)
            try:
                unit_of_work.run(_work, key, kind, live)
            except BaseException as error:
                if not isinstance(error, FieldopsError):
                    log.exception("job %s (%s) failed", key, kind_name)
                unit_of_work.run(jobs.fail, key, reason_for(error),
                                 {**(live.last() or {}), "error_words": reason_words(error)})
                if not isinstance(error, Exception):
                    raise
                return "failed"
            return "done"
    finally:
        live.stop()


def run_job(key: str) -> str:
    """The RQ entry point: a plain function of the job's key, run in the worker's app (or a new one)."""
    if has_app_context():
        return perform(key)
    from . import create_app
    with create_app().app_context():
        return perform(key)


# --- sending jobs to their runner ------------------------------------------------------------------

def rq_job_id(app: Flask, key: str) -> str:
    return f"{job_progress.queue_name(app)}-{key}"


def send(keys: list[str]) -> None:
    """Hand committed jobs to their runner: the RQ queue, or a thread of this process."""
    app = current_app._get_current_object()
    url = app.config.get("REDIS_URL")
    for key in keys:
        if url:
            try:
                Queue(job_progress.queue_name(app), connection=job_progress.redis_connection(url)).enqueue_call(
                    func=run_job, args=(key,), job_id=rq_job_id(app, key), timeout=JOB_TIMEOUT_S,
                    result_ttl=3600, failure_ttl=7 * 24 * 3600)
            except Exception:  # the job's page reports it lost (lost_reason); the request has committed
                log.exception("job %s could not be sent to the queue", key)
        else:
            threading.Thread(target=_in_thread, args=(app, key), name=f"fieldops-job-{key[:8]}", daemon=True).start()


def _in_thread(app: Flask, key: str) -> None:
    with app.app_context():
        try:
            perform(key, gate=_one_at_a_time)
        except BaseException:
            log.exception("job %s: its thread stopped", key)


def receive(uploads: list[jobs.PendingUpload]) -> None:
    """Store the rest of each upload in a thread of this process (its request has answered)."""
    app = current_app._get_current_object()
    for upload in uploads:
        # Not a daemon: a process stopped gracefully (a deploy, gunicorn recycling its worker) finishes
        # storing the file before it exits; one killed outright leaves the job to the stale rule.
        threading.Thread(target=_receive_in_thread, args=(app, upload), name=f"fieldops-receive-{upload.key[:8]}",
                         daemon=False).start()


def _receive_in_thread(app: Flask, upload: jobs.PendingUpload) -> None:
    with app.app_context():
        live = LiveProgress(job_progress.store(), upload.key, upload.steps)
        live.waiting(jobs.RECEIVING)
        live.start(job_progress.heartbeat_every())
        send_now = False
        try:
            send_now = _store_rest(upload)
        except BaseException as error:
            log.exception("job %s: its upload could not be stored", upload.key)
            unit_of_work.run(jobs.fail, upload.key, f"the uploaded file could not be stored: {reason_for(error)}")
            if not isinstance(error, Exception):
                raise
        finally:
            os.close(upload.fd)
            live.stop()  # before sending: the runner's live progress is the job's from now on
        if send_now:
            send([upload.key])


def _store_rest(upload: jobs.PendingUpload) -> bool:
    """Copy the upload after its first chunk into the job's file, a batch of chunks per transaction; True if
    the job is to be sent now."""
    seq, offset = 1, jobs.CHUNK_BYTES
    while offset < upload.size:
        chunks = []
        while len(chunks) < RECEIVE_BATCH_CHUNKS and offset < upload.size:
            data = os.pread(upload.fd, jobs.CHUNK_BYTES, offset)
            if not data:
                break
            chunks.append(data)
            offset += len(data)
        if not chunks:
            break
        if not _while_locked(jobs.store_chunks, upload.job_id, upload.filename, seq, chunks):
            unit_of_work.run(jobs.drop_received, upload.key)  # reported failed meanwhile
            return False
        seq += len(chunks)
    return _while_locked(jobs.file_received, upload.key)


def _while_locked(work, *args):
    """``unit_of_work.run``, waiting out a SQLite writer that holds the database longer than its retry (a job
    of this process in its one transaction): the heartbeat goes on meanwhile, so the job stays "receiving"."""
    while True:
        try:
            return unit_of_work.run(work, *args)
        except OperationalError as error:
            if "locked" not in str(error).lower() or db.session.get_bind().dialect.name != "sqlite":
                raise
            time.sleep(0.5)


def lost_reason(job: Job, snapshot: dict | None, now: float, since: float) -> str | None:
    """Why a job that has not ended will never end, or None if it may still: its heartbeat went silent, its
    thread's process stopped before it began, or the queue lost it. ``since`` is when it started (or was
    queued), in seconds since the epoch."""
    if job.state in FINISHED:
        return None
    stale = job_progress.stale_after()
    if job.receiving:  # the web process that took the upload is storing it: its own heartbeat says it lives
        if snapshot is not None:
            return RECEIVING_STOPPED if now - snapshot.get("beat", 0) > stale else None
        return RECEIVING_STOPPED if now - since > stale else None
    if job.state == HELD:  # waits for the organizer, not for a worker
        return None
    if snapshot is not None:
        return WORKER_STOPPED if now - snapshot.get("beat", 0) > stale else None
    if now - since <= stale:
        return None
    if job.state == RUNNING:
        return WORKER_STOPPED
    if job.runner == THREAD:
        return NEVER_BEGAN
    return None if now - since <= QUEUE_GRACE_S or _in_queue(job) else LOST_FROM_QUEUE


def _in_queue(job: Job) -> bool:
    """Is the job still in Redis? (True when Redis cannot be asked: a reader cannot tell, so it waits.)"""
    url = current_app.config.get("REDIS_URL")
    if job.runner != RQ or not url:
        return True
    from rq.job import Job as RQJob
    try:
        return RQJob.exists(rq_job_id(current_app, job.key), connection=job_progress.redis_connection(url))
    except Exception:
        return True


# --- the worker --------------------------------------------------------------------------------------

class AppWorker(SimpleWorker):
    """An RQ worker that runs each job in its own app context, in its own process.

    Simple (no fork per job): the process you start is the one doing the work, so stopping or killing
    it stops the job, which its page then reports failed; and no database connection crosses a fork.
    """

    app: Flask

    def execute_job(self, job, queue):
        with self.app.app_context():
            return super().execute_job(job, queue)


def work(queues: list[str] | None = None, *, burst: bool = False, name: str | None = None) -> None:
    """Take jobs from the queues (default: the app's) until stopped (or, with ``burst``, until they are empty)."""
    from redis import Redis
    app = current_app._get_current_object()
    url = app.config.get("REDIS_URL")
    if not url:
        raise FieldopsError(N_("REDIS_URL is not set: without Redis, jobs run in the web process and need no worker"))
    connection = Redis.from_url(url)  # its own: RQ sets its own socket timeout for the blocking pops
    names = queues or [job_progress.queue_name(app)]
    worker = AppWorker([Queue(queue, connection=connection) for queue in names], connection=connection,
                       name=name or f"{socket.gethostname()}-{os.getpid()}-{'-'.join(names)}")
    worker.app = app
    worker.work(burst=burst, logging_level="INFO")
