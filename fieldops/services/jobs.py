"""Background jobs: submit one, follow it, list an office's; and the job row's own state changes.

``submit`` adds the job row (and the file it will read) to the caller's transaction and sends the
job to its runner only once that transaction has committed (a session ``after_commit`` hook): a
worker never looks for a job that is not there yet, and a request that is refused or rolled back
sends nothing. Like every service, nothing here commits.

States: ``queued`` -> ``running`` -> ``done`` or ``failed``. ``start`` and ``fail`` are small units
of work of their own (run by ``fieldops/job_runner.py``); ``finish`` runs inside the work's own
transaction, so the work's writes and "done" are committed together or not at all.

A big upload is stored after the answer (``receive_after``): the request stores only the file's head
(what the column-mapping step reads) and marks the job ``receiving``; once the request has committed, a
thread of the web process (``job_runner.receive``) stores the rest from the file Werkzeug spooled the
body into, then clears ``receiving`` and sends the job if it is queued. ``release`` of a held job sends
it only if the file is whole already: whichever of the two comes second sends it (each changes the
job row, then reads the other's flag: the row lock, or SQLite's one writer, orders them).
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from flask import current_app
from sqlalchemy import and_, delete, event, insert, or_, select, update
from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename

from .. import job_progress
from ..errors import Conflict, FieldopsError
from ..extensions import db
from ..models import Job, JobFile, Office, User
from ..models._base import utcnow
from ..models.jobs import DONE, FAILED, FINISHED, HELD, QUEUED, RQ, RUNNING, THREAD
from ..domain.text import N_

UPLOAD = "upload"    # the file a job reads: dropped when the job ends. Other files are what it wrote.
CHUNK_BYTES = 1 << 20
_TO_SEND = "fieldops.jobs_to_send"  # session.info: keys of the jobs submitted in this transaction
_TO_RECEIVE = "fieldops.uploads_to_receive"  # session.info: uploads whose rest is stored after the commit
RECEIVING = "receiving the file"  # why a job waits while the web process stores its upload
LIST_LIMIT = 50


class JobAbandoned(Conflict):
    """The job was marked failed (its worker taken for dead) while its work was still running."""


@dataclass
class PendingUpload:
    """The rest of an upload, to be stored after the request's commit by ``job_runner.receive``."""
    key: str
    job_id: int
    filename: str
    fd: int    # a descriptor of its own on the file the body was spooled into (read with pread; closed when done)
    size: int
    steps: tuple[str, ...]


def submit(kind: str, *, title: str, office: Office | None = None, user: User | None = None,
           params: dict[str, Any] | None = None, upload: tuple[str, IO[bytes]] | None = None,
           hold: bool = False, receive_after: bool = False) -> Job:
    """Queue a job of ``kind``; it is sent to a worker when the caller's transaction commits.

    ``upload`` is (file name, binary stream): the file the job will read, kept in the database so a
    worker on any host can read it. With ``receive_after`` and a stream on disk bigger than one chunk
    (an upload Werkzeug spooled to a temporary file), only its first chunk is stored now and the rest by
    a thread of this process after the commit; the job is sent when the file is whole. With ``hold`` the
    job waits (state ``held``, not sent) until ``release`` queues it: the door import's column-mapping step.
    """
    from .job_kinds import kind_named
    steps = kind_named(kind).steps
    job = Job(key=uuid.uuid4().hex, kind=kind, title=title[:200], office_id=office.id if office else None,
              created_by_id=user.id if user else None,
              runner=RQ if current_app.config.get("REDIS_URL") else THREAD, state=HELD if hold else QUEUED,
              params=params or {}, receiving=False,
              progress={"step": "", "steps": list(steps), "percent": 0})
    db.session.add(job)
    db.session.flush()
    pending = None
    if upload is not None:
        filename, stream = upload
        size = _spooled_size(stream) if receive_after else None
        if size is not None and size > CHUNK_BYTES:
            pending = PendingUpload(job.key, job.id, secure_filename(filename or "") or UPLOAD,
                                    os.dup(stream.fileno()), size, tuple(steps))
            _insert_chunk(job.id, UPLOAD, pending.filename, 0, os.pread(pending.fd, CHUNK_BYTES, 0))
            job.receiving = True
            db.session.flush()
            db.session.info.setdefault(_TO_RECEIVE, []).append(pending)
        else:
            save_file(job, UPLOAD, *upload)
    if not hold and pending is None:
        db.session.info.setdefault(_TO_SEND, []).append(job.key)
    return job


