"""Bad input everywhere gets a 4xx with a message that names the field, row or file, and writes nothing."""
from __future__ import annotations

import io
import uuid
import zipfile
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import Block, Contact, Door
from tests.factories import create_token
from tests.job_modes import finished_job
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock


def stored_contacts() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Contact.id)))


@pytest.mark.parametrize("change, message", [
    ({"door_id": "12"}, "door_id must be a whole number"),
    ({"canvass_id": 2**40}, "canvass_id must be a whole number"),
    ({"outcome": "partied"}, "outcome"),
    ({"recorded_at": (datetime.now(timezone.utc) + timedelta(days=2)).isoformat()}, "in the future"),
    ({"recorded_at": "2019-01-01T10:00:00Z"}, "recorded_at"),
    ({"recorded_at": "last tuesday"}, "recorded_at"),
    ({"lat": 200, "lon": 24.9}, "lat must be a number from -90 to 90"),
    ({"lat": 60.1, "lon": -500}, "lon must be a number from -180 to 180"),
    ({"answers": "yes"}, "answers"),
    ({"id": "not-a-uuid"}, "id"),
])
def test_each_bad_contact_is_rejected_with_its_field_named(client, world, change, message):
    token = create_token("volunteer.a1@test.example")
    contact = {**knock(doors_of(world.turf_a1)[0], world.canvass_north.id), **change}
    response = client.post("/api/v1/contacts", json={"contacts": [contact]}, headers=bearer(token))
    assert response.status_code == 200
    [result] = response.get_json()["results"]
    assert result["status"] == "rejected" and message in result["error"], result
    assert stored_contacts() == 0


@pytest.mark.parametrize("body, content_type, status, message", [
    (b"{not json", "application/json", 400, "contacts"),
    (b"[1, 2, 3]", "application/json", 400, "contacts"),
    (b'{"contacts": {"id": 1}}', "application/json", 400, "contacts"),
    (b"contacts=1", "application/x-www-form-urlencoded", 400, "contacts"),
])
def test_malformed_batches_get_a_400(client, world, body, content_type, status, message):
    token = create_token("volunteer.a1@test.example")
    response = client.post("/api/v1/contacts", data=body, headers={**bearer(token), "Content-Type": content_type})
    assert response.status_code == status and message in response.get_json()["error"]
    assert stored_contacts() == 0


def test_ten_thousand_contacts_in_one_batch_get_a_413_and_nothing_is_written(client, world):
    token = create_token("volunteer.a1@test.example")
    door = doors_of(world.turf_a1)[0]
    batch = {"contacts": [knock(door, world.canvass_north.id, id=str(uuid.uuid4())) for _ in range(10_000)]}
    response = client.post("/api/v1/contacts", json=batch, headers=bearer(token))
    assert response.status_code == 413 and "at most 500 contacts" in response.get_json()["error"]
    assert stored_contacts() == 0


def upload(client, office_id, kind, name, data: bytes):
    return client.post(f"/offices/{office_id}/import", data={"kind": kind, "upload": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def shapefile_zip_without_dbf() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("blocks.shp", b"\x00\x00\x27\x0a" + b"\x00" * 96)
        archive.writestr("blocks.shx", b"\x00\x00\x27\x0a" + b"\x00" * 96)
    return buffer.getvalue()


def two_tables_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.csv", "voter_id,street,house_number\n1,Fleminginkatu,3\n")
        archive.writestr("b.csv", "voter_id,street,house_number\n2,Fleminginkatu,5\n")
    return buffer.getvalue()


@pytest.mark.parametrize("kind, name, data, message", [
    ("blocks", "blocks.zip", b"this is not a zip file at all", "blocks.zip"),
    ("blocks", "blocks.zip", shapefile_zip_without_dbf(), ".dbf"),
    ("doors", "voters.zip", two_tables_zip(), "holds several tables (a.csv, b.csv)"),  # UTF-16 is read since issue 21
    ("doors", "voters.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "is an Excel workbook"),
])
def test_broken_uploads_are_named_and_write_nothing(client, auth, world, kind, name, data, message):
    auth.login("organizer.a@test.example")
    blocks, doors = db.session.scalar(select(func.count(Block.id))), db.session.scalar(select(func.count(Door.id)))
    response = upload(client, world.office_a.id, kind, name, data)
    assert response.status_code == 303  # the import runs as a job; its page says why it failed
    finished_job(int(response.headers["Location"].rsplit("/", 1)[1]))
    text = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nothing was written" in text and message in text and name in text, text[-600:]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Block.id))) == blocks
    assert db.session.scalar(select(func.count(Door.id))) == doors
