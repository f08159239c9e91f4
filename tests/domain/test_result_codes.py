"""The committee's names for our results: VAN bulk-upload rows and OSDI canvasses from one mapping."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from fieldops.domain import result_codes
from fieldops.domain.outcomes import REACHED_CODES

QUESTIONS = [{"key": "support", "label": "Support", "kind": "scale", "min": 1, "max": 5},
             {"key": "yard_sign", "label": "Yard sign?", "kind": "yes_no"},
             {"key": "issue", "label": "Top issue", "kind": "text"}]
TOPICS = [*QUESTIONS, {"key": "topic", "label": "Topic", "kind": "choice", "choices": ["Housing Policy", "Buses"]}]


def contact(outcome="talked", answers=None, ids=("1001",)):
    return result_codes.ExportedContact("c-1", datetime(2026, 11, 5, 22, 30, tzinfo=timezone.utc),
                                        date(2026, 11, 6), outcome, answers or {}, ids)


def settings(**form):
    return {result_codes.SETTINGS_KEY: result_codes.parse_form(form, QUESTIONS)}


def test_without_a_mapping_our_names_go_out():
    own = result_codes.mapping({})
    assert result_codes.van_header(QUESTIONS, own) == ["VAN ID", "Date Contacted", "Canvass Result", "Support",
                                                       "Yard sign?", "Top issue"]
    rows = list(result_codes.van_rows([contact(answers={"support": 5, "yard_sign": True})], QUESTIONS, own))
    assert rows == [["1001", "11/06/2026", "Talked", "5", "Yes", ""]]


def test_the_office_mapping_renames_results_questions_and_responses():
    own = result_codes.mapping(settings(result_talked="Canvassed", result_not_home="Not Home",
                                        survey_names="support: Support 2026\nsupport=5: Strong Support\n"
                                                     "yard_sign=Yes: Sign Requested"))
    header = result_codes.van_header(QUESTIONS, own)
    assert header[3:5] == ["Support 2026", "Yard sign?"]
    rows = list(result_codes.van_rows([contact(answers={"support": 5, "yard_sign": True}),
                                       contact("not_home", ids=("1001", "1002"))], QUESTIONS, own))
    assert rows == [["1001", "11/06/2026", "Canvassed", "Strong Support", "Sign Requested", ""],
                    ["1001", "11/06/2026", "Not Home", "", "", ""],
                    ["1002", "11/06/2026", "Not Home", "", "", ""]]


def test_osdi_canvasses_carry_success_status_and_answers():
    own = result_codes.mapping(settings(result_refused="Refused to talk", survey_names="support=4: Lean Yes"))
    talked, refused = result_codes.osdi_canvasses(
        [contact(answers={"support": 4, "issue": "buses"}), contact("refused")], QUESTIONS, own, REACHED_CODES)
    assert talked["person_identifiers"] == ["VAN:1001"]
    assert talked["canvass"]["success"] is True and talked["canvass"]["status_code"] == ""
    assert talked["canvass"]["action_date"] == "2026-11-05T22:30:00Z"
    assert talked["add_answers"] == [{"question": "Support", "responses": ["Lean Yes"]},
                                     {"question": "Top issue", "value": "buses"}]
    assert refused["canvass"]["success"] is False and refused["canvass"]["status_code"] == "Refused to talk"


def test_form_round_trip_keeps_only_what_differs_from_our_names():
    saved = result_codes.parse_form({"result_talked": "Talked", "result_moved": "  Moved   Away ",
                                     "survey_names": "support: Support\n\n"}, QUESTIONS)
    assert saved == {"results": {"moved": "Moved Away"}, "questions": {"support": "Support"}, "responses": {}}
    values = result_codes.form_values({result_codes.SETTINGS_KEY: saved})
    assert values["result_moved"] == "Moved Away" and values["result_talked"] == "Talked"
    assert values["survey_names"] == "support: Support"


@pytest.mark.parametrize("form, named", [
    ({"survey_names": "support Strong"}, "survey_names: line 1"),
    ({"survey_names": "\nSupport: x"}, "survey_names: line 2"),
    ({"result_talked": "x" * 101}, "result_talked"),
])
def test_bad_mapping_lines_are_named(form, named):
    with pytest.raises(ValueError, match=named):
        result_codes.parse_form(form, QUESTIONS)


@pytest.mark.parametrize("line, words", [
    ("suport: Typo Q", "line 1 of the survey names: no survey question has the key 'suport'"),
    ("support=9: Nine", "'support' is answered 1 to 5"),
    ("yard_sign=maybe: Perhaps", "'yard_sign' is a yes/no question"),
    ("topic=Roads: X", "'topic' is answered one of Housing Policy, Buses"),
    ("issue=buses: Transit", "'issue' is answered in words"),
])
def test_a_line_that_would_never_match_is_refused_with_its_line(line, words):
    """Saved, each would silently never match and VAN would get our words instead of the committee's."""
    with pytest.raises(result_codes.Refused, match=words) as caught:
        result_codes.parse_form({"survey_names": line}, TOPICS)
    assert caught.value.field == "survey_names"


