"""What the services and importers refuse, and the pages of L4's templates, read in the person's language;
the API's error messages stay English (scripts read them)."""
from __future__ import annotations

import html
import io

import pytest

from fieldops.extensions import db
from fieldops.models import Canvass, Door, Turf
from tests.job_modes import finished_job


@pytest.mark.parametrize("browser, said", [
    ("fi", "kenttä 'name': kierros tarvitsee nimen"), ("es", "campo 'name': un recorrido necesita un nombre"),
    ("sv", "fält 'name': en dörrknackning behöver ett namn"), ("en", "field 'name': a canvass needs a name")])
def test_a_refused_canvass_says_why_in_the_page_language(client, auth, world, browser, said):
    auth.login("organizer.a@test.example")
    answer = client.post(f"/offices/{world.office_a.id}/canvasses", data={"name": "  "},
                         headers={"Accept-Language": browser})
    assert answer.status_code == 400 and said in html.unescape(answer.get_data(as_text=True))


def test_the_error_page_translates_a_refusal_with_its_values_and_the_api_stays_english(client, auth, world):
    auth.login("organizer.a@test.example")
    page = client.get("/offices/999999/dashboard", headers={"Accept-Language": "sv"})
    assert page.status_code == 404 and "inget kontor med id 999999" in page.get_data(as_text=True)
    api = client.get("/api/v1/offices/999999/coverage", headers={"Accept-Language": "sv"})
    assert api.status_code == 404 and api.get_json()["error"] == "no office with id 999999"


