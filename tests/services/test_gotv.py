"""Election day: the has-voted file (all or nothing, rejects named, earliest time kept), and chase walk
lists that drop doors whose people voted, with the reason, while assignments stay."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from fieldops import unit_of_work
from fieldops.domain.universes import CHASE
from fieldops.errors import InvalidInput
from fieldops.extensions import db
from fieldops.models import Assignment, Contact, Person
from fieldops.services import summaries, universes, voted, walklists
from tests.api.test_contact_sync import doors_of
from tests.web.test_import_page import job_page, upload

EARLY = datetime(2026, 12, 3, 7, 0, tzinfo=timezone.utc)


def voters_on_alpha_1(world, n=8, support=5):
    """One voter (ids V0.., latest support ``support``) on each of Alpha 1's first n doors. Committed."""
    doors = doors_of(world.turf_a1)[:n]
    people = [Person(door_id=door_id, source_id=f"V{i}", first_name=f"Voter{i}") for i, door_id in enumerate(doors)]
    db.session.add_all(people)
    db.session.flush()
    for person in people:
        db.session.add(Contact(id=f"00000000-0000-4000-8000-{person.id:012d}", office_id=world.office_a.id,
                               door_id=person.door_id, canvass_id=world.canvass_north.id, outcome="talked",
                               answers={"support": support}, note="", person_id=person.id,
                               volunteer_id=world.users.volunteer_a1.id,
                               recorded_at=datetime.now(timezone.utc) - timedelta(days=3)))
    db.session.flush()
    summaries.refresh_doors(doors)
    db.session.commit()
    return people


def write_ids(tmp_path, lines, name="voted.csv", header="voter_id"):
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def voted_at(source_id):
    db.session.expire_all()
    return db.session.scalar(select(Person.voted_at).where(Person.source_id == source_id))


def test_the_file_marks_voters_keeps_the_earliest_time_and_names_rejects(world, tmp_path):
    voters_on_alpha_1(world)
    first = unit_of_work.run(voted.import_voted, write_ids(tmp_path, ["V0", "V1"]), "Alpha", at=EARLY)
    assert (first.marked, first.already, first.rejects) == (2, 0, {"blank_id": 0, "unknown_id": 0})
    rejects = tmp_path / "rejects.csv"
    second = unit_of_work.run(voted.import_voted, write_ids(tmp_path, ["V1,a", "V2,b", " ,c", "NOPE,d"],
                                                            header="Voter ID,name"), "Alpha",
                              rejects_path=rejects, at=EARLY + timedelta(hours=3))
    assert (second.marked, second.already) == (1, 1)
    assert second.rejects == {"blank_id": 1, "unknown_id": 1}
    assert "row 5: 'NOPE'" in second.reject_examples["unknown_id"]
    text = "\n".join(second.lines())
    assert "1 ids of nobody in this office (e.g. row 5: 'NOPE')" in text and "1 rows without an id" in text
    assert rejects.read_text().splitlines() == ["row,reason,id", "4,rows without an id,", "5,ids of nobody in this office,NOPE"]
    assert voted_at("V1").replace(tzinfo=timezone.utc) == EARLY  # the earliest stays
    assert voted_at("V2").replace(tzinfo=timezone.utc) == EARLY + timedelta(hours=3)
    assert voted_at("V3") is None


def test_a_file_of_nobody_or_without_an_id_column_writes_nothing(world, tmp_path):
    voters_on_alpha_1(world)
    with pytest.raises(InvalidInput, match="matches nobody in office 'Alpha'"):
        unit_of_work.run(voted.import_voted, write_ids(tmp_path, ["X1,a", ",b"], header="id,n"), "Alpha")
    with pytest.raises(InvalidInput, match="lacks the voter id column"):
        unit_of_work.run(voted.import_voted, write_ids(tmp_path, ["V0"], header="name"), "Alpha")
    # Bravo's people are not Alpha's: the same ids in another office are unknown there.
    with pytest.raises(InvalidInput, match="matches nobody in office 'Bravo'"):
        unit_of_work.run(voted.import_voted, write_ids(tmp_path, ["V0"]), "Bravo")
    assert db.session.scalar(select(func.count()).where(Person.voted_at.is_not(None))) == 0