def test_answers_are_matched_whatever_their_case_and_stored_as_exported():
    saved = result_codes.parse_form({"survey_names": "yard_sign=yes: Sign Requested\ntopic=housing policy: Housing\n"
                                                     "support=05: Strong"}, TOPICS)
    assert saved["responses"] == {"yard_sign=Yes": "Sign Requested", "topic=Housing Policy": "Housing",
                                  "support=5": "Strong"}
    own = result_codes.mapping({result_codes.SETTINGS_KEY: saved})
    rows = list(result_codes.van_rows([contact(answers={"yard_sign": True, "topic": "Housing Policy"})], TOPICS, own))
    assert rows[0][4] == "Sign Requested" and rows[0][6] == "Housing"


def test_osdi_action_date_is_utc_with_its_zone_even_when_stored_without_one():
    naive = result_codes.ExportedContact("c-2", datetime(2026, 8, 6, 16, 19), date(2026, 8, 6), "talked", {}, ("7",))
    helsinki = result_codes.ExportedContact("c-3", datetime(2026, 8, 6, 19, 19, tzinfo=timezone(timedelta(hours=3))),
                                            date(2026, 8, 6), "talked", {}, ("8",))
    dates = [body["canvass"]["action_date"] for body in
             result_codes.osdi_canvasses([naive, helsinki], QUESTIONS, result_codes.mapping({}), REACHED_CODES)]
    assert dates == ["2026-08-06T16:19:00Z", "2026-08-06T16:19:00Z"]


def test_a_key_two_canvasses_ask_differently_takes_the_answers_of_either():
    """Last spring's canvass asked 'support' 1 to 5; this one asks it yes/no. An export of either is right."""
    spring = [{"key": "support", "label": "Support", "kind": "scale", "min": 1, "max": 5}]
    autumn = [{"key": "support", "label": "Support?", "kind": "yes_no"}]
    saved = result_codes.parse_form({"survey_names": "support=5: Strong Support\nsupport=yes: Supporter"},
                                    autumn + spring)
    assert saved["responses"] == {"support=5": "Strong Support", "support=Yes": "Supporter"}
    with pytest.raises(result_codes.Refused, match="'support' is a yes/no question"):
        result_codes.parse_form({"survey_names": "support=maybe: Perhaps"}, autumn + spring)


def test_a_mapping_saved_before_answers_were_checked_still_matches():
    own = result_codes.mapping({result_codes.SETTINGS_KEY: {"responses": {"yard_sign=yes": "Sign Requested"}}})
    rows = list(result_codes.van_rows([contact(answers={"yard_sign": True})], QUESTIONS, own))
    assert rows[0][4] == "Sign Requested"
