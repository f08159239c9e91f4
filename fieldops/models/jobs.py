"""Background jobs: long work (imports, auto-cuts, voted files, exports) run outside the request.

A ``Job`` row is the record people see: what kind of work, for which office, who asked, its state
and, once it has ended, its last progress and its result or the reason it failed. While it runs,
its live progress is kept outside the database (see ``fieldops/job_progress.py``): the work's own
transaction is open then, and on SQLite nobody else could write a progress row.

A ``JobFile`` holds a file the job reads (the upload) or writes (the rejected rows), in chunks in
the database, so that a worker on another host reads and writes the same files as the web. A big
upload is stored after the request has answered (``Job.receiving`` meanwhile; see ``services/jobs.py``).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._base import utcnow

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
HELD = "held"  # uploaded, waiting for the organizer to confirm what to do (a door file's columns); never run
JOB_STATES = (HELD, QUEUED, RUNNING, DONE, FAILED)
FINISHED = (DONE, FAILED)

# Where the job runs: a thread of the web process that took it (no Redis), or any RQ worker.
THREAD, RQ = "thread", "rq"


class Job(db.Model):
    """One piece of background work and what came of it."""
    __table_args__ = (Index("ix_job_office_created", "office_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Names the job outside the database: its live progress and its RQ job. Unguessable and never
    # reused, unlike ids, which a database may hand out again after a restore.
    key: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))  # what the organizer reads: "Doors and people from voters.csv"
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    runner: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(8), default=QUEUED, index=True)
    # True while the web process that took the upload is still storing the file after its answer (the
    # request keeps only the head): the job is sent to its runner only once the file is whole.
    receiving: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    progress: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the last progress, once ended
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class JobFile(db.Model):
    """One chunk of a file a job reads or writes; a file is its chunks in ``seq`` order."""
    __table_args__ = (Index("ix_job_file_job_name_seq", "job_id", "name", "seq", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(32))       # its role: "upload", "rejects"
    filename: Mapped[str] = mapped_column(String(255))  # as the organizer named it, for messages and downloads
    seq: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
