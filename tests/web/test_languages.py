"""Fieldops speaks the person's language: their own setting, else their browser's, else their office's."""
from __future__ import annotations

import pytest

from fieldops.extensions import db


@pytest.mark.parametrize("browser, word", [("sv-SE,sv;q=0.9,en;q=0.5", "Lösenord"), ("fi", "Salasana"),
                                           ("es-MX,es;q=0.8", "Contraseña"), ("en-US,en;q=0.9", "Password")])
def test_the_sign_in_page_speaks_the_browsers_language(client, browser, word):
    page = client.get("/login", headers={"Accept-Language": browser}).get_data(as_text=True)
    assert f">{word}</label>" in page
    assert f'<html lang="{browser[:2]}">' in page


def test_a_language_we_do_not_speak_falls_back_to_english(client):
    page = client.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9"}).get_data(as_text=True)
    assert ">Password</label>" in page and '<html lang="en">' in page


def test_the_persons_own_setting_wins_over_the_browser(client, auth, world):
    auth.login("volunteer.a1@test.example")
    answer = client.post("/account/language", data={"locale": "fi"}, headers={"Accept-Language": "es"},
                         follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert "Kieli tallennettu." in page and "Omat alueeni" in page  # Finnish, though the browser asks Spanish
    assert world.users.volunteer_a1.locale == "fi"
    client.post("/account/language", data={"locale": ""})
    db.session.refresh(world.users.volunteer_a1)
    assert world.users.volunteer_a1.locale is None
    assert "Mis zonas" in client.get("/account", headers={"Accept-Language": "es"}).get_data(as_text=True)


def test_the_offices_default_serves_a_browser_that_asks_for_none_of_ours(client, auth, world):
    world.office_a.settings = {**(world.office_a.settings or {}), "language": "sv"}
    db.session.commit()
    auth.login("volunteer.a1@test.example")
    page = client.get("/account", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Mina områden" in page and '<html lang="sv">' in page


def test_an_unknown_language_is_refused_by_name(client, auth, world):
    auth.login("volunteer.a1@test.example")
    answer = client.post("/account/language", data={"locale": "xx"})
    assert answer.status_code == 400 and "language must be one of en, es, fi, sv" in answer.get_data(as_text=True)


@pytest.mark.parametrize("browser, heading, button", [
    ("fi", "Unohditko salasanasi?", "Lähetä minulle linkki"),
    ("sv-FI,sv;q=0.9", "Glömt ditt lösenord?", "Skicka mig en länk"),
    ("es-US,es;q=0.9", "¿Olvidaste tu contraseña?", "Envíame un enlace")])
def test_the_forgotten_password_page_and_its_answers_speak_the_browsers_language(client, browser, heading, button):
    page = client.get("/password/forgot", headers={"Accept-Language": browser}).get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in page and button in page
    refused = client.post("/password/forgot", data={"email": ""}, headers={"Accept-Language": browser})
    said = {"fi": "Kirjoita sähköpostiosoite, jolla kirjaudut sisään.", "sv": "Skriv e-postadressen du loggar in med.",
            "es": "Escribe el correo electrónico con el que inicias sesión."}[browser[:2]]
    assert refused.status_code == 400 and said in refused.get_data(as_text=True)


def test_my_follow_ups_in_finnish_with_finnish_dates_and_plurals(client, auth, world):
    from datetime import datetime, timedelta, timezone

    from fieldops.domain import time_zones
    from tests.web.test_follow_ups import promise

    today = time_zones.today(datetime.now(timezone.utc), world.office_a.time_zone)
    due = today - timedelta(days=2)
    promise(world, "call_back", due, world.users.organizer_a)
    auth.login("organizer.a@test.example")
    page = client.get("/my/follow-ups", headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert "Ovella annetut lupaukset, jotka sinun pitää hoitaa" in page and "Merkitse pidetyksi" in page
    assert "2 päivää myöhässä" in page and f"määräpäivä {due.day}.{due.month}.{due.year}" in page
    english = client.get("/my/follow-ups", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "2 days late" in english and f"due {due.isoformat()}" in english  # English keeps the ISO day


def test_the_jobs_list_and_a_jobs_progress_speak_swedish(client, auth, world):
    auth.login("organizer.a@test.example")
    page = client.get(f"/offices/{world.office_a.id}/jobs", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "<h1>Jobb</h1>" in page and "Inga jobb än." in page and "Importera områden" in page


def test_a_flash_message_speaks_the_page_language(client, auth, world):
    auth.login("organizer.a@test.example")
    headers = {"Accept-Language": "es"}
    answer = client.post("/account/password", data={"current": "x", "password": "a" * 12, "again": "b" * 12},
                         headers=headers)
    assert answer.status_code == 400 and "las dos contraseñas nuevas no coinciden" in answer.get_data(as_text=True)
    assert "Cambia tu contraseña" in answer.get_data(as_text=True)


def test_the_scripts_carry_plural_forms_for_the_page_language(client):
    import json
    import re

    page = client.get("/login", headers={"Accept-Language": "fi"}).get_data(as_text=True)
    messages = json.loads(re.search(r'<script type="application/json" id="fieldops-text">(.*?)</script>', page,
                                    re.S).group(1))
    assert messages["%(num)s contact waiting to sync"] == {"one": "%(num)s kontakti odottaa synkronointia",
                                                          "other": "%(num)s kontaktia odottaa synkronointia"}
    assert messages["Sort by this column"] == "Lajittele tämän sarakkeen mukaan"
    spanish = client.get("/login", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '"many": "%(num)s contactos esperando sincronizarse"' in spanish  # Spanish's third form (millions)


def test_an_imports_progress_and_summary_speak_finnish(client, auth, world, job_mode):
    from tests.job_modes import finished_job
    from tests.jobs.test_jobs import submit_slowed, wait_for_step

    auth.login("organizer.a@test.example")
    job_id, _ = submit_slowed(world, pause_s=0.5)
    wait_for_step(client, job_id, "write doors")
    progress = client.get(f"/jobs/{job_id}/progress", headers={"Accept-Language": "fi"}).get_json()
    assert progress["state_label"] == "Käynnissä" and progress["step"] == "write doors"  # the data stays the job's
    assert progress["step_label"] == "ovien tallennus" and "kotitalouksien ryhmittely" in progress["step_labels"]
    finished_job(job_id)
    page = client.get(f"/jobs/{job_id}", headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert "Tuotu toimistoon Alpha" in page and '<span class="stat">48</span> henkilöä' in page
    assert "Tuo toinen tiedosto" in page and ">Valmis<" in page


def test_a_missing_page_says_so_in_the_browsers_language(client):
    page = client.get("/no/such/page", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "<h1>Hittades inte</h1>" in page and "det finns inget på den här adressen" in page
    assert "there is nothing at this address" in client.get("/no/such/page").get_data(as_text=True)
