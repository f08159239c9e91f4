"""Target universes, goals and pacing against the database: the SQL agrees with the pure definition, and
walk lists, the auto-cut, coverage and the phone's list count only targeted doors."""
from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from fieldops import unit_of_work
from fieldops.domain.universes import PersonFacts, matches, parse_definition
from fieldops.errors import InvalidInput
from fieldops.extensions import db
from fieldops.models import Block, Contact, Door, Person, Turf
from fieldops.services import canvassing, coverage, goals, imports, summaries, turfs, universes, walklists
from tests.api.test_contact_sync import doors_of

NOW = datetime.now(timezone.utc)


def _contact(office_id, door_id, canvass_id, outcome="talked", at=None, person_id=None, answers=None, volunteer=None):
    contact = Contact(id=str(uuid.uuid4()), office_id=office_id, door_id=door_id, canvass_id=canvass_id,
                      outcome=outcome, answers=answers or {}, note="", person_id=person_id,
                      volunteer_id=volunteer, recorded_at=at or NOW - timedelta(hours=2))
    db.session.add(contact)
    return contact


def people_of_alpha(world) -> tuple[list[Person], dict[int, PersonFacts]]:
    """20 people on Alpha 1's first 20 doors, with every fact a universe reads varied, and the facts
    as the pure rule sees them."""
    other = canvassing.build_canvass("Alpha autumn", world.north.id, world.office_a.id)
    doors = doors_of(world.turf_a1)[:20]
    people, facts = [], {}
    for i, door_id in enumerate(doors):
        person = Person(door_id=door_id, first_name=f"P{i}", status="moved" if i == 7 else "active",
                        birth_year=NOW.year - (20 + 3 * i) if i % 3 else None, age=20 + 3 * i if i % 3 == 0 else None,
                        tags={"ward": str(i % 3)} if i % 2 else None, voted_at=NOW if i % 5 == 0 else None)
        db.session.add(person)
        people.append(person)
    db.session.flush()
    support, here, elsewhere, spoken = {}, set(), set(), {}
    for i, (person, door_id) in enumerate(zip(people, doors)):
        if i % 4 == 0:    # their own answer, 3, a conversation 40 days ago in this canvass
            _contact(world.office_a.id, door_id, world.canvass_north.id, at=NOW - timedelta(days=40),
                     person_id=person.id, answers={"support": 3})
            support[i], spoken[i] = 3, 40
            here.add(i)
        elif i % 4 == 1:  # the household's answer (nobody named), 5, 5 days ago, in the other canvass
            _contact(world.office_a.id, door_id, other.id, at=NOW - timedelta(days=5), answers={"support": 5})
            support[i], spoken[i] = 5, 5
            elsewhere.add(i)
        elif i % 4 == 2:  # knocked here, nobody home
            _contact(world.office_a.id, door_id, world.canvass_north.id, outcome="not_home")
            here.add(i)
    db.session.get(Door, doors[19]).do_not_contact = "hostile"
    db.session.flush()
    summaries.refresh_doors(doors)
    db.session.commit()
    for i, person in enumerate(people):
        facts[person.id] = PersonFacts(
            status=person.status, door_do_not_contact=i == 19, support=support.get(i), contacted_this=i in here,
            contacted_other=i in elsewhere, days_since_spoken=spoken.get(i), age=20 + 3 * i,
            tags=person.tags or {}, voted=person.voted_at is not None)
    return people, facts


DEFINITIONS = [
    {}, {"support": [3]}, {"support": [5, "none"]}, {"support": ["none"]}, {"contacted_this": False},
    {"contacted_other": True}, {"not_spoken_days": 30}, {"age_min": 30, "age_max": 50}, {"age_max": 25},
    {"status": ["active", "moved"]}, {"tags": {"ward": ["1"]}}, {"voted": False},
    {"support": [3, 5], "voted": False, "age_min": 20}, {"contacted_this": True, "not_spoken_days": 10},
]


