"""Paper fallback: a printed list carries a code per door and the sheet's codes for every question and
promise, and a filled-in sheet typed back in becomes contacts of the volunteer named on it, with their
answers and promises, on the day written, or nothing at all if a row is wrong."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from fieldops.domain.paper import (Knock, SheetError, SheetRow, answer_codes, check_day, door_code, read_promises,
                                   read_sheet)
from fieldops.domain.surveys import check_questions
from fieldops.extensions import db
from fieldops.models import AuditEvent, Contact, FollowUp
from fieldops.services import walklists

QUESTIONS = check_questions([
    {"key": "support", "label": "How likely are you to support us?", "kind": "scale", "min": 1, "max": 5},
    {"key": "top_issue", "label": "What matters most?", "kind": "choice", "choices": ["Housing", "Schools", "Jobs"]},
    {"key": "helps", "label": "Would you help for an hour?", "kind": "yes_no"},
    {"key": "comment", "label": "Anything else?", "kind": "text"},
])


def test_codes_are_short_and_distinct():
    assert door_code(0) == "0" and door_code(31) == "Z" and door_code(32) == "10"
    codes = {door_code(n) for n in range(1, 100_000)}
    assert len(codes) == 99_999 and max(len(c) for c in codes) == 4
    assert not any(letter in code for code in codes for letter in "ILOU")


def test_a_sheet_is_read_by_initials_and_blank_rows_are_doors_not_knocked():
    rows = [SheetRow(11, "t", " said hi "), SheetRow(12), SheetRow(13, "NH"), SheetRow(14, "cb")]
    assert [(k.row, k.door_id, k.outcome, k.note) for k in read_sheet(rows)] == [
        (1, 11, "talked", "said hi"), (3, 13, "not_home", ""), (4, 14, "come_back", "")]
    with pytest.raises(SheetError, match="row 2, outcome: 'X' is not an outcome"):
        read_sheet([SheetRow(11, "T"), SheetRow(12, "X")])
    with pytest.raises(SheetError, match="row 1, outcome: something is written but no outcome"):
        read_sheet([SheetRow(11, note="nice dog")])


def test_answers_and_promises_are_read_by_the_codes_the_sheet_prints():
    assert [code for code, _ in answer_codes(QUESTIONS[0])] == ["1", "2", "3", "4", "5"]
    assert answer_codes(QUESTIONS[1]) == [("A", "Housing"), ("B", "Schools"), ("C", "Jobs")]
    assert answer_codes(QUESTIONS[2]) == [("Y", "yes"), ("N", "no")] and answer_codes(QUESTIONS[3]) == []
    row = SheetRow(7, "T", answers={"support": "4", "top_issue": "b", "helps": "n", "comment": " Bus stop "},
                   promises="c s")
    assert read_sheet([row], QUESTIONS) == [Knock(1, 7, "talked", "", {
        "support": 4, "top_issue": "Schools", "helps": False, "comment": "Bus stop"}, ("call_back", "yard_sign"))]
    named = SheetRow(7, "T", answers={"top_issue": "jobs"})  # the choice's name is understood too
    assert read_sheet([named], QUESTIONS)[0].answers == {"top_issue": "Jobs"}
    assert read_promises("VIC") == ("volunteer", "send_info", "call_back")


@pytest.mark.parametrize("row, message", [
    (SheetRow(1, "T", answers={"support": "7"}), "row 1, Q1: '7' is not an answer: write 1 to 5"),
    (SheetRow(1, "T", answers={"top_issue": "D"}), "row 1, Q2: 'D' is not an answer: write A to C"),
    (SheetRow(1, "T", answers={"helps": "maybe"}), "row 1, Q3: 'maybe' is not an answer: write Y or N"),
    (SheetRow(1, "NH", answers={"support": "3"}), "row 1, Q1: answers are written only for a conversation"),
    (SheetRow(1, "T", promises="CX"), "row 1, promises: 'X' is not a promise: use C call back"),
    (SheetRow(1, "", promises="C"), "row 1, outcome: something is written but no outcome"),
])
def test_a_code_that_is_not_on_the_sheet_names_the_row_and_the_field(row, message):
    with pytest.raises(SheetError, match=re.escape(message)):
        read_sheet([row], QUESTIONS)


def test_a_date_still_to_come_is_refused():
    today = date(2026, 5, 2)
    assert check_day(today, today) == today
    with pytest.raises(ValueError, match="2026-05-03, is after today"):
        check_day(date(2026, 5, 3), today)


@pytest.fixture
def asking(world):
    """North spring asks the four questions."""
    world.canvass_north.questions = QUESTIONS
    db.session.commit()
    return world


def test_the_printed_list_has_each_doors_code_and_the_legend_of_every_code(client, auth, asking):
    auth.login("organizer.a@test.example")
    page = client.get(f"/turfs/{asking.turf_a1.id}/print").get_data(as_text=True)
    walk = walklists.walklist(asking.turf_a1, asking.canvass_north)
    assert all(f">{door_code(door['id'])}<" in page for door in walk["doors"])
    legend = page[page.index('<dl class="sheet-legend">'):page.index("</dl>")]
    for expected in ("<dt>Q1</dt>", "How likely are you to support us?", "<strong>5</strong>",
                     "<strong>B</strong> Schools", "<strong>Y</strong> yes", "written as said",
                     "<strong>C</strong> Call back", "<strong>S</strong> Yard sign", "<strong>NH</strong> Not home"):
        assert expected in legend, expected
    first_row = page[page.index("<tbody>"):page.index("</tr>", page.index("<tbody>"))]
    assert re.findall(r'<span class="box" title="[^"]+">(\w+)</span>', first_row)[11:] == [
        "1", "2", "3", "4", "5", "A", "B", "C", "Y", "N", "C", "I", "S", "V"]  # after the eleven outcome boxes


def test_round_trip_print_type_in_answers_and_promises_reach_the_timeline_and_follow_ups(client, auth, asking):
    auth.login("organizer.a@test.example")
    printed = client.get(f"/turfs/{asking.turf_a1.id}/print").get_data(as_text=True)
    codes = re.findall(r'<td class="code">(\w+)</td>', printed)
    entry = client.get(f"/turfs/{asking.turf_a1.id}/paper").get_data(as_text=True)
    # The type-in page lists the printed rows in the printed order, with the same codes and columns.
    assert re.findall(r"<td><code>(\w+)</code></td>", entry) == codes
    assert "Q1 <span class=\"muted\">1 to 5</span>" in entry and "Promises <span class=\"muted\">C I S V</span>" in entry
    door_ids = [int(n) for n in re.findall(r'name="o(\d+)"', entry)]
    first, second = door_ids[0], door_ids[1]
    day = date.today() - timedelta(days=1)
    form = {"volunteer": str(asking.users.volunteer_a1.id), "day": day.isoformat(),
            f"o{first}": "T", f"a{first}-support": "5", f"a{first}-top_issue": "A", f"a{first}-helps": "Y",
            f"a{first}-comment": "Wants the tram back", f"p{first}": "CS", f"n{first}": "Lovely garden",
            f"o{second}": "NH"}
    saved = client.post(f"/turfs/{asking.turf_a1.id}/paper", data=form)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    talked = db.session.scalar(select(Contact).where(Contact.door_id == first))
    assert talked.answers == {"support": 5, "top_issue": "Housing", "helps": True, "comment": "Wants the tram back"}
    assert talked.volunteer_id == asking.users.volunteer_a1.id and talked.recorded_at.date() == day
    promises = db.session.execute(select(FollowUp.kind, FollowUp.due_date, FollowUp.owner_id)
                                  .where(FollowUp.door_id == first).order_by(FollowUp.kind)).all()
    assert promises == [("call_back", day + timedelta(days=2), asking.users.organizer_a.id),
                        ("yard_sign", day + timedelta(days=7), asking.users.organizer_a.id)]
    timeline = client.get(f"/doors/{first}").get_data(as_text=True)
    # The timeline shows each answer under its question's wording.
    assert "How likely are you to support us?: 5" in timeline and "What matters most?: Housing" in timeline
    assert "Would you help for an hour?: yes" in timeline
    assert "Wants the tram back" in timeline
    promised = timeline[timeline.index('id="promises"'):timeline.index("</ul>", timeline.index('id="promises"'))]
    assert "<strong>Call back</strong>" in promised and "<strong>Yard sign</strong>" in promised
    assert "<strong>5</strong>/5" in timeline  # the support line counts the paper answer too
    assert db.session.scalar(select(func.count(FollowUp.id)).where(FollowUp.door_id == second)) == 0


def test_a_typed_in_sheet_is_recorded_for_the_named_volunteer_on_the_day_written(client, auth, world):
    walk = walklists.walklist(world.turf_a1, world.canvass_north)
    first, second, third = (door["id"] for door in walk["doors"][:3])
    day = date.today() - timedelta(days=2)
    auth.login("organizer.a@test.example")
    form = {"volunteer": str(world.users.volunteer_a1.id), "day": day.isoformat(),
            f"o{first}": "T", f"n{first}": "Wants a yard sign", f"o{second}": "", f"o{third}": "nh"}
    assert client.post(f"/turfs/{world.turf_a1.id}/paper", data=form).status_code == 302
    stored = db.session.execute(select(Contact.door_id, Contact.outcome, Contact.volunteer_id, Contact.recorded_at,
                                       Contact.note).order_by(Contact.door_id)).all()
    assert {(door, outcome) for door, outcome, *_ in stored} == {(first, "talked"), (third, "not_home")}
    assert all(volunteer == world.users.volunteer_a1.id and at.date() == day for _, _, volunteer, at, _ in stored)
    assert db.session.scalar(select(AuditEvent.details).where(AuditEvent.action == "paper.entry"))["contacts"] == 2


def test_a_date_in_the_future_is_refused_instead_of_stamped_now(client, auth, world):
    walk = walklists.walklist(world.turf_a1, world.canvass_north)
    first = walk["doors"][0]["id"]
    auth.login("organizer.a@test.example")
    tomorrow = date.today() + timedelta(days=2)
    form = {"volunteer": str(world.users.volunteer_a1.id), "day": tomorrow.isoformat(), f"o{first}": "T"}
    page = client.post(f"/turfs/{world.turf_a1.id}/paper", data=form)
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and f"field &#39;day&#39;: the date written, {tomorrow.isoformat()}, is after today" in text
    assert re.search(r'id="day"[^>]*aria-invalid="true"', text)
    assert db.session.scalar(select(func.count(Contact.id))) == 0


def test_one_wrong_row_saves_nothing_and_names_the_row_and_field(client, auth, asking):
    walk = walklists.walklist(asking.turf_a1, asking.canvass_north)
    first, second = (door["id"] for door in walk["doors"][:2])
    auth.login("organizer.a@test.example")
    form = {"volunteer": str(asking.users.volunteer_a1.id), "day": date.today().isoformat(),
            f"o{first}": "T", f"p{first}": "C", f"o{second}": "T", f"a{second}-top_issue": "Z"}
    page = client.post(f"/turfs/{asking.turf_a1.id}/paper", data=form)
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and "row 2, Q2: &#39;Z&#39; is not an answer: write A to C" in text
    assert re.search(rf'id="a{second}-top_issue"[^>]*aria-invalid="true" autofocus', text)  # the box to fix
    assert f'value="Z"' in text and 'class="row-error"' in text  # what was typed stays
    stranger = {**form, f"a{second}-top_issue": "B", "volunteer": str(asking.users.volunteer_a2.id)}
    assert client.post(f"/turfs/{asking.turf_a1.id}/paper", data=stranger).status_code == 400  # not on this turf
    wrong = client.post(f"/turfs/{asking.turf_a1.id}/paper", data={**form, f"o{second}": "ZZ"})
    assert "row 2, outcome: &#39;ZZ&#39; is not an outcome" in wrong.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Contact.id))) == 0
    assert db.session.scalar(select(func.count(FollowUp.id))) == 0
