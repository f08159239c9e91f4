"""A whole canvass on a 360 px phone in Spanish (the browser asks for it) and in Finnish (the volunteer's own
setting): My turfs, the turf's phone page, a Talked with the survey and a Not home, one more offline after a
reload from the service worker, then the sync; each screen speaks the language and the contacts arrive."""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Contact
from tests.api.test_contact_sync import doors_of
from tests.factories import PASSWORD

from .conftest import PHONE, sign_in, wait_until
from .test_offline_canvass import SUPPORT, back_to_list, wait_for_sync_text

WORDS = {
    "es": {"talked": "Hablamos", "not_home": "No estaba en casa", "save": "Guardar e ir a la siguiente puerta",
           "what": "¿Qué pasó?", "saved": "Guardado: {outcome} en {door}.", "synced": "Todos los contactos sincronizados",
           "waiting": "1 contacto en espera de sincronizar · sin conexión", "next": "Siguiente puerta",
           "survey": "Encuesta", "back": "← Todas las puertas",
           "before": "Lo que oímos antes (1) · No estaba en casa 20/11/2026"},
    "fi": {"talked": "Keskusteltiin", "not_home": "Ei kotona", "save": "Tallenna ja siirry seuraavalle ovelle",
           "what": "Mitä tapahtui?", "saved": "Tallennettu: {outcome}, {door}.", "synced": "Kaikki kontaktit synkronoitu",
           "waiting": "1 kontakti odottaa synkronointia · ei yhteyttä", "next": "Seuraava ovi",
           "survey": "Kysely", "back": "← Kaikki ovet",
           "before": "Aiemmin kuultua (1) · Ei kotona 20.11.2026"},
}


@pytest.fixture
def phone_in(browser):
    contexts = []

    def open_phone(browser_locale: str):
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                      locale=browser_locale)
        contexts.append(context)
        return context.new_page()
    yield open_phone
    for context in contexts:
        context.close()


def knock(page, words: dict, outcome: str, support: int | None = None) -> None:
    """Record ``outcome`` at the next door and check the words of the door's screen and the saved line."""
    if page.is_visible("#list-view"):
        assert page.inner_text("#next-door .eyebrow").strip().lower() == words["next"].lower()
        page.click("#next-open")
    page.wait_for_selector("#door-view:not([hidden])")
    assert page.inner_text("#contact-form .outcomes legend") == words["what"]
    assert page.inner_text(f"label.outcome:has(input[value={outcome}])").strip() == words[outcome]
    assert page.inner_text("#save-contact") == words["save"]
    assert page.inner_text("#back-to-list") == words["back"]
    assert page.inner_text("#door-story-summary") == words["before"]  # last year's knock, its day in the locale
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.click(f"label.outcome:has(input[value={outcome}])")
    if support is not None:
        assert page.inner_text("#survey h3") == words["survey"]
        page.click(f"#survey-people .scale label:has(input[value='{support}'])")
    address = page.inner_text("#door-address")
    page.click("#save-contact")
    saved = words["saved"].format(outcome=words[outcome], door=address)
    wait_until(page, f"document.getElementById('saved-note').textContent === {json.dumps(saved)}")


@pytest.mark.parametrize("language", ["es", "fi"])
def test_a_whole_canvass_in_the_volunteers_language(phone_in, live_server, world, language):
    world.canvass_north.questions = SUPPORT
    # Every door was knocked once in another canvass: the door's story shows it, outcome and day translated.
    db.session.add_all(Contact(id=str(uuid.uuid4()), office_id=world.office_a.id, door_id=door_id,
                               canvass_id=world.canvass_south.id, outcome="not_home",
                               recorded_at=datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc))
                       for door_id in doors_of(world.turf_a1))
    if language == "fi":
        world.users.volunteer_a1.locale = "fi"  # the volunteer's own choice; the browser asks for English
    db.session.commit()
    page = phone_in("es-ES" if language == "es" else "en-US")
    words = WORDS[language]
    sign_in(page, live_server, "volunteer.a1@test.example", PASSWORD)
    page.wait_for_url("**/my/turfs")
    assert page.evaluate("document.documentElement.lang") == language
    assert page.inner_text("h1") == {"es": "Mis zonas", "fi": "Omat alueeni"}[language]
    wait_until(page, "document.documentElement.dataset.offlineReady === 'yes'")
    page.click("text=Alpha 1")
    page.wait_for_selector("#door-list .door-button")
    wait_until(page, "document.documentElement.dataset.offlineReady === 'yes'")

    knock(page, words, "talked", support=4)
    knock(page, words, "not_home")
    back_to_list(page)
    wait_for_sync_text(page, words["synced"])

    page.context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    page.wait_for_selector("#door-list .door-button")
    assert page.evaluate("document.documentElement.lang") == language
    knock(page, words, "not_home")
    back_to_list(page)
    wait_for_sync_text(page, words["waiting"])
    db.session.expire_all()
    assert len(db.session.scalars(select(Contact).where(Contact.canvass_id == world.canvass_north.id)).all()) == 2

    page.context.set_offline(False)
    wait_for_sync_text(page, words["synced"])
    db.session.expire_all()
    contacts = db.session.scalars(select(Contact).where(Contact.canvass_id == world.canvass_north.id)
                                  .order_by(Contact.recorded_at)).all()
    assert [c.outcome for c in contacts] == ["talked", "not_home", "not_home"]
    assert [c.answers for c in contacts] == [{"support": 4}, {}, {}]
    assert {c.volunteer_id for c in contacts} == {world.users.volunteer_a1.id}
