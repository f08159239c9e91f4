"""A canvass's form (issue 19): questions shown only if an earlier answer matches, the script and questions in
other languages, and a survey that is optional for Talked unless the organizer says otherwise."""
from __future__ import annotations

import json

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Canvass, Contact
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock
from tests.factories import create_token

TRANSLATIONS = {"fi": {"script": "Hei, olen {name}", "questions": {
    "how_likely_are_you_to_support_us": "Kuinka todennäköisesti tuet meitä?",
    "what_matters_most": {"label": "Mikä on tärkeintä?", "choices": ["Koulut", "Tiet"]}}}}


def new_canvass(client, world, **fields):
    data = {"name": "Spring in two languages", "scope": "office", "reknock_hours": "4", "max_attempts": "3",
            "script": "Hi, I'm {name}", "survey_optional_shown": "1",
            "q0_label": "How likely are you to support us?", "q0_kind": "scale",
            "q1_label": "What matters most?", "q1_kind": "choice", "q1_choices": "Schools, Roads", "q1_show_if": "q1 >= 3",
            "translations": json.dumps(TRANSLATIONS)}
    data.update(fields)
    return client.post(f"/offices/{world.office_a.id}/canvasses", data=data)


def test_the_form_makes_branching_translated_questions(client, auth, world):
    auth.login("organizer.a@test.example")
    assert new_canvass(client, world, survey_optional="yes").status_code == 302
    canvass = db.session.scalar(select(Canvass).where(Canvass.name == "Spring in two languages"))
    assert canvass.questions[1]["show_if"] == {"key": "how_likely_are_you_to_support_us", "op": ">=", "value": 3}
    assert canvass.translations["fi"]["questions"]["what_matters_most"]["choices"] == ["Koulut", "Tiet"]
    assert canvass.survey_optional is True
    page = client.get(f"/offices/{world.office_a.id}/canvasses/{canvass.id}/edit").get_data(as_text=True)
    assert 'value="how_likely_are_you_to_support_us &gt;= 3"' in page and "Koulut" in page


def test_the_form_names_a_bad_condition_or_translation(client, auth, world):
    auth.login("organizer.a@test.example")
    response = new_canvass(client, world, q1_show_if="q5 >= 3")
    assert response.status_code == 400 and "is not an earlier question" in response.get_data(as_text=True)
    response = new_canvass(client, world, translations='{"fi": {"questions": {"nope": "x"}}}')
    assert response.status_code == 400 and "no question" in response.get_data(as_text=True)
    response = new_canvass(client, world, translations="{not json")
    assert response.status_code == 400 and "translations are not JSON" in response.get_data(as_text=True)
    assert db.session.scalar(select(Canvass).where(Canvass.name == "Spring in two languages")) is None


def test_a_survey_that_is_not_optional_is_answered_in_a_conversation(client, world):
    world.canvass_north.questions = [
        {"key": "support", "label": "Support", "kind": "scale", "min": 1, "max": 5},
        {"key": "worry", "label": "Worry", "kind": "choice", "choices": ["Schools", "Roads"],
         "show_if": {"key": "support", "op": ">=", "value": 3}},
        {"key": "remarks", "label": "Anything else?", "kind": "text"}]
    world.canvass_north.survey_optional = False
    db.session.commit()
    token = create_token("volunteer.a1@test.example")
    doors = doors_of(world.turf_a1)
    north = world.canvass_north.id
    results = client.post("/api/v1/contacts", json={"contacts": [
        knock(doors[0], north, outcome="talked", answers={}),
        knock(doors[1], north, outcome="talked", answers={"support": 4}),
        knock(doors[2], north, outcome="talked", answers={"support": 2, "worry": "Roads"}),  # worry not shown
        knock(doors[3], north, outcome="talked", answers={"support": 5, "worry": "Schools"}),
        knock(doors[4], north, outcome="not_home"),
        knock(doors[5], north, outcome="left_literature"),
    ]}, headers=bearer(token)).get_json()["results"]
    assert [r["status"] for r in results] == ["rejected", "rejected", "created", "created", "created", "created"]
    assert "survey is not optional: answer 'support'" in results[0]["error"]
    assert "answer 'worry'" in results[1]["error"]
    db.session.expire_all()
    assert db.session.get(Contact, results[2]["id"]).answers == {"support": 2}  # the hidden answer is dropped
    assert db.session.get(Contact, results[5]["id"]).outcome == "left_literature"


def test_the_edit_form_turns_the_optional_survey_off_and_keeps_the_translations(client, auth, world):
    auth.login("organizer.a@test.example")
    assert new_canvass(client, world, survey_optional="yes").status_code == 302
    canvass = db.session.scalar(select(Canvass).where(Canvass.name == "Spring in two languages"))
    page = client.get(f"/offices/{world.office_a.id}/canvasses/{canvass.id}/edit").get_data(as_text=True)
    assert 'name="survey_optional" value="yes" checked' in page
    data = {"name": canvass.name, "start": "", "end": "", "script": canvass.script, "reknock_hours": "4",
            "max_attempts": "3", "rows": "2", "survey_optional_shown": "1",
            "translations": json.dumps(canvass.translations)}
    for n, question in enumerate(canvass.questions):
        data.update({f"q{n}_key": question["key"], f"q{n}_label": question["label"], f"q{n}_kind": question["kind"],
                     f"q{n}_choices": ", ".join(question.get("choices", []))})
    data["q1_show_if"] = "how_likely_are_you_to_support_us >= 4"
    response = client.post(f"/offices/{world.office_a.id}/canvasses/{canvass.id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    canvass = db.session.get(Canvass, canvass.id)
    assert canvass.survey_optional is False and canvass.questions[1]["show_if"]["value"] == 4
    assert canvass.translations["fi"]["script"] == "Hei, olen {name}"
