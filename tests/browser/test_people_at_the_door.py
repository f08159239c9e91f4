"""Issue 19 on a 360 px phone in real Chromium: a resident added and a name corrected offline, kept across an
offline reload, synced, and on a second phone's walk list; a survey in the household's language that branches."""
from __future__ import annotations

import json

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Contact, Person, PersonChange
from fieldops.services import canvassing

from .conftest import wait_until
from .test_offline_canvass import back_to_list, wait_for_sync_text
from .test_phone_screens import open_turf, walking_order


def stored_contacts(page, count: int, timeout_ms: int = 20000) -> list[Contact]:
    """The contacts the server holds, once there are ``count`` (the sync bar may say "All contacts
    synced" from before the save: the server's rows are what counts)."""
    for _ in range(timeout_ms // 200):
        db.session.expire_all()
        contacts = db.session.scalars(select(Contact)).all()
        if len(contacts) >= count:
            return contacts
        page.wait_for_timeout(200)
    raise AssertionError(f"the server holds {len(contacts)} contacts, waited for {count}")


def test_people_added_and_corrected_offline_reach_a_second_phone(phone, browser, live_server, world):
    first_door = walking_order(world)[0]
    jon = Person(door_id=first_door, first_name="Jon", last_name="Virtanen", source_id="voter-1")
    liisa = Person(door_id=first_door, first_name="Liisa", last_name="Korhonen", source_id="voter-2")
    db.session.add_all([jon, liisa])
    canvassing.assign(world.turf_a1.id, world.users.volunteer_a2, world.canvass_north, world.users.organizer_a.id)
    db.session.commit()
    page = phone
    open_turf(page, live_server)
    page.context.set_offline(True)
    page.click("#next-open")
    page.wait_for_selector("#door-view:not([hidden])")
    assert page.inner_text("#door-who") == "Jon Virtanen, Liisa Korhonen"
    page.click("label.outcome:has(input[value=talked])")
    page.click("#door-people-box summary")
    # Correct the misspelt name.
    page.click("#door-people-edit .correct-name")
    page.fill(f"#person-first_name-{jon.id}", "John")
    page.click("#door-people-edit .keep-correction")
    # Liisa moved out.
    page.locator("#door-people-edit .person-line", has_text="Liisa").locator(".not-living-here").click()
    # Add the person who opened the door.
    page.click("#door-people-edit .add-resident")
    page.fill("#person-first_name", "Ana")
    page.fill("#person-last_name", "Ruiz")
    page.fill("#person-phone", "+358 40 765 4321")
    page.select_option("#person-language", "es")
    page.check("#person-consent_phone")
    page.press("#person-last_name", "Enter")  # Enter in the panel does not save the visit
    assert page.is_visible("#person-form")
    page.click("#door-people-edit .save-resident")
    staged = page.inner_text("#door-people-staged")
    assert "New resident: Ana Ruiz" in staged and "Name: Jon Virtanen → John Virtanen" in staged
    assert "Liisa Korhonen: not living here" in staged
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    # She answered: the survey names her by the UUID the phone gave her.
    page.click("#survey-people .answered-by label:has-text('Ana Ruiz')")
    page.fill("#contact-note", "Ana moved in last month")
    page.click("#save-contact")
    wait_until(page, f"document.getElementById('door-address').textContent !== {json.dumps(str(first_door))}")
    back_to_list(page)
    wait_for_sync_text(page, "1 contact waiting to sync")

    # A reload without a connection: the list comes from the phone's cache, the changes from its outbox.
    response = page.reload()
    assert response is not None and response.from_service_worker
    page.wait_for_selector("#door-list .door-button")
    first_line = page.locator("#door-list .door-button").first.inner_text()
    assert "John Virtanen" in first_line and "Ana Ruiz" in first_line and "Jon " not in first_line
    assert "Liisa" not in first_line
    assert "Speaks Spanish" in first_line  # the language Ana gave
    db.session.expire_all()
    assert db.session.scalars(select(Person).where(Person.first_name == "Ana")).first() is None

    page.context.set_offline(False)
    wait_for_sync_text(page, "All contacts synced")
    db.session.expire_all()
    ana = db.session.scalars(select(Person).where(Person.first_name == "Ana")).one()
    assert (ana.door_id, ana.language, ana.phone, ana.added_by_id) == (first_door, "es", "+358 40 765 4321",
                                                                       world.users.volunteer_a1.id)
    assert ana.consent_phone_at is not None
    assert db.session.get(Person, jon.id).first_name == "John"
    assert db.session.get(Person, liisa.id).status == "moved"
    assert sorted(c.kind for c in db.session.scalars(select(PersonChange))) == ["added", "corrected", "status"]
    [contact] = db.session.scalars(select(Contact)).all()
    assert contact.person_id == ana.id

    # Another volunteer's phone on the same turf lists them at its next sync.
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    try:
        second = context.new_page()
        open_turf(second, live_server, email="volunteer.a2@test.example")
        line = second.locator("#door-list .door-button").first.inner_text()
        assert "John Virtanen" in line and "Ana Ruiz" in line and "Liisa" not in line
    finally:
        context.close()


def test_a_survey_in_the_households_language_that_branches(phone, live_server, world):
    world.canvass_north.questions = [
        {"key": "support", "label": "How likely are you to support us?", "kind": "scale", "min": 1, "max": 5},
        {"key": "worry", "label": "What matters most?", "kind": "choice", "choices": ["Schools", "Roads"],
         "show_if": {"key": "support", "op": ">=", "value": 3}}]
    world.canvass_north.translations = {"es": {"script": "Hola, soy {name}", "questions": {
        "support": {"label": "¿Nos apoyaría?"}, "worry": {"label": "¿Qué le importa más?", "choices": ["Escuelas", "Calles"]}}}}
    world.canvass_north.script = "Hi, I'm {name}"
    world.users.volunteer_a1.languages = ["fi", "es"]
    first_door = walking_order(world)[0]
    db.session.add(Person(door_id=first_door, first_name="Ana", last_name="Ruiz", language="es"))
    db.session.commit()
    page = phone
    open_turf(page, live_server)
    page.click("#next-open")
    page.click("label.outcome:has(input[value=talked])")
    assert "¿Nos apoyaría?" in page.inner_text("#survey")
    assert "Shown in Spanish" in page.inner_text("#survey-language-now")
    assert page.locator(".question[data-key=worry]").is_hidden()  # support not answered yet
    page.click("#survey-people .scale label:has(input[value='2'])")
    assert page.locator(".question[data-key=worry]").is_hidden()
    page.click("#survey-people .scale label:has(input[value='4'])")
    assert page.locator(".question[data-key=worry]").is_visible()
    assert "Calles" in page.inner_text(".question[data-key=worry]")
    page.click(".question[data-key=worry] label:has-text('Calles')")
    # One tap shows it in English (the volunteer's other choice is the fallback), and back.
    page.click("#survey-language")
    assert "How likely are you to support us?" in page.inner_text("#survey")
    page.click("#survey-language")
    page.click("#survey-people .scale label:has(input[value='4'])")
    page.click(".question[data-key=worry] label:has-text('Calles')")
    page.click("#save-contact")
    [contact] = stored_contacts(page, 1)
    assert contact.answers == {"support": 4, "worry": "Roads"}  # by key, the canvass's own choice


def test_a_language_barrier_at_a_door_with_no_language_asks_which(phone, live_server, world):
    page = phone
    open_turf(page, live_server)
    page.click("#next-open")
    assert page.locator("#barrier-language").is_hidden()
    page.click("label.outcome:has(input[value=language_barrier])")
    assert page.locator("#barrier-language").is_visible()
    page.select_option("#barrier-language-select", "so")
    page.click("label.outcome:has(input[value=not_home])")  # another outcome does not ask, and forgets it
    assert page.locator("#barrier-language").is_hidden()
    page.click("label.outcome:has(input[value=language_barrier])")
    page.select_option("#barrier-language-select", "so")
    page.click("#save-contact")
    [contact] = stored_contacts(page, 1)
    assert (contact.outcome, contact.language) == ("language_barrier", "so")
