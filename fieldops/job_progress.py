"""Live progress of background jobs, kept where every reader can see it while the job runs.

A job's work is one transaction, open for as long as it runs, so its progress cannot be a row the
work updates: nobody would see the row before the commit, and on SQLite no second connection may
write while the work holds the write lock. So the runner writes a small snapshot of the progress
(step, rows, percent, rejected rows, and a heartbeat time) outside the database:

- with ``REDIS_URL`` set, in Redis, which every web process and worker on every host shares;
- without it, in a JSON file per job under ``instance/jobs/``, which every process of the host
  shares (and a Redis-less set-up has only one host).

The heartbeat is the wall-clock time of the last write: a job whose heartbeat is older than
``JOB_STALE_S`` seconds has lost its worker (killed, crashed, restarted) and is reported failed.
"""
from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app

from .models.jobs import THREAD

DEFAULT_QUEUE = "fieldops"
HEARTBEAT_S = 1.0   # how often a running job says it is alive
STALE_S = 20.0      # silence after which a job is taken for dead: well above any pause of a busy host
KEEP_S = 7 * 24 * 3600  # a snapshot left behind (its reader gone) expires from Redis after a week


REDIS_PREFIX = "fieldops:progress:"  # + the job's key: unique, whichever queue the job came from


def queue_name(app: Flask | None = None) -> str:
    """The RQ queue jobs are sent to (``JOB_QUEUE``; a worker may be told to take others)."""
    return (app or current_app).config.get("JOB_QUEUE") or DEFAULT_QUEUE


def stale_after(app: Flask | None = None) -> float:
    return float((app or current_app).config.get("JOB_STALE_S") or STALE_S)


def heartbeat_every(app: Flask | None = None) -> float:
    return float((app or current_app).config.get("JOB_HEARTBEAT_S") or HEARTBEAT_S)


class ProgressStore(Protocol):
    def write(self, key: str, snapshot: dict) -> None: ...
    def read(self, key: str) -> dict | None: ...
    def delete(self, key: str) -> None: ...


class FileProgress:
    """One JSON file per job in a folder; each write replaces the file whole, so readers never see half."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def write(self, key: str, snapshot: dict) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{key}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(snapshot, handle)
        os.replace(temporary, self._path(key))

    def read(self, key: str) -> dict | None:
        try:
            return json.loads(self._path(key).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class RedisProgress:
    """One Redis string per job, named by its key."""

    def __init__(self, redis, prefix: str):
        self.redis, self.prefix = redis, prefix

    def write(self, key: str, snapshot: dict) -> None:
        self.redis.set(self.prefix + key, json.dumps(snapshot), ex=KEEP_S)

    def read(self, key: str) -> dict | None:
        value = self.redis.get(self.prefix + key)
        return json.loads(value) if value else None

    def delete(self, key: str) -> None:
        self.redis.delete(self.prefix + key)


_connections: dict[str, object] = {}
_connections_lock = threading.Lock()


def redis_connection(url: str):
    """One client (and so one connection pool, which is thread-safe) per Redis URL and process."""
    with _connections_lock:
        if url not in _connections:
            from redis import Redis
            _connections[url] = Redis.from_url(url, socket_connect_timeout=3, socket_timeout=10)
        return _connections[url]


def store(app: Flask | None = None, runner: str | None = None) -> ProgressStore:
    """Where the app's jobs keep their live progress (for a job of the given runner: "thread" jobs keep it
    on this host even when the app has since been given a Redis)."""
    app = app or current_app
    url = app.config.get("REDIS_URL")
    if url and runner != THREAD:
        return RedisProgress(redis_connection(url), REDIS_PREFIX)
    return FileProgress(Path(app.instance_path) / "jobs")
