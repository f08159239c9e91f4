"""Every route of the app, walked from ``app.url_map``: who may not reach it is refused.

Each endpoint has a rule here. A route added without one fails
``test_every_route_has_a_rule``: decide who may reach it, then add it below.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from sqlalchemy import select

from fieldops.extensions import db
from fieldops.models import ApiToken, Assignment, Contact, ContactFlag, FollowUp, Invite, Job, Person, Prospect
from fieldops.services import invites, shifts
from tests.api.test_contact_sync import doors_of
from tests.factories import build_teams, create_token, make_shift

# Anyone, signed in or not.
PUBLIC = {"static", "auth.login", "field.manifest", "field.service_worker", "field.join", "api.openapi"}
# Anyone signed in, about themselves only (their turfs, their promises, their regions list).
OWN = {"main.home", "main.my_turfs", "field.my_follow_ups", "main.regions", "api.me_turfs", "auth.logout"}
# Admins only.
ADMIN = {"admin.audit_log",
         # package d (issue 15): regions and offices
         "admin.territory_page"}
# Admins only, forms that answer 400 with the field named when sent empty.
ADMIN_FORMS = {"admin.create_region"}  # package d (issue 15)
# Package c (accounts, sign-in and mail): resetting a password and finishing a join are for people not
# signed in (each checks its own signed link); My account is about oneself.
PUBLIC |= {"auth.forgot_password", "auth.reset_password", "field.finish_join"}
OWN |= {"account.account", "account.change_password", "account.set_language"}
# helper p (issue 19): my own languages
OWN |= {"people.my_languages"}
# Helper v (issue 20): a shift's public sign-up page and calendar file (each checks its unguessable token);
# one's own team.
PUBLIC |= {"shifts.sign_up", "shifts.calendar"}
OWN |= {"teams.my_team", "api.me_team"}


def scoped_targets(world) -> dict[str, dict]:
    """Each scoped endpoint with arguments that point into office Alpha (region North)."""
    door = doors_of(world.turf_a1)[0]
    promise = FollowUp(office_id=world.office_a.id, door_id=door, kind="call_back", due_date=date.today(),
                       owner_id=world.users.organizer_a.id)
    db.session.add(promise)
    db.session.commit()
    assignment = db.session.scalar(select(Assignment.id).where(Assignment.turf_id == world.turf_a1.id))
    contact = Contact(id=str(uuid.uuid4()), office_id=world.office_a.id, door_id=door, canvass_id=world.canvass_north.id,
                      volunteer_id=world.users.volunteer_a1.id, outcome="talked", answers={}, note="",
                      recorded_at=datetime.now(timezone.utc))
    db.session.add(contact)
    db.session.flush()
    db.session.add(ContactFlag(contact_id=contact.id, office_id=world.office_a.id, flags=["far"], state="pending"))
    # helper j (background jobs): a finished import of office Alpha
    job = Job(key=uuid.uuid4().hex, kind="import-doors", title="Doors and people from alpha.csv", office_id=world.office_a.id,
              created_by_id=world.users.organizer_a.id, runner="thread", state="done", params={}, progress={})
    db.session.add(job)
    db.session.commit()
    person = Person(door_id=door, first_name="Added", last_name="Atthedoor", added_id=str(uuid.uuid4()))
    db.session.add(person)
    db.session.commit()
    office, region, turf = {"office_id": world.office_a.id}, {"region_id": world.north.id}, {"turf_id": world.turf_a1.id}
    # Package c: a volunteer of Alpha, their token, and an invite of Alpha.
    create_token(world.users.volunteer_a1.email)
    token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == world.users.volunteer_a1.id))
    invites.create_invite(world.office_a, world.users.organizer_a.id)
    db.session.commit()
    invite_id = db.session.scalar(select(Invite.id).where(Invite.office_id == world.office_a.id))
    volunteer = {"user_id": world.users.volunteer_a1.id}
    package_c = {
        "account.revoke_token": {"token_id": token_id}, "field.revoke_invite": {"invite_id": invite_id},
        "field.volunteer": volunteer, "field.deactivate": volunteer, "field.reactivate": volunteer,
        "field.reset_link": volunteer,
    }
    # Helper v (issue 20): Alpha's teams (Alpha North owns Alpha 1), a shift of Alpha North with a sign-up,
    # a recruit met at an Alpha 1 door.
    teams = build_teams(world)
    shift = make_shift(world, teams.north)
    signup = shifts.sign_up(shift.token, "Walk-in", "walkin@test.example", None)
    prospect = Prospect(office_id=world.office_a.id, door_id=door, follow_up_id=promise.id)
    db.session.add(prospect)
    db.session.commit()
    team, member = {"team_id": teams.north.id}, {"user_id": world.users.volunteer_a1.id}
    helper_v = {
        "teams.office_teams": office, "teams.team": team, "teams.set_turfs": team, "teams.add_member": team,
        "teams.remove_member": {**team, **member}, "teams.hand_out": {**team, "turf_id": world.turf_a1.id},
        "teams.set_goal": team,  # issue 20.2: a team's own goal (the office's organizers set it)
        "shifts.office_shifts": office, "shifts.shift": {"shift_id": shift.id},
        "shifts.check_in": {"shift_id": shift.id, "signup_id": signup.id}, "api.office_shifts": office,
        "shifts.walk_in": {"shift_id": shift.id},
        "recruits.office_recruits": office, "recruits.invite": {"prospect_id": prospect.id},
        "volunteers.office_people": office, "volunteers.team_people": team, "volunteers.timeline": member,
        "volunteers.ask_check_in": member, "volunteers.add_note": member,
    }
    return {
        **package_c, **helper_v,
        "api.contacts": {},  # scope is checked per contact: see test_contact_sync
        "api.office_coverage": office, "api.region_coverage": region, "api.turf_walklist": turf,
        "dashboards.office": office, "dashboards.office_contacts": office, "dashboards.region": region,
        "dashboards.region_contacts": region,
        "dashboards.office_contacts_job": office,  # issue 21.4: the office's contacts as a background job
        "field.canvasses": office, "field.hand_out": turf, "field.invite": office,
        "field.keep_follow_up": {"follow_up_id": promise.id}, "field.phone": turf,
        "field.take_back": {"assignment_id": assignment}, "field.volunteers": office,
        "households.add_note": {"door_id": door}, "households.knock_again": {"door_id": door},
        "households.building_note": {"door_id": door}, "households.search": office, "households.timeline": {"door_id": door},
        "main.office": office, "main.region": region, "main.turf": turf,
        "relationships.neglected": office, "relationships.office_follow_ups": office,
        "relationships.reassign": {"follow_up_id": promise.id}, "relationships.revisit_turf": office,
        "relationships.settings": office, "relationships.idle": office, "relationships.committee_codes": office,
        "relationships.review": office, "relationships.decide": {"contact_id": contact.id},
        "territory.import_page": office,
        "territory.columns": {**office, "job_id": job.id},  # helper f2 (issue 21.1): the column-mapping step
        "turfs.change_blocks": turf, "turfs.change_state": turf, "turfs.create": office, "turfs.cut": office,
        "turfs.delete": turf, "turfs.export": office, "turfs.merge": turf, "turfs.preview": office,
        "turfs.print_walklist": turf, "paper.entry": turf, "turfs.rename": turf, "turfs.split": turf, "turfs.workspace": office,
        # package d (issue 15): offices made and renamed by admins and leads, regions renamed by admins,
        # canvasses edited (a region-wide one only by who manages the region)
        "admin.new_office": region, "admin.edit_office": office, "admin.rename_region": region,
        "field.edit_canvass": {**office, "canvass_id": world.canvass_north.id},
        # helper j: background jobs (scoped to the job's office, which its organizer manages)
        "jobs.office_jobs": office, "jobs.status": {"job_id": job.id}, "jobs.progress": {"job_id": job.id},
        "jobs.job_file": {"job_id": job.id, "name": "rejects"},
        # helper p (issue 19): people at the door, languages (an office's organizers; a person of Alpha's door)
        "people.review": office, "people.export": office, "people.language_turf": office, "people.volunteer_languages": volunteer,
        "people.merge": {"person_id": person.id},
        # helper t (issue 18): a canvass's target universe and goals, for an office that walks it
        "targets.canvass_page": {**office, "canvass_id": world.canvass_north.id},
        "targets.universe": {**office, "canvass_id": world.canvass_north.id},
        "targets.set_goal": {**office, "canvass_id": world.canvass_north.id},
        # helper g (issue 18, election day): the chase's rebuild, the live map (page and data) of an office and a region
        "targets.rebuild_chase": {**office, "canvass_id": world.canvass_north.id},
        "dashboards.office_live": office, "dashboards.region_live": region,
        "api.office_live": office, "api.region_live": region,
        # helper s (issue 18): the office maps' viewport data (coverage: who sees the office; turfs: who changes it)
        "maps.office_view": {**office, "layer": "turfs"},
    }


def routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule, method


def url_for_rule(app, rule, arguments: dict) -> str:
    with app.test_request_context():
        return app.url_map.bind("localhost").build(rule.endpoint, arguments, method=None)


def test_every_route_has_a_rule(app, world):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    ruled = PUBLIC | OWN | ADMIN | ADMIN_FORMS | set(scoped_targets(world))
    assert endpoints - ruled == set(), "routes without an access rule in this test"
    assert ruled - endpoints == set(), "rules for routes that no longer exist"


def test_anonymous_callers_are_sent_to_sign_in_or_refused(app, client, world):
    targets = scoped_targets(world)
    for rule, method in routes(app):
        if rule.endpoint in PUBLIC or rule.endpoint == "auth.logout":
            continue
        url = url_for_rule(app, rule, targets.get(rule.endpoint, {}))
        response = client.open(url, method=method)
        if rule.rule.startswith("/api/"):
            assert response.status_code == 401, f"{method} {url}"
        else:
            assert response.status_code == 302 and "/login" in response.headers["Location"], f"{method} {url}"


def test_people_of_other_offices_and_regions_are_refused_everywhere(app, client, auth, world):
    targets = scoped_targets(world)
    outsiders = ["organizer.b@test.example",     # another office of the same region
                 "organizer.c@test.example",     # an office of another region
                 "lead.south@test.example",      # the lead of another region
                 "volunteer.c@test.example",     # a volunteer of another region
                 "volunteer.a2@test.example",    # Alpha's own volunteer, but Alpha 1 is not theirs
                 "leader.a2@test.example"]       # helper v: the leader of Alpha's other team (Alpha South)
    for email in outsiders:
        auth.login(email)
        for rule, method in routes(app):
            if rule.endpoint not in targets or rule.endpoint == "api.contacts":
                continue
            url = url_for_rule(app, rule, targets[rule.endpoint])
            response = client.open(url, method=method)
            assert response.status_code in (403, 404), f"{email}: {method} {url} -> {response.status_code}"
            body = response.get_data(as_text=True)
            assert "Alpha street" not in body, f"{email}: {method} {url} shows Alpha's doors"
        auth.logout()


def test_only_admins_reach_the_admin_pages(app, client, auth, world):
    for email in ["lead.north@test.example", "organizer.a@test.example", "volunteer.a1@test.example"]:
        auth.login(email)
        for rule, method in routes(app):
            if rule.endpoint in ADMIN:
                assert client.open(url_for_rule(app, rule, {}), method=method).status_code == 403, email
        auth.logout()
    auth.login("admin@test.example")
    for rule, method in routes(app):
        if rule.endpoint in ADMIN:
            assert client.open(url_for_rule(app, rule, {}), method=method).status_code == 200


def test_only_admins_send_the_admin_forms(app, client, auth, world):
    """package d: an empty form from an admin is a 400 naming what is missing; anyone else a 403."""
    for email in ["lead.north@test.example", "organizer.a@test.example", "volunteer.a1@test.example"]:
        auth.login(email)
        for rule, method in routes(app):
            if rule.endpoint in ADMIN_FORMS:
                assert client.open(url_for_rule(app, rule, {}), method=method).status_code == 403, email
        auth.logout()
    auth.login("admin@test.example")
    for rule, method in routes(app):
        if rule.endpoint in ADMIN_FORMS:
            response = client.open(url_for_rule(app, rule, {}), method=method)
            assert response.status_code == 400 and "give the region a name" in response.get_data(as_text=True)


def test_no_two_routes_claim_the_same_address(app):
    """Two blueprints registering one path and method: the second page is never reached."""
    seen: dict[tuple[str, str], str] = {}
    clashes = []
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            key = (rule.rule, method)
            if key in seen:
                clashes.append(f"{method} {rule.rule}: {seen[key]} and {rule.endpoint}")
            seen[key] = rule.endpoint
    assert clashes == []
GOTV = ("targets.rebuild_chase", "dashboards.office_live", "dashboards.region_live", "api.office_live",
        "api.region_live")


def test_election_day_routes_are_for_organizers_leads_and_admins(app, client, auth, world):
    """helper g: Alpha's organizer, North's lead and an admin reach the live map and the chase's rebuild (a
    canvass that is not a chase is a 400 naming why); Alpha's own volunteers and team leaders do not."""
    from fieldops.domain.universes import CHASE
    from fieldops.services import universes
    targets = scoped_targets(world)
    universes.save(world.canvass_north, CHASE, None)
    db.session.commit()
    region_routes = {"dashboards.region_live", "api.region_live"}
    for email in ["organizer.a@test.example", "lead.north@test.example", "admin@test.example"]:
        auth.login(email)
        for rule, method in routes(app):
            if rule.endpoint not in GOTV:
                continue
            if email.startswith("organizer") and rule.endpoint in region_routes:
                continue  # a region's live map is its lead's
            response = client.open(url_for_rule(app, rule, targets[rule.endpoint]), method=method)
            assert response.status_code == 200, f"{email}: {method} {rule.endpoint} -> {response.status_code}"
        auth.logout()
    for email in ["volunteer.a1@test.example", "leader.a1@test.example"]:
        auth.login(email)
        for rule, method in routes(app):
            if rule.endpoint in GOTV:
                response = client.open(url_for_rule(app, rule, targets[rule.endpoint]), method=method)
                assert response.status_code == 403, f"{email}: {method} {rule.endpoint} -> {response.status_code}"
        auth.logout()
    auth.login("organizer.a@test.example")
    assert client.get(url_for_rule(app, next(r for r in app.url_map.iter_rules() if r.endpoint == "api.region_live"),
                                   targets["api.region_live"])).status_code == 403
