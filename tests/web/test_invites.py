"""Invitation links: a use limit (one by default), a revoke button and the list of live links; joining
confirms the e-mail first, and an address that already has an account gets the same answer."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import AuditEvent, MailMessage, User
from tests.factories import PASSWORD

FINISH = re.compile(r"https?://[^/\s]+(/join/finish/\S+)")


def make_invite(client, office_id: int, uses: str = "") -> str:
    page = client.post(f"/offices/{office_id}/invites", data={"uses": uses}).get_data(as_text=True)
    return re.search(r'id="invite-link">([^<]+)<', page).group(1).split("localhost", 1)[-1]


def mails_to(address: str) -> list[MailMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(MailMessage).where(MailMessage.to_address == address)))


def join(client, path: str, name: str, email: str) -> str:
    """Ask to join, then follow the e-mailed link and choose a password; the final page's path."""
    asked = client.post(path, data={"name": name, "email": email})
    assert asked.status_code == 200 and "Check your e-mail" in asked.get_data(as_text=True)
    finish = FINISH.search(mails_to(email)[-1].body).group(1)
    return finish


def users_named(email: str) -> int:
    return db.session.scalar(select(func.count(User.id)).where(User.email == email))


def test_an_invite_lets_one_person_join_by_default(client, auth, world):
    auth.login("organizer.c@test.example")
    path = make_invite(client, world.office_c.id)
    auth.logout()
    form = client.get(path)
    assert form.status_code == 200 and "Join Charlie" in form.get_data(as_text=True)
    finish = join(client, path, "Noora", "noora@test.example")
    assert users_named("noora@test.example") == 0  # nothing is made before the e-mail is confirmed
    page = client.get(finish).get_data(as_text=True)
    assert "Choose a password for noora@test.example" in page
    done = client.post(finish, data={"password": "volunteering is fun", "again": "volunteering is fun"})
    assert done.status_code == 302 and client.get("/my/turfs").status_code == 200  # signed in straight away
    noora = db.session.scalar(select(User).where(User.email == "noora@test.example"))
    assert (noora.office_id, noora.role, noora.name) == (world.office_c.id, "volunteer", "Noora")
    client.post("/logout")
    used_up = client.get(path)
    assert used_up.status_code == 404 and "used as often as it may" in used_up.get_data(as_text=True)
    assert client.get(finish).status_code in (404, 409)  # the finishing link works once too
    assert client.get("/join/not-a-real-token").status_code == 404


def test_an_invite_for_several_people_stops_at_its_limit(client, auth, world):
    auth.login("organizer.c@test.example")
    path = make_invite(client, world.office_c.id, uses="2")
    assert "0 of 2" in client.get(f"/offices/{world.office_c.id}/volunteers").get_data(as_text=True)
    auth.logout()
    finishes = [join(client, path, f"Person {n}", f"person{n}@test.example") for n in range(3)]
    for n, finish in enumerate(finishes):
        response = client.post(finish, data={"password": "volunteering is fun", "again": "volunteering is fun"})
        client.post("/logout")
        assert response.status_code == (302 if n < 2 else 404), n
    assert [users_named(f"person{n}@test.example") for n in range(3)] == [1, 1, 0]
    auth.login("organizer.c@test.example")
    assert "2 of 2" not in client.get(f"/offices/{world.office_c.id}/volunteers").get_data(as_text=True)  # used up
    for uses in ("0", "lots", "501"):
        refused = client.post(f"/offices/{world.office_c.id}/invites", data={"uses": uses})
        assert refused.status_code == 400 and "a whole number from 1 to 500" in refused.get_data(as_text=True)


def test_an_address_with_an_account_gets_the_same_answer_and_no_second_account(client, auth, world):
    auth.login("organizer.c@test.example")
    path = make_invite(client, world.office_c.id, uses="5")
    auth.logout()
    client.get(path)  # shows the "signed out" notice, so that neither answer below has it
    fresh = client.post(path, data={"name": "New Person", "email": "new.person@test.example"})
    known = client.post(path, data={"name": "New Person", "email": "volunteer.a1@test.example"})
    assert fresh.status_code == known.status_code == 200
    text = lambda response, email: response.get_data(as_text=True).replace(email, "EMAIL")  # noqa: E731
    assert text(fresh, "new.person@test.example") == text(known, "volunteer.a1@test.example")
    reminder = mails_to("volunteer.a1@test.example")
    assert len(reminder) == 1 and "You already have a Fieldops account" in reminder[0].subject
    assert "/join/finish/" not in reminder[0].body and "/password/forgot" in reminder[0].body
    assert users_named("volunteer.a1@test.example") == 1
    volunteer = db.session.scalar(select(User).where(User.email == "volunteer.a1@test.example"))
    assert volunteer.office_id == world.office_a.id  # nobody moved to another office
    assert client.post("/login", data={"email": "volunteer.a1@test.example", "password": PASSWORD}).status_code == 302


def test_revoking_an_invite_stops_it_and_its_pending_links(client, auth, world):
    auth.login("organizer.c@test.example")
    path = make_invite(client, world.office_c.id, uses="3")
    listing = client.get(f"/offices/{world.office_c.id}/volunteers").get_data(as_text=True)
    assert 'id="live-invites"' in listing and "0 of 3" in listing
    auth.logout()
    finish = join(client, path, "Late Comer", "late@test.example")
    invite_id = db.session.scalar(select(AuditEvent.details).where(AuditEvent.action == "invite.create"))["invite_id"]
    auth.login("organizer.b@test.example")
    assert client.post(f"/invites/{invite_id}/revoke").status_code == 403
    auth.logout()
    auth.login("organizer.c@test.example")
    assert client.post(f"/invites/{invite_id}/revoke").status_code == 302
    assert 'id="live-invites"' not in client.get(f"/offices/{world.office_c.id}/volunteers").get_data(as_text=True)
    assert client.post(f"/invites/{invite_id}/revoke").status_code == 409
    auth.logout()
    assert client.get(path).status_code == 404
    refused = client.post(finish, data={"password": "volunteering is fun", "again": "volunteering is fun"})
    assert refused.status_code == 404 and users_named("late@test.example") == 0


def test_join_form_names_a_bad_field(client, auth, world):
    auth.login("organizer.c@test.example")
    path = make_invite(client, world.office_c.id)
    auth.logout()
    bad = client.post(path, data={"name": "", "email": "someone@test.example"})
    assert bad.status_code == 400 and "your name, up to 120 characters" in bad.get_data(as_text=True)
    worse = client.post(path, data={"name": "Someone", "email": "not an address"})
    assert worse.status_code == 400 and "is not an e-mail address" in worse.get_data(as_text=True)
    assert mails_to("someone@test.example") == []
