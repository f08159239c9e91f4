"""Canvasses, handing out, volunteers through the pages (invites: test_invites); the phone page and its
offline files."""
from __future__ import annotations

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import Assignment, Canvass, Turf, User


def test_organizer_creates_an_office_canvass_with_questions(client, auth, world):
    auth.login("organizer.b@test.example")
    response = client.post(f"/offices/{world.office_b.id}/canvasses", data={
        "name": "Bravo listening", "start": "2026-12-01", "end": "2026-12-20", "script": "Hi, I'm {name}.",
        "q0_label": "How likely are you to support us?", "q0_kind": "scale",
        "q1_label": "What matters most?", "q1_kind": "choice", "q1_choices": "Schools, Roads, Jobs",
        "q2_label": "", "q2_kind": "text"})
    assert response.status_code == 302
    canvass = db.session.scalar(select(Canvass).where(Canvass.name == "Bravo listening"))
    assert canvass.office_id == world.office_b.id and str(canvass.end_date) == "2026-12-20"
    assert [(q["key"], q["kind"]) for q in canvass.questions] == [
        ("how_likely_are_you_to_support_us", "scale"), ("what_matters_most", "choice")]
    assert canvass.questions[1]["choices"] == ["Schools", "Roads", "Jobs"]


def test_canvass_form_errors_keep_the_form(client, auth, world):
    auth.login("organizer.b@test.example")
    response = client.post(f"/offices/{world.office_b.id}/canvasses", data={
        "name": "Broken", "start": "2026-12-20", "end": "2026-12-01"})
    assert response.status_code == 400 and "ends before it starts" in response.get_data(as_text=True)
    response = client.post(f"/offices/{world.office_b.id}/canvasses", data={
        "name": "Broken", "q0_label": "Pick", "q0_kind": "choice", "q0_choices": "Only"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "at least two different choices" in page and 'value="Broken"' in page


def test_only_leads_make_region_wide_canvasses(client, auth, world):
    auth.login("organizer.b@test.example")
    assert client.post(f"/offices/{world.office_b.id}/canvasses",
                       data={"name": "Everyone", "scope": "region"}).status_code == 403
    auth.logout()
    auth.login("lead.north@test.example")
    assert client.post(f"/offices/{world.office_b.id}/canvasses",
                       data={"name": "Everyone", "scope": "region"}).status_code == 302
    canvass = db.session.scalar(select(Canvass).where(Canvass.name == "Everyone"))
    assert canvass.office_id is None and canvass.region_id == world.north.id


def test_hand_out_and_take_back_from_the_turf_page(client, auth, world):
    auth.login("organizer.a@test.example")
    assignment = db.session.scalar(select(Assignment).where(Assignment.turf_id == world.turf_a1.id))
    page = client.get(f"/turfs/{world.turf_a1.id}").get_data(as_text=True)
    assert "Walking it now" in page and "Take back" in page
    assert client.post(f"/assignments/{assignment.id}/take-back").status_code == 302
    db.session.expire_all()
    assert db.session.get(Turf, world.turf_a1.id).state == "open"
    response = client.post(f"/turfs/{world.turf_a1.id}/hand-out", data={
        "canvass": world.canvass_north.id, "volunteers": [world.users.volunteer_a1.id, world.users.volunteer_a2.id]})
    assert response.status_code == 302
    holders = db.session.scalars(select(Assignment.volunteer_id).where(
        Assignment.turf_id == world.turf_a1.id, Assignment.returned_at.is_(None))).all()
    assert sorted(holders) == sorted([world.users.volunteer_a1.id, world.users.volunteer_a2.id])
    again = client.post(f"/turfs/{world.turf_a1.id}/hand-out", data={
        "canvass": world.canvass_north.id, "volunteers": [world.users.volunteer_a1.id]})
    assert again.status_code == 409 and "already checked out" in again.get_data(as_text=True)


def test_hand_out_refuses_strangers_and_foreign_canvasses(client, auth, world):
    auth.login("organizer.b@test.example")
    foreign = client.post(f"/turfs/{world.turf_b1.id}/hand-out", data={
        "canvass": world.canvass_north.id, "volunteers": [world.users.volunteer_a1.id]})
    assert foreign.status_code == 400 and "not volunteers of this office" in foreign.get_data(as_text=True)
    south = client.post(f"/turfs/{world.turf_b1.id}/hand-out", data={
        "canvass": world.canvass_south.id, "volunteers": [world.users.organizer_b.id]})
    assert south.status_code == 404
    assert client.post(f"/turfs/{world.turf_a1.id}/hand-out", data={
        "canvass": world.canvass_north.id, "volunteers": [world.users.organizer_b.id]}).status_code == 403


def test_organizer_adds_a_volunteer_who_can_then_sign_in(client, auth, world):
    auth.login("organizer.b@test.example")
    response = client.post(f"/offices/{world.office_b.id}/volunteers", data={
        "name": "Ville Vapaa", "email": "ville@test.example", "password": "a long enough secret"})
    assert response.status_code == 302
    ville = db.session.scalar(select(User).where(User.email == "ville@test.example"))
    assert (ville.role, ville.office_id, ville.name) == ("volunteer", world.office_b.id, "Ville Vapaa")
    short = client.post(f"/offices/{world.office_b.id}/volunteers", data={
        "name": "Short", "email": "short@test.example", "password": "short"})
    assert short.status_code == 400 and "at least 10 characters" in short.get_data(as_text=True)
    auth.logout()
    assert auth.login("ville@test.example", "a long enough secret").headers["Location"].endswith("/")


def test_phone_page_is_for_the_turfs_in_my_hands(client, auth, world):
    auth.login("volunteer.a1@test.example")
    page = client.get(f"/canvass/{world.turf_a1.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-walking="yes"' in html and "Save and go to the next door" in html
    assert html.index("Talked") < html.index("Not home") < html.index("Hostile (do not return)")
    assert client.get(f"/canvass/{world.turf_a2.id}").status_code == 403
    auth.logout()
    auth.login("organizer.a@test.example")
    organizer_view = client.get(f"/canvass/{world.turf_a1.id}").get_data(as_text=True)
    assert 'data-walking="no"' in organizer_view and "Save and go to the next door" not in organizer_view


def test_service_worker_and_manifest_are_served_for_offline_use(client, world):
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Service-Worker-Allowed"] == "/"
    body = worker.get_data(as_text=True)
    assert "/static/js/outbox.js" in body and "/static/js/canvass.js" in body and "fieldops-" in body
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest.get_json()["start_url"] == "/my/turfs"
    for icon in manifest.get_json()["icons"]:
        assert client.get(icon["src"]).status_code == 200
