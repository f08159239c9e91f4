"""Imported phone numbers and e-mails: on the household timeline and on call-back promises, for the office's
organizers, its region's lead and admins; never for volunteers, who meet people at the door."""
from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Door, FollowUp, Person
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock
from tests.factories import create_token


@pytest.fixture
def residents(runner, world, tmp_path):
    """Two people imported at one of Alpha 1's doors, from a file spelling its columns its own way."""
    door = db.session.get(Door, doors_of(world.turf_a1)[0])
    path = tmp_path / "voters.csv"
    pd.DataFrame([
        {"voter_id": "v1", "first_name": "Aino", "last_name": "Virtanen", "street": door.street,
         "house_number": door.house_number, "zip": door.postcode, "latitude": door.lat, "longitude": door.lon,
         "phone": "+358 40 123 4567", "E-mail": "aino.virtanen@example.org"},
        {"voter_id": "v2", "first_name": "Eero", "last_name": "Virtanen", "street": door.street,
         "house_number": door.house_number, "zip": door.postcode, "latitude": door.lat, "longitude": door.lon,
         "phone": "", "E-mail": "eero@example.org"},
    ]).to_csv(path, index=False)
    result = runner.invoke(args=["import-doors", str(path), "--office", "Alpha"])
    assert result.exit_code == 0, result.output
    people = {p.first_name: p for p in db.session.scalars(select(Person).where(Person.door_id == door.id))}
    return door, people


def test_the_door_import_reads_e_mails(residents):
    _, people = residents
    assert (people["Aino"].phone, people["Aino"].email) == ("+358 40 123 4567", "aino.virtanen@example.org")
    assert (people["Eero"].phone, people["Eero"].email) == (None, "eero@example.org")


def test_the_timeline_shows_them_to_the_office_the_lead_and_admins_only(client, auth, residents):
    door, _ = residents
    for email in ("organizer.a@test.example", "lead.north@test.example", "admin@test.example"):
        auth.login(email)
        page = client.get(f"/doors/{door.id}").get_data(as_text=True)
        assert 'href="tel:+358401234567"' in page and "aino.virtanen@example.org" in page, email
        auth.logout()
    auth.login("volunteer.a1@test.example")  # Alpha 1 is in their hands: they see the door, not the numbers
    page = client.get(f"/doors/{door.id}").get_data(as_text=True)
    assert "Aino Virtanen" in page
    assert "123 4567" not in page and "example.org" not in page


def test_call_back_promises_show_how_to_reach_the_person(client, auth, world, residents):
    door, people = residents
    token = create_token("volunteer.a1@test.example")
    contacts = [knock(door.id, world.canvass_north.id, outcome="talked", answers={}, person_id=people["Aino"].id,
                      follow_ups=["call_back", "send_info"]),
                knock(door.id, world.canvass_north.id, outcome="talked", answers={}, follow_ups=["call_back"])]
    results = client.post("/api/v1/contacts", json={"contacts": contacts}, headers=bearer(token)).get_json()["results"]
    assert [r["status"] for r in results] == ["created", "created"]
    assert db.session.scalar(select(FollowUp.owner_id).limit(1)) == world.users.organizer_a.id
    auth.login("organizer.a@test.example")
    mine = client.get("/my/follow-ups").get_data(as_text=True)
    office = client.get(f"/offices/{world.office_a.id}/follow-ups").get_data(as_text=True)
    for page in (mine, office):
        # Aino's own call back, and the household's, which lists everyone at the door who can be reached.
        assert page.count('href="tel:+358401234567"') == 2
        assert page.count("mailto:eero@example.org") == 1
    # Sending information is not a call: no numbers beside it.
    assert mine.count("Send information") == 1 and mine.count("<ul class=\"reach\">") == 2
