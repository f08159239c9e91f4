"""Two people take the last place of a shift at the same moment: exactly one gets it, the other is told it is
full (the shift's row is locked before the places are counted)."""
from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from fieldops import unit_of_work
from fieldops.errors import Conflict
from fieldops.extensions import db
from fieldops.models import ShiftSignup
from fieldops.services import shifts
from tests.factories import make_shift


def test_the_last_place_goes_to_one_of_two(app, world):
    shift = make_shift(world, capacity=1)
    db.session.commit()
    token = shift.token
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def person(n: int) -> None:
        with app.app_context():
            def take_place():
                shifts.sign_up(token, f"Person {n}", f"p{n}@example.org", None)
                time.sleep(0.3)  # hold the lock while the other tries
            start.wait()
            try:
                unit_of_work.run(take_place)
                outcomes.append("signed up")
            except Conflict as error:
                db.session.rollback()
                outcomes.append(f"refused: {error.message}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=person, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(o.split(":")[0] for o in outcomes) == ["refused", "signed up"], outcomes
    assert "this shift is full" in next(o for o in outcomes if o.startswith("refused"))
    db.session.expire_all()
    assert db.session.scalar(select(func.count(ShiftSignup.id))) == 1