@pytest.mark.parametrize("definition", DEFINITIONS, ids=[json.dumps(d) for d in DEFINITIONS])
def test_the_sql_counts_exactly_whom_the_rule_matches(world, definition):
    people, facts = people_of_alpha(world)
    spec = parse_definition(definition)
    expected = [p for p in people if matches(spec, facts[p.id])]
    counted = universes.counts(spec, world.canvass_north, world.office_a.id)
    assert counted["people"] == len(expected)
    assert counted["doors"] == len({p.door_id for p in expected})
    assert universes.targeted_people(spec, world.canvass_north.id, [p.door_id for p in people]) == \
        {p.id for p in expected}


def test_walk_list_coverage_and_phone_list_count_only_targeted_doors_and_keep_contacts_made(world):
    people, facts = people_of_alpha(world)
    canvass = world.canvass_north
    knocked_here = {d for (d,) in db.session.execute(select(Contact.door_id).where(Contact.canvass_id == canvass.id))}
    unit_of_work.run(universes.save, canvass, {"support": [5]}, None)
    fives = {p.door_id for p in people if facts[p.id].support == 5 and facts[p.id].status == "active"}
    walk = walklists.walklist(world.turf_a1, canvass)
    listed = {d["id"] for d in walk["doors"]}
    # The household answers of 5 (doors 1, 5, 9, 13, 17), and the doors already knocked in this canvass.
    assert listed == fives | knocked_here and len(fives) == 5
    assert all(p["targeted"] == (facts[p["id"]].support == 5) for d in walk["doors"] for p in d["people"])
    mine = next(t for t in walklists.my_turfs(world.users.volunteer_a1) if t["id"] == world.turf_a1.id)
    assert mine["doors"] == len(listed)
    office = coverage.office_coverage(world.office_a, coverage.Window(canvass.id))
    assert office["doors"] == len(listed) and office["attempted"] == len(knocked_here)
    turf = next(t for t in office["turfs"] if t["id"] == world.turf_a1.id)
    assert turf["doors"] == len(listed)
    # Changing the universe mid-canvass drops only doors not yet knocked: every contact keeps counting.
    unit_of_work.run(universes.save, canvass, {"support": ["none"], "voted": True}, None)
    after = coverage.office_coverage(world.office_a, coverage.Window(canvass.id))
    assert after["attempted"] == len(knocked_here) and after["doors"] >= len(knocked_here)
    assert knocked_here <= {d["id"] for d in walklists.walklist(world.turf_a1, canvass)["doors"]}
    # Without a universe, every door counts again; other canvasses were never touched.
    unit_of_work.run(universes.clear, canvass, None)
    assert coverage.office_coverage(world.office_a, coverage.Window(canvass.id))["doors"] == 80
    assert coverage.office_coverage(world.office_a, coverage.Window())["doors"] == 80


