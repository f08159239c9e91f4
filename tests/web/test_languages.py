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
# The organizers' and team leaders' pages (helper L3): each speaks the browser's language.
@pytest.mark.parametrize("browser, phrases", [
    ("fi", ["Jaa vapaat korttelit automaattisesti", "Tee tai muokkaa aluetta", "Kartan selite"]),
    ("sv-FI,sv;q=0.9", ["Dela upp de lediga kvarteren automatiskt", "Skapa eller redigera ett område", "Teckenförklaring"]),
    ("es-US,es;q=0.9", ["Dividir las manzanas libres automáticamente", "Crear o editar una zona", "Leyenda del mapa"]),
])
def test_the_turf_workspace_speaks_the_browsers_language(client, auth, world, browser, phrases):
    auth.login("organizer.a@test.example")
    page = client.get(f"/offices/{world.office_a.id}/turfs", headers={"Accept-Language": browser}).get_data(as_text=True)
    for phrase in phrases:
        assert phrase in page
    assert "Cut the free blocks automatically" not in page


@pytest.mark.parametrize("browser, words", [
    ("fi", ["Uusi vuoro", "Tee vuoro", "Kokoontumispaikan leveysaste"]),
    ("sv", ["Nytt pass", "Skapa passet", "Samlingsplatsens latitud"]),
    ("es", ["Nuevo turno", "Crear el turno", "Latitud del punto de encuentro"]),
])
def test_the_shifts_page_speaks_the_browsers_language(client, auth, world, browser, words):
    auth.login("organizer.a@test.example")
    page = client.get(f"/offices/{world.office_a.id}/shifts", headers={"Accept-Language": browser}).get_data(as_text=True)
    assert all(word in page for word in words), [w for w in words if w not in page]


def test_the_check_in_list_and_its_flash_speak_swedish(client, auth, world):
    from tests.factories import make_shift
    shift = make_shift(world)
    db.session.commit()
    client.post(f"/s/{shift.token}", data={"name": "Greta Gäst", "email": "greta@example.org"})
    auth.login("organizer.a@test.example")
    sv = {"Accept-Language": "sv"}
    page = client.get(f"/shifts/{shift.id}", headers=sv).get_data(as_text=True)
    assert "Incheckning" in page and "Greta Gäst kom" in page and "Kom utan att anmäla sig?" in page
    answer = client.post(f"/shifts/{shift.id}/walk-in", data={"name": "Walter Walk-in", "phone": "040 123"},
                         headers=sv, follow_redirects=True)
    assert "Walter Walk-in är här (inget konto än: bjud in hen)." in answer.get_data(as_text=True)


def test_teams_recruits_and_the_volunteers_pages_speak_finnish_and_spanish(client, auth, world):
    auth.login("organizer.a@test.example")
    office = world.office_a.id
    fi, es = {"Accept-Language": "fi"}, {"Accept-Language": "es"}
    assert "Naapurustotiimit" in client.get(f"/offices/{office}/teams", headers=fi).get_data(as_text=True)
    assert "Equipos de vecindario" in client.get(f"/offices/{office}/teams", headers=es).get_data(as_text=True)
    assert "Värvätyt" in client.get(f"/offices/{office}/recruits", headers=fi).get_data(as_text=True)
    volunteers = client.get(f"/offices/{office}/volunteers", headers=es).get_data(as_text=True)
    assert "Añade un voluntario tú mismo" in volunteers and "voluntario" in volunteers
    one = client.get(f"/volunteers/{world.users.volunteer_a1.id}", headers=fi).get_data(as_text=True)
    assert "Hänelle jaetut alueet" in one and "Tallenna kielet" in one
    settings = client.get(f"/offices/{office}/settings", headers=fi).get_data(as_text=True)
    assert "Aikavyöhyke" in settings and "Tallenna asetukset" in settings
    packet = client.get(f"/turfs/{world.turf_a1.id}/print", headers=es).get_data(as_text=True)
    assert '<html lang="es">' in packet and "Casillas de resultado:" in packet and "en orden de recorrido" in packet


def test_a_flash_from_a_turf_action_speaks_the_page_language(client, auth, world):
    auth.login("organizer.b@test.example")
    answer = client.post(f"/turfs/{world.turf_b1.id}/rename", data={"name": "Bravo Norte"},
                         headers={"Accept-Language": "es"}, follow_redirects=True)
    assert "Renombrada como Bravo Norte." in answer.get_data(as_text=True)


def _reminder_to(world, email, user=None):
    from datetime import timedelta, timezone

    from sqlalchemy import select

    from fieldops import unit_of_work
    from fieldops.models import MailMessage
    from fieldops.services import shifts as shift_service
    from fieldops.web.shifts import queue_reminders
    from tests.factories import make_shift
    shift = make_shift(world, starts_in_hours=30)
    signup = shift_service.sign_up(shift.token, user.name if user else "Guest", email, None)
    if user is not None:
        signup.user_id = user.id
    db.session.commit()
    start = shift.starts_at if shift.starts_at.tzinfo else shift.starts_at.replace(tzinfo=timezone.utc)
    unit_of_work.run(queue_reminders, start - timedelta(hours=23))
    db.session.expire_all()
    return db.session.scalars(select(MailMessage).where(MailMessage.to_address == email)).all()[-1]


def test_a_shift_reminder_is_written_in_the_recipients_language(app, world):
    """The mail speaks its reader's language, not the language of whoever (or whatever job) sent it."""
    finn = world.users.volunteer_a1
    finn.locale = "fi"
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "sv"}):  # the sender's browser does not count
        mail = _reminder_to(world, finn.email, finn)
    assert mail.subject.startswith("Huomenna: ovelta ovelle -kampanja")
    assert f"Hei {finn.name}," in mail.body and "Tapaamispaikka: Alpha street 1, Testville" in mail.body
    english = world.users.volunteer_a2
    assert english.locale is None
    mail = _reminder_to(world, english.email, english)
    assert mail.subject.startswith("Tomorrow: canvassing with") and "Where we meet: Alpha street 1" in mail.body


def test_a_guest_without_an_account_gets_the_offices_language(app, world):
    world.office_a.settings = {**(world.office_a.settings or {}), "language": "sv"}
    db.session.commit()
    mail = _reminder_to(world, "gast@example.org")
    assert mail.subject.startswith("I morgon: dörrknackning med") and "Var vi träffas:" in mail.body


def test_the_turf_page_speaks_finnish(client, auth, world):
    auth.login("organizer.a@test.example")
    page = client.get(f"/turfs/{world.turf_a1.id}", headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert "Hallinnoi tätä aluetta" in page and "Ota takaisin" in page and "Tulostettava aluepaketti" in page
    assert "jaettu</span>" in page  # the state, checked out, in Finnish
