"""Paper fallback: a printed list carries a code per door, and a filled-in sheet typed back in becomes
contacts of the volunteer named on it, on the day written, or nothing at all if a row is wrong."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from fieldops.domain.paper import door_code, read_sheet
from fieldops.extensions import db
from fieldops.models import AuditEvent, Contact
from fieldops.services import walklists


def test_codes_are_short_and_distinct():
    assert door_code(0) == "0" and door_code(31) == "Z" and door_code(32) == "10"
    codes = {door_code(n) for n in range(1, 100_000)}
    assert len(codes) == 99_999 and max(len(c) for c in codes) == 4
    assert not any(letter in code for code in codes for letter in "ILOU")


def test_a_sheet_is_read_by_initials_and_blank_rows_are_doors_not_knocked():
    assert read_sheet([(11, "t", " said hi "), (12, "", ""), (13, "NH", ""), (14, "cb", "")]) == [
        (1, 11, "talked", "said hi"), (3, 13, "not_home", ""), (4, 14, "come_back", "")]
    with pytest.raises(ValueError, match="row 2: 'X' is not an outcome"):
        read_sheet([(11, "T", ""), (12, "X", "")])
    with pytest.raises(ValueError, match="row 1: a note but no outcome"):
        read_sheet([(11, "", "nice dog")])


def test_the_printed_list_has_each_doors_code(client, auth, world):
    auth.login("organizer.a@test.example")
    page = client.get(f"/turfs/{world.turf_a1.id}/print").get_data(as_text=True)
    walk = walklists.walklist(world.turf_a1, world.canvass_north)
    assert all(f">{door_code(door['id'])}<" in page for door in walk["doors"])


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


def test_one_wrong_row_saves_nothing_and_names_the_row(client, auth, world):
    walk = walklists.walklist(world.turf_a1, world.canvass_north)
    first, second = (door["id"] for door in walk["doors"][:2])
    auth.login("organizer.a@test.example")
    form = {"volunteer": str(world.users.volunteer_a1.id), "day": date.today().isoformat(),
            f"o{first}": "T", f"o{second}": "ZZ"}
    page = client.post(f"/turfs/{world.turf_a1.id}/paper", data=form)
    assert page.status_code == 400 and "row 2: &#39;ZZ&#39; is not an outcome" in page.get_data(as_text=True)
    stranger = {**form, f"o{second}": "R", "volunteer": str(world.users.volunteer_a2.id)}  # not on this turf
    assert client.post(f"/turfs/{world.turf_a1.id}/paper", data=stranger).status_code == 400
    assert db.session.scalar(select(func.count(Contact.id))) == 0
