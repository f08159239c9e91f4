"""The organizer's upload page: summary, rejects file, scoping and clear errors."""
from __future__ import annotations

import io
import time

from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import Block, Door
from fieldops.services import import_jobs, territory
from tests.importers.conftest import tiger_frame, voter_rows, write_zip
from tests.job_modes import finished_job
from tests.jobs.slow_kinds import SLOW_DOORS


def upload(client, office_id, kind, name, data: bytes):
    return client.post(f"/offices/{office_id}/import", data={"kind": kind, "upload": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def blocks_of(office):
    """The office's blocks as a frame in EPSG:4326, to make voters who live inside them."""
    return territory.office_blocks_frame(office)


def make_office():
    office = territory.get_or_create_office("Downtown", territory.get_or_create_region("Twin Cities"))
    db.session.commit()
    return office


def job_page(client, response):
    """Follow the upload's redirect to its job's page, once the job has ended."""
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    location = response.headers["Location"]
    finished_job(int(location.rstrip("/").rsplit("/", 1)[1]))
    return client.get(location)


def test_organizer_imports_blocks_then_voters_and_gets_rejects(client, auth, world, tmp_path, job_mode):
    office = make_office()
    from tests.factories import make_user
    make_user("organizer.downtown@test.example", "organizer", office=office)
    db.session.commit()
    auth.login("organizer.downtown@test.example")

    archive = write_zip(tiger_frame(), tmp_path)
    page = job_page(client, upload(client, office.id, "blocks", archive.name, archive.read_bytes()))
    assert page.status_code == 200
    assert "Imported into Downtown" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Block.id)).where(Block.office_id == office.id)) == 6
    # The job's times are on the office's clock, as every other organizer page's (its territory set it).
    assert "(Chicago time)" in page.get_data(as_text=True) and " UTC" not in page.get_data(as_text=True)
    assert "Started <small class=\"muted\">(Chicago time)</small>" in client.get(
        f"/offices/{office.id}/jobs").get_data(as_text=True)

    frame = voter_rows(tiger_frame().to_crs(4326))
    frame.loc[0, ["latitude", "longitude"]] = [None, None]  # no point, and an address no door is at
    frame.loc[0, "street"] = "Nowhere St"
    page = job_page(client, upload(client, office.id, "doors", "voters.csv", frame.to_csv(index=False).encode()))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "address not found" in text
    link = next(part.split('"')[0] for part in text.split('href="') if "/files/rejects" in part.split('"')[0])
    download = client.get(link)
    assert download.status_code == 200
    lines = download.get_data(as_text=True).splitlines()
    assert lines[0].startswith("row,reason") and lines[1].startswith("2,address not found,V0a")
    # An organizer reading Finnish gets the file's two columns and its reasons in Finnish, the rest as it was.
    finnish = client.get(link, headers={"Accept-Language": "fi"}).get_data(as_text=True).splitlines()
    assert finnish[0].startswith("rivi,syy,voter_id,first_name") and finnish[1].startswith("2,osoitetta ei löytynyt,V0a")
    assert ",Nowhere St," in finnish[1]
    assert len(finnish) == len(lines)
    assert db.session.scalar(select(func.count(Door.id)).where(Door.office_id == office.id)) == 12


def test_bad_file_shows_where_and_writes_nothing(client, auth, world, job_mode):
    auth.login("organizer.a@test.example")
    before = db.session.scalar(select(func.count(Door.id)))
    page = job_page(client, upload(client, world.office_a.id, "doors", "people.csv", b"name,age\nAnn,40\n"))
    text = page.get_data(as_text=True)
    assert "Failed" in text and "Nothing was written" in text
    assert "people.csv" in text and "has no id column" in text
    assert "Try again with a fixed file" in text  # back to the form, ready for the fixed file
    db.session.commit()
    assert db.session.scalar(select(func.count(Door.id))) == before


def test_the_upload_answers_at_once_and_the_progress_advances(client, auth, world, job_mode, monkeypatch):
    """A slow import (the real one, paused after each step) runs on while its upload has long been answered."""
    monkeypatch.setitem(import_jobs.KIND_OF, "doors", SLOW_DOORS)
    auth.login("organizer.a@test.example")
    voters = voter_rows(blocks_of(world.office_a)).to_csv(index=False).encode()
    started = time.perf_counter()
    response = upload(client, world.office_a.id, "doors", "voters.csv", voters)
    answered_s = time.perf_counter() - started
    assert response.status_code == 303 and answered_s < 1.0, f"answered in {answered_s:.2f} s"
    status_url = response.headers["Location"]
    page = client.get(status_url).get_data(as_text=True)
    assert "job-status.js" in page and "data-job-progress" in page  # still running: the page follows it

    seen = []
    while True:
        progress = client.get(status_url + "/progress").get_json()
        if progress["finished"]:
            break
        if progress["state"] == "running" and (progress["step"], progress["percent"]) not in seen:
            seen.append((progress["step"], progress["percent"]))
        time.sleep(0.05)
    assert progress["state"] == "done", progress
    percents = [percent for _, percent in seen]
    assert len(seen) >= 3 and percents == sorted(percents) and percents[-1] > percents[0], seen
    assert any(step == "write doors" for step, _ in seen), seen
    final = client.get(status_url).get_data(as_text=True)
    assert "Imported into Alpha" in final and "job-status.js" not in final, final[final.find("<main"):][:3000]


