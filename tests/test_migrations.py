"""Migrations from empty give exactly the schema the models declare, on SQLite and PostgreSQL."""
from __future__ import annotations

import os
import uuid

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from fieldops import create_app
from fieldops.config import normalise_database_url
from fieldops.extensions import db


@pytest.fixture
def empty_database_url(tmp_path):
    """A brand-new empty database of the kind the suite runs on."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    base = normalise_database_url(base)
    name = f"fieldops_mig_{uuid.uuid4().hex[:10]}"
    server = create_engine(base, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.rsplit("/", 1)[0] + "/" + name
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def test_upgrade_from_empty_matches_models(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        tables = set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert differences == []
    expected = {"region", "office", "block", "door", "person", "turf", "turf_event", "canvass", "assignment",
                "contact", "follow_up", "app_user", "api_token", "audit_event", "alembic_version",
                "door_canvass", "household", "supporter", "volunteer_day", "household_note", "note_issue",
                "turf_door"}
    assert expected <= tables


def test_foreign_keys_and_dashboard_columns_are_indexed(app):
    inspector = inspect(db.engine)
    for table in db.metadata.sorted_tables:
        indexed = {tuple(index["column_names"])[0] for index in inspector.get_indexes(table.name)}
        indexed |= {tuple(u["column_names"])[0] for u in inspector.get_unique_constraints(table.name)}
        indexed |= set(inspector.get_pk_constraint(table.name)["constrained_columns"][:1])
        for fk in table.foreign_keys:
            assert fk.parent.name in indexed, f"{table.name}.{fk.parent.name} has no index"
    contact_indexes = {tuple(i["column_names"]) for i in inspector.get_indexes("contact")}
    assert ("office_id", "canvass_id", "recorded_at") in contact_indexes


def test_downgrade_removes_everything(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert tables == set()
