"""Neighborhood teams (issue 20): a team leader works only their team's turfs, members and promises; organizers
make teams; the CLI and the API give the same teams."""
from __future__ import annotations

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Assignment, FollowUp, TeamMember, User
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock
from tests.factories import build_teams, create_token, make_user


def open_assignments(turf_id: int) -> list[int]:
    db.session.expire_all()
    return list(db.session.scalars(select(Assignment.volunteer_id).where(Assignment.turf_id == turf_id,
                                                                         Assignment.returned_at.is_(None))))


def test_a_team_leaders_token_reads_the_teams_walk_list_and_no_other(client, world):
    build_teams(world)
    token = create_token("leader.a1@test.example")
    assert client.get(f"/api/v1/turfs/{world.turf_a1.id}/walklist", headers=bearer(token)).status_code == 200
    for turf in (world.turf_a2, world.turf_b1, world.turf_c1):  # the other team's, other offices'
        answer = client.get(f"/api/v1/turfs/{turf.id}/walklist", headers=bearer(token))
        assert answer.status_code in (403, 404), turf.name
        assert "Alpha street" not in answer.get_data(as_text=True)
    team = client.get("/api/v1/me/team", headers=bearer(token)).get_json()["team"]
    assert team["name"] == "Alpha North" and team["leader"] is True
    assert [t["name"] for t in team["turfs"]] == ["Alpha 1"]
    assert {m["name"] for m in team["members"]} == {"Leader A1", "Volunteer A1"}
    volunteer = create_token("volunteer.a1@test.example")
    mine = client.get("/api/v1/me/team", headers=bearer(volunteer)).get_json()["team"]
    assert mine["name"] == "Alpha North" and mine["leader"] is False
    assert client.get("/api/v1/me/team", headers=bearer(create_token("volunteer.c@test.example"))).get_json() == \
        {"team": None}


def test_a_team_leader_hands_out_and_takes_back_the_teams_turfs_only(client, auth, world):
    teams = build_teams(world)
    # Alpha 1 is out to volunteer.a1 (the world hands it): the leader takes it back, then hands it to themself.
    assert auth.login("leader.a1@test.example").status_code == 302
    page = client.get(f"/teams/{teams.north.id}")
    assert page.status_code == 200 and "Alpha 1" in page.get_data(as_text=True)
    assignment = db.session.scalar(select(Assignment.id).where(Assignment.turf_id == world.turf_a1.id))
    back = client.post(f"/assignments/{assignment}/take-back", data={"team": teams.north.id})
    assert back.status_code == 302 and back.headers["Location"].endswith(f"/teams/{teams.north.id}")
    assert open_assignments(world.turf_a1.id) == []
    handed = client.post(f"/teams/{teams.north.id}/turfs/{world.turf_a1.id}/hand-out",
                         data={"canvass": world.canvass_north.id, "volunteers": [world.users.volunteer_a1.id]})
    assert handed.status_code == 302 and open_assignments(world.turf_a1.id) == [world.users.volunteer_a1.id]
    # Not to someone off the team, not the other team's turf, not through the other team's page.
    refused = client.post(f"/teams/{teams.north.id}/turfs/{world.turf_a1.id}/hand-out",
                          data={"canvass": world.canvass_north.id, "volunteers": [world.users.volunteer_a2.id],
                                "adding": "1"})
    assert refused.status_code == 400 and "own members" in refused.get_data(as_text=True)
    for path in (f"/teams/{teams.north.id}/turfs/{world.turf_a2.id}/hand-out",
                 f"/teams/{teams.south.id}/turfs/{world.turf_a2.id}/hand-out"):
        answer = client.post(path, data={"canvass": world.canvass_north.id, "volunteers": [teams.leader_a1.id]})
        assert answer.status_code in (400, 403), path
    other = db.session.scalar(select(Assignment.id).where(Assignment.turf_id == world.turf_a2.id))
    assert client.post(f"/assignments/{other}/take-back").status_code == 403
    assert open_assignments(world.turf_a2.id) == [world.users.volunteer_a2.id]
    # The office's pages stay the organizer's.
    for path in (f"/offices/{world.office_a.id}", f"/offices/{world.office_a.id}/teams",
                 f"/offices/{world.office_a.id}/shifts", f"/turfs/{world.turf_a1.id}/hand-out"):
        assert client.open(path, method="POST" if path.endswith("hand-out") else "GET").status_code == 403, path


