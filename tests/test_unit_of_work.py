"""The one rule for transactions: only the unit of work commits or rolls back, and it does so for every route."""
from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from fieldops import create_app, unit_of_work
from fieldops.extensions import db
from fieldops.models import Region

PACKAGE = Path(__file__).resolve().parent.parent / "fieldops"
COMMITS = re.compile(r"\.\s*(commit|rollback)\s*\(")


def test_nothing_but_the_unit_of_work_commits_or_rolls_back():
    offenders = [f"{path.relative_to(PACKAGE)}:{n}" for path in PACKAGE.rglob("*.py") if path.name != "unit_of_work.py"
                 for n, line in enumerate(path.read_text().splitlines(), 1)
                 if COMMITS.search(line) and not line.lstrip().startswith("#")]
    assert offenders == []


def test_every_route_is_one_unit_of_work(app: Flask):
    unwrapped = [endpoint for endpoint, view in app.view_functions.items()
                 if endpoint != "static" and not getattr(view, "_unit_of_work", False)]
    assert unwrapped == []


def _regions() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Region.id)))


def test_work_that_returns_is_committed_and_work_that_raises_is_not(app):
    unit_of_work.run(lambda: db.session.add(Region(name="Kept")))
    with pytest.raises(ValueError):
        def fails():
            db.session.add(Region(name="Dropped"))
            db.session.flush()
            raise ValueError("refused")
        unit_of_work.run(fails)
    assert _regions() == 1
    assert db.session.scalar(select(Region.name)) == "Kept"


def test_an_error_answer_rolls_back_what_the_view_added(app):
    fresh = create_app({**app.config, "TESTING": True})  # the suite's app has served requests: no new routes

    @fresh.get("/_test/<int:code>")
    def _answers(code):
        db.session.add(Region(name=f"Answered {code}"))
        return "done", code
    unit_of_work.wrap_views(fresh)
    with fresh.app_context():
        assert fresh.test_client().get("/_test/400").status_code == 400
        assert fresh.test_client().get("/_test/201").status_code == 201
        names = db.session.scalars(select(Region.name)).all()
        db.session.remove()
    assert names == ["Answered 201"]


def test_a_locked_sqlite_is_tried_once_more(app):
    """SQLite's one writer can refuse at once; PostgreSQL waits on row locks, so its errors are real."""
    sqlite = db.engine.dialect.name == "sqlite"
    tries = []

    def work():
        tries.append(1)
        db.session.add(Region(name=f"Try {len(tries)}"))
        db.session.flush()
        if len(tries) == 1:
            raise OperationalError("INSERT", {}, Exception("database is locked"))
    if sqlite:
        unit_of_work.run(work)
        assert db.session.scalar(select(Region.name)) == "Try 2"
    else:
        with pytest.raises(OperationalError):
            unit_of_work.run(work)
        assert _regions() == 0
    assert len(tries) == (2 if sqlite else 1)


def test_a_second_lock_is_not_hidden(app):
    tries = []

    def work():
        tries.append(1)
        raise OperationalError("INSERT", {}, Exception("database is locked"))
    with pytest.raises(OperationalError):
        unit_of_work.run(work)
    assert len(tries) == (2 if db.engine.dialect.name == "sqlite" else 1)


def test_two_writers_at_once_both_land(app):
    """Two units of work writing at the same moment (SQLite's one writer, PostgreSQL's rows) both commit."""
    barrier = threading.Barrier(2)
    errors = []

    def writer(name):
        with app.app_context():
            try:
                def work():
                    db.session.execute(text("SELECT 1"))
                    barrier.wait(5)
                    db.session.add(Region(name=name))
                unit_of_work.run(work)
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                db.session.remove()
    threads = [threading.Thread(target=writer, args=(name,)) for name in ("North", "South")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert _regions() == 2
