"""A phone's contact, the canvass's questions and the promises' due dates: pure checks."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from fieldops.domain.contacts import parse_contact
from fieldops.domain.followups import due_date
from fieldops.domain.surveys import check_answers, check_questions

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
QUESTIONS = check_questions([
    {"label": "Support", "kind": "scale"},
    {"label": "Yard sign?", "kind": "yes_no"},
    {"label": "Top issue", "kind": "choice", "choices": ["Schools", "Roads"]},
    {"label": "Anything else", "kind": "text"},
])


def contact(**fields):
    raw = {"id": str(uuid.uuid4()), "door_id": 7, "canvass_id": 2, "outcome": "talked",
           "recorded_at": "2026-06-01T11:58:00Z"}
    raw.update(fields)
    return raw


def test_a_good_contact_is_cleaned():
    parsed = parse_contact(contact(note="  likes the park ", lat=60.17, lon=24.94, accuracy_m=8,
                                   follow_ups=["call_back", "call_back", "yard_sign"]), NOW)
    assert parsed.note == "likes the park" and parsed.follow_ups == ("call_back", "yard_sign")
    assert parsed.recorded_at == datetime(2026, 6, 1, 11, 58, tzinfo=timezone.utc)
    other_zone = parse_contact(contact(recorded_at="2026-06-01T14:58:00+03:00"), NOW)
    assert other_zone.recorded_at == parsed.recorded_at


@pytest.mark.parametrize("fields,message", [
    ({"id": "not-a-uuid"}, "id must be a UUID"),
    ({"outcome": "maybe"}, "unknown outcome 'maybe'"),
    ({"door_id": "7"}, "door_id must be a whole number from 1 to"),
    ({"door_id": True}, "door_id must be a whole number from 1 to"),
    ({"recorded_at": "yesterday"}, "is not an ISO-8601 time"),
    ({"recorded_at": "2026-06-01T11:58:00"}, "needs a time zone"),
    ({"recorded_at": "2026-06-01T13:00:00Z"}, "in the future"),
    ({"recorded_at": "2024-01-01T00:00:00Z"}, "more than a year ago"),
    ({"lat": 91, "lon": 24}, "lat must be a number from -90 to 90"),
    ({"lat": 60.1}, "lat and lon come together"),
    ({"outcome": "not_home", "answers": {"support": 5}}, "answers come only with a conversation"),
    ({"note": "x" * 2001}, "at most 2000 characters"),
    ({"follow_ups": ["bake_a_cake"]}, "follow_ups must be a list of"),
])
def test_bad_contacts_are_named(fields, message):
    with pytest.raises(ValueError, match=message):
        parse_contact(contact(**fields), NOW)


def test_a_few_minutes_of_fast_phone_clock_is_forgiven():
    assert parse_contact(contact(recorded_at=(NOW + timedelta(minutes=5)).isoformat()), NOW)


def test_questions_get_keys_and_bad_ones_are_named():
    assert [q["key"] for q in QUESTIONS] == ["support", "yard_sign", "top_issue", "anything_else"]
    assert QUESTIONS[0]["min"] == 1 and QUESTIONS[0]["max"] == 5
    with pytest.raises(ValueError, match="question 1 needs a label"):
        check_questions([{"kind": "text"}])
    with pytest.raises(ValueError, match="at least two different choices"):
        check_questions([{"label": "Pick", "kind": "choice", "choices": ["One"]}])
    with pytest.raises(ValueError, match="already uses the key 'support'"):
        check_questions([{"label": "Support", "kind": "scale"}, {"label": "Support!", "kind": "text"}])


def test_answers_are_checked_against_their_questions():
    assert check_answers(QUESTIONS, {"support": 4, "yard_sign": True, "top_issue": "Roads", "anything_else": " no "}) \
        == {"support": 4, "yard_sign": True, "top_issue": "Roads", "anything_else": "no"}
    assert check_answers(QUESTIONS, {"support": None, "anything_else": ""}) == {}
    for answers, message in [({"support": 6}, "from 1 to 5"), ({"support": True}, "from 1 to 5"),
                             ({"yard_sign": "yes"}, "true or false"), ({"top_issue": "Taxes"}, "one of Schools"),
                             ({"mood": 3}, "no question 'mood'")]:
        with pytest.raises(ValueError, match=message):
            check_answers(QUESTIONS, answers)


def test_promises_fall_due_by_kind_and_office_setting():
    made = date(2026, 6, 1)
    assert [due_date(kind, made) for kind in ("call_back", "send_info", "yard_sign", "volunteer")] == [
        date(2026, 6, 3), date(2026, 6, 4), date(2026, 6, 8), date(2026, 6, 3)]
    assert due_date("yard_sign", made, {"yard_sign": 1}) == date(2026, 6, 2)
