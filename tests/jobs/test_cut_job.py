"""An auto-cut over more free blocks than a request should plan (``CUT_IN_JOB_BLOCKS``) runs as a job
(issue 21.4): the form answers at once with the job's page, a worker (a thread, or an RQ worker) cuts,
and the page shows the cut's quality. Office Bravo has 8 free blocks of 5 doors (its other 8 are Bravo 1)."""
from __future__ import annotations

from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import Block, Job, Turf
from tests.job_modes import finished_job


def turfs_of(office) -> int:
    db.session.commit()
    return db.session.scalar(select(func.count(Turf.id)).where(Turf.office_id == office.id))


def test_a_big_office_is_cut_by_a_worker_and_its_page_shows_the_cut(app, client, auth, world, job_mode, monkeypatch):
    monkeypatch.setitem(app.config, "CUT_IN_JOB_BLOCKS", 4)  # Bravo's 8 free blocks are "too many"
    before = turfs_of(world.office_b)
    auth.login("organizer.b@test.example")
    answer = client.post(f"/offices/{world.office_b.id}/turfs/cut", data={"doors": "10"})
    assert answer.status_code == 303 and "/jobs/" in answer.headers["Location"]
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    assert job.kind == "cut-turfs" and job.title == "Turfs of about 10 doors for Bravo"
    job = finished_job(job.id)
    assert job.state == "done", job.error
    made = turfs_of(world.office_b) - before
    assert made == job.result["turfs"] == 4  # 40 free doors in turfs of about 10
    assert db.session.scalar(select(func.count(Block.id)).where(Block.office_id == world.office_b.id,
                                                                Block.turf_id.is_(None), ~Block.divided)) == 0
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Cut 40 doors into 4 draft turfs of about 10: 4 of 4 (100%) within ±20%, all contiguous." in page
    assert "4 / 4</span> within ±20% of the target" in page
    assert f'href="/offices/{world.office_b.id}/turfs"' in page  # to the map of the new turfs
    # The same cut again finds nothing left, and says so.
    again = client.post(f"/offices/{world.office_b.id}/turfs/cut", data={"doors": "10"})
    assert again.status_code == 302  # no free block is over the bar: cut in the request, nothing to cut


def test_a_small_office_is_still_cut_in_the_request(app, client, auth, world):
    before = turfs_of(world.office_b)
    auth.login("organizer.b@test.example")
    answer = client.post(f"/offices/{world.office_b.id}/turfs/cut", data={"doors": "10"}, follow_redirects=True)
    assert "draft turfs of about 10" in answer.get_data(as_text=True)
    assert turfs_of(world.office_b) - before == 4
    assert db.session.scalar(select(func.count(Job.id))) == 0


def test_a_cut_job_is_the_office_organizers_alone(app, client, auth, world, monkeypatch):
    monkeypatch.setitem(app.config, "CUT_IN_JOB_BLOCKS", 4)
    auth.login("organizer.a@test.example")  # Alpha's organizer: not Bravo's
    assert client.post(f"/offices/{world.office_b.id}/turfs/cut", data={"doors": "10"}).status_code in (403, 404)
    assert db.session.scalar(select(func.count(Job.id))) == 0
