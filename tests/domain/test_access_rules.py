"""The access rules as pure functions: one table of who may see what."""
from __future__ import annotations

import pytest

from fieldops.domain.access import Actor, Place, can_manage_users, can_view, can_view_turf
from fieldops.domain.roles import Role, parse_role

OFFICE_1 = Place(region_id=1, office_id=10)
OFFICE_2_SAME_REGION = Place(region_id=1, office_id=11)
OFFICE_3_OTHER_REGION = Place(region_id=2, office_id=20)
REGION_1 = Place(region_id=1)

admin = Actor(1, Role.ADMIN)
lead = Actor(2, Role.LEAD, region_id=1)
organizer = Actor(3, Role.ORGANIZER, office_id=10, region_id=1)
volunteer = Actor(4, Role.VOLUNTEER, office_id=10, region_id=1)


@pytest.mark.parametrize("actor, place, allowed", [
    (admin, OFFICE_3_OTHER_REGION, True),
    (lead, OFFICE_1, True), (lead, OFFICE_2_SAME_REGION, True), (lead, OFFICE_3_OTHER_REGION, False),
    (lead, REGION_1, True), (lead, Place(region_id=2), False),
    (organizer, OFFICE_1, True), (organizer, OFFICE_2_SAME_REGION, False), (organizer, REGION_1, False),
    (volunteer, OFFICE_1, False), (volunteer, REGION_1, False),
])
def test_can_view(actor, place, allowed):
    assert can_view(actor, place) is allowed


def test_volunteer_sees_a_turf_only_when_assigned_in_own_office():
    assert can_view_turf(volunteer, OFFICE_1, assigned_to_actor=True)
    assert not can_view_turf(volunteer, OFFICE_1, assigned_to_actor=False)
    assert not can_view_turf(volunteer, OFFICE_2_SAME_REGION, assigned_to_actor=True)
    assert can_view_turf(organizer, OFFICE_1, assigned_to_actor=False)


def test_who_may_create_whom():
    assert can_manage_users(organizer, OFFICE_1, Role.VOLUNTEER)
    assert not can_manage_users(organizer, OFFICE_1, Role.ORGANIZER)
    assert not can_manage_users(organizer, OFFICE_2_SAME_REGION, Role.VOLUNTEER)
    assert can_manage_users(lead, OFFICE_2_SAME_REGION, Role.ORGANIZER)
    assert not can_manage_users(lead, OFFICE_1, Role.ADMIN)
    assert not can_manage_users(volunteer, OFFICE_1, Role.VOLUNTEER)


def test_parse_role_names_the_choices():
    assert parse_role(" Organizer ") is Role.ORGANIZER
    with pytest.raises(ValueError, match="admin, lead, organizer, team_leader, volunteer"):
        parse_role("boss")


# Helper v (issue 20): team leaders, between volunteer and organizer.
from fieldops.domain.access import can_hand_out, can_shape_teams, can_view_team, can_work_team  # noqa: E402

leader = Actor(5, Role.TEAM_LEADER, office_id=10, region_id=1, leads=frozenset({7}), team_id=7)
member = Actor(6, Role.VOLUNTEER, office_id=10, region_id=1, team_id=7)
TEAM_TURF = Place(region_id=1, office_id=10, team_id=7)
OTHER_TEAM_TURF = Place(region_id=1, office_id=10, team_id=8)
NO_TEAM_TURF = Place(region_id=1, office_id=10)


def test_a_team_leader_sees_and_hands_out_only_their_teams_turfs():
    assert can_view_turf(leader, TEAM_TURF, assigned_to_actor=False)
    assert not can_view_turf(leader, OTHER_TEAM_TURF, assigned_to_actor=False)
    assert not can_view_turf(leader, NO_TEAM_TURF, assigned_to_actor=False)
    assert can_view_turf(leader, OTHER_TEAM_TURF, assigned_to_actor=True)  # handed to them to walk
    assert can_hand_out(leader, TEAM_TURF) and not can_hand_out(leader, OTHER_TEAM_TURF)
    assert not can_hand_out(leader, NO_TEAM_TURF) and not can_hand_out(member, TEAM_TURF)
    assert can_hand_out(organizer, OTHER_TEAM_TURF)
    # the same team number in another office is another team
    assert not can_hand_out(leader, Place(region_id=1, office_id=11, team_id=7))


def test_a_team_leader_works_their_team_but_not_the_office():
    assert can_work_team(leader, TEAM_TURF) and not can_work_team(leader, OTHER_TEAM_TURF)
    assert not can_view(leader, OFFICE_1) and not can_shape_teams(leader, TEAM_TURF)
    assert can_shape_teams(organizer, TEAM_TURF) and can_work_team(organizer, OTHER_TEAM_TURF)
    assert can_view_team(member, TEAM_TURF) and not can_work_team(member, TEAM_TURF)
    assert not can_view_team(member, OTHER_TEAM_TURF)
    assert can_manage_users(organizer, OFFICE_1, Role.TEAM_LEADER)
