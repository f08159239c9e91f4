"""Pure rules of issue 19: people entries of a contact, languages, branching conditions, translations."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest

from fieldops.domain.conditions import EXAMPLES, describe, matches, parse_condition
from fieldops.domain.contacts import parse_contact
from fieldops.domain.languages import parse_language, parse_languages, pick_language
from fieldops.domain.outcomes import BY_CODE, phone_facts
from fieldops.domain.people import parse_people
from fieldops.domain.surveys import check_answers, check_questions, check_translations, unanswered

NOW = datetime(2026, 12, 3, 12, tzinfo=timezone.utc)
QUESTIONS = check_questions([
    {"key": "support", "label": "Support", "kind": "scale"},
    {"key": "worry", "label": "What matters most?", "kind": "choice", "choices": ["Schools", "Roads"],
     "show_if": "support >= 3"},
    {"key": "why", "label": "Why roads?", "kind": "text", "show_if": "worry = Roads"},
])


def contact(**fields):
    raw = {"id": str(uuid.uuid4()), "door_id": 1, "canvass_id": 1, "outcome": "talked",
           "recorded_at": "2026-12-03T11:00:00Z"}
    raw.update(fields)
    return raw


def test_people_ride_with_a_contact_and_a_bad_entry_names_itself():
    person = {"id": str(uuid.uuid4()), "first_name": "  Ana  ", "last_name": "Ruiz", "language": "Spanish",
              "birth_year": 1990, "email": "ANA@example.org", "consent_email": True}
    parsed = parse_contact(contact(people_added=[person], people_changed=[{"person_id": 4, "last_name": "Virtanen"}]), NOW)
    assert parsed.people_added[0].first_name == "Ana" and parsed.people_added[0].language == "es"
    assert parsed.people_added[0].email == "ana@example.org" and parsed.people_changed[0].fields() == {"last_name": "Virtanen"}
    for bad, reason in [({**person, "birth_year": 2031}, "birth_year must be a year from 1900 to 2026"),
                        ({**person, "id": "x"}, "people_added 1: id must be a UUID"),
                        ({**person, "consent_phone": True}, "consent_phone needs the phone"),
                        ({**person, "language": "12"}, "is not a language code")]:
        with pytest.raises(ValueError, match=reason):
            parse_contact(contact(people_added=[bad]), NOW)
    with pytest.raises(ValueError, match="people_changed 1: say what changed"):
        parse_people({"people_changed": [{"person_id": 3}]}, 2026, 2**31 - 1)
    with pytest.raises(ValueError, match="the same id twice"):
        parse_people({"people_added": [person, person]}, 2026, 2**31 - 1)


def test_languages_are_codes_and_the_phone_picks_the_households_when_the_volunteer_speaks_it():
    assert parse_language("Finnish") == "fi" and parse_language(" SV ") == "sv" and parse_language("") is None
    assert parse_languages("fi, sv fi") == ["fi", "sv"]
    assert pick_language(["es"], ["en", "es"], ["en", "es", "fi"]) == "es"
    assert pick_language(["so"], ["fi", "en"], ["en", "fi"]) == "fi"
    assert pick_language(["es"], [], ["en", "es"]) == "en"


def test_left_literature_finishes_the_door_and_a_language_barrier_asks_which_language():
    assert BY_CODE["left_literature"].finishes_door and not BY_CODE["left_literature"].reached
    facts = {f["code"]: f for f in phone_facts()}
    assert facts["language_barrier"]["asks_language"] and not facts["talked"]["asks_language"]
    assert parse_contact(contact(outcome="language_barrier", language="so"), NOW).language == "so"


def test_the_condition_language():
    for condition, answers, shown in EXAMPLES:
        assert matches(condition, answers) is shown, (condition, answers)
    assert parse_condition("q1 >= 3", QUESTIONS[:1]) == {"key": "support", "op": ">=", "value": 3}
    assert parse_condition("worry in Schools, Roads", QUESTIONS[:2])["value"] == ["Schools", "Roads"]
    assert describe(QUESTIONS[1]["show_if"]) == "support >= 3"
    for text, reason in [("nothing >= 3", "not an earlier question"), ("support >= lots", "a number"),
                         ("support", "write it like")]:
        with pytest.raises(ValueError, match=reason):
            parse_condition(text, QUESTIONS[:1])
    with pytest.raises(ValueError, match="not an earlier question"):  # a condition looks back, never forward
        check_questions([{"key": "a", "label": "A", "kind": "yes_no", "show_if": {"key": "b", "op": "=", "value": True}},
                         {"key": "b", "label": "B", "kind": "yes_no"}])
    with pytest.raises(ValueError, match="not a choice"):
        check_questions([*QUESTIONS[:2], {"key": "c", "label": "C", "kind": "text", "show_if": "worry = Parks"}])


def test_answers_to_questions_not_shown_are_dropped_and_required_ones_named():
    assert check_answers(QUESTIONS, {"support": 4, "worry": "Roads", "why": "potholes"}) == {
        "support": 4, "worry": "Roads", "why": "potholes"}
    # support 2: "worry" was not shown, so neither its answer nor the one that hangs on it is kept.
    assert check_answers(QUESTIONS, {"support": 2, "worry": "Roads", "why": "potholes"}) == {"support": 2}
    assert unanswered(QUESTIONS, {"support": 2}) == []
    assert unanswered(QUESTIONS, {"support": 4}) == ["worry"]  # free text is never required
    assert unanswered(QUESTIONS, {}) == ["support"]


def test_translations_follow_the_questions():
    cleaned = check_translations(QUESTIONS, {"es": {"script": "Hola", "questions": {
        "support": "¿Nos apoya?", "worry": {"label": "¿Qué importa?", "choices": ["Escuelas", "Calles"]}}}})
    assert cleaned["es"]["questions"]["worry"]["choices"] == ["Escuelas", "Calles"]
    assert cleaned["es"]["questions"]["support"] == {"label": "¿Nos apoya?"}
    for bad, reason in [({"es": {"questions": {"nope": "x"}}}, "no question 'nope'"),
                        ({"es": {"questions": {"worry": {"choices": ["Una"]}}}}, "translate each of its 2 choices"),
                        ({"en": {"script": "Hi"}}, "not another language"), ({"xx1": {}}, "not a language code")]:
        with pytest.raises(ValueError, match=reason):
            check_translations(QUESTIONS, bad)
