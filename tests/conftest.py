"""Shared fixtures: one app per test session on a real database, emptied between tests.

SQLite by default (a file in a temporary folder); set TEST_DATABASE_URL to a
PostgreSQL database to run the same suite there. The schema is made by the
project's own migrations, so every test also exercises them.
"""
from __future__ import annotations

import os
import threading

import flask_migrate
import pytest
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.serving import make_server

from fieldops import create_app
from fieldops.config import normalise_database_url
from fieldops.extensions import db
from fieldops.web.security import reset_throttle

from . import factories
from .job_modes import job_mode, rq_queue  # noqa: F401  (fixtures: jobs in a thread and in RQ workers)


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def _drop_everything() -> None:
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


class InFlight:
    """Counts the live server's requests still being answered.

    A page closed at the end of a browser test may leave a request (a
    service worker's prefetch) running in the server's thread; emptying the
    tables under it would deadlock on PostgreSQL or hand it half a database.
    """

    def __init__(self, app):
        self.app, self.count, self.idle = app, 0, threading.Condition()

    def __call__(self, environ, start_response):
        with self.idle:
            self.count += 1
        try:
            return list(self.app(environ, start_response))
        finally:
            with self.idle:
                self.count -= 1
                self.idle.notify_all()

    def wait_until_idle(self, timeout: float = 30.0) -> None:
        with self.idle:
            self.idle.wait_for(lambda: self.count == 0, timeout)


IN_FLIGHT: list[InFlight] = []  # the live server's counter, once it has started


def empty_all_tables() -> None:
    """Delete every row, children first, keeping the schema."""
    for counter in IN_FLIGHT:
        counter.wait_until_idle()
    db.session.rollback()
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as connection:
        # DELETE, not TRUNCATE, on both databases: a test leaves a few rows, and PostgreSQL's TRUNCATE of the
        # 39 tables costs about 110 ms even when they are empty (new files for each), DELETE about 3 ms:
        # two minutes of the suite. Ids restart at 1 as TRUNCATE's RESTART IDENTITY made them (SQLite's rowids
        # do by themselves in an empty table).
        for table in tables:
            connection.execute(table.delete())
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT setval(c.oid::regclass, 1, false) FROM pg_class c "
                                    "WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace"))
    db.session.remove()
    reset_throttle()  # sign-in attempts counted in one test must not throttle the next


class FreshContextClient(FlaskClient):
    """Each request in its own app context, as in production.

    Tests hold an app context to read the database; without this, requests
    would share its ``g`` (and so the signed-in user) and its session.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
    })
    app.test_client_class = FreshContextClient
    with app.app_context():
        _drop_everything()
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Every test that touches the app starts with empty tables and an app context."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        empty_all_tables()
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = factories.PASSWORD, remember: bool = False):
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        return self._client.post("/login", data=data)

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def world(app):
    """Two regions, three offices, turfs, users of every role: see factories.build_world."""
    return factories.build_world()


@pytest.fixture(scope="session")
def live_server(app):
    """The app served on 127.0.0.1 in a thread, for the browser tests."""
    counter = InFlight(app.wsgi_app)
    IN_FLIGHT.append(counter)
    app.wsgi_app = counter
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.wsgi_app = counter.app
    IN_FLIGHT.remove(counter)
