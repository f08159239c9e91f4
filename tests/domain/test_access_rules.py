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
    with pytest.raises(ValueError, match="admin, lead, organizer, volunteer"):
        parse_role("boss")
