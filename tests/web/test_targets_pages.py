"""The canvass's targets and goals page, the office dashboard's pacing and the region's ranking, as people use them."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import AuditEvent, Goal, Person, Universe
from fieldops.services import canvassing
from tests.api.test_contact_sync import doors_of, knock
from tests.factories import create_token
from tests.api.test_api_access import bearer


def _office_canvass(world):
    canvass = canvassing.build_canvass("Alpha listening", world.north.id, world.office_a.id)
    for n, door_id in enumerate(doors_of(world.turf_a1)[:6]):
        db.session.add(Person(door_id=door_id, first_name=f"Resident {n}", age=25 if n < 4 else 70))
    db.session.commit()
    return canvass


def test_an_organizer_previews_a_universe_then_saves_it(client, auth, world):
    canvass = _office_canvass(world)
    auth.login("organizer.a@test.example")
    page = f"/offices/{world.office_a.id}/canvasses/{canvass.id}"
    assert "No target universe: every door counts." in client.get(page).get_data(as_text=True)
    preview = client.post(page + "/universe", data={"action": "preview", "age_max": "40", "status": "active"})
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200 and 'id="preview-people">4<' in body and 'id="preview-doors">4<' in body
    assert "Nothing is saved yet." in body and db.session.get(Universe, canvass.id) is None
    saved = client.post(page + "/universe", data={"action": "save", "age_max": "40", "status": "active"},
                        follow_redirects=True)
    body = saved.get_data(as_text=True)
    assert "Universe saved: 4 people at 4 doors in Alpha." in body
    assert "Target universe: <strong>4</strong> people at <strong>4</strong> doors" in body
    assert db.session.get(Universe, canvass.id).definition == {"age_max": 40}
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "universe.save"))
    wrong = client.post(page + "/universe", data={"action": "save", "age_min": "50", "age_max": "40"})
    assert wrong.status_code == 400 and "the age range ends before it starts" in wrong.get_data(as_text=True)
    assert db.session.get(Universe, canvass.id).definition == {"age_max": 40}  # the bad one saved nothing
    cleared = client.post(page + "/universe", data={"action": "clear"}, follow_redirects=True)
    assert "targets every door again" in cleared.get_data(as_text=True)


def test_a_region_canvass_universe_is_the_leads_to_set(client, auth, world):
    page = f"/offices/{world.office_a.id}/canvasses/{world.canvass_north.id}"
    auth.login("organizer.a@test.example")
    assert "the region's lead sets its target universe" in client.get(page).get_data(as_text=True)
    assert client.post(page + "/universe", data={"action": "save", "voted": "no"}).status_code == 403
    auth.logout()
    auth.login("lead.north@test.example")
    assert client.post(page + "/universe", data={"action": "save", "voted": "no"}).status_code == 302
    assert db.session.get(Universe, world.canvass_north.id).definition == {"voted": False}


def test_goals_are_set_on_the_canvass_page_and_paced_on_the_dashboards(client, auth, world):
    canvass = world.canvass_north
    token = create_token("volunteer.a1@test.example")
    doors = doors_of(world.turf_a1)
    batch = [knock(d, canvass.id, outcome="talked" if n % 2 else "not_home", answers={}) for n, d in enumerate(doors[:6])]
    assert client.post("/api/v1/contacts", json={"contacts": batch}, headers=bearer(token)).status_code == 200
    auth.login("organizer.a@test.example")
    page = f"/offices/{world.office_a.id}/canvasses/{canvass.id}"
    due = (date.today() + timedelta(days=9)).isoformat()
    bad = client.post(page + "/goals", data={"doors": "many", "conversations": "5", "by": due})
    assert bad.status_code == 400 and "field &#39;doors&#39;" in bad.get_data(as_text=True)
    done = client.post(page + "/goals", data={"doors": "40", "conversations": "10", "by": due}, follow_redirects=True)
    assert f"Goal set: 40 doors and 10 conversations by {due}." in done.get_data(as_text=True)
    turf_goal = client.post(page + "/goals", data={"doors": "20", "conversations": "4", "by": due,
                                                   "turf": str(world.turf_a1.id)}, follow_redirects=True)
    table = turf_goal.get_data(as_text=True)
    assert "Turf Alpha 1" in table and "6 <small" in table
    assert db.session.scalar(select(Goal.doors).where(Goal.turf_id.is_(None))) == 40
    dashboard = client.get(f"/offices/{world.office_a.id}/dashboard?canvass_id={canvass.id}").get_data(as_text=True)
    assert 'id="office-pacing"' in dashboard and "6 / 40" in dashboard and "pacing-actual" in dashboard
    assert "pacing-goal" in dashboard and "pacing-projection" in dashboard
    # The lead's comparison ranks the offices that have goals and colours a second map by percent of goal.
    auth.logout()
    auth.login("lead.north@test.example")
    region = client.get(f"/regions/{world.north.id}/compare?canvass_id={canvass.id}").get_data(as_text=True)
    assert 'id="goal-ranking"' in region and 'id="goal-map"' in region and "15%" in region

