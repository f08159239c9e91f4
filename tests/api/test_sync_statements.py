"""What a phone's sync batch costs the database, counted: a fixed, small number of statements and no
connection ping (issue 15, "figures that must be honest"; ``bench/sync_cost.py`` prints the same counts
with their time). A change that adds a statement to every batch fails here and must say why."""
from __future__ import annotations

import contextlib
from datetime import datetime, timedelta, timezone

from sqlalchemy import event, select

from fieldops.extensions import db
from fieldops.models import Assignment
from tests.api.test_api_access import bearer
from tests.api.test_contact_sync import doors_of, knock
from tests.factories import create_token

# The bearer token with its user (one read), the batch's doors, the volunteer's assignments with their
# counts so far, the insert, the door and household summaries, the volunteer's day and the pace read.
STATEMENTS_PER_BATCH = 8


@contextlib.contextmanager
def counted():
    """SQL statements, transactions and pool pings on the app's engine while the block runs."""
    engine = db.engine
    seen = {"statements": [], "begins": 0, "pings": 0}

    def statement(_conn, _cursor, sql, *_):
        seen["statements"].append(" ".join(sql.split())[:120])

    def begin(_conn):
        seen["begins"] += 1

    ping = engine.dialect.do_ping

    def counted_ping(dbapi_connection):
        seen["pings"] += 1
        return ping(dbapi_connection)

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "begin", begin)
    engine.dialect.do_ping = counted_ping
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "begin", begin)
        engine.dialect.do_ping = ping


def send(client, token, contacts):
    response = client.post("/api/v1/contacts", json={"contacts": contacts}, headers=bearer(token))
    assert response.status_code == 200, response.get_data(as_text=True)
    return [r["status"] for r in response.get_json()["results"]]


def test_a_ten_contact_batch_costs_at_most_eight_statements_one_transaction_and_no_ping(client, world):
    token = create_token("volunteer.a1@test.example")
    doors = doors_of(world.turf_a1)
    north = world.canvass_north.id
    assert send(client, token, [knock(doors[30], north)]) == ["created"]  # the token's first use is noted once
    db.session.remove()
    start = datetime.now(timezone.utc) - timedelta(hours=2)  # an honest pace: nothing to flag
    batch = [knock(door, north, outcome="talked" if n % 3 else "not_home",
                   recorded_at=(start + timedelta(minutes=3 * n)).isoformat()) for n, door in enumerate(doors[:10])]
    with counted() as seen:
        assert send(client, token, batch) == ["created"] * 10
    assert len(seen["statements"]) <= STATEMENTS_PER_BATCH, "\n".join(seen["statements"])
    assert seen["begins"] == 1 and seen["pings"] == 0
    # The phone repeating the batch (it never heard the answer) costs no more.
    with counted() as seen:
        assert send(client, token, batch) == ["duplicate"] * 10
    assert len(seen["statements"]) <= STATEMENTS_PER_BATCH, "\n".join(seen["statements"])


def test_a_stored_contact_sent_again_after_its_turf_was_taken_back_is_a_duplicate_not_a_refusal(client, world):
    from fieldops.services import canvassing
    token = create_token("volunteer.a1@test.example")
    doors = doors_of(world.turf_a1)
    north = world.canvass_north.id
    first = [knock(doors[0], north), knock(doors[1], north)]
    assert send(client, token, first) == ["created", "created"]
    assignment = db.session.scalar(select(Assignment).where(Assignment.turf_id == world.turf_a1.id))
    canvassing.take_back(assignment, world.users.organizer_a.id)
    db.session.commit()
    # The phone never heard the first answer: it sends the same two again, with one made since.
    assert send(client, token, [*first, knock(doors[2], north)]) == ["duplicate", "duplicate", "rejected"]
