"""Connections are renewed by age, not pinged before every request (DATABASE_POOL_RECYCLE_S,
DATABASE_PRE_PING; issue 15): when the database drops them (a restart), one request fails with a 503 the
phone retries, and the next is served on a new connection."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from fieldops.extensions import db
from tests.api.test_api_access import bearer
from tests.factories import create_token

def test_postgresql_connections_are_recycled_by_age_and_never_pinged(app):
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_pre_ping"] is False
    if db.engine.dialect.name == "postgresql":
        assert options["pool_recycle"] == 300 and db.engine.pool._recycle == 300

def test_after_the_database_dropped_every_connection_one_request_fails_and_the_next_works(client, world):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to drop a connection: there is nothing to recycle or ping")
    token = create_token("volunteer.a1@test.example")
    assert client.get("/api/v1/me/turfs", headers=bearer(token)).status_code == 200
    db.session.remove()
    outside = create_engine(db.engine.url, poolclass=NullPool)  # not one of the app's pooled connections
    with outside.connect() as connection:  # as a restart of PostgreSQL does: every other session ends
        ended = connection.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                        "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    outside.dispose()
    assert ended >= 1  # the app's pooled connection, at least
    answers = [client.get("/api/v1/me/turfs", headers=bearer(token)) for _ in range(3)]
    codes = [answer.status_code for answer in answers]
    assert codes == [503, 200, 200], codes  # the phone retries after Retry-After; nothing hangs
    assert answers[0].headers["Retry-After"] == "5" and "try again shortly" in answers[0].get_json()["error"]
