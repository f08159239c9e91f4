"""Results go back where the campaign lives: VAN bulk upload and OSDI, with the office's own result codes."""
from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import datetime, timezone

from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import AuditEvent, Block, Contact, Door, Person


def door_with_people(world, *van_ids) -> int:
    door_id = db.session.scalar(select(Door.id).join(Block, Block.id == Door.block_id)
                                .where(Block.turf_id == world.turf_a1.id).order_by(Door.id))
    people = [Person(door_id=door_id, source_id=van_id, first_name="Ann", last_name=f"Voter {van_id}")
              for van_id in van_ids]
    db.session.add_all(people)
    db.session.commit()
    return door_id, [p.id for p in people]


def add_contact(world, door_id, outcome, answers=None, person_id=None, day=5):
    db.session.add(Contact(id=str(uuid.uuid4()), office_id=world.office_a.id, door_id=door_id,
                           person_id=person_id, volunteer_id=world.users.volunteer_a1.id,
                           turf_id=world.turf_a1.id, canvass_id=world.canvass_north.id, outcome=outcome,
                           answers=answers or {}, note="",
                           recorded_at=datetime(2026, 11, day, 12, tzinfo=timezone.utc)))
    db.session.commit()


def ask(world, questions):
    world.canvass_north.questions = questions
    db.session.commit()


QUESTIONS = [{"key": "support", "label": "Support", "kind": "scale", "min": 1, "max": 5}]


def test_van_bulk_download_uses_the_codes_saved_on_settings(client, auth, world):
    ask(world, QUESTIONS)
    door_id, (ann, bob) = door_with_people(world, "100234", "100235")
    add_contact(world, door_id, "not_home", day=4)                    # a household knock: both people
    add_contact(world, door_id, "talked", {"support": 5}, person_id=ann)
    auth.login("organizer.a@test.example")
    saved = client.post(f"/offices/{world.office_a.id}/settings/results",
                        data={"result_talked": "Canvassed", "result_not_home": "Not Home",
                              "survey_names": "support: Support 2026\nsupport=5: Strong Support"})
    assert saved.status_code == 302
    response = client.get(f"/offices/{world.office_a.id}/contacts.csv?format=van-bulk"
                          f"&canvass_id={world.canvass_north.id}")
    assert response.status_code == 200 and "van-bulk" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [["VAN ID", "Date Contacted", "Canvass Result", "Support 2026"],
                    ["100234", "11/04/2026", "Not Home", ""], ["100235", "11/04/2026", "Not Home", ""],
                    ["100234", "11/05/2026", "Canvassed", "Strong Support"]]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export.contacts"))
    assert "van-bulk" in event.details["destination"]


def test_osdi_download_is_one_json_document(client, auth, world):
    ask(world, QUESTIONS)
    door_id, (ann,) = door_with_people(world, "77")
    add_contact(world, door_id, "talked", {"support": 2}, person_id=ann)
    auth.login("organizer.a@test.example")
    response = client.get(f"/offices/{world.office_a.id}/contacts.csv?format=osdi")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = json.loads(response.get_data(as_text=True))
    [canvass] = document["canvasses"]
    assert canvass["person_identifiers"] == ["VAN:77"] and canvass["canvass"]["success"] is True
    assert canvass["add_answers"] == [{"question": "Support", "responses": ["2"]}]


def test_a_bad_mapping_line_is_named_and_nothing_saved(client, auth, world):
    auth.login("organizer.a@test.example")
    response = client.post(f"/offices/{world.office_a.id}/settings/results",
                           data={"result_talked": "Canvassed", "survey_names": "support Strong Support"})
    assert response.status_code == 400 and "line 1" in response.get_data(as_text=True)
    db.session.expire_all()
    assert "results_for_committee" not in (world.office_a.settings or {})
    ask(world, QUESTIONS)
    typo = client.post(f"/offices/{world.office_a.id}/settings/results",
                       data={"result_talked": "Canvassed", "survey_names": "support=5: Strong\nsuport: Support Q"})
    page = typo.get_data(as_text=True)
    assert typo.status_code == 400 and "line 2 of the survey names: no survey question has the key" in page
    assert 'name="survey_names" rows="8" aria-describedby="survey-help" aria-invalid="true"' in page
    assert "survey_names:" not in page  # the form's own name for the field is no words for a person
    db.session.expire_all()
    assert "results_for_committee" not in (world.office_a.settings or {})


def test_committee_formats_are_scoped_and_named(client, auth, world):
    auth.login("volunteer.a1@test.example")
    assert client.get(f"/offices/{world.office_a.id}/contacts.csv?format=van-bulk").status_code == 403
    assert client.get(f"/offices/{world.office_a.id}/settings/results").status_code == 403
    auth.logout()
    auth.login("organizer.a@test.example")
    response = client.get(f"/offices/{world.office_a.id}/contacts.csv?format=xlsx")
    assert response.status_code == 400 and "format" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "export.contacts")) == 0


def test_export_contacts_command_writes_van_bulk_and_counts_who_has_no_id(runner, world, tmp_path):
    ask(world, QUESTIONS)
    door_id, (ann,) = door_with_people(world, "5001")
    add_contact(world, door_id, "talked", {"support": 3}, person_id=ann)
    other_door = db.session.scalar(select(Door.id).join(Block, Block.id == Door.block_id)
                                   .where(Block.turf_id == world.turf_a1.id, Door.id != door_id).order_by(Door.id))
    add_contact(world, other_door, "not_home")                       # nobody there has a VAN ID
    path = tmp_path / "van.csv"
    result = runner.invoke(args=["export-contacts", "--office", "Alpha", "--format", "van-bulk", "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 van-bulk rows" in result.output and "1 contacts left out" in result.output
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[1] == ["5001", "11/05/2026", "Talked", "3"]
    osdi = tmp_path / "osdi.json"
    assert runner.invoke(args=["export-contacts", "--office", "Alpha", "--format", "osdi", "-o", str(osdi)]).exit_code == 0
    assert json.loads(osdi.read_text())["canvasses"][0]["person_identifiers"] == ["VAN:5001"]
    refused = runner.invoke(args=["export-contacts", "--region", "North", "--format", "osdi", "-o", str(osdi)])
    assert refused.exit_code != 0 and "--office" in refused.output
