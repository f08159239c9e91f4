"""Several hosts (issue 21, point 5): two app processes on two ports, sharing one database and one Redis, as
the README's production section deploys them (gunicorn, one worker each, plus one ``flask worker``).

What one host learns the other knows: wrong passwords counted through host A refuse the next one through
host B; a job submitted through A shows its progress, step by step, through B; a contact synced through A
is on B's walk list and household timeline. On PostgreSQL both hosts use the suite's database; on SQLite
they share its one file (WAL), so the test runs, and must pass, on both passes of CI.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests
from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Block, Door
from tests.factories import PASSWORD, create_token
from tests.importers.conftest import voter_rows
from tests.job_modes import REDIS_URL, ROOT, forget_queue, redis_client, stop_worker

SECRET = "test-secret-shared-by-both-hosts"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            pytest.fail(f"the app process at {url} exited ({process.returncode}): {log.read()[-2000:]}")
        try:
            if requests.get(f"{url}/login", timeout=10).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or its worker still loading the app
            pass
        time.sleep(0.3)
    pytest.fail(f"the app process at {url} did not answer within {timeout:.0f} s")


class Hosts:
    """Host A and host B (gunicorn, one sync worker each) and one ``flask worker``, all on one database and
    one Redis, configured from the environment only, as production is."""

    def __init__(self, app, folder):
        self.queue = f"fieldops-test-hosts-{uuid.uuid4().hex[:10]}"
        self.env = {**os.environ, "FLASK_APP": "wsgi.py", "PYTHONUNBUFFERED": "1",
                    "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": SECRET,
                    "REDIS_URL": REDIS_URL, "JOB_QUEUE": self.queue,
                    "RATELIMIT_KEY_PREFIX": f"fieldops-test-hosts-{uuid.uuid4().hex[:10]}"}
        self.env.pop("RATELIMIT_STORAGE_URI", None)
        self.folder, self.processes, self.urls, self.worker = folder, [], [], None
        try:
            for name in ("a", "b"):
                port = _free_port()
                log = open(folder / f"host-{name}.log", "w+")
                process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "1", "-b",
                                            f"127.0.0.1:{port}", "--timeout", "60", "wsgi:app"],
                                           cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
                self.processes.append(process)
                self.urls.append(f"http://127.0.0.1:{port}")
                _wait_until_up(self.urls[-1], process, log)
        except BaseException:
            self.close()  # never leave a host running behind a failed start
            raise
        self.a, self.b = self.urls

    def start_worker(self) -> None:
        """The jobs' worker: the real door import, paused after each step so that its progress can be watched."""
        log = open(self.folder / "worker.log", "ab")
        self.worker = subprocess.Popen([sys.executable, "-m", "tests.jobs.slowed_worker", "worker", "--queue",
                                        self.queue], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def close(self) -> None:
        for process in [*self.processes, *([self.worker] if self.worker else [])]:
            stop_worker(process)
        forget_queue(redis_client(), self.queue)
        client = redis_client()
        for key in client.scan_iter(match=f"{self.env['RATELIMIT_KEY_PREFIX']}*", count=500):
            client.delete(key)


@pytest.fixture(scope="module")
def hosts(app, tmp_path_factory):
    redis_client()  # fails, never skips, without Redis: CI starts it
    running = Hosts(app, tmp_path_factory.mktemp("hosts"))
    yield running
    running.close()


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def try_password(browser: requests.Session, host: str, email: str, password: str) -> int:
    page = browser.get(f"{host}/login", timeout=30).text
    return browser.post(f"{host}/login", data={"email": email, "password": password, "csrf_token": csrf_of(page)},
                        allow_redirects=False, timeout=30).status_code


def test_wrong_passwords_through_host_a_count_on_host_b(hosts, world):
    email = "volunteer.a2@test.example"
    # Five wrong passwords through A, each from a browser of its own (strangers to the account): refused.
    assert [try_password(requests.Session(), hosts.a, email, "wrong password") for _ in range(5)] == [401] * 5
    # Host B has never seen a wrong password for it, yet refuses the sixth: the counts are shared in Redis.
    stranger = requests.Session()
    assert try_password(stranger, hosts.b, email, "wrong password") == 429
    # Another account is untouched on either host.
    assert try_password(requests.Session(), hosts.b, "volunteer.c@test.example", "wrong password") == 401


def test_a_job_submitted_through_host_a_shows_its_progress_through_host_b(hosts, world):
    organizer = requests.Session()  # one browser: its cookie is good on both hosts (one SECRET_KEY, one database)
    assert try_password(organizer, hosts.a, "organizer.a@test.example", PASSWORD) == 302
    office = world.office_a
    from fieldops.services import territory
    rows = voter_rows(territory.office_blocks_frame(office))
    rows["canvass notes"] = "knocked in 2024, " * 1_500  # over a megabyte: host A stores it after its answer
    voters = rows.to_csv(index=False).encode()
    assert len(voters) > 1 << 20
    page = organizer.get(f"{hosts.a}/offices/{office.id}/import", timeout=30).text
    answer = organizer.post(f"{hosts.a}/offices/{office.id}/import", allow_redirects=False, timeout=30,
                            data={"kind": "doors", "csrf_token": csrf_of(page)},
                            files={"upload": ("voters.csv", voters, "text/csv")})
    assert answer.status_code == 303, answer.text[:500]
    job_path = answer.headers["Location"].replace(hosts.a, "")
    job_id = int(re.search(r"/jobs/(\d+)", job_path).group(1))

    def progress(host: str) -> dict:
        response = organizer.get(f"{host}/jobs/{job_id}/progress", timeout=30)
        assert response.status_code == 200, response.status_code
        return response.json()

    assert progress(hosts.b)["state"] == "queued"  # no worker yet: B sees A's job waiting (or still receiving)
    hosts.start_worker()
    seen, deadline = [], time.monotonic() + 120
    while True:
        on_b = progress(hosts.b)
        if on_b["state"] == "running":
            seen.append((on_b["step"], on_b["percent"]))
        if on_b["finished"]:
            break
        assert time.monotonic() < deadline, f"the job did not end: {on_b}"
        time.sleep(0.1)
    steps = [step for step, _ in seen]
    # B followed the run as the worker wrote it: more than one step, percent never going back.
    assert len(set(steps)) >= 2, seen
    assert [percent for _, percent in seen] == sorted(percent for _, percent in seen), seen
    assert on_b["state"] == "done" and on_b["percent"] == 100, on_b
    assert progress(hosts.a)["state"] == "done"
    page_b = organizer.get(f"{hosts.b}{job_path}", timeout=30).text
    assert "Done" in page_b and "Imported into Alpha" in page_b  # the worker read the whole file from the database


def test_a_contact_synced_through_host_a_is_seen_through_host_b(hosts, world):
    token = create_token("volunteer.a1@test.example")
    door_id = db.session.scalar(select(Door.id).join(Block, Block.id == Door.block_id)
                                .where(Block.turf_id == world.turf_a1.id).order_by(Door.id))
    contact = {"id": str(uuid.uuid4()), "door_id": door_id, "canvass_id": world.canvass_north.id,
               "outcome": "talked", "note": "Synced through host A", "answers": {},
               "recorded_at": (datetime.now(timezone.utc) - timedelta(minutes=5)).isoformat()}
    headers = {"Authorization": f"Bearer {token}"}
    walk_before = requests.get(f"{hosts.b}/api/v1/turfs/{world.turf_a1.id}/walklist", headers=headers, timeout=30)
    assert walk_before.status_code == 200
    assert next(d for d in walk_before.json()["doors"] if d["id"] == door_id)["history"] == []
    synced = requests.post(f"{hosts.a}/api/v1/contacts", json={"contacts": [contact]}, headers=headers, timeout=30)
    assert [r["status"] for r in synced.json()["results"]] == ["created"]
    walk = requests.get(f"{hosts.b}/api/v1/turfs/{world.turf_a1.id}/walklist", headers=headers, timeout=30).json()
    history = next(d for d in walk["doors"] if d["id"] == door_id)["history"]
    assert [(h["outcome"], h.get("note")) for h in history] == [("talked", "Synced through host A")]
    # The same phone sending it again through B: B knows it is stored.
    again = requests.post(f"{hosts.b}/api/v1/contacts", json={"contacts": [contact]}, headers=headers, timeout=30)
    assert [r["status"] for r in again.json()["results"]] == ["duplicate"]
    # The organizer's household timeline on B shows the knock.
    organizer = requests.Session()
    assert try_password(organizer, hosts.b, "organizer.a@test.example", PASSWORD) == 302
    timeline = organizer.get(f"{hosts.b}/doors/{door_id}", timeout=30)
    assert timeline.status_code == 200 and "Synced through host A" in timeline.text
