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