def test_chase_walk_list_drops_voted_doors_with_the_reason_and_keeps_assignments(world, tmp_path):
    people = voters_on_alpha_1(world)
    universes.save(world.canvass_north, CHASE, None)
    db.session.commit()
    assignments = db.session.scalar(select(func.count(Assignment.id)).where(Assignment.returned_at.is_(None)))
    walk = walklists.walklist(world.turf_a1, world.canvass_north)
    assert walk["turf"]["chase"] is True and walk["dropped"] == {}
    assert {d["id"] for d in walk["doors"]} == {p.door_id for p in people}  # knocked doors stay while chased

    summary = unit_of_work.run(voted.import_voted, write_ids(tmp_path, ["V0", "V1", "V2"]), "Alpha")
    assert summary.chase == [{"canvass": "North spring", "canvass_id": world.canvass_north.id, "doors": 5,
                              "dropped_voted": 3, "assigned_turfs": 2}]
    walk = walklists.walklist(world.turf_a1, world.canvass_north)
    assert {d["id"] for d in walk["doors"]} == {p.door_id for p in people[3:]}
    assert walk["dropped"] == {"voted": 3}
    assert walk["drop_reasons"]["voted"] == "doors dropped: everyone there has voted"
    assert db.session.scalar(select(func.count(Assignment.id)).where(Assignment.returned_at.is_(None))) == assignments

    rebuilt = unit_of_work.run(lambda: voted.rebuild_chase(world.canvass_north, world.office_a, None))
    by_turf = {t["turf"]: t for t in rebuilt["turfs"]}
    assert by_turf["Alpha 1"]["doors"] == 5 and by_turf["Alpha 1"]["dropped"] == {"voted": 3}


def test_only_a_chase_canvass_is_rebuilt_and_a_non_chase_list_is_unchanged(world, tmp_path):
    voters_on_alpha_1(world)
    universes.save(world.canvass_north, {"support": [4, 5]}, None)
    db.session.commit()
    with pytest.raises(InvalidInput, match="is not a chase canvass"):
        voted.rebuild_chase(world.canvass_north, world.office_a, None)
    summary = unit_of_work.run(voted.import_voted, write_ids(tmp_path, ["V0"]), "Alpha")
    assert summary.chase == []
    walk = walklists.walklist(world.turf_a1, world.canvass_north)
    assert len(walk["doors"]) == 8 and walk["dropped"] == {} and walk["turf"]["chase"] is False


def test_the_import_page_runs_the_has_voted_file_as_a_job(client, auth, world, job_mode):
    voters_on_alpha_1(world)
    universes.save(world.canvass_north, CHASE, None)
    db.session.commit()
    auth.login("organizer.a@test.example")
    page = job_page(client, upload(client, world.office_a.id, "voted", "voted.csv", b"id;n\nV0;1\nV5;2\nGHOST;3\n;4\n"))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Has voted, in Alpha" in text and "people newly marked as having voted" in text
    assert "ids of nobody in this office" in text and "row 4: &#39;GHOST&#39;" in text and "rows without an id" in text in text
    assert "Chase North spring: walk lists rebuilt, 6 doors to chase, 2 dropped" in text
    link = next(part.split('"')[0] for part in text.split('href="') if "/files/rejects" in part.split('"')[0])
    assert client.get(link).get_data(as_text=True).splitlines()[1] == "4,ids of nobody in this office,GHOST"
    assert voted_at("V0") is not None


def test_the_command_line_imports_and_refuses_cleanly(runner, world, tmp_path):
    voters_on_alpha_1(world)
    result = runner.invoke(args=["import-voted", str(write_ids(tmp_path, ["V0", "V1", "X"])), "--office", "Alpha"])
    assert result.exit_code == 0, result.output
    assert "has voted: 2 people newly marked, 0 already marked, from 3 rows" in result.output
    assert "1 ids of nobody in this office (e.g. row 4: 'X')" in result.output
    result = runner.invoke(args=["import-voted", str(write_ids(tmp_path, ["X"])), "--office", "Alpha"])
    assert result.exit_code == 1 and "matches nobody in office 'Alpha'" in result.output
