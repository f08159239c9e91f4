"""The one rule for transactions: services never commit; a unit of work does.

Every route (wrapped when the app is built, see ``wrap_views``), every ``flask``
command and every background job runs its work through ``run``: the work's
changes are committed once when it returns, rolled back when it raises, and
when SQLite reports the database locked by another writer the whole work is
rolled back and run once more. A page or API answer with an error status
(400 and up) is rolled back too: whatever the view added before it decided
to refuse is never half-written.
"""
from __future__ import annotations

import functools
import time
from typing import Callable, TypeVar

from flask import Flask, current_app
from sqlalchemy.exc import OperationalError

from .extensions import db

T = TypeVar("T")
LOCKED_RETRY_PAUSE_S = 0.05


def _sqlite_locked(error: OperationalError) -> bool:
    return db.session.get_bind().dialect.name == "sqlite" and "locked" in str(error).lower()


def run(work: Callable[..., T], *args, keep: Callable[[T], bool] = lambda _: True, **kwargs) -> T:
    """Run ``work(*args, **kwargs)`` as one transaction and return what it returned.

    ``keep(result)`` says whether to commit what the work did (else it is rolled back).
    """
    for attempt in (1, 2):
        try:
            result = work(*args, **kwargs)
        except OperationalError as error:
            db.session.rollback()
            if attempt == 1 and _sqlite_locked(error):
                time.sleep(LOCKED_RETRY_PAUSE_S)
                continue
            raise
        except BaseException:
            db.session.rollback()
            raise
        try:
            if keep(result):
                db.session.commit()
            else:
                db.session.rollback()
        except OperationalError as error:
            db.session.rollback()
            if attempt == 1 and _sqlite_locked(error):
                time.sleep(LOCKED_RETRY_PAUSE_S)
                continue
            raise
        return result
    raise AssertionError("unreachable")  # pragma: no cover


def transactional(function: Callable[..., T]) -> Callable[..., T]:
    """``function`` run as one unit of work each time it is called (commands, jobs)."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return run(function, *args, **kwargs)
    return wrapper


def _view(view):
    """A view as one unit of work: commit after a success, roll back after an error answer."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        def answer():
            return current_app.make_response(view(*args, **kwargs))
        return run(answer, keep=lambda response: response.status_code < 400)
    return wrapper


def wrap_views(app: Flask) -> None:
    """Make every route of the app (but the static files) one unit of work. Call after all blueprints."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static" and not getattr(view, "_unit_of_work", False):
            wrapped = _view(view)
            wrapped._unit_of_work = True
            app.view_functions[endpoint] = wrapped


def undo() -> None:
    """Forget what a refused attempt changed, before the view shows its form again with the reason.

    The unit of work would roll it back anyway after an error answer; a view calls this first so the
    page it renders reads the database as it is, not the half-made change.
    """
    db.session.rollback()
