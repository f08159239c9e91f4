"""Organizers deactivate and reactivate volunteers, and see and revoke API tokens (theirs and their
volunteers'); tokens are revoked on deactivation, password change, role change and from the CLI."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import ApiToken, Assignment, AuditEvent, Contact, User
from tests.api.test_contact_sync import doors_of
from tests.factories import PASSWORD, create_token


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def live_tokens(email: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(ApiToken.id)).join(User, User.id == ApiToken.user_id).where(
        User.email == email, ApiToken.revoked_at.is_(None)))


def test_deactivating_a_volunteer_stops_them_at_once_and_keeps_their_contacts(app, client, auth, world):
    volunteer = world.users.volunteer_a1
    token = create_token(volunteer.email)
    phone = app.test_client()
    phone.post("/login", data={"email": volunteer.email, "password": PASSWORD, "remember": "y"})
    contact = {"id": str(uuid.uuid4()), "door_id": doors_of(world.turf_a1)[0], "canvass_id": world.canvass_north.id,
               "outcome": "talked", "recorded_at": datetime.now(timezone.utc).isoformat()}
    assert phone.post("/api/v1/contacts", json={"contacts": [contact]}).get_json()["results"][0]["status"] == "created"
    auth.login("organizer.a@test.example")
    page = client.get(f"/volunteers/{volunteer.id}").get_data(as_text=True)
    assert "Alpha 1" in page and "Deactivate Volunteer A1" in page
    done = client.post(f"/volunteers/{volunteer.id}/deactivate")
    assert done.status_code == 302
    assert "1 turf taken back" in client.get(done.headers["Location"]).get_data(as_text=True)
    assert phone.get("/my/turfs").status_code == 302          # the phone's session ended
    assert client.get("/api/v1/me/turfs", headers=bearer(token)).status_code == 401
    assert live_tokens(volunteer.email) == 0
    assert db.session.scalar(select(func.count(Assignment.id)).where(
        Assignment.volunteer_id == volunteer.id, Assignment.returned_at.is_(None))) == 0
    assert db.session.scalar(select(func.count(Contact.id)).where(Contact.volunteer_id == volunteer.id)) == 1
    listing = client.get(f"/offices/{world.office_a.id}/volunteers").get_data(as_text=True)
    assert 'id="deactivated"' in listing and "Volunteer A1" in listing.split('id="deactivated"')[1]
    turf_page = client.get(f"/turfs/{world.turf_a1.id}").get_data(as_text=True)
    assert f'value="{volunteer.id}"' not in turf_page  # not offered for handing out
    refused = client.post(f"/turfs/{world.turf_a1.id}/hand-out", data={
        "canvass": world.canvass_north.id, "volunteers": [volunteer.id]})
    assert refused.status_code == 400
    assert phone.post("/login", data={"email": volunteer.email, "password": PASSWORD}).status_code == 401
    assert client.post(f"/volunteers/{volunteer.id}/deactivate").status_code == 409


def test_reactivating_lets_them_sign_in_again_without_turfs_or_tokens(client, auth, world):
    volunteer = world.users.volunteer_a1
    token = create_token(volunteer.email)
    auth.login("organizer.a@test.example")
    client.post(f"/volunteers/{volunteer.id}/deactivate")
    assert client.post(f"/volunteers/{volunteer.id}/reactivate").status_code == 302
    auth.logout()
    assert auth.login(volunteer.email).status_code == 302
    assert client.get("/api/v1/me/turfs").get_json()["turfs"] == []
    assert client.get("/api/v1/me/turfs", headers=bearer(token)).status_code == 401
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"user.deactivate", "user.reactivate", "token.revoke"} <= actions


def test_only_the_volunteers_own_office_manages_them(client, auth, world):
    volunteer = world.users.volunteer_a1
    for outsider in ("organizer.b@test.example", "lead.south@test.example", "volunteer.a2@test.example"):
        auth.login(outsider)
        for path in (f"/volunteers/{volunteer.id}/deactivate", f"/volunteers/{volunteer.id}/reactivate"):
            assert client.post(path).status_code == 403, (outsider, path)
        assert client.get(f"/volunteers/{volunteer.id}").status_code == 403
        auth.logout()
    auth.login("lead.north@test.example")  # the region's lead manages its offices
    assert client.post(f"/volunteers/{volunteer.id}/deactivate").status_code == 302
    auth.logout()
    auth.login("organizer.a@test.example")
    assert client.post(f"/volunteers/{world.users.organizer_a.id}/deactivate").status_code == 404  # not a volunteer


def test_my_account_lists_and_revokes_my_own_tokens(client, auth, world):
    token = create_token("volunteer.a1@test.example", name="old phone")
    create_token("volunteer.a2@test.example", name="someone else's")
    auth.login("volunteer.a1@test.example")
    page = client.get("/account").get_data(as_text=True)
    assert "old phone" in page and "someone else" not in page
    mine = db.session.scalar(select(ApiToken.id).where(ApiToken.name == "old phone"))
    theirs = db.session.scalar(select(ApiToken.id).where(ApiToken.name == "someone else's"))
    assert client.post(f"/tokens/{theirs}/revoke").status_code in (403, 404)
    assert client.post(f"/tokens/{mine}/revoke").status_code == 302
    assert client.get("/api/v1/me/turfs", headers=bearer(token)).status_code == 401
    assert "revoked" in client.get("/account").get_data(as_text=True)
    assert client.post(f"/tokens/{mine}/revoke").status_code == 409
    assert live_tokens("volunteer.a2@test.example") == 1


def test_an_organizer_revokes_a_volunteers_token(client, auth, world):
    token = create_token("volunteer.a1@test.example", name="lost phone")
    token_id = db.session.scalar(select(ApiToken.id))
    auth.login("organizer.b@test.example")
    assert client.post(f"/tokens/{token_id}/revoke").status_code == 403
    auth.logout()
    auth.login("organizer.a@test.example")
    assert "lost phone" in client.get(f"/volunteers/{world.users.volunteer_a1.id}").get_data(as_text=True)
    response = client.post(f"/tokens/{token_id}/revoke")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/volunteers/{world.users.volunteer_a1.id}")
    assert client.get("/api/v1/me/turfs", headers=bearer(token)).status_code == 401


def test_revoke_tokens_command(runner, client, world):
    tokens = [create_token("volunteer.a1@test.example") for _ in range(2)]
    result = runner.invoke(args=["revoke-tokens", "Volunteer.A1@test.example"])
    assert result.exit_code == 0 and "Revoked 2 tokens of volunteer.a1@test.example" in result.output
    assert all(client.get("/api/v1/me/turfs", headers=bearer(t)).status_code == 401 for t in tokens)
    unknown = runner.invoke(args=["revoke-tokens", "nobody@test.example"])
    assert unknown.exit_code != 0 and "no user with e-mail" in unknown.output


def test_a_role_change_revokes_the_users_tokens(runner, client, world):
    token = create_token("volunteer.a2@test.example")
    assert runner.invoke(args=["set-role", "volunteer.a2@test.example", "organizer", "--office", "Alpha"]).exit_code == 0
    assert client.get("/api/v1/me/turfs", headers=bearer(token)).status_code == 401
