"""Two organizers hand out the same turf at the same moment: exactly one wins, the other is told why."""
from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from fieldops.errors import Conflict
from fieldops import unit_of_work
from fieldops.extensions import db
from fieldops.models import Assignment, Canvass, Turf, User
from fieldops.services import canvassing
from tests.factories import make_user


def test_concurrent_checkouts_of_one_turf_exactly_one_wins(app, world):
    first = make_user("bea@test.example", "volunteer", office=world.office_b)
    second = make_user("cai@test.example", "volunteer", office=world.office_b)
    organizer_2 = make_user("organizer.b2@test.example", "organizer", office=world.office_b)
    db.session.commit()
    turf_id, canvass_id = world.turf_b1.id, world.canvass_north.id
    pairs = [(first.id, world.users.organizer_b.id), (second.id, organizer_2.id)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def organizer(volunteer_id: int, organizer_id: int) -> None:
        with app.app_context():
            def check_out():
                volunteer = db.session.get(User, volunteer_id)
                canvass = db.session.get(Canvass, canvass_id)
                canvassing.hand_out(turf_id, [volunteer], canvass, organizer_id)
                time.sleep(0.3)  # hold the row lock while the other organizer tries
            start.wait()
            try:
                unit_of_work.run(check_out)
                outcomes.append("won")
            except Conflict as error:
                db.session.rollback()
                outcomes.append(f"lost: {error.message}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=organizer, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(o.split(":")[0] for o in outcomes) == ["lost", "won"], outcomes
    loser = next(o for o in outcomes if o.startswith("lost"))
    assert "Bravo 1 is already checked out to" in loser and "take it back first" in loser
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Assignment.id)).where(Assignment.turf_id == turf_id)) == 1
    assert db.session.get(Turf, turf_id).state == "checked_out"


def test_take_back_reopens_the_turf_and_it_can_be_handed_again(world):
    assignment = db.session.scalar(select(Assignment).where(Assignment.turf_id == world.turf_a1.id))
    turf = canvassing.take_back(assignment, world.users.organizer_a.id)
    assert turf.state == "open"
    canvassing.hand_out(turf.id, [world.users.volunteer_a2], world.canvass_north, world.users.organizer_a.id)
    db.session.commit()
    holders = canvassing.open_assignments(turf.id)
    assert [user.email for _, user in holders] == ["volunteer.a2@test.example"]


def test_more_volunteers_can_join_a_turf_only_on_purpose(world):
    try:
        canvassing.hand_out(world.turf_a1.id, [world.users.volunteer_a2], world.canvass_north, None)
    except Conflict as error:
        assert "already checked out to Volunteer A1" in error.message
    else:
        raise AssertionError("a checked-out turf was handed out again without asking")
    canvassing.hand_out(world.turf_a1.id, [world.users.volunteer_a2], world.canvass_north, None, adding=True)
    assert len(canvassing.open_assignments(world.turf_a1.id)) == 2
