"""Editing a canvass while it runs: dates, script, questions and re-knocks change, answers already given
stay valid and keep showing on the timeline, in the support figures and in exports."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Canvass, Contact, Supporter
from fieldops.services import canvassing
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock
from tests.factories import create_token

QUESTIONS = [{"key": "support", "label": "How likely are you to support us?", "kind": "scale"},
             {"key": "issue", "label": "What matters most?", "kind": "choice", "choices": ["Schools", "Roads"]},
             {"key": "remarks", "label": "Anything else?", "kind": "text"}]


@pytest.fixture
def answered(client, world):
    """The North canvass asks three questions; volunteer A1 has answered two of them at one door."""
    world.canvass_north.questions = canvassing.check_questions(QUESTIONS)
    db.session.commit()
    door = doors_of(world.turf_a1)[0]
    contact = knock(door, world.canvass_north.id, outcome="talked", answers={"support": 4, "issue": "Schools"})
    response = client.post("/api/v1/contacts", json={"contacts": [contact]},
                           headers=bearer(create_token("volunteer.a1@test.example")))
    assert response.get_json()["results"][0]["status"] == "created"
    return door


def form(rows: list[dict], **fields) -> dict:
    data = {"name": "North spring", "start": "", "end": "", "script": "Hi, I'm {name}.", "reknock_hours": "4",
            "max_attempts": "3", "rows": str(len(rows))}
    for n, row in enumerate(rows):
        data.update({f"q{n}_{field}": value for field, value in row.items()})
    data.update(fields)
    return data


def url(world) -> str:
    return f"/offices/{world.office_a.id}/canvasses/{world.canvass_north.id}/edit"


KEPT = [{"key": "support", "label": "How likely are you to support us?", "kind": "scale"},
        {"key": "issue", "label": "What matters most?", "kind": "choice", "choices": "Schools, Roads"},
        {"key": "remarks", "label": "Anything else?", "kind": "text"}]


def test_an_edit_keeps_old_answers_on_the_timeline_and_in_the_figures(client, auth, runner, world, answered):
    auth.login("lead.north@test.example")
    dashboard = f"/api/v1/offices/{world.office_a.id}/coverage?canvass_id={world.canvass_north.id}"
    before = client.get(dashboard).get_json()
    page = client.get(url(world)).get_data(as_text=True)
    assert "1 answer" in page and "no answers yet" in page
    edited = [{"key": "support", "label": "Support, from 1 to 5", "kind": "scale"},
              {"key": "issue", "label": "What matters most?", "kind": "choice", "choices": "Schools, Roads, Parks"},
              {"key": "remarks", "label": "Anything else?", "kind": "text", "hidden": "1"},
              {"label": "Would you take a yard sign?", "kind": "yes_no"}]
    response = client.post(url(world), data=form(edited, end="2099-12-31", reknock_hours="6",
                                                 script="Hello, I'm {name}."))
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    canvass = db.session.get(Canvass, world.canvass_north.id)
    assert [q["key"] for q in canvass.questions] == ["support", "issue", "remarks", "would_you_take_a_yard_sign"]
    assert canvass.questions[1]["choices"] == ["Schools", "Roads", "Parks"]
    assert canvass.questions[2]["hidden"] is True and str(canvass.end_date) == "2099-12-31"
    assert (canvass.reknock_hours, canvass.script) == (6, "Hello, I'm {name}.")

    after = client.get(dashboard).get_json()
    assert (after["reached"], after["volunteers"]) == (before["reached"], before["volunteers"]) and after["reached"] == 1
    timeline = client.get(f"/doors/{answered}").get_data(as_text=True)
    assert "Support, from 1 to 5: 4" in timeline and "What matters most?: Schools" in timeline
    assert "<strong>4</strong>/5" in timeline  # support over time
    result = runner.invoke(args=["rebuild-summaries"])
    assert result.exit_code == 0
    assert db.session.scalar(select(Supporter.support).where(Supporter.door_id == answered)) == 4
    export = client.get(f"/offices/{world.office_a.id}/contacts.csv").get_data(as_text=True)
    assert "issue=Schools; support=4" in export

    # The phone is told which question is no longer asked; a phone that kept the old list may still answer it.
    auth.logout()
    token = create_token("volunteer.a1@test.example")
    walk = client.get(f"/api/v1/turfs/{world.turf_a1.id}/walklist", headers=bearer(token)).get_json()
    assert [q.get("hidden", False) for q in walk["canvass"]["questions"]] == [False, False, True, False]
    late = knock(doors_of(world.turf_a1)[1], world.canvass_north.id, outcome="talked", answers={"remarks": "Buses"})
    results = client.post("/api/v1/contacts", json={"contacts": [late]}, headers=bearer(token)).get_json()["results"]
    assert results[0]["status"] == "created"
    auth.login("organizer.a@test.example")
    sheet = client.get(f"/turfs/{world.turf_a1.id}/print").get_data(as_text=True)
    assert "Would you take a yard sign?" in sheet and "Anything else?" not in sheet


@pytest.mark.parametrize("rows, message", [
    (KEPT[1:], "question &#39;How likely are you to support us?&#39; has answers: hide it from new contacts "
               "instead of removing it"),
    ([{**KEPT[0], "kind": "text"}, *KEPT[1:]], "its answer stays scale (1 to 5)"),
    ([KEPT[0], {**KEPT[1], "choices": "Roads, Parks"}, KEPT[2]], "keep the choice &#39;Schools&#39;"),
    ([KEPT[0], {**KEPT[1], "key": "topic"}, KEPT[2]], "hide it from new contacts instead of removing it"),
])
def test_an_answered_question_keeps_its_key_kind_and_choices(client, auth, world, answered, rows, message):
    auth.login("lead.north@test.example")
    response = client.post(url(world), data=form(rows, script="changed"))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    canvass = db.session.get(Canvass, world.canvass_north.id)
    assert [q["key"] for q in canvass.questions] == ["support", "issue", "remarks"] and canvass.script == ""


def test_an_unanswered_question_is_hidden_while_turfs_are_out_and_removed_otherwise(client, auth, world, answered):
    auth.login("lead.north@test.example")
    removing = form([KEPT[0], KEPT[1], {**KEPT[2], "remove": "1"}])
    assert client.post(url(world), data=removing).status_code == 302
    db.session.expire_all()
    questions = db.session.get(Canvass, world.canvass_north.id).questions
    # Turfs of this canvass are in volunteers' hands: a phone offline may still answer it.
    assert questions[2]["key"] == "remarks" and questions[2]["hidden"] is True
    auth.logout()

    own = canvassing.build_canvass("Alpha only", world.north.id, world.office_a.id, questions=QUESTIONS)
    db.session.commit()
    auth.login("organizer.a@test.example")
    edit = f"/offices/{world.office_a.id}/canvasses/{own.id}/edit"
    assert client.get(edit).status_code == 200
    rows = [KEPT[0], {**KEPT[1], "kind": "text", "choices": ""}, {**KEPT[2], "remove": "1"}]
    response = client.post(edit, data=form(rows, name="Alpha only"))
    assert response.status_code == 302
    db.session.expire_all()
    questions = db.session.get(Canvass, own.id).questions
    assert [(q["key"], q["kind"]) for q in questions] == [("support", "scale"), ("issue", "text")]


def test_a_region_canvass_is_edited_by_the_region_lead_not_an_office(client, auth, world, answered):
    auth.login("organizer.a@test.example")
    assert client.get(url(world)).status_code == 403
    assert "Edit</a>" not in client.get(f"/offices/{world.office_a.id}/canvasses").get_data(as_text=True)
    auth.logout()
    auth.login("lead.north@test.example")
    assert client.get(url(world)).status_code == 200
    backwards = client.post(url(world), data=form(KEPT, start="2026-05-02", end="2026-05-01"))
    assert backwards.status_code == 400 and "the canvass ends before it starts" in backwards.get_data(as_text=True)
    assert db.session.scalar(select(Contact.answers).where(Contact.door_id == answered)) == {"support": 4,
                                                                                            "issue": "Schools"}
