"""Issue tagging: a keyword finds the words it starts, and the office's list is read back as written."""
from __future__ import annotations

import pytest

from fieldops.domain.listening import DEFAULT_ISSUES, issue_list_text, parse_issue_list, tag_note


def test_a_keyword_finds_the_words_it_starts_and_nothing_inside_a_word():
    issues = {"schools": ("school", "teacher"), "transport": ("bus", "tram")}
    assert tag_note("The SCHOOLS are full and the teachers tired", issues) == ["schools"]
    assert tag_note("Preschool? The bus is late", issues) == ["transport"]
    assert tag_note("", issues) == [] and tag_note("Lovely weather", issues) == []


def test_the_demo_notes_land_on_the_issues_they_are_about():
    assert tag_note("Asked when the tram works end.", DEFAULT_ISSUES) == ["transport"]
    assert tag_note("Worried about rents going up on this street.", DEFAULT_ISSUES) == ["housing"]


def test_the_list_round_trips_and_bad_lines_are_named():
    text = "schools: school, teacher\ntaxes"
    assert parse_issue_list(text) == {"schools": ("school", "teacher"), "taxes": ("taxes",)}
    assert parse_issue_list(issue_list_text(parse_issue_list(text))) == parse_issue_list(text)
    with pytest.raises(ValueError, match="line 2: 'schools' is listed twice"):
        parse_issue_list("schools: school\nschools: teacher")
    with pytest.raises(ValueError, match="line 1: each word is a single word"):
        parse_issue_list("roads: pot hole")
