"""flask demo: real Helsinki territory, every role, a labelled history, and idempotent."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import (Assignment, Block, Canvass, Contact, Door, FollowUp, Office, Person, Region, Turf,
                             User)
from fieldops.services.portable import aware

TABLES = (Region, Office, Block, Door, Person, Turf, Canvass, Assignment, Contact, FollowUp, User)


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
    assert roles == {"admin", "lead", "organizer", "volunteer", "team_leader"}
    for email in db.session.scalars(select(User.email)):
        assert email in first.output  # every login is printed
    # Every door sits in a block of its own office, and block door counts agree.
    assert db.session.scalar(select(func.sum(Block.door_count))) == after_first["Door"]
    # The synthetic history is labelled as such.
    assert all("(demo)" in name for name in db.session.scalars(select(Canvass.name)))
    notes = [n for n in db.session.scalars(select(Contact.note)) if n]
    assert notes and all(note.startswith("[demo]") for note in notes)
    # Helper v (issue 20): each "wants to volunteer" promise of the history is a recruit on the Recruits page.
    from fieldops.models import FollowUp, Prospect
    wanting = db.session.scalar(select(func.count(FollowUp.id)).where(FollowUp.kind == "volunteer"))
    assert wanting and db.session.scalar(select(func.count(Prospect.id))) == wanting


def test_the_demo_has_a_team_with_a_leader_and_goals_to_pace_against(runner, client, auth, app):
    """A new user meets teams and pacing in the demo: Kluuvi's team leader sees the team's turfs (walked and
    free) and its pace toward its share of Kluuvi's goal; each office's dashboard paces toward its own."""
    from fieldops.models import Goal, Office, Team
    assert runner.invoke(args=["demo"]).exit_code == 0
    team = db.session.scalar(select(Team))
    assert team.name == "Kluuvi harbour side"
    assert db.session.scalar(select(func.count(Goal.id))) == 2  # one per office, none for the team
    auth.login("eero@fieldops.example", app.config["DEMO_PASSWORD"])
    page = client.get(f"/teams/{team.id}").get_data(as_text=True)
    assert "share of the office's goal" in page and 'id="team-pacing-chart"' in page
    assert page.count('class="card" data-turf=') == 4  # Eero's two turfs and two free ones
    auth.logout()
    kluuvi = db.session.scalar(select(Office).where(Office.name == "Kluuvi"))
    auth.login("organizer.kluuvi@fieldops.example", app.config["DEMO_PASSWORD"])
    assert 'id="office-pacing"' in client.get(f"/offices/{kluuvi.id}/dashboard").get_data(as_text=True)


def test_demo_users_can_sign_in(runner, client, app):
    runner.invoke(args=["demo"])
    response = client.post("/login", data={"email": "aino@fieldops.example",
                                           "password": app.config["DEMO_PASSWORD"]})
    assert response.status_code == 302
    page = client.get("/my/turfs").get_data(as_text=True)
    assert "Kluuvi" in page and "doors done" in page


def test_a_second_run_adds_nothing_after_the_demo_was_used(runner, client, app):
    """Hand out a turf, canvass it from the phone, take it back: the demo run again must not fill it in."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    password = app.config["DEMO_PASSWORD"]
    organizer = db.session.scalar(select(User).where(User.email == "organizer.kluuvi@fieldops.example"))
    aino = db.session.scalar(select(User).where(User.email == "aino@fieldops.example"))
    canvass = db.session.scalar(select(Canvass).where(Canvass.name == "Neighbourhood listening canvass (demo)"))
    turf = db.session.scalar(select(Turf).where(Turf.office_id == organizer.office_id, Turf.state == "open")
                             .order_by(Turf.name.desc()))
    client.post("/login", data={"email": organizer.email, "password": password})
    handed = client.post(f"/turfs/{turf.id}/hand-out", data={"canvass": canvass.id, "volunteers": [aino.id]})
    assert handed.status_code == 302
    client.post("/logout")
    client.post("/login", data={"email": aino.email, "password": password})
    door = client.get(f"/api/v1/turfs/{turf.id}/walklist").get_json()["doors"][0]
    knock = {"id": str(uuid.uuid4()), "door_id": door["id"], "canvass_id": canvass.id, "outcome": "talked",
             "answers": {"support": 4}, "recorded_at": (datetime.now(timezone.utc) - timedelta(minutes=5)).isoformat()}
    synced = client.post("/api/v1/contacts", json={"contacts": [knock]}).get_json()
    assert synced["results"][0]["status"] == "created"
    client.post("/logout")
    client.post("/login", data={"email": organizer.email, "password": password})
    assignment = db.session.scalar(select(Assignment).where(Assignment.turf_id == turf.id))
    assert client.post(f"/assignments/{assignment.id}/take-back").status_code == 302
    db.session.expire_all()
    used = counts()

    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    assert "Nothing new to add" in again.output
    assert counts() == used  # no contacts, people, turfs or assignments added
    assert db.session.scalar(select(func.count(Contact.id)).where(
        Contact.turf_id == turf.id, Contact.canvass_id == canvass.id)) == 1  # only the volunteer's knock
    for email in ("admin@fieldops.example", "organizer.kluuvi@fieldops.example", "aino@fieldops.example"):
        assert email in again.output  # the logins are still printed


def test_demo_history_stays_in_the_past_and_inside_its_canvasses(runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    now = datetime.now(timezone.utc)
    rows = db.session.execute(select(Contact.recorded_at, Canvass.start_date, Canvass.end_date)
                              .join(Canvass, Canvass.id == Contact.canvass_id)).all()
    assert rows
    late = [at for at, _, _ in rows if aware(at) > now]
    assert late == []  # none in the future
    assert all(start <= aware(at).date() <= end for at, start, end in rows)
    assert max(aware(at) for at, _, _ in rows) < now - timedelta(hours=1)