def test_promises_at_a_teams_doors_are_its_leaders_when_the_organizer_so_sets(client, auth, world):
    teams = build_teams(world)
    auth.login("organizer.a@test.example")
    assert client.post(f"/teams/{teams.north.id}/turfs", data={"turfs": [world.turf_a1.id],
                                                               "owns_promises": "yes"}).status_code == 302
    auth.logout()
    token = create_token("volunteer.a1@test.example")
    doors = doors_of(world.turf_a1)
    client.post("/api/v1/contacts", headers=bearer(token), json={"contacts": [
        knock(doors[0], world.canvass_north.id, outcome="talked", answers={}, follow_ups=["call_back"])]})
    promise = db.session.scalar(select(FollowUp).where(FollowUp.door_id == doors[0]))
    assert promise.owner_id == teams.leader_a1.id
    auth.login("leader.a1@test.example")
    assert "Call back" in client.get("/my/follow-ups").get_data(as_text=True)
    team_page = client.get(f"/teams/{teams.north.id}").get_data(as_text=True)
    assert 'id="team-promises"' in team_page and "Leader A1" in team_page
    # ... and the household's timeline is theirs to read, the other team's doors are not.
    assert client.get(f"/doors/{doors[0]}").status_code == 200
    assert client.get(f"/doors/{doors_of(world.turf_a2)[0]}").status_code == 403


def test_an_organizer_makes_a_team_and_names_its_leader(client, auth, world):
    auth.login("organizer.a@test.example")
    refused = client.post(f"/offices/{world.office_a.id}/teams", data={"name": " "})
    assert refused.status_code == 400 and "give the team a name" in refused.get_data(as_text=True)
    made = client.post(f"/offices/{world.office_a.id}/teams", data={"name": "Kallio", "turfs": [world.turf_a2.id]})
    assert made.status_code == 302
    team_id = int(made.headers["Location"].rsplit("/", 1)[1])
    assert client.post(f"/teams/{team_id}/members", data={"user_id": world.users.volunteer_a2.id,
                                                          "leader": "yes"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.users.volunteer_a2.id).role == "team_leader"
    assert db.session.get(TeamMember, world.users.volunteer_a2.id).leader
    # Another office's volunteer cannot be put on it.
    assert client.post(f"/teams/{team_id}/members", data={"user_id": world.users.volunteer_c.id}).status_code == 400
    auth.logout()
    auth.login("volunteer.a2@test.example")
    assert client.get("/").headers["Location"].endswith("/my/team")
    assert client.get(f"/teams/{team_id}").status_code == 200
    # Removing the leader makes them a volunteer again.
    auth.logout()
    auth.login("organizer.a@test.example")
    client.post(f"/teams/{team_id}/members/{world.users.volunteer_a2.id}/remove")
    db.session.expire_all()
    assert db.session.get(User, world.users.volunteer_a2.id).role == "volunteer"


def test_team_commands(runner, world):
    make_user("new.leader@test.example", "volunteer", office=world.office_a)
    db.session.commit()
    result = runner.invoke(args=["create-team", "Hakaniemi", "--office", "Alpha", "--leader", "new.leader@test.example",
                                 "--turfs", f"{world.turf_a1.id},{world.turf_a2.id}"])
    assert result.exit_code == 0 and "2 turfs" in result.output, result.output
    result = runner.invoke(args=["add-to-team", "volunteer.a1@test.example", "--team", "Hakaniemi"])
    assert result.exit_code == 0, result.output
    bad = runner.invoke(args=["create-team", "Other", "--office", "Alpha", "--turfs", f"{world.turf_c1.id}"])
    assert bad.exit_code != 0 and f"turf {world.turf_c1.id} is not a turf of this office" in bad.output
    wrong = runner.invoke(args=["add-to-team", "volunteer.c@test.example", "--team", "Hakaniemi"])
    assert wrong.exit_code != 0
    db.session.expire_all()
    assert db.session.scalar(select(User.role).where(User.email == "new.leader@test.example")) == "team_leader"
