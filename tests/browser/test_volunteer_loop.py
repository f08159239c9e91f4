"""Issue 20's whole loop in real Chromium: "wants to volunteer" on the phone, the recruit invited by e-mail and
joining, a shift signed up for without an account, reminders delivered to a local SMTP server, check-in with a
one-tap turf near the staging place, and a team leader handing out a team turf and refused another team's."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from fieldops import unit_of_work
from fieldops.extensions import db
from fieldops.models import Assignment, Office, Prospect, Shift, ShiftSignup, User
from fieldops.services import canvassing, mail
from fieldops.web.shifts import queue_reminders
from tests.factories import PASSWORD, build_teams, create_token
from tests.mailbox import mailbox  # noqa: F401  (fixture)

from .conftest import sign_in, wait_until
from .test_phone_screens import open_turf, wait_for_contacts
from .test_sign_in_flow import no_horizontal_scroll

SHOTS = "/tmp/v-{}.png"
NEW_PASSWORD = "volunteering is fun"


def deliver(mailbox) -> int:
    """What the mail worker does, once: the outbox's due mail to the local SMTP server."""
    return unit_of_work.run(mail.send_due, mailbox.url, "Fieldops <noreply@test.example>").sent


def wait_for(query, timeout: float = 15.0):
    import time
    deadline = time.monotonic() + timeout
    while True:
        db.session.expire_all()
        found = db.session.scalar(query)
        if found is not None or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_from_the_door_to_a_turf_at_the_launch(app, browser, phone, desktop, live_server, world, mailbox):
    app.config["MAIL_URL"] = mailbox.url
    teams = build_teams(world)
    try:
        _loop(app, browser, phone, desktop, live_server, world, mailbox, teams)
    finally:
        app.config["MAIL_URL"] = None


