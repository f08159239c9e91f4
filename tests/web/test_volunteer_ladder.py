"""The Volunteers pages and a volunteer's own timeline (issue 20): one-tap "check in with them" for the quiet
ones, one-on-one notes seen only by the office's organizers and the volunteer's team leader."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import VolunteerNote
from tests.factories import build_teams, make_user


def test_a_quiet_volunteer_gets_a_check_in_and_a_private_note(client, auth, world):
    teams = build_teams(world)
    quiet = make_user("quiet.one@test.example", "volunteer", office=world.office_a)
    quiet.created_at = datetime(2020, 1, 1, tzinfo=timezone.utc)
    teams_north = teams.north
    from fieldops.services import teams as team_service
    team_service.add_member(teams_north, quiet, None)
    db.session.commit()
    auth.login("leader.a1@test.example")
    page = client.get(f"/teams/{teams_north.id}/volunteer-ladder").get_data(as_text=True)
    assert 'id="quiet-volunteers"' in page and "Check in with Quiet One" in page
    assert client.post(f"/people/{quiet.id}/check-in", data={"team": teams_north.id}).status_code == 302
    assert "a check-in is on someone" in client.get(f"/teams/{teams_north.id}/volunteer-ladder").get_data(as_text=True)
    assert client.post(f"/people/{quiet.id}/check-in").status_code == 409  # one open at a time
    empty = client.post(f"/people/{quiet.id}/notes", data={"note": "  "})
    assert empty.status_code == 400 and "write what you talked about" in empty.get_data(as_text=True)
    client.post(f"/people/{quiet.id}/notes", data={"note": "Busy with exams until the 10th; wants Saturday shifts"})
    db.session.expire_all()
    task = db.session.scalar(select(VolunteerNote).where(VolunteerNote.kind == "check_in"))
    assert task.done_at is not None  # the note of the talk keeps the check-in
    timeline = client.get(f"/people/{quiet.id}").get_data(as_text=True)
    assert "Busy with exams" in timeline
    auth.logout()
    # The office's organizer sees it; the volunteer themself, another team's leader, another office do not.
    auth.login("organizer.a@test.example")
    assert "Busy with exams" in client.get(f"/people/{quiet.id}").get_data(as_text=True)
    assert "Quiet One" in client.get(f"/offices/{world.office_a.id}/volunteer-ladder").get_data(as_text=True)
    auth.logout()
    for email in ("quiet.one@test.example", "leader.a2@test.example", "volunteer.a1@test.example",
                  "organizer.b@test.example"):
        auth.login(email)
        answer = client.get(f"/people/{quiet.id}")
        assert answer.status_code == 403 and "Busy with exams" not in answer.get_data(as_text=True), email
        assert client.post(f"/people/{quiet.id}/notes", data={"note": "x"}).status_code == 403, email
        auth.logout()


def test_the_quiet_days_are_an_office_setting(client, auth, world):
    auth.login("organizer.a@test.example")
    settings = client.get(f"/offices/{world.office_a.id}/settings").get_data(as_text=True)
    assert 'name="quiet_volunteer_days"' in settings and 'value="21"' in settings


def test_the_region_comparison_shows_each_offices_volunteers(client, auth, world):
    auth.login("lead.north@test.example")
    page = client.get(f"/regions/{world.north.id}/compare")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="volunteer-figures"' in text and "Retention" in text
    api = client.get(f"/api/v1/regions/{world.north.id}/coverage").get_json()
    assert all("retention" in office["volunteers"] for office in api["offices"])
