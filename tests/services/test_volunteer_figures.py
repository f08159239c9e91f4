"""The Volunteers page's figures and the lead's, on hand-computed data (issue 20).

Office Alpha keeps Helsinki time; "now" is Thursday 2026-12-03 12:00 UTC, so this week is Monday 30 November
to Sunday 6 December and last week 23 to 29 November. Shifts: S1 10 Nov, S2 24 Nov, S3 1 Dec, S4 2 Dec.
volunteer.a1 came to S1, S2, S3 (a regular); volunteer.a2 came to S2 and missed S3 (first shift) and knocked on
2 Dec; leader.a1 came to S4 (a leader, whatever the count); quiet.one joined on 1 Nov and never came.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from fieldops import unit_of_work
from fieldops.extensions import db
from fieldops.models import Prospect, ShiftSignup, VolunteerDay
from fieldops.services import shifts, volunteers
from tests.api.test_contact_sync import doors_of
from tests.factories import build_teams, make_user

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)


def shift_on(world, day: date):
    start = datetime(day.year, day.month, day.day, 8, 0, tzinfo=timezone.utc)
    return shifts.create_shift(world.office_a, world.canvass_north, starts_at=start, ends_at=start + timedelta(hours=3),
                               place="Alpha office", capacity=20, turf_ids=[], actor_id=None,
                               now=start - timedelta(days=1))


def came(shift, user, attended: bool = True):
    db.session.add(ShiftSignup(shift_id=shift.id, name=user.name, email=user.email, user_id=user.id,
                               attended_at=shift.starts_at if attended else None))


def build(world):
    teams = build_teams(world)
    quiet = make_user("quiet.one@test.example", "volunteer", office=world.office_a)
    quiet.created_at = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
    s1, s2, s3, s4 = (shift_on(world, date(2026, 11, d)) if d > 3 else shift_on(world, date(2026, 12, d))
                      for d in (10, 24, 1, 2))
    a1, a2 = world.users.volunteer_a1, world.users.volunteer_a2
    for shift in (s1, s2, s3):
        came(shift, a1)
    came(s2, a2)
    came(s3, a2, attended=False)
    came(s4, teams.leader_a1)
    db.session.add(VolunteerDay(office_id=world.office_a.id, canvass_id=world.canvass_north.id, volunteer_id=a2.id,
                                day=date(2026, 12, 2), knocks=7, conversations=3))
    door = doors_of(world.turf_a1)[0]
    db.session.add_all([
        Prospect(office_id=world.office_a.id, door_id=door, user_id=quiet.id,
                 joined_at=datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)),   # this week
        Prospect(office_id=world.office_a.id, door_id=door, joined_at=datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)),
        Prospect(office_id=world.office_a.id, door_id=door)])                     # not joined
    db.session.commit()
    return teams, quiet


def test_the_volunteers_page_figures(world):
    teams, quiet = build(world)
    page = unit_of_work.run(volunteers.people, world.office_a, NOW)
    rows = {row["user"].email: row for row in page["rows"]}
    a1, a2 = rows["volunteer.a1@test.example"], rows["volunteer.a2@test.example"]
    assert (a1["stage"], a1["attended"], a1["missed"], a1["last_activity"]) == ("regular", 3, 0, date(2026, 12, 1))
    assert (a2["stage"], a2["attended"], a2["missed"], a2["last_activity"]) == ("first_shift", 1, 1, date(2026, 12, 2))
    assert a2["conversations"] == 3
    assert rows["leader.a1@test.example"]["stage"] == "leader"
    assert rows["quiet.one@test.example"]["stage"] == "prospect"
    # No shift in 21 days: quiet.one (joined 32 days ago); leader.a2 joined today, volunteer.a2's last was 9 days ago.
    assert [row["user"].email for row in page["quiet"]] == ["quiet.one@test.example"]
    team_page = unit_of_work.run(volunteers.people, world.office_a, NOW, team=teams.north)
    assert {row["user"].email for row in team_page["rows"]} == {"leader.a1@test.example", "volunteer.a1@test.example"}


def test_the_leads_figures(world):
    build(world)
    figures = unit_of_work.run(volunteers.lead_figures, [world.office_a, world.office_b], NOW)
    alpha = figures[world.office_a.id]
    assert alpha["active_this_week"] == 3   # a1 (S3), a2 (a knock on 2 Dec), leader.a1 (S4)
    assert alpha["active_last_week"] == 2   # a1 and a2 (S2)
    assert (alpha["recruits_this_week"], alpha["recruits_last_week"], alpha["recruits"]) == (1, 1, 2)
    # First-shift volunteers: a1, a2, leader.a1; came back: a1 only.
    assert (alpha["first_shift_volunteers"], alpha["came_back"], alpha["retention"]) == (3, 1, 0.333)
    assert figures[world.office_b.id]["retention"] is None and figures[world.office_b.id]["active_this_week"] == 0
