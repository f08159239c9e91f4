"""A neighborhood team paced toward its goal (issue 20.2): its own goal when the office set one, else its
share of the office's goal; on the team's page for its leader, by CLI and form for the office's organizers.

Office Alpha holds 80 doors (16 blocks of 5); Alpha North owns Alpha 1, 40 of them: half the office.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from fieldops.extensions import db
from fieldops.models import Goal
from fieldops.services import goals, summaries
from tests.api.test_contact_sync import doors_of
from tests.factories import build_teams, create_token
from tests.services.test_targets import _contact

TODAY = date(2026, 12, 3)
SOON = (datetime.now(timezone.utc).date() + timedelta(days=9)).isoformat()  # for the pages, on today's clock


def _at(days_ago: int) -> datetime:
    return datetime(2026, 12, 3, 10, tzinfo=timezone.utc) - timedelta(days=days_ago)


def _knock_north_and_south(world) -> None:
    """North: 6 of its doors, 4 of them 20 days ago and 2 in the last 7 days; 3 conversations (1 recent).
    South: 2 doors this week, both conversations (they must not count for North)."""
    north, south = doors_of(world.turf_a1), doors_of(world.turf_a2)
    for n, days_ago in enumerate([20, 20, 20, 20, 2, 0]):
        _contact(world.office_a.id, north[n], world.canvass_north.id, at=_at(days_ago),
                 outcome="talked" if n in (0, 1, 5) else "not_home", volunteer=world.users.volunteer_a1.id)
    for n in range(2):
        _contact(world.office_a.id, south[n], world.canvass_north.id, at=_at(1), volunteer=world.users.volunteer_a2.id)
    db.session.flush()
    summaries.rebuild_all()
    db.session.commit()


def test_a_team_takes_its_share_of_the_office_goal_until_it_has_its_own(world, runner):
    teams = build_teams(world)
    _knock_north_and_south(world)
    assert goals.team_pacing(teams.north, today=TODAY) is None  # no goal anywhere yet

    result = runner.invoke(args=["set-goal", "--office", "Alpha", "--canvass", "North spring", "--doors", "40",
                                 "--conversations", "20", "--by", "2026-12-12"])
    assert result.exit_code == 0, result.output
    north = goals.team_pacing(teams.north, today=TODAY)
    assert (north["source"], north["share"]) == ("share", 0.5)
    assert (north["goal_doors"], north["goal_conversations"]) == (20, 10)
    doors, talks = north["doors"], north["conversations"]
    assert (doors.done, doors.remaining, doors.days_left) == (6, 14, 10)  # South's two doors are not North's
    assert doors.pace_needed == 1.4 and doors.pace_7d == 0.3               # 14 / 10 days; 2 doors / 7 days
    assert doors.projected_finish == date(2027, 1, 21)                     # ceil(14 / (2/7)) = 49 days on
    assert (talks.done, talks.pace_7d) == (3, 0.1)                         # 1 recent conversation / 7 days
    assert north["chart"]["actual"][-1] == (TODAY, 6)

    result = runner.invoke(args=["set-goal", "--office", "Alpha", "--canvass", "North spring", "--team",
                                 "Alpha North", "--doors", "12", "--conversations", "5", "--by", "2026-12-08"])
    assert result.exit_code == 0, result.output
    assert "Goal for team Alpha North in North spring: 12 doors and 5 conversations by 2026-12-08" in result.output
    north = goals.team_pacing(teams.north, today=TODAY)
    assert (north["source"], north["goal_doors"], north["goal_conversations"]) == ("team", 12, 5)
    assert (north["doors"].done, north["doors"].pace_needed) == (6, 1.0)  # 6 left over Dec 3 to 8
    # The office's own goal and pacing are unchanged by the team's.
    assert goals.office_pacing([world.office_a.id], world.canvass_north.id, TODAY)[world.office_a.id]["goal_doors"] == 40
    south = goals.team_pacing(teams.south, today=TODAY)
    assert (south["source"], south["goal_doors"], south["doors"].done) == ("share", 20, 2)


def test_a_goal_is_for_one_of_office_turf_volunteer_or_team(world, runner):
    teams = build_teams(world)
    result = runner.invoke(args=["set-goal", "--office", "Alpha", "--canvass", "North spring", "--team", "Alpha North",
                                 "--turf", str(world.turf_a1.id), "--doors", "5", "--by", "2026-12-08"])
    assert result.exit_code != 0 and "only one of them" in result.output
    result = runner.invoke(args=["set-goal", "--office", "Bravo", "--canvass", "North spring", "--team", "Alpha North",
                                 "--doors", "5", "--by", "2026-12-08"])
    assert result.exit_code != 0  # Alpha's team is not Bravo's
    assert db.session.query(Goal).filter(Goal.team_id == teams.north.id).count() == 0


def test_the_leader_sees_the_pacing_and_the_organizer_sets_the_team_goal(world, client, auth, runner):
    teams = build_teams(world)
    _knock_north_and_south(world)
    auth.login("leader.a1@test.example")
    page = client.get(f"/teams/{teams.north.id}").get_data(as_text=True)
    assert "No goal to pace against" in page
    result = runner.invoke(args=["set-goal", "--office", "Alpha", "--canvass", "North spring", "--doors", "40",
                                 "--conversations", "20", "--by", SOON])
    assert result.exit_code == 0, result.output
    page = client.get(f"/teams/{teams.north.id}").get_data(as_text=True)
    assert "share of the office's goal in North spring: 50% of the office's doors" in page
    assert "6 / 20</span>" in page and "3 / 10</span>" in page and 'id="team-pacing-chart"' in page
    assert 'id="team-goal-form"' not in page  # a leader paces the team; the office sets its goal
    team = client.get("/api/v1/me/team", headers={"Authorization": f"Bearer {create_token('leader.a1@test.example')}"}
                      ).get_json()["team"]
    assert (team["pacing"]["source"], team["pacing"]["share"], team["pacing"]["goal_doors"]) == ("share", 0.5, 20)
    assert team["pacing"]["doors"]["done"] == 6 and team["pacing"]["goal_date"] == SOON
    member = client.get("/api/v1/me/team", headers={"Authorization": f"Bearer {create_token('volunteer.a1@test.example')}"}
                        ).get_json()["team"]
    assert member["name"] == "Alpha North" and member["pacing"] is None  # the team's pace is its leaders' to see
    goal = {"canvass": str(world.canvass_north.id), "doors": "12", "conversations": "5", "by": SOON}
    assert client.post(f"/teams/{teams.north.id}/goal", data=goal).status_code == 403
    auth.logout()

    auth.login("organizer.b@test.example")  # another office's organizer
    assert client.post(f"/teams/{teams.north.id}/goal", data=goal).status_code in (403, 404)
    auth.logout()
    auth.login("organizer.a@test.example")
    refused = client.post(f"/teams/{teams.north.id}/goal", data={**goal, "doors": "x"})
    assert refused.status_code == 400 and "is not a whole number" in refused.get_data(as_text=True)
    assert 'value="x"' in refused.get_data(as_text=True)  # the form keeps what was typed
    saved = client.post(f"/teams/{teams.north.id}/goal", data=goal, follow_redirects=True).get_data(as_text=True)
    assert f"Goal for Alpha North: 12 doors and 5 conversations by {SOON}." in saved
    assert "The team's own goal in North spring." in saved and "6 / 12</span>" in saved
    targets = client.get(f"/offices/{world.office_a.id}/canvasses/{world.canvass_north.id}")
    assert "Team Alpha North" in targets.get_data(as_text=True)  # listed with the office's other goals


def test_the_team_is_paced_in_the_canvass_of_the_goal_set_last(world, runner):
    """A team goal in one canvass, then an office goal in a newer one: the team paces its share of the newer."""
    from fieldops.services import canvassing
    teams = build_teams(world)
    later = canvassing.build_canvass("North autumn", world.north.id, None, start=None, end=None, script="",
                                     questions=[], created_by_id=None)
    db.session.commit()
    assert runner.invoke(args=["set-goal", "--office", "Alpha", "--canvass", "North spring", "--team", "Alpha North",
                               "--doors", "12", "--by", "2026-12-08"]).exit_code == 0
    assert goals.team_pacing(teams.north, today=TODAY)["source"] == "team"
    result = runner.invoke(args=["set-goal", "--office", "Alpha", "--canvass", "North autumn", "--doors", "40",
                                 "--by", "2026-12-20"])
    assert result.exit_code == 0, result.output
    north = goals.team_pacing(teams.north, today=TODAY)
    assert (north["source"], north["canvass"].id, north["goal_doors"]) == ("share", later.id, 20)
    # Asked for the first canvass, its own goal still stands.
    assert goals.team_pacing(teams.north, world.canvass_north.id, TODAY)["goal_doors"] == 12
