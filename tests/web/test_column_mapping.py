"""The import page's column-mapping step (issue 21.1): a door file uploaded from the page is held until
the organizer confirms how its columns are read; nothing is written before."""
from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import Door, Job, Person
from fieldops.services import territory
from tests.job_modes import finished_job

DATA = Path(__file__).resolve().parent.parent / "importers" / "data"


def maple_office(auth):
    from tests.factories import make_user
    from fieldops.importers.blocks import read_blocks
    office = territory.get_or_create_office("Maple", territory.get_or_create_region("Minnesota"))
    territory.save_blocks(office, read_blocks(DATA / "maple_block.geojson", id_field="source_id").blocks)
    make_user("organizer.maple@test.example", "organizer", office=office)
    db.session.commit()
    auth.login("organizer.maple@test.example")
    return office


def test_a_van_file_is_held_for_its_columns_then_imported_as_confirmed(client, auth, world, job_mode):
    office = maple_office(auth)
    response = client.post(f"/offices/{office.id}/import", content_type="multipart/form-data", data={
        "kind": "doors", "step": "columns", "upload": (io.BytesIO((DATA / "van_export.xls").read_bytes()),
                                                       "MyVoters.xls")})
    assert response.status_code == 303 and response.headers["Location"].endswith("/columns")
    page = client.get(response.headers["Location"])
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "utf-16 text, tab-separated" in text
    assert "Voter File VANID" in text and "100 Maple St" in text  # the column and its first values
    assert db.session.scalar(select(func.count(Door.id)).where(Door.office_id == office.id)) == 0
    job = db.session.scalar(select(Job).where(Job.office_id == office.id))
    assert job.state == "held"
    assert client.get(f"/jobs/{job.id}").headers["Location"].endswith("/columns")  # its page sends back here
    # Confirm with the guesses, but "Age" not used and "PreferredLanguage" read as... nothing new: keep it unused.
    columns = ["Voter File VANID", "FirstName", "MiddleName", "LastName", "vAddress", "City", "Zip5", "Latitude",
               "Longitude", "Phone", "Cell Phone", "Email", "Age", "PreferredLanguage"]
    guesses = {"Voter File VANID": "id", "FirstName": "first_name", "LastName": "last_name", "vAddress": "address",
               "City": "city", "Zip5": "postcode", "Latitude": "lat", "Longitude": "lon", "Phone": "phone",
               "Email": "email"}
    # A column none of ours is offered as kept as a tag; "not used" keeps it nowhere.
    assert 'data-column="MiddleName">\n          <option value="tag" selected>' in text
    form = {f"map-{i}": guesses.get(c, "tag" if c == "MiddleName" else "") for i, c in enumerate(columns)}
    twice = client.post(response.headers["Location"], data={**form, "map-2": "first_name"})
    assert twice.status_code == 400 and "two columns are read as &#39;first_name&#39;" in twice.get_data(as_text=True)
    done = client.post(response.headers["Location"], data=form)
    assert done.status_code == 303
    finished_job(job.id)
    text = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Imported into Maple" in text and "address not found" in text
    assert "can filter on them): MiddleName" in text and "Columns not used: Cell Phone, Age, PreferredLanguage" in text
    people = db.session.scalars(select(Person).join(Door).where(Door.office_id == office.id)).all()
    assert len(people) == 11 and {p.age for p in people} == {None}  # "not used": read into nothing...
    assert [p.tags for p in people if p.tags and set(p.tags) - {"middlename"}] == [] and any(p.tags for p in people)


def held_upload(client, office, data: bytes, name: str) -> tuple[str, Job]:
    response = client.post(f"/offices/{office.id}/import", content_type="multipart/form-data", data={
        "kind": "doors", "step": "columns", "upload": (io.BytesIO(data), name)})
    assert response.status_code == 303 and response.headers["Location"].endswith("/columns")
    return response.headers["Location"], db.session.scalar(select(Job).where(Job.office_id == office.id))


def test_a_file_that_is_no_table_fails_its_job_with_why_instead_of_waiting_for_columns(client, auth, world):
    office = maple_office(auth)
    columns_page, job = held_upload(client, office, bytes(range(256)) * 40, "photo.jpg.csv")
    answer = client.get(columns_page)
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/jobs/{job.id}")
    db.session.refresh(job)
    assert job.state == "failed" and "photo.jpg.csv" in job.error
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Nothing was written" in page and "Try again with a fixed file" in page
    listing = client.get(f"/offices/{office.id}/jobs").get_data(as_text=True)
    assert "Columns to confirm" not in listing  # not left waiting for a mapping nobody can give
    assert db.session.scalar(select(func.count(Door.id)).where(Door.office_id == office.id)) == 0


def test_the_organizer_can_discard_a_held_file(client, auth, world):
    office = maple_office(auth)
    columns_page, job = held_upload(client, office, (DATA / "van_export.xls").read_bytes(), "WrongOffice.xls")
    page = client.get(columns_page).get_data(as_text=True)
    assert "Discard this file" in page
    answer = client.post(columns_page, data={"action": "discard"})
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/offices/{office.id}/import")
    assert "Discarded: nothing was imported from WrongOffice.xls." in client.get(answer.headers["Location"]).get_data(as_text=True)
    db.session.refresh(job)
    assert job.state == "failed" and job.error == "discarded before it started: nothing was imported"
    assert client.get(columns_page).headers["Location"].endswith(f"/jobs/{job.id}")  # no mapping step any more
    assert db.session.scalar(select(func.count(Door.id)).where(Door.office_id == office.id)) == 0
