"""Recruits from the door (issue 20): "wants to volunteer" at a door makes a prospect; the Recruits page lists
them by neighborhood; one action invites them (e-mail or a QR code); joining keeps the promise and links the
new volunteer to the door they were met at."""
from __future__ import annotations

import re

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import FollowUp, Person, Prospect, User
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock
from tests.factories import build_teams, create_token
from tests.web.test_invites import join, mails_to

JOIN = re.compile(r"https?://[^/\s]+(/join/[^\s/]+)\s")


def wants_to_volunteer(client, world, door_id: int) -> None:
    token = create_token("volunteer.a1@test.example")
    answer = client.post("/api/v1/contacts", headers=bearer(token), json={"contacts": [
        knock(door_id, world.canvass_north.id, outcome="talked", answers={}, follow_ups=["volunteer"])]})
    assert answer.get_json()["results"][0]["status"] == "created"


def test_from_the_door_to_the_team(client, auth, world):
    build_teams(world)
    door = doors_of(world.turf_a1)[0]
    person = Person(door_id=door, first_name="Aada", last_name="Door", email="aada@example.org")
    db.session.add(person)
    db.session.commit()
    wants_to_volunteer(client, world, door)
    prospect = db.session.scalar(select(Prospect))
    assert (prospect.door_id, prospect.office_id) == (door, world.office_a.id)
    auth.login("organizer.a@test.example")
    page = client.get(f"/offices/{world.office_a.id}/recruits").get_data(as_text=True)
    assert "<h2>Alpha North</h2>" in page  # the team whose turfs hold the door
    # One action: the invitation by e-mail, through the outbox (the imported address is offered).
    sent = client.post(f"/recruits/{prospect.id}/invite", data={"how": "email", "email": "aada@example.org"})
    assert sent.status_code == 302
    invitation = mails_to("aada@example.org")[-1]
    path = JOIN.search(invitation.body + "\n").group(1)
    auth.logout()
    finish = join(client, path, "Aada Door", "aada@example.org")
    assert client.post(finish, data={"password": "volunteering is fun", "again": "volunteering is fun"}) \
        .status_code == 302
    client.post("/logout")
    db.session.expire_all()
    aada = db.session.scalar(select(User).where(User.email == "aada@example.org"))
    prospect = db.session.get(Prospect, prospect.id)
    assert prospect.user_id == aada.id and prospect.joined_at is not None
    promise = db.session.get(FollowUp, prospect.follow_up_id)
    assert promise.done_at is not None and "Joined as a volunteer" in promise.result
    auth.login("organizer.a@test.example")
    page = client.get(f"/offices/{world.office_a.id}/recruits").get_data(as_text=True)
    assert "as Aada Door" in page and "promise kept" in page
    timeline = client.get(f"/people/{aada.id}").get_data(as_text=True)
    assert f"/doors/{door}" in timeline  # linked to the door they were met at


def test_the_invitation_as_a_qr_code_to_print(client, auth, world):
    wants_to_volunteer(client, world, doors_of(world.turf_a1)[1])
    prospect = db.session.scalar(select(Prospect))
    auth.login("organizer.a@test.example")
    answer = client.post(f"/recruits/{prospect.id}/invite", data={"how": "qr"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<svg" in page and 'id="invite-link"' in page
    assert "/join/" in re.search(r'id="invite-link">([^<]+)<', page).group(1)
    missing = client.post(f"/recruits/{prospect.id}/invite", data={"how": "email"})
    assert missing.status_code == 400 and "e-mail address" in missing.get_data(as_text=True)
    auth.logout()
    auth.login("organizer.b@test.example")
    assert client.post(f"/recruits/{prospect.id}/invite", data={"how": "qr"}).status_code == 403


def test_a_recruits_first_shift_is_suggested_in_their_own_neighborhood(client, auth, world):
    from fieldops.models import Invite
    from fieldops.services import invites as invite_service
    from tests.factories import make_shift, make_user
    teams = build_teams(world)
    make_shift(world, teams.south, starts_in_hours=20)          # sooner, but another neighborhood
    make_shift(world, teams.north, starts_in_hours=50)
    door = doors_of(world.turf_a1)[0]                            # Alpha North's
    recruit = make_user("met.at.door@test.example", "volunteer", office=world.office_a)
    token = invite_service.create_invite(world.office_a, None)
    invite_id = db.session.scalar(select(Invite.id).where(Invite.token_hash == invite_service._hash(token)))
    db.session.add(Prospect(office_id=world.office_a.id, door_id=door, invite_id=invite_id))
    db.session.flush()
    from fieldops.services import recruits
    recruits.joined(recruit, invite_id)
    db.session.commit()
    auth.login("met.at.door@test.example")
    page = client.get("/my/turfs").get_data(as_text=True)
    shifts_listed = page.split('id="my-shifts"')[1]
    assert "Alpha street 1" in shifts_listed
    from fieldops.models import Shift
    north_shift = db.session.scalar(select(Shift).where(Shift.team_id == teams.north.id))
    south_shift = db.session.scalar(select(Shift).where(Shift.team_id == teams.south.id))
    assert shifts_listed.index(north_shift.token) < shifts_listed.index(south_shift.token)
