"""Contacts leave as CSV only for those who manage the scope, and every export is in the audit log."""
from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime, timezone

from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import AuditEvent, Block, Contact, Door


def add_contact(world, note: str, canvass) -> str:
    door_id = db.session.scalar(select(Door.id).join(Block, Block.id == Door.block_id)
                                .where(Block.turf_id == world.turf_a1.id).order_by(Door.id))
    contact_id = str(uuid.uuid4())
    db.session.add(Contact(id=contact_id, office_id=world.office_a.id, door_id=door_id,
                           volunteer_id=world.users.volunteer_a1.id, turf_id=world.turf_a1.id,
                           canvass_id=canvass.id, outcome="talked", answers={"support": 4}, note=note,
                           recorded_at=datetime(2026, 11, 5, 12, tzinfo=timezone.utc)))
    db.session.commit()
    return contact_id


def test_office_csv_holds_the_contacts_and_is_audited(client, auth, world):
    kept = add_contact(world, "Wants a bench, by the stop", world.canvass_north)
    add_contact(world, "other canvass", world.canvass_south)
    auth.login("organizer.a@test.example")
    response = client.get(f"/offices/{world.office_a.id}/contacts.csv?canvass_id={world.canvass_north.id}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["contact_id"], r["note"], r["answers"], r["canvass"]) for r in rows] == [
        (kept, "Wants a bench, by the stop", "support=4", "North spring")]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export.contacts"))
    assert event.actor_id == world.users.organizer_a.id and event.details["canvass_id"] == world.canvass_north.id


def test_exports_are_scoped(client, auth, world):
    auth.login("volunteer.a1@test.example")
    assert client.get(f"/offices/{world.office_a.id}/contacts.csv").status_code == 403
    auth.logout()
    auth.login("lead.south@test.example")
    assert client.get(f"/regions/{world.north.id}/contacts.csv").status_code == 403
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "export.contacts")) == 0


def test_export_contacts_command(runner, world, tmp_path):
    add_contact(world, "From the command line", world.canvass_north)
    path = tmp_path / "north.csv"
    result = runner.invoke(args=["export-contacts", "--region", "North", "-o", str(path)])
    assert result.exit_code == 0 and "Wrote 1 contacts" in result.output
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows[0]["note"] == "From the command line" and rows[0]["office"] == "Alpha"
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "export.contacts")) == 1