def test_only_the_office_organizer_may_import(client, auth, world):
    auth.login("organizer.b@test.example")
    assert client.get(f"/offices/{world.office_a.id}/import").status_code == 403
    auth.logout()
    auth.login("volunteer.a1@test.example")
    assert client.get(f"/offices/{world.office_a.id}/import").status_code == 403
    response = upload(client, world.office_a.id, "doors", "x.csv", b"id\n1\n")
    assert response.status_code == 403


DATA = __import__("pathlib").Path(__file__).resolve().parent.parent / "importers" / "data"


def upload_file(client, office_id, kind, name, **fields):
    data = {"kind": kind, "upload": (io.BytesIO((DATA / name).read_bytes()), name), **fields}
    return client.post(f"/offices/{office_id}/import", data=data, content_type="multipart/form-data")


def test_the_page_shows_layers_rejects_unused_columns_and_kept_apart_households(client, auth, world, job_mode):
    """Issue 16: a file of several layers is refused naming them and read once one is chosen; a feature
    without geometry is a reject to download; unused and address-like columns and near misses are shown."""
    office = make_office()
    from tests.factories import make_user
    make_user("organizer.downtown@test.example", "organizer", office=office)
    db.session.commit()
    auth.login("organizer.downtown@test.example")
    assert 'name="layer"' in client.get(f"/offices/{office.id}/import").get_data(as_text=True)

    text = job_page(client, upload_file(client, office.id, "blocks", "two_layers.gpkg")).get_data(as_text=True)
    assert "Nothing was written" in text and "holds 2 layers" in text
    assert "Import the layer tabblock20" in text and "Import the layer bg20" in text  # the choice, offered
    choice = next(part.split('"')[0] for part in text.split('href="') if "layer=bg20" in part.split('"')[0])
    form = client.get(choice.replace("&amp;", "&")).get_data(as_text=True)
    assert 'name="layer" type="text" value="bg20"' in form and '<option selected value="blocks">' in form
    text = job_page(client, upload_file(client, office.id, "blocks", "two_layers.gpkg",
                                        layer="bg20")).get_data(as_text=True)
    assert "Imported into Downtown" in text and "Read the layer <strong>bg20</strong>" in text

    text = job_page(client, upload_file(client, office.id, "blocks", "five_towns_blocks.geojson")).get_data(
        as_text=True)
    assert "Columns not used: NAME" in text

    page = job_page(client, upload_file(client, office.id, "blocks", "counties_one_null.geojson",
                                        id_field="GEOID", doors_field="HOUSING"))
    text = page.get_data(as_text=True)
    assert "no geometry" in text and "1</span> row rejected" in text
    link = next(part.split('"')[0] for part in text.split('href="') if "/files/rejects" in part.split('"')[0])
    lines = client.get(link).get_data(as_text=True).splitlines()
    assert lines[0].startswith("row,reason,id") and lines[1].startswith("2,no geometry,27003")

    text = job_page(client, upload_file(client, office.id, "doors", "postal_zone.csv")).get_data(as_text=True)
    assert "The column <strong>Postal Zone</strong> looks like part of an address" in text
    assert "The column <strong>Apt No</strong> looks like part of an address" in text
    # Kept as tags, so read: not listed again as columns not used.
    assert "can filter on them): Apt No, Postal Zone, Precinct" in text and "Columns not used" not in text

    text = job_page(client, upload_file(client, office.id, "doors", "five_towns.csv")).get_data(as_text=True)
    assert "5 households share the street address of another door" in text and "150 m" in text
    assert db.session.scalar(select(func.count(Door.id)).where(Door.office_id == office.id,
                                                               Door.street.ilike("main st"))) == 6


def test_a_big_imports_figures_are_written_as_the_reader_writes_numbers(app):
    """A statewide file's summary: "13 080 doors" to a Finnish reader, "13,080" to an English one."""
    from types import SimpleNamespace

    from flask import render_template
    from flask_babel import force_locale
    summary = {"office": "Kluuvi", "doors_created": 13_080, "doors_updated": 0, "doors_matched": 0,
               "people_created": 284_165, "people_updated": 0, "rejects": {"address_not_found": 1_204},
               "reject_labels": {"address_not_found": "address not found"},
               "placed": {"matched": 94_683, "interpolated": 2_001}, "tag_columns": []}
    job = SimpleNamespace(state="done", kind="import-doors", result=summary, id=1)
    for language, doors, matched in (("fi", "13\xa0080", "94\xa0683"), ("en", "13,080", "94,683")):
        with app.test_request_context(), force_locale(language):
            page = render_template("jobs/kinds/import.html", job=job, office=None, has_rejects=False)
        assert f'<span class="stat">{doors}</span>' in page and matched in page, page
