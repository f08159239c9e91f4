"""The organizer's upload page: summary, rejects file, scoping and clear errors."""
from __future__ import annotations

import io

from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import Block, Door
from fieldops.services import territory
from tests.importers.conftest import tiger_frame, voter_rows, write_zip


def upload(client, office_id, kind, name, data: bytes):
    return client.post(f"/offices/{office_id}/import", data={"kind": kind, "upload": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def make_office():
    office = territory.get_or_create_office("Downtown", territory.get_or_create_region("Twin Cities"))
    db.session.commit()
    return office


def test_organizer_imports_blocks_then_voters_and_gets_rejects(client, auth, world, tmp_path):
    office = make_office()
    from tests.factories import make_user
    make_user("organizer.downtown@test.example", "organizer", office=office)
    db.session.commit()
    auth.login("organizer.downtown@test.example")

    archive = write_zip(tiger_frame(), tmp_path)
    page = upload(client, office.id, "blocks", archive.name, archive.read_bytes())
    assert page.status_code == 200
    assert "Imported into Downtown" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Block.id)).where(Block.office_id == office.id)) == 6

    frame = voter_rows(tiger_frame().to_crs(4326))
    frame.loc[0, ["latitude", "longitude"]] = [None, None]
    page = upload(client, office.id, "doors", "voters.csv", frame.to_csv(index=False).encode())
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "no coordinates" in text
    link = next(part.split('"')[0] for part in text.split('href="') if "/import/rejects/" in part.split('"')[0])
    download = client.get(link)
    assert download.status_code == 200
    lines = download.get_data(as_text=True).splitlines()
    assert lines[0].startswith("row,reason") and lines[1].startswith("2,no_coordinates,V0a")
    assert db.session.scalar(select(func.count(Door.id)).where(Door.office_id == office.id)) == 12


def test_bad_file_shows_where_and_writes_nothing(client, auth, world):
    auth.login("organizer.a@test.example")
    before = db.session.scalar(select(func.count(Door.id)))
    page = upload(client, world.office_a.id, "doors", "people.csv", b"name,age\nAnn,40\n")
    assert page.status_code == 400
    assert "people.csv" in page.get_data(as_text=True) and "lacks the column" in page.get_data(as_text=True)
    assert 'type="file"' in page.get_data(as_text=True)  # the form stays, ready for the fixed file
    assert db.session.scalar(select(func.count(Door.id))) == before


def test_only_the_office_organizer_may_import(client, auth, world):
    auth.login("organizer.b@test.example")
    assert client.get(f"/offices/{world.office_a.id}/import").status_code == 403
    auth.logout()
    auth.login("volunteer.a1@test.example")
    assert client.get(f"/offices/{world.office_a.id}/import").status_code == 403
    response = upload(client, world.office_a.id, "doors", "x.csv", b"id\n1\n")
    assert response.status_code == 403


def test_rejects_of_another_office_are_not_served(client, auth, world):
    auth.login("organizer.b@test.example")
    assert client.get(f"/offices/{world.office_a.id}/import/rejects/abc123.csv").status_code == 403