def _loop(app, browser, phone, desktop, live_server, world, mailbox, teams):
    # 1. At the door: Talked, and "wants to volunteer" ticked.
    open_turf(phone, live_server)
    phone.click("#next-open")
    phone.wait_for_selector("#door-view:not([hidden])")
    phone.click("label.outcome:has(input[value=talked])")
    phone.check("input[name=follow_ups][value=volunteer]")
    phone.click("#save-contact")
    wait_until(phone, "document.getElementById('saved-note').textContent.length > 0")
    assert len(wait_for_contacts(1)) == 1
    prospect = wait_for(select(Prospect))
    assert prospect is not None

    # 2. The organizer invites the recruit by e-mail from the Recruits page.
    sign_in(desktop, live_server, "organizer.a@test.example", PASSWORD)
    desktop.wait_for_url(f"**/offices/{world.office_a.id}")
    desktop.click("text=Recruits")
    assert "Alpha North" in desktop.inner_text("main")  # the team whose turf holds the door
    desktop.fill(f"#email-{prospect.id}", "recruit@example.org")
    desktop.click(f"tr[data-prospect='{prospect.id}'] button:has-text('E-mail the invitation')")
    assert "on its way to recruit@example.org" in desktop.inner_text(".flash")
    desktop.screenshot(path=SHOTS.format("recruits"), full_page=True)
    assert deliver(mailbox) == 1
    invite_link = re.search(r"http\S+/join/\S+", mailbox.to("recruit@example.org")[0].get_content()).group(0)

    # 3. The recruit joins on their own phone.
    recruit_context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    recruit = recruit_context.new_page()
    recruit.goto(invite_link)
    recruit.fill("#name", "Aada Recruit")
    recruit.fill("#email", "recruit@example.org")
    recruit.click("button[type=submit]")
    assert "Check your e-mail" in recruit.inner_text("#join-sent")
    assert deliver(mailbox) == 1
    finish = re.search(r"http\S+/join/finish/\S+", mailbox.to("recruit@example.org")[-1].get_content()).group(0)
    recruit.goto(finish)
    recruit.fill("#password", NEW_PASSWORD)
    recruit.fill("#again", NEW_PASSWORD)
    recruit.click("button[type=submit]")
    recruit.wait_for_url("**/my/turfs")
    aada = wait_for(select(User).where(User.email == "recruit@example.org"))
    db.session.expire_all()
    assert db.session.get(Prospect, prospect.id).user_id == aada.id
    desktop.reload()
    assert "promise kept" in desktop.inner_text(f"tr[data-prospect='{prospect.id}']")

    # 4. The organizer makes a shift of Alpha North over both Alpha turfs, staged at Alpha 1's corner.
    start = datetime.now(timezone.utc).replace(second=0, microsecond=0) + timedelta(hours=30)
    desktop.goto(f"{live_server}/offices/{world.office_a.id}/shifts")
    desktop.select_option("#shift-canvass", str(world.canvass_north.id))
    local = start.astimezone(ZoneInfo(db.session.get(Office, world.office_a.id).time_zone or "UTC"))  # the form's clock
    desktop.fill("#shift-start", local.strftime("%Y-%m-%dT%H:%M"))
    desktop.fill("#shift-end", (local + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    desktop.fill("#shift-place", "Alpha street 1, Testville")
    desktop.fill("#shift-lat", "60.1005")
    desktop.fill("#shift-lon", "24.9005")
    desktop.fill("#shift-capacity", "3")
    desktop.select_option("#shift-team", str(teams.north.id))
    desktop.check(f"input[name=turfs][value='{world.turf_a1.id}']")
    desktop.check(f"input[name=turfs][value='{world.turf_a2.id}']")
    desktop.click("#new-shift button[type=submit]")
    link = desktop.inner_text("#sign-up-link").strip()
    assert "/s/" in link
    shift = wait_for(select(Shift))

    # 5. Sign-ups without an account, on phones: the recruit and a neighbour; each gets a calendar file.
    for page, name, email in ((recruit, "Aada Recruit", "recruit@example.org"), (phone, "Neighbour", "n@example.org")):
        page.goto(link)
        page.fill("#name", name)
        page.fill("#email", email)
        page.click("main button[type=submit]")
        assert "you are signed up" in page.inner_text("#signed-up", timeout=5000), page.inner_text("main")
        assert no_horizontal_scroll(page)
    phone.screenshot(path=SHOTS.format("signed-up"), full_page=True)
    with phone.expect_download() as download:
        phone.click("#calendar-file")
    ics = open(download.value.path(), encoding="utf-8").read()
    assert "BEGIN:VEVENT" in ics and start.strftime("DTSTART:%Y%m%dT%H%M00Z") in ics
    assert deliver(mailbox) == 2  # the two confirmations

    # 6. Reminders: 24 hours and 2 hours before, each once, delivered.
    assert unit_of_work.run(queue_reminders, start - timedelta(hours=23)) == 2
    assert unit_of_work.run(queue_reminders, start - timedelta(hours=22)) == 0
    assert deliver(mailbox) == 2
    assert unit_of_work.run(queue_reminders, start - timedelta(hours=1, minutes=50)) == 2
    assert deliver(mailbox) == 2
    subjects = [m["Subject"] for m in mailbox.to("n@example.org")]
    assert subjects[1].startswith("Tomorrow") and subjects[2].startswith("In two hours") and len(subjects) == 3

    # 7. At the launch: the team leader checks Aada in and hands her the free turf nearest the staging point
    # (Alpha 1 is out to volunteer.a1; Alpha 2 is freed for the launch).
    unit_of_work.run(lambda: canvassing.take_back(db.session.scalar(
        select(Assignment).where(Assignment.turf_id == world.turf_a2.id)), None))
    leader_context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    leader = leader_context.new_page()
    sign_in(leader, live_server, "leader.a1@test.example", PASSWORD)
    leader.wait_for_url("**/teams/*")
    leader.click(f"#team-shifts a[href='/shifts/{shift.id}']")  # the team's page lists its shifts
    leader.click("button:has-text('Came: hand a turf to Aada Recruit')")
    assert "Aada Recruit is here: Alpha 2 is theirs." in leader.inner_text(".flash")
    leader.click("button:has-text('Neighbour came')")
    leader.screenshot(path=SHOTS.format("check-in"), full_page=True)
    assert no_horizontal_scroll(leader)
    db.session.expire_all()
    assert db.session.scalar(select(Assignment.turf_id).where(Assignment.volunteer_id == aada.id,
                                                              Assignment.returned_at.is_(None))) == world.turf_a2.id
    came = set(db.session.scalars(select(ShiftSignup.name).where(ShiftSignup.attended_at.is_not(None))))
    assert came == {"Aada Recruit", "Neighbour"}
    recruit.goto(f"{live_server}/my/turfs")
    assert "Alpha 2" in recruit.inner_text("#my-turfs")

    # 8. The team leader takes the team's turf back and hands it out again; another team's is refused.
    leader.goto(f"{live_server}/teams/{teams.north.id}")
    leader.click("button:has-text('Take back from Volunteer A1')")
    assert "Taken back" in leader.inner_text(".flash")
    leader.select_option(f"#walker-{world.turf_a1.id}", str(teams.leader_a1.id))
    leader.click(f"li[data-turf='{world.turf_a1.id}'] button:has-text('Hand out')")
    assert "Alpha 1 handed to Leader A1" in leader.inner_text(".flash")
    leader.screenshot(path=SHOTS.format("team"), full_page=True)
    assert no_horizontal_scroll(leader), leader.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361)"
        ".map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8).join(' ')")
    assert leader.goto(f"{live_server}/teams/{teams.south.id}").status == 403
    assert leader.goto(f"{live_server}/turfs/{world.turf_a2.id}").status == 403
    token = create_token("leader.a1@test.example")
    refused = leader.request.get(f"{live_server}/api/v1/turfs/{world.turf_a2.id}/walklist",
                                 headers={"Authorization": f"Bearer {token}"})
    assert refused.status in (403, 404)
    recruit_context.close()
    leader_context.close()
