"""An office's contacts exported by a background job (issue 21.4): asked for from the dashboard, written by a
worker (a thread, or an RQ worker), offered on the job's page, the same file as the direct download; the
export and each download of its file are in the audit log, and only the office's organizers reach either."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import AuditEvent, Job
from tests.job_modes import finished_job
from tests.web.test_contact_exports import add_contact


def _export(client, office_id: int, **form) -> int:
    answer = client.post(f"/offices/{office_id}/contacts/export", data=form)
    assert answer.status_code == 303 and "/jobs/" in answer.headers["Location"], answer.status_code
    return int(answer.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_the_job_writes_the_same_file_as_the_download_and_audits_both(client, auth, world, job_mode):
    add_contact(world, "Wants a bench, by the stop", world.canvass_north)
    add_contact(world, "Asked about the school", world.canvass_north)
    add_contact(world, "other canvass", world.canvass_south)
    auth.login("organizer.a@test.example")
    page = client.get(f"/offices/{world.office_a.id}/dashboard?canvass_id={world.canvass_north.id}")
    assert 'id="export-job-form"' in page.get_data(as_text=True)
    job_id = _export(client, world.office_a.id, format="csv", canvass_id=str(world.canvass_north.id))
    job = finished_job(job_id)
    assert job.state == "done", job.error
    assert job.result["rows"] == 2 and job.result["filename"] == f"contacts-office-{world.office_a.id}.csv"
    status = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "2 rows written." in status and f'href="/jobs/{job_id}/files/export"' in status
    download = client.get(f"/jobs/{job_id}/files/export")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    assert f'filename="contacts-office-{world.office_a.id}.csv"' in download.headers["Content-Disposition"]
    written = download.get_data()  # read to the end (it streams) before the next request
    direct = client.get(f"/offices/{world.office_a.id}/contacts.csv?canvass_id={world.canvass_north.id}")
    assert written == direct.get_data() and written.count(b"\n") == 3  # the same file: header and two rows
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count("export.contacts") == 2 and actions.count("export.download") == 1  # job, direct; file
    auth.logout()
    for email in ("organizer.b@test.example", "volunteer.a1@test.example", "lead.south@test.example"):
        auth.login(email)  # another office's organizer, Alpha's own volunteer, another region's lead
        assert client.get(f"/jobs/{job_id}/files/export").status_code in (403, 404), email
        assert client.get(f"/jobs/{job_id}").status_code in (403, 404), email
        auth.logout()
    assert db.session.scalars(select(AuditEvent.action)).all().count("export.download") == 1


def test_a_committee_format_as_a_job(client, auth, world, job_mode):
    add_contact(world, "Wants a bench, by the stop", world.canvass_north)
    auth.login("organizer.a@test.example")
    job = finished_job(_export(client, world.office_a.id, format="osdi"))
    assert job.state == "done", job.error
    download = client.get(f"/jobs/{job.id}/files/export")
    assert download.mimetype == "application/json"
    assert json.loads(download.get_data(as_text=True))["origin_system"] == "Fieldops"


def test_export_jobs_are_the_office_organizers_alone(client, auth, world):
    auth.login("organizer.a@test.example")
    refused = client.post(f"/offices/{world.office_a.id}/contacts/export", data={"format": "xls"})
    assert refused.status_code == 400 and "format must be one of" in refused.get_data(as_text=True)
    auth.logout()
    for email in ("volunteer.a1@test.example", "organizer.b@test.example"):
        auth.login(email)
        assert client.post(f"/offices/{world.office_a.id}/contacts/export", data={"format": "csv"}).status_code == 403
        auth.logout()
    assert db.session.scalar(select(func.count(Job.id))) == 0
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "export.contacts")) == 0


def test_an_export_file_is_kept_a_week_then_dropped(app, client, auth, world, job_mode):
    add_contact(world, "Wants a bench, by the stop", world.canvass_north)
    auth.login("organizer.a@test.example")
    old = finished_job(_export(client, world.office_a.id, format="csv"))
    assert "The file is kept for 7 days after the export" in client.get(f"/jobs/{old.id}").get_data(as_text=True)
    old.finished_at = old.finished_at - timedelta(days=app.config["EXPORT_KEEP_DAYS"], minutes=1)
    db.session.commit()
    fresh = finished_job(_export(client, world.office_a.id, format="csv"))  # asking again drops the old file
    assert client.get(f"/jobs/{old.id}/files/export").status_code == 404
    assert client.get(f"/jobs/{fresh.id}/files/export").status_code == 200
    assert db.session.get(Job, old.id) is not None  # the job and its audit rows stay
