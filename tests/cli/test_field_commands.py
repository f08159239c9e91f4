"""flask create-canvass and assign-turf."""
from __future__ import annotations

import json

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Assignment, Canvass


def test_create_canvass_for_an_office_with_questions(runner, world, tmp_path):
    questions = tmp_path / "questions.json"
    questions.write_text(json.dumps([{"label": "Support", "kind": "scale"},
                                     {"label": "Issue", "kind": "choice", "choices": ["Rent", "Buses"]}]))
    result = runner.invoke(args=["create-canvass", "Winter doors", "--office", "Bravo", "--start", "2026-12-01",
                                 "--end", "2026-12-24", "--questions", str(questions)])
    assert result.exit_code == 0, result.output
    assert "with 2 questions" in result.output
    canvass = db.session.scalar(select(Canvass).where(Canvass.name == "Winter doors"))
    assert canvass.office_id == world.office_b.id and canvass.region_id == world.north.id
    assert [q["key"] for q in canvass.questions] == ["support", "issue"]


def test_create_canvass_per_person_asks_each_resident(runner, world):
    assert runner.invoke(args=["create-canvass", "Each voice", "--office", "Bravo", "--per-person"]).exit_code == 0
    assert runner.invoke(args=["create-canvass", "One voice", "--office", "Bravo"]).exit_code == 0
    per_person = dict(db.session.execute(select(Canvass.name, Canvass.per_person)).all())
    assert per_person["Each voice"] is True and per_person["One voice"] is False


def test_create_canvass_reasons(runner, world, tmp_path):
    result = runner.invoke(args=["create-canvass", "Both", "--office", "Bravo", "--region", "North"])
    assert result.exit_code == 2 and "exactly one of --office" in result.output
    result = runner.invoke(args=["create-canvass", "Backwards", "--region", "North", "--start", "2026-12-24",
                                 "--end", "2026-12-01"])
    assert result.exit_code == 1 and "ends before it starts" in result.output
    broken = tmp_path / "broken.json"
    broken.write_text("[{")
    result = runner.invoke(args=["create-canvass", "Broken", "--region", "North", "--questions", str(broken)])
    assert result.exit_code == 1 and "is not JSON" in result.output
    assert db.session.scalar(select(Canvass).where(Canvass.name.in_(["Backwards", "Broken"]))) is None


def test_assign_turf_hands_it_out(runner, world):
    result = runner.invoke(args=["assign-turf", str(world.turf_b1.id), "organizer.b@test.example",
                                 "--canvass", "North spring"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assignment = db.session.scalar(select(Assignment).where(Assignment.turf_id == world.turf_b1.id))
    assert assignment.volunteer_id == world.users.organizer_b.id
    result = runner.invoke(args=["assign-turf", str(world.turf_b1.id), "volunteer.c@test.example",
                                 "--canvass", "North spring"])
    assert result.exit_code == 1 and "works for another office" in result.output
    result = runner.invoke(args=["assign-turf", "9999", "volunteer.c@test.example", "--canvass", "North spring"])
    assert result.exit_code == 1 and "no turf with id 9999" in result.output


def test_create_canvass_in_two_languages_with_a_branch_and_a_required_survey(runner, world, tmp_path):
    """Issue 19: show_if in the questions file, --translations, --survey-required; a bad one names itself."""
    questions = tmp_path / "questions.json"
    questions.write_text(json.dumps([{"key": "support", "label": "Support", "kind": "scale"},
                                     {"key": "issue", "label": "Issue", "kind": "choice", "choices": ["Rent", "Buses"],
                                      "show_if": "support >= 3"}]))
    translations = tmp_path / "fi.json"
    translations.write_text(json.dumps({"fi": {"script": "Hei", "questions": {"issue": {"choices": ["Vuokra", "Bussit"]}}}}))
    result = runner.invoke(args=["create-canvass", "Kaksikielinen", "--office", "Bravo", "--questions", str(questions),
                                 "--translations", str(translations), "--survey-required"])
    assert result.exit_code == 0, result.output
    canvass = db.session.scalar(select(Canvass).where(Canvass.name == "Kaksikielinen"))
    assert canvass.questions[1]["show_if"] == {"key": "support", "op": ">=", "value": 3}
    assert canvass.translations["fi"]["script"] == "Hei" and canvass.survey_optional is False
    translations.write_text(json.dumps({"fi": {"questions": {"issue": {"choices": ["Vuokra"]}}}}))
    result = runner.invoke(args=["create-canvass", "Broken", "--office", "Bravo", "--questions", str(questions),
                                 "--translations", str(translations)])
    assert result.exit_code == 1 and "translate each of its 2 choices" in result.output
