"""Canvass shifts (issue 20): a public sign-up without an account (capacity enforced, throttled, a calendar
file), reminders queued once each, check-in with a one-tap turf near the staging place, no-shows."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from fieldops import unit_of_work
from fieldops.extensions import db
from fieldops.models import Assignment, MailMessage, ShiftSignup
from fieldops.web.shifts import queue_reminders
from tests.api.test_api_access import bearer
from tests.factories import build_teams, create_token, make_shift


def sign_up(client, shift, **data):
    return client.post(f"/s/{shift.token}", data=data)


def mails_to(address: str) -> list[MailMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(MailMessage).where(MailMessage.to_address == address)
                                   .order_by(MailMessage.id)))


def test_signing_up_needs_no_account_and_gives_a_calendar_file(client, world):
    shift = make_shift(world, capacity=2)
    db.session.commit()
    page = client.get(f"/s/{shift.token}")
    assert page.status_code == 200 and "2 places left" in page.get_data(as_text=True)
    answer = sign_up(client, shift, name="Maija Meikäläinen", email="maija@example.org")
    assert answer.status_code == 200 and 'id="signed-up"' in answer.get_data(as_text=True)
    confirmation = mails_to("maija@example.org")
    assert len(confirmation) == 1 and "Alpha street 1, Testville" in confirmation[0].body
    assert f"/s/{shift.token}/shift.ics" in confirmation[0].body
    ics = client.get(f"/s/{shift.token}/shift.ics")
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in ics.get_data(as_text=True) and "Alpha street 1\\, Testville" in ics.get_data(as_text=True)
    # The same person twice is one place; a phone number is enough; then the shift is full.
    assert sign_up(client, shift, name="Maija", email="MAIJA@example.org").status_code == 200
    assert sign_up(client, shift, name="Pekka", phone="+358 40 123 4567").status_code == 200
    full = sign_up(client, shift, name="Late", email="late@example.org")
    assert full.status_code == 409 and "shift is full" in full.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ShiftSignup.id))) == 2
    # Bad input names the field; nothing is written.
    for data, words in (({"name": "", "email": "x@example.org"}, "your name"), ({"name": "Anon"}, "an e-mail or a phone"),
                        ({"name": "Bad", "email": "not-an-address"}, "is not an e-mail address")):
        assert words in sign_up(client, shift, **data).get_data(as_text=True).replace("&#39;", "'")
    assert client.get("/s/not-a-token").status_code == 404


def test_sign_ups_are_throttled_per_address(client, world):
    shift = make_shift(world, capacity=50)
    db.session.commit()
    answers = [sign_up(client, shift, name=f"Person {n}", email=f"p{n}@example.org").status_code for n in range(11)]
    assert answers[:10] == [200] * 10 and answers[10] == 429


def test_reminders_are_queued_24_and_2_hours_before_once_each(app, client, world):
    shift = make_shift(world, starts_in_hours=30)
    db.session.commit()
    sign_up(client, shift, name="Early", email="early@example.org")
    sign_up(client, shift, name="Phone only", phone="040 1234567")
    start = shift.starts_at if shift.starts_at.tzinfo else shift.starts_at.replace(tzinfo=timezone.utc)

    def at(hours_before):
        return unit_of_work.run(queue_reminders, start - timedelta(hours=hours_before))

    assert at(25) == 0
    assert at(23) == 1 and at(22) == 0  # the 24-hour reminder, once
    assert at(1.5) == 1 and at(1) == 0  # the 2-hour reminder, once
    assert at(-1) == 0
    subjects = [m.subject for m in mails_to("early@example.org")]
    assert subjects[0].startswith("You are signed up")
    assert subjects[1].startswith("Tomorrow") and subjects[2].startswith("In two hours") and len(subjects) == 3


def test_check_in_hands_the_nearest_free_turf_and_lists_no_shows(client, auth, world):
    teams = build_teams(world)
    shift = make_shift(world, teams.north, starts_in_hours=1)
    db.session.commit()
    for name, email in (("Volunteer A1", "volunteer.a1@test.example"), ("Leader A1", "leader.a1@test.example"),
                        ("Walk-in", "walkin@example.org"), ("Stayed home", "home@example.org")):
        sign_up(client, shift, name=name, email=email)
    # Free the turfs the world handed out, so the shift has two to give.
    for assignment in db.session.scalars(select(Assignment)):
        assignment.returned_at = datetime.now(timezone.utc)
    db.session.commit()
    signups = {s.name: s for s in db.session.scalars(select(ShiftSignup))}
    assert signups["Volunteer A1"].user_id == world.users.volunteer_a1.id and signups["Walk-in"].user_id is None
    auth.login("leader.a1@test.example")  # the shift is Alpha North's: its leader runs the check-in
    page = client.get(f"/shifts/{shift.id}").get_data(as_text=True)
    assert "Came: hand a turf to Volunteer A1" in page
    answer = client.post(f"/shifts/{shift.id}/check-in/{signups['Volunteer A1'].id}", data={"turf": "1"})
    assert answer.status_code == 302
    # The staging point is in Alpha 1 (rows 0-1 of the grid): it goes first.
    db.session.expire_all()
    assert db.session.scalar(select(Assignment.turf_id).where(Assignment.volunteer_id == world.users.volunteer_a1.id,
                                                              Assignment.returned_at.is_(None))) == world.turf_a1.id
    client.post(f"/shifts/{shift.id}/check-in/{signups['Leader A1'].id}", data={"turf": "1"})
    assert db.session.scalar(select(Assignment.turf_id).where(Assignment.volunteer_id == teams.leader_a1.id,
                                                              Assignment.returned_at.is_(None))) == world.turf_a2.id
    walk_in = client.post(f"/shifts/{shift.id}/check-in/{signups['Walk-in'].id}", data={"turf": "1"})
    assert walk_in.status_code == 400 and "no volunteer account" in walk_in.get_data(as_text=True)
    assert client.post(f"/shifts/{shift.id}/check-in/{signups['Walk-in'].id}").status_code == 302
    db.session.expire_all()
    came = {s.name for s in db.session.scalars(select(ShiftSignup).where(ShiftSignup.attended_at.is_not(None)))}
    assert came == {"Volunteer A1", "Leader A1", "Walk-in"}
    # No-shows are listed once the shift has started.
    shift_row = db.session.get(type(shift), shift.id)
    shift_row.starts_at = datetime.now(timezone.utc) - timedelta(minutes=5)
    db.session.commit()
    page = client.get(f"/shifts/{shift.id}").get_data(as_text=True)
    assert 'id="no-shows"' in page and "Stayed home" in page.split('id="no-shows"')[1]
    # Someone who came without signing up joins the list, checked in, however full or late.
    added = client.post(f"/shifts/{shift.id}/walk-in", data={"name": "Neighbour", "phone": "040 7654321"})
    assert added.status_code == 302
    bad = client.post(f"/shifts/{shift.id}/walk-in", data={"name": "Nobody"})
    assert bad.status_code == 400 and "an e-mail or a phone number" in bad.get_data(as_text=True)
    db.session.expire_all()
    neighbour = db.session.scalar(select(ShiftSignup).where(ShiftSignup.name == "Neighbour"))
    assert neighbour.attended_at is not None and neighbour.checked_in_by_id == teams.leader_a1.id
    # The other team's leader does not run it.
    auth.logout()
    auth.login("leader.a2@test.example")
    assert client.get(f"/shifts/{shift.id}").status_code == 403


def test_an_organizer_makes_a_shift_and_the_api_lists_it(client, auth, world):
    auth.login("organizer.a@test.example")
    start = (datetime.now(timezone.utc) + timedelta(days=2)).strftime("%Y-%m-%dT10:00")
    end = (datetime.now(timezone.utc) + timedelta(days=2)).strftime("%Y-%m-%dT13:00")
    bad = client.post(f"/offices/{world.office_a.id}/shifts", data={
        "canvass": world.canvass_north.id, "start": end, "end": start, "place": "Office", "capacity": "5"})
    assert bad.status_code == 400 and "the shift ends before it starts" in bad.get_data(as_text=True)
    made = client.post(f"/offices/{world.office_a.id}/shifts", data={
        "canvass": world.canvass_north.id, "start": start, "end": end, "place": "Alpha office", "capacity": "5",
        "turfs": [world.turf_a1.id]})
    assert made.status_code == 302
    token = create_token("organizer.a@test.example")
    listed = client.get(f"/api/v1/offices/{world.office_a.id}/shifts", headers=bearer(token)).get_json()["shifts"]
    assert len(listed) == 1 and listed[0]["place"] == "Alpha office" and listed[0]["turf_ids"] == [world.turf_a1.id]
    assert listed[0]["capacity"] == 5 and listed[0]["signed_up"] == 0 and "/s/" in listed[0]["sign_up_url"]
    assert listed[0]["lat"] is not None  # the middle of its turf stands for the staging point
    other = create_token("organizer.b@test.example")
    assert client.get(f"/api/v1/offices/{world.office_a.id}/shifts", headers=bearer(other)).status_code == 403


def test_create_shift_prints_the_sign_up_url_on_base_url(app, runner, world):
    app.config["BASE_URL"] = "https://field.example.org"
    try:
        result = runner.invoke(args=["create-shift", "--office", "Alpha", "--canvass", "North spring",
                                     "--start", "2030-05-04T10:00", "--end", "2030-05-04T13:00",
                                     "--place", "Alpha office, Testville", "--capacity", "8"])
    finally:
        app.config["BASE_URL"] = None
    assert result.exit_code == 0, result.output
    assert result.output.strip().startswith("https://field.example.org/s/")
    bad = runner.invoke(args=["create-shift", "--office", "Alpha", "--canvass", "North spring", "--start", "soon",
                              "--end", "2030-05-04T13:00", "--place", "X", "--capacity", "8"])
    assert bad.exit_code != 0 and "'soon' is not a date and time" in bad.output
    reminders = runner.invoke(args=["send-reminders"])
    assert reminders.exit_code == 0 and "Queued 0 shift reminders" in reminders.output