def _spooled_size(stream: IO[bytes]) -> int | None:
    """The size of an upload held in a file on disk, which another thread can read after the request, or
    None for one in memory (its position left at the start either way)."""
    try:
        stream.seek(0, os.SEEK_END)
        size = stream.tell()
        stream.seek(0)
        if size > CHUNK_BYTES:
            stream.fileno()  # Werkzeug spools a body over 500 kB to a temporary file: this one is on disk
    except (AttributeError, OSError, ValueError):
        return None
    return size


def release(job: Job, params: dict[str, Any]) -> Job:
    """Queue a held job with the parameters now confirmed; sent when the transaction commits, or, if its
    file is still being received, by the receiver once it is whole."""
    locked = db.session.execute(update(Job).where(Job.id == job.id, Job.state == HELD)
                                .values(state=QUEUED, params={**(job.params or {}), **params},
                                        created_at=utcnow()))  # queued now: the runner's clock starts here
    if locked.rowcount != 1:
        raise Conflict(N_("this import has already been started"))
    db.session.refresh(job)  # after our change of the row: sees the receiver's, if it came first
    if not job.receiving:
        db.session.info.setdefault(_TO_SEND, []).append(job.key)
    return job


def store_chunks(job_id: int, filename: str, first_seq: int, chunks: list[bytes]) -> bool:
    """Store the next chunks of an upload being received; False if the job has ended meanwhile (reported
    failed: the receiver stops)."""
    state = db.session.scalar(select(Job.state).where(Job.id == job_id))
    if state is None or state in FINISHED:
        return False
    for offset, data in enumerate(chunks):
        _insert_chunk(job_id, UPLOAD, filename, first_seq + offset, data)
    return True


def file_received(key: str) -> bool:
    """The upload of the job is whole: say so; True if the job is to be sent now (queued, not held)."""
    changed = db.session.execute(update(Job).where(Job.key == key, Job.receiving.is_(True),
                                                   Job.state.in_((HELD, QUEUED))).values(receiving=False)).rowcount
    if not changed:  # reported failed meanwhile: what was stored after that goes too
        _drop_upload(key)
        return False
    state = db.session.scalar(select(Job.state).where(Job.key == key))  # after our change: sees release's
    if state == QUEUED:  # the runner's clock starts now, not when the upload began
        db.session.execute(update(Job).where(Job.key == key).values(created_at=utcnow()))
    return state == QUEUED


def drop_received(key: str) -> None:
    """The part of an upload stored before its job ended (the receiver stops)."""
    _drop_upload(key)


def file_head(job: Job, name: str) -> bytes:
    """The first chunk (up to ``CHUNK_BYTES``) of the job's file, for a preview."""
    return db.session.scalar(select(JobFile.data).where(JobFile.job_id == job.id, JobFile.name == name)
                             .order_by(JobFile.seq).limit(1)) or b""


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    keys = session.info.pop(_TO_SEND, None)
    uploads = session.info.pop(_TO_RECEIVE, None)
    if keys or uploads:
        from .. import job_runner
        if uploads:
            job_runner.receive(uploads)
        if keys:
            job_runner.send(keys)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_TO_SEND, None)
    for upload in session.info.pop(_TO_RECEIVE, None) or ():
        os.close(upload.fd)


def job_by_key(key: str) -> Job | None:
    return db.session.scalar(select(Job).where(Job.key == key))