def test_the_auto_cut_balances_targeted_doors(world, runner):
    # Bravo's free blocks (rows 2 and 3, 8 blocks of 5 doors): a person at every door, supporters at 2 per block.
    free = db.session.scalars(select(Door.id).join(Block, Block.id == Door.block_id)
                              .where(Block.office_id == world.office_b.id, Block.turf_id.is_(None))
                              .order_by(Door.id)).all()
    people = [Person(door_id=d, first_name=f"B{n}") for n, d in enumerate(free)]
    db.session.add_all(people)
    db.session.flush()
    for n, (person, door_id) in enumerate(zip(people, free)):
        if n % 5 < 2:
            _contact(world.office_b.id, door_id, world.canvass_south.id, person_id=person.id, answers={"support": 4})
    db.session.flush()
    summaries.refresh_doors(free)
    db.session.commit()
    unit_of_work.run(universes.save, world.canvass_north, {"support": [4, 5]}, None)
    result = runner.invoke(args=["cut-turfs", "--office", "Bravo", "--doors", "4", "--canvass", "North spring",
                                 "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["doors"] == 16 and report["counts"] == "targeted doors"  # 2 of every 5 of 40 doors
    assert report["turfs"] == 4 and report["within_20pct"] == 1.0
    new = db.session.scalars(select(Turf).where(Turf.office_id == world.office_b.id, Turf.name != "Bravo 1")).all()
    assert sum(t.door_count for t in new) == 40  # the turfs still hold every door; the cut weighed targeted ones


def test_extra_import_columns_become_tags_and_birth_years_are_kept(world, tmp_path):
    path = tmp_path / "voters.csv"
    path.write_text("id,street,house_number,lat,lon,birth_year,Ward,Party,\n"
                    "v1,Alpha street 0,1,60.1005,24.9002,1990,7,Green,\n"
                    "v2,Alpha street 0,1,60.1005,24.9002,,8,,\n", encoding="utf-8")
    summary = unit_of_work.run(imports.import_doors, path, "Alpha")
    assert summary.tag_columns == ["Ward", "Party"] and "  kept as tags: Ward, Party" in summary.lines()
    found = {p.source_id: p for p in db.session.scalars(select(Person).where(Person.source_id.in_(["v1", "v2"])))}
    assert found["v1"].tags == {"ward": "7", "party": "Green"} and found["v1"].birth_year == 1990
    assert found["v2"].tags == {"ward": "8"} and found["v2"].birth_year is None
    spec = parse_definition({"tags": {"ward": "7"}})
    assert universes.counts(spec, world.canvass_north, world.office_a.id)["people"] == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("id,street,house_number,lat,lon,birth_year\nv3,Alpha street 0,3,60.1005,24.9002,19x0\n")
    with pytest.raises(InvalidInput, match="row 2: .*year of birth not a year"):  # its row's reject; the only row
        unit_of_work.run(imports.import_doors, bad, "Alpha")


def test_goals_and_pacing_on_the_office_clock(world, client, auth, runner):
    canvass = world.canvass_north
    doors = doors_of(world.turf_a1)
    today = date(2026, 12, 3)
    at = lambda days_ago: datetime(2026, 12, 3, 10, tzinfo=timezone.utc) - timedelta(days=days_ago)  # noqa: E731
    # 10 doors: 4 first knocked 20 days ago, 6 in the last 7 days (2 of them today); 5 conversations, 3 recent.
    for n, days_ago in enumerate([20, 20, 20, 20, 6, 5, 3, 1, 0, 0]):
        outcome = "talked" if n in (0, 1, 4, 8, 9) else "not_home"
        _contact(world.office_a.id, doors[n], canvass.id, outcome=outcome, at=at(days_ago),
                 volunteer=world.users.volunteer_a1.id)
    db.session.flush()
    summaries.rebuild_all()
    db.session.commit()
    assert goals.office_pacing([world.office_a.id], canvass.id, today)[world.office_a.id]["goal_doors"] is None
    result = runner.invoke(args=["set-goal", "--office", "Alpha", "--canvass", "North spring", "--doors", "40",
                                 "--conversations", "20", "--by", "2026-12-12"])
    assert result.exit_code == 0, result.output
    assert "40 doors and 20 conversations by 2026-12-12" in result.output
    fields = goals.office_pacing([world.office_a.id], canvass.id, today)[world.office_a.id]
    assert fields["goal_doors"] == 40 and fields["goal_conversations"] == 20 and fields["goal_date"] == "2026-12-12"
    assert fields["pace_needed"] == 3.0        # 30 doors left over 10 days (Dec 3 to 12)
    assert fields["pace_7d"] == 0.9            # 6 doors / 7 days = 0.857
    assert fields["projected_finish"] == "2027-01-07"  # ceil(30 / (6/7)) = 35 days after Dec 3
    talks = fields["pacing"]["conversations"]
    assert (talks["done"], talks["pace_needed"], talks["pace_7d"]) == (5, 1.5, 0.4)  # 15 / 10; 3 / 7
    # The same figures through the API, and the region ranks the office that has a goal.
    auth.login("lead.north@test.example")
    office = client.get(f"/api/v1/offices/{world.office_a.id}/coverage?canvass_id={canvass.id}").get_json()
    for key in ("goal_doors", "goal_conversations", "goal_date", "pace_needed", "pace_7d", "projected_finish"):
        assert key in office
    region = client.get(f"/api/v1/regions/{world.north.id}/coverage?canvass_id={canvass.id}").get_json()
    bravo = next(o for o in region["offices"] if o["id"] == world.office_b.id)
    assert all(bravo[key] is None for key in ("goal_doors", "goal_conversations", "goal_date", "pace_needed",
                                              "pace_7d", "projected_finish"))
    assert region["ranking"]["percent"] == [world.office_a.id]
    bad = runner.invoke(args=["set-goal", "--office", "Alpha", "--canvass", "North spring", "--doors", "ten",
                              "--by", "2026-12-12"])
    assert bad.exit_code != 0 and "field 'doors'" in bad.output


def test_set_universe_previews_saves_and_refuses_bad_definitions(world, runner):
    people_of_alpha(world)
    args = ["set-universe", "--canvass", "North spring", "--office", "Alpha"]
    preview = runner.invoke(args=[*args, "--preview", "--definition", '{"support": [5]}'])
    assert preview.exit_code == 0 and "Would target 5 people at 5 doors: support answer 5." in preview.output
    assert universes.spec_of(world.canvass_north.id) is None
    saved = runner.invoke(args=[*args, "--definition", '{"support": [5]}'])
    assert saved.exit_code == 0 and "Targets 5 people at 5 doors" in saved.output
    assert universes.spec_of(world.canvass_north.id).support == (5,)
    for bad, named in [('{"support": [9]}', "field 'support'"), ("{support", "field 'definition'")]:
        refused = runner.invoke(args=[*args, "--definition", bad])
        assert refused.exit_code != 0 and named in refused.output
    assert universes.spec_of(world.canvass_north.id).support == (5,)  # the refusals changed nothing
    assert runner.invoke(args=[*args, "--clear"]).exit_code == 0
    assert universes.spec_of(world.canvass_north.id) is None


def test_statistics_never_turn_a_persons_answer_into_a_scan_of_every_answer(world):
    """After ANALYZE (which SQLite's ``PRAGMA optimize`` runs too) the universe's count still finds each
    person's own answer by key. Most answers are a household's (no person): counted with those NULLs, the
    statistics made the person index look useless, and SQLite read every answer for each person counted
    (over 1,000,000 people: minutes instead of half a second). The index holds answers with a person only."""
    from sqlalchemy import event, text
    from fieldops.models import LatestSupport

    doors = list(db.session.scalars(select(Door.id).where(Door.office_id == world.office_a.id)))
    for door_id in doors:
        db.session.add(Person(door_id=door_id, first_name="Resident", status="active"))
        db.session.add(LatestSupport(door_id=door_id, person_id=None, office_id=world.office_a.id, support=3,
                                     answered_at=NOW - timedelta(days=3)))
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    spec = parse_definition({"support": [3]})
    statements = []

    def keep(_connection, _cursor, statement, parameters, _context, _many):
        if "latest_support" in statement:
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        counted = universes.counts(spec, world.canvass_north, world.office_a.id)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    assert counted["people"] == len(doors)  # everyone, by their household's answer
    [(statement, parameters)] = statements
    raw = db.session.connection().connection.driver_connection
    if db.engine.dialect.name == "sqlite":
        plan = [row[-1] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)]
        assert not [step for step in plan if step.startswith("SCAN latest_support")], plan
    else:  # PostgreSQL joins the answers once (bulk); the index it keeps for look-ups by person is the partial one
        definition = db.session.scalar(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_latest_support_person_id'"))
        assert definition.endswith("WHERE (person_id IS NOT NULL)"), definition