def test_a_failed_imports_reason_speaks_finnish_and_stays_english_in_the_job(client, auth, world, job_mode):
    auth.login("organizer.a@test.example")
    answer = client.post(f"/offices/{world.office_a.id}/import", content_type="multipart/form-data",
                         data={"kind": "blocks", "upload": (io.BytesIO(b"not a zip at all"), "blocks.zip")})
    assert answer.status_code == 303
    job_id = int(answer.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    job = finished_job(job_id)
    assert job.state == "failed" and job.error == "file blocks.zip: is not a zip archive"
    page = client.get(f"/jobs/{job_id}", headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert "Mitään ei kirjoitettu: tiedosto blocks.zip: ei ole zip-arkisto" in page
    assert "<h1>Korttelit tiedostosta blocks.zip</h1>" in page
    listed = client.get(f"/offices/{world.office_a.id}/jobs", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "archivo blocks.zip: no es un archivo zip" in listed and "Manzanas de blocks.zip" in listed


def test_the_office_pages_dashboard_and_import_speak_spanish(client, auth, world):
    auth.login("organizer.a@test.example")
    office = world.office_a.id
    spanish = {"Accept-Language": "es"}
    home = client.get(f"/offices/{office}", headers=spanish).get_data(as_text=True)
    assert "Buscar un hogar" in home and "manzanas sin zona" in home and ">entregada<" in home
    dashboard = client.get(f"/offices/{office}/dashboard", headers=spanish).get_data(as_text=True)
    assert "<h2>Toques por día</h2>" in dashboard and "tasa de contacto" in dashboard
    assert "No hay toques en este periodo." in dashboard  # the chart's own words (no knocks yet here)
    assert "sin puertas" in dashboard  # the map legend
    imports = client.get(f"/offices/{office}/import", headers=spanish).get_data(as_text=True)
    assert "¿Qué vas a importar?" in imports and "Puertas y personas (censo electoral o lista de clientes, CSV)" in imports


def test_a_households_timeline_speaks_finnish_with_its_outcomes(client, auth, world):
    auth.login("organizer.a@test.example")
    door = db.session.query(Door).filter_by(office_id=world.office_a.id).first()
    client.post(f"/doors/{door.id}/notes", data={"channel": "phone", "note": "Soitti takaisin", "spoken_on": ""})
    page = client.get(f"/doors/{door.id}", headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert "<strong>Puhelu</strong>" in page and "Lisää muistiinpano" in page and "Tuki ajan mittaan" not in page
    refused = client.post(f"/doors/{door.id}/notes", data={"channel": "fax", "note": "x"},
                          headers={"Accept-Language": "fi"})
    assert refused.status_code == 400
    assert ("kenttä 'channel': keskustelutavan pitää olla jokin näistä: phone, meeting, other"
            in html.unescape(refused.get_data(as_text=True)))


def test_the_universe_is_described_in_the_page_language(client, auth, world):
    auth.login("organizer.a@test.example")
    client.post(f"/offices/{world.office_a.id}/canvasses", data={"name": "Alpha autumn"})
    canvass = db.session.query(Canvass).filter_by(name="Alpha autumn").one()
    url = f"/offices/{world.office_a.id}/canvasses/{canvass.id}/universe"
    page = client.post(url, data={"action": "preview", "support": ["4", "5"], "voted": "no", "age_min": "30"},
                       headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "stödsvar 4 eller 5" in page and "har inte röstat än" in page and "i åldern 30 eller äldre" in page


def test_a_domain_rules_refusal_reads_in_finnish_and_its_english_stays_for_the_api(client, auth, world):
    auth.login("organizer.a@test.example")
    form = {"name": "Alpha autumn", "q0_label": "Worry", "q0_kind": "choice", "q0_choices": "Schools"}
    finnish = client.post(f"/offices/{world.office_a.id}/canvasses", data=form, headers={"Accept-Language": "fi"})
    assert finnish.status_code == 400
    assert ("kenttä 'questions': kysymys 1 ('Worry'): anna vähintään kaksi eri vaihtoehtoa"
            in html.unescape(finnish.get_data(as_text=True)))
    english = client.post(f"/offices/{world.office_a.id}/canvasses", data=form)
    assert "question 1 (&#39;Worry&#39;): give at least two different choices" in english.get_data(as_text=True)


def test_the_mapping_step_words_how_the_file_was_read_and_its_warning_in_swedish(client, auth, world):
    auth.login("organizer.a@test.example")
    data = "id,address,first_name\n1,Mannerheimintie 5,José\n".encode("cp1252")
    answer = client.post(f"/offices/{world.office_a.id}/import", content_type="multipart/form-data",
                         data={"kind": "doors", "step": "columns", "upload": (io.BytesIO(data), "voters.csv")})
    assert answer.status_code == 303 and "/columns" in answer.headers["Location"]
    page = html.unescape(client.get(answer.headers["Location"], headers={"Accept-Language": "sv"}).get_data(as_text=True))
    assert "cp1252-text, avgränsare: komma" in page
    assert "voters.csv är inte UTF-8 (byte 0xe9 på rad 2): lästes som Windows-1252 (Latin-1)" in page
    english = html.unescape(client.get(answer.headers["Location"]).get_data(as_text=True))
    assert "cp1252 text, comma-separated" in english and "voters.csv is not UTF-8 (byte 0xe9 on line 2)" in english


def test_a_refused_turf_action_names_why_and_the_state_in_finnish(client, auth, world):
    auth.login("organizer.a@test.example")
    turf = db.session.query(Turf).filter_by(name="Alpha 1").one()  # handed to volunteer A1
    page = client.post(f"/turfs/{turf.id}/delete", headers={"Accept-Language": "fi"})
    assert page.status_code == 409
    assert ("aluetta Alpha 1 ei voi poistaa: se on vapaaehtoisen käsissä: ota se ensin takaisin"
            in html.unescape(page.get_data(as_text=True)))
    state = client.post(f"/turfs/{turf.id}/state", data={"state": "archived"}, headers={"Accept-Language": "fi"})
    assert "alue Alpha 1 ei voi siirtyä tilaan arkistoitu" in html.unescape(state.get_data(as_text=True))
    english = client.post(f"/turfs/{turf.id}/delete")
    assert "Alpha 1 cannot be deleted: it is in a volunteer&#39;s hands" in english.get_data(as_text=True)