def start(key: str) -> bool:
    """Mark a queued job running; False if it is no longer queued (failed meanwhile, or a duplicate delivery)."""
    changed = db.session.execute(update(Job).where(Job.key == key, Job.state == QUEUED)
                                 .values(state=RUNNING, started_at=utcnow())).rowcount
    return bool(changed)


def finish(key: str, result: dict[str, Any], progress: dict[str, Any]) -> None:
    """Mark a running job done, in the work's own transaction; refuse if it was given up for dead meanwhile."""
    changed = db.session.execute(update(Job).where(Job.key == key, Job.state == RUNNING).values(
        state=DONE, result=result, progress=progress, finished_at=utcnow())).rowcount
    if not changed:
        raise JobAbandoned("the job was reported failed while it ran: nothing it did was kept")
    _drop_upload(key)


def fail(key: str, reason: str, progress: dict[str, Any] | None = None, *, held: bool = False) -> bool:
    """Mark a job that has not ended failed, with the reason; False if it had already ended. A held job
    (waiting for its columns to be confirmed) fails only while its file is being received (the receiver
    stopped), or when ``held`` says so: its file can't be read, or the organizer discarded it."""
    values: dict[str, Any] = {"state": FAILED, "error": reason[:2000], "finished_at": utcnow(), "receiving": False}
    if progress is not None:
        values["progress"] = progress
    waiting = Job.state == HELD if held else and_(Job.state == HELD, Job.receiving.is_(True))
    live = or_(Job.state.in_((QUEUED, RUNNING)), waiting)
    changed = db.session.execute(update(Job).where(Job.key == key, live).values(**values)).rowcount
    if changed:
        _drop_upload(key)
    return bool(changed)


def _drop_upload(key: str) -> None:
    job_id = select(Job.id).where(Job.key == key).scalar_subquery()
    db.session.execute(delete(JobFile).where(JobFile.job_id == job_id, JobFile.name == UPLOAD))


# --- files a job reads and writes, in chunks in the database -------------------------------------

def save_file(job: Job, name: str, filename: str, stream: IO[bytes]) -> None:
    """Store a file for the job, read from ``stream`` a chunk at a time (a 200 MB upload never sits in memory)."""
    filename = secure_filename(filename or "") or name
    seq = 0
    while True:
        data = stream.read(CHUNK_BYTES)
        if not data and seq:
            break
        _insert_chunk(job.id, name, filename, seq, data)
        seq += 1
        if not data:
            break


def _insert_chunk(job_id: int, name: str, filename: str, seq: int, data: bytes) -> None:
    db.session.execute(insert(JobFile).values(job_id=job_id, name=name, filename=filename, seq=seq, data=data))


def file_name(job: Job, name: str) -> str | None:
    """The name the job's file was given, or None if the job has no such file."""
    return db.session.scalar(select(JobFile.filename).where(JobFile.job_id == job.id, JobFile.name == name).limit(1))


def file_chunks(job: Job, name: str) -> Iterator[bytes]:
    """The file's bytes, chunk by chunk, one query per chunk so that only one is in memory. The job and its
    chunks are looked up now, not when the first chunk is asked for: a download streams after the request's
    unit of work has ended, and the job is then no longer attached to a session."""
    job_id = job.id
    seqs = db.session.scalars(select(JobFile.seq).where(JobFile.job_id == job_id, JobFile.name == name)
                              .order_by(JobFile.seq)).all()
    return _chunks(job_id, name, seqs)


def _chunks(job_id: int, name: str, seqs: list[int]) -> Iterator[bytes]:
    for seq in seqs:
        yield db.session.scalar(select(JobFile.data).where(JobFile.job_id == job_id, JobFile.name == name,
                                                           JobFile.seq == seq))


