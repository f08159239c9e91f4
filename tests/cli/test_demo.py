"""flask demo: real Helsinki territory, every role, a labelled history, and idempotent."""
from __future__ import annotations

from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import (Assignment, Block, Canvass, Contact, Door, Office, Person, Region, Turf,
                             User)

TABLES = (Region, Office, Block, Door, Person, Turf, Canvass, Assignment, Contact, User)


def counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in TABLES}


def test_demo_loads_then_adds_nothing_the_second_time(runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    after_first = counts()
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    assert counts() == after_first
    assert "Nothing new to add" in second.output

    assert after_first["Region"] == 1 and after_first["Office"] >= 2
    assert after_first["Block"] >= 60 and after_first["Door"] >= 1000
    roles = set(db.session.scalars(select(User.role)))
    assert roles == {"admin", "lead", "organizer", "volunteer"}
    for email in db.session.scalars(select(User.email)):
        assert email in first.output  # every login is printed
    # Every door sits in a block of its own office, and block door counts agree.
    assert db.session.scalar(select(func.sum(Block.door_count))) == after_first["Door"]
    # The synthetic history is labelled as such.
    assert all("(demo)" in name for name in db.session.scalars(select(Canvass.name)))
    notes = [n for n in db.session.scalars(select(Contact.note)) if n]
    assert notes and all(note.startswith("[demo]") for note in notes)


def test_demo_users_can_sign_in(runner, client, app):
    runner.invoke(args=["demo"])
    response = client.post("/login", data={"email": "aino@fieldops.example",
                                           "password": app.config["DEMO_PASSWORD"]})
    assert response.status_code == 302
    page = client.get("/my/turfs").get_data(as_text=True)
    assert "Kluuvi" in page and "doors knocked" in page
