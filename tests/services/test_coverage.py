"""Coverage: the grouped SQL agrees with the definition, worked out by hand; and who may see which numbers."""
from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timezone

from sqlalchemy import select

from fieldops.domain.coverage import ContactFact, Counts, count_contacts
from fieldops.extensions import db
from fieldops.models import Block, Contact, Door
from fieldops.services import coverage, summaries, territory
from tests.factories import load_demo
from tests.factories import create_token
from tests.api.test_api_access import bearer


def alpha_doors(world) -> list[int]:
    return list(db.session.scalars(select(Door.id).join(Block, Block.id == Door.block_id)
                                   .where(Block.turf_id == world.turf_a1.id).order_by(Door.id)))


def put(door_id, canvass_id, outcome, when, world) -> ContactFact:
    db.session.add(Contact(id=str(uuid.uuid4()), office_id=world.office_a.id, door_id=door_id,
                           volunteer_id=world.users.volunteer_a1.id, turf_id=world.turf_a1.id, canvass_id=canvass_id,
                           outcome=outcome, answers={}, note="", recorded_at=when))
    return ContactFact(door_id, canvass_id, outcome, when)


def settle() -> None:
    """Contacts written straight into the ledger, as a restore would: rebuild the summaries, commit."""
    summaries.rebuild_all()
    db.session.commit()


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=timezone.utc)


def test_office_figures_match_the_hand_count(world):
    north, south = world.canvass_north.id, world.canvass_south.id
    d = alpha_doors(world)
    facts = [
        put(d[0], north, "not_home", at(3), world), put(d[0], north, "talked", at(5), world),  # 1 attempted, 1 reached
        put(d[1], north, "refused", at(5), world),                                                # attempted only
        put(d[2], north, "talked", at(20), world),                                                # after the range
        put(d[3], south, "talked", at(5), world),                                                 # another canvass
    ]
    settle()
    window = coverage.Window(north, date(2026, 11, 1), date(2026, 11, 10))
    figures = coverage.office_coverage(world.office_a, window)
    assert (figures["doors"], figures["attempted"], figures["reached"]) == (80, 2, 1)
    assert figures["coverage"] == 0.025 and figures["contact_rate"] == 0.5
    office_doors = db.session.scalars(select(Door.id).where(Door.office_id == world.office_a.id)).all()
    assert count_contacts(office_doors, facts, north, date(2026, 11, 1), date(2026, 11, 10)) == Counts(80, 2, 1)
    turf = next(t for t in figures["turfs"] if t["name"] == "Alpha 1")
    assert (turf["doors"], turf["attempted"], turf["reached"], turf["volunteers"]) == (40, 2, 1, ["Volunteer A1"])
    assert [(day["date"], day["knocks"], day["conversations"]) for day in figures["days"]] == [
        ("2026-11-03", 1, 0), ("2026-11-05", 2, 1)]
    # Knocked on Nov 3 and Nov 5: two streaks of one day, none running now.
    assert figures["volunteers"] == [{"id": world.users.volunteer_a1.id, "name": "Volunteer A1", "knocks": 3,
                                      "conversations": 1, "promises_kept": 0, "streak": 0, "longest_streak": 1}]
    everything = coverage.office_coverage(world.office_a, coverage.Window())
    assert (everything["attempted"], everything["reached"]) == (4, 3)  # all canvasses, all days
    # Without dates the figures come from the summaries, not the ledger: they must agree with the definition.
    whole_canvass = coverage.office_coverage(world.office_a, coverage.Window(north))
    assert (whole_canvass["attempted"], whole_canvass["reached"]) == (3, 2)
    assert count_contacts(office_doors, facts, north, None, None) == Counts(80, 3, 2)
    assert next(t for t in whole_canvass["turfs"] if t["name"] == "Alpha 1")["attempted"] == 3
    by_block = coverage.block_coverage(world.office_a, coverage.Window(north))
    assert sum(c.attempted for c in by_block.values()) == 3 and sum(c.reached for c in by_block.values()) == 2


def test_region_adds_its_offices_and_leaves_other_regions_out(world):
    d = alpha_doors(world)
    put(d[0], world.canvass_north.id, "talked", at(5), world)
    settle()
    figures = coverage.region_coverage(world.north, coverage.Window(world.canvass_north.id))
    assert [(o["name"], o["doors"], o["attempted"]) for o in figures["offices"]] == [("Alpha", 80, 1), ("Bravo", 80, 0)]
    assert (figures["doors"], figures["attempted"], figures["reached"]) == (160, 1, 1)