@contextmanager
def file_on_disk(job: Job, name: str) -> Iterator[Path]:
    """The job's file written to a temporary folder under its own name (importers name the file in their
    messages), removed afterwards."""
    filename = file_name(job, name)
    if filename is None:
        raise Conflict(N_("the job has no %(name)s file (it was removed when the job ended)"), name=name)
    folder = Path(tempfile.mkdtemp(prefix="fieldops-job-"))
    try:
        path = folder / filename
        with open(path, "wb") as handle:
            for chunk in file_chunks(job, name):
                handle.write(chunk)
        try:
            yield path
        except FieldopsError as error:  # a reader's message may quote the path: name the file as uploaded
            def named(text):
                return text.replace(str(path), filename).replace(str(folder), "") if isinstance(text, str) else text
            error.message, error.text = named(error.message), named(error.text)
            error.values = {key: named(value) for key, value in error.values.items()}
            if getattr(error, "file", None):
                error.file = named(error.file)
            error.args = (error.message,)
            raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- following jobs ------------------------------------------------------------------------------

@dataclass
class JobView:
    """A job as its page shows it: the row, and its live progress while it runs."""
    job: Job
    step: str = ""
    steps: list[str] = field(default_factory=list)
    percent: int = 0
    rows: int | None = None
    rejected: int | None = None
    waiting: str | None = None  # why a queued job has not begun

    @property
    def state(self) -> str:
        return self.job.state

    @property
    def finished(self) -> bool:
        return self.job.state in FINISHED

    def as_json(self) -> dict[str, Any]:
        return {"id": self.job.id, "state": self.state, "finished": self.finished, "step": self.step,
                "steps": self.steps, "percent": self.percent, "rows": self.rows, "rejected": self.rejected,
                "waiting": self.waiting, "error": self.job.error}


def _epoch(moment: datetime) -> float:
    if moment.tzinfo is None:  # SQLite gives back naive UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def follow(job: Job) -> JobView:
    """The job with its live progress. A job whose worker has gone silent is marked failed here, with the reason."""
    from .. import job_runner
    snapshot = None if job.state in FINISHED else job_progress.store(runner=job.runner).read(job.key)
    if job.state not in FINISHED:
        reason = job_runner.lost_reason(job, snapshot, time.time(), _epoch(job.started_at or job.created_at))
        if reason:
            fail(job.key, reason, _progress_of(snapshot) if snapshot else None)  # no-op if it ended just now
            db.session.refresh(job)
            if snapshot is not None:
                job_progress.store(runner=job.runner).delete(job.key)  # its worker is gone and will not
    facts = _progress_of(snapshot) if snapshot and job.state not in FINISHED else (job.progress or {})
    view = JobView(job=job, step=facts.get("step", ""), steps=list(facts.get("steps", [])),
                   percent=int(facts.get("percent", 0)), rows=facts.get("rows"), rejected=facts.get("rejected"))
    if job.state == QUEUED:
        view.waiting = (RECEIVING if job.receiving else facts.get("waiting") or
                        ("waiting for a worker to take it" if job.runner == RQ else "about to begin"))
    if job.state == DONE:
        view.percent = 100
    return view


def _progress_of(snapshot: dict[str, Any]) -> dict[str, Any]:
    """What of a live snapshot is worth keeping on the job row (not who beat when)."""
    return {name: snapshot.get(name) for name in ("step", "steps", "percent", "rows", "rejected", "waiting")
            if snapshot.get(name) is not None}


def office_jobs(office: Office, limit: int = LIST_LIMIT) -> list[JobView]:
    """The office's latest jobs, newest first, each with its progress."""
    rows = db.session.scalars(select(Job).where(Job.office_id == office.id)
                              .order_by(Job.created_at.desc(), Job.id.desc()).limit(limit)).all()
    return [follow(job) for job in rows]


def all_jobs(limit: int = LIST_LIMIT) -> list[Job]:
    """Every office's latest jobs, newest first (for ``flask jobs``)."""
    return list(db.session.scalars(select(Job).order_by(Job.created_at.desc(), Job.id.desc()).limit(limit)))