def test_a_lead_sees_only_their_regions_numbers(client, world):
    token = create_token("lead.south@test.example")
    assert client.get(f"/api/v1/regions/{world.north.id}/coverage", headers=bearer(token)).status_code == 403
    assert client.get(f"/api/v1/offices/{world.office_a.id}/coverage", headers=bearer(token)).status_code == 403
    own = client.get(f"/api/v1/regions/{world.south.id}/coverage", headers=bearer(token))
    assert own.status_code == 200 and [o["name"] for o in own.get_json()["offices"]] == ["Charlie"]
    volunteer = create_token("volunteer.a1@test.example")
    assert client.get(f"/api/v1/offices/{world.office_a.id}/coverage", headers=bearer(volunteer)).status_code == 403
    bad = client.get(f"/api/v1/regions/{world.south.id}/coverage?canvass_id={world.canvass_north.id}",
                     headers=bearer(token))
    assert bad.status_code == 404
    assert client.get(f"/api/v1/regions/{world.south.id}/coverage?start=soon", headers=bearer(token)).status_code == 400


def test_the_command_prints_what_the_api_serves_on_the_demo(client, runner, app):
    load_demo("a demo password")
    token = create_token("lead@fieldops.example")
    from fieldops.models import Canvass, Office
    canvass = db.session.scalar(select(Canvass).where(Canvass.name.like("Neighbourhood%")))
    office = db.session.scalar(select(Office).where(Office.name == "Kluuvi"))
    cli = json.loads(runner.invoke(args=["coverage", "--office", "Kluuvi", "--canvass", canvass.name,
                                         "--json"]).stdout)
    api = client.get(f"/api/v1/offices/{office.id}/coverage?canvass_id={canvass.id}", headers=bearer(token)).get_json()
    assert cli == api and cli["attempted"] > 0
    region = json.loads(runner.invoke(args=["coverage", "--region", "Helsinki Centre", "--json"]).stdout)
    api_region = client.get(f"/api/v1/regions/{office.region_id}/coverage", headers=bearer(token)).get_json()
    assert region == api_region and len(region["offices"]) == 2


def test_relationship_depth_counts_repeat_conversations_and_promises(world):
    from fieldops.models import FollowUp
    d = alpha_doors(world)
    put(d[0], world.canvass_north.id, "talked", at(5), world)
    put(d[0], world.canvass_south.id, "talked", at(9), world)     # the same door, a second canvass
    put(d[1], world.canvass_north.id, "talked", at(5), world)
    put(d[1], world.canvass_north.id, "talked", at(6), world)     # twice, but one canvass
    put(d[2], world.canvass_south.id, "not_home", at(6), world)
    for due, done in [(date(2026, 11, 10), None),                  # overdue on the 20th
                      (date(2026, 11, 25), None),                  # open, not yet due
                      (date(2026, 11, 10), at(9)),                 # kept on time
                      (date(2026, 11, 7), at(9))]:                 # kept late
        db.session.add(FollowUp(office_id=world.office_a.id, door_id=d[0], kind="call_back", due_date=due,
                                done_at=done))
    settle()
    office = coverage.region_coverage(world.north, coverage.Window(), today=date(2026, 11, 20))["offices"][0]
    assert office["name"] == "Alpha"
    assert office["reached_in_two_canvasses"] == 1
    assert (office["promises_made"], office["promises_open"], office["promises_overdue"],
            office["promises_kept_on_time"]) == (4, 2, 1, 1)
    assert office["kept_on_time_rate"] == round(1 / 3, 4)  # of the three that have fallen due


def test_block_counts_follow_a_door_that_an_import_moved(world):
    from fieldops.models import DoorCanvass
    d = alpha_doors(world)
    put(d[0], world.canvass_north.id, "talked", at(5), world)
    settle()
    door = db.session.get(Door, d[0])
    old_block = door.block_id
    other_block = db.session.scalar(select(Block.id).where(Block.turf_id == world.turf_a2.id).limit(1))
    door.block_id = other_block  # as a re-import that placed the door anew would, then the import's own steps
    db.session.flush()
    territory.refresh_door_counts(world.office_a)
    summaries.follow_doors(world.office_a.id)
    db.session.commit()
    assert db.session.scalar(select(DoorCanvass.block_id).where(DoorCanvass.door_id == d[0])) == other_block
    window = coverage.Window(world.canvass_north.id)
    by_block = coverage.block_coverage(world.office_a, window)
    assert by_block[other_block].attempted == 1 and by_block[old_block].attempted == 0
    turfs = {t["name"]: t["attempted"] for t in coverage.office_coverage(world.office_a, window)["turfs"]}
    assert turfs == {"Alpha 1": 0, "Alpha 2": 1}
