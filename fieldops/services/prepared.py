"""Statements every sync runs, built once per database kind and run on the session's connection.

A phone's batch runs about a dozen statements, and a busy office sends a
hundred batches a second. A read built anew and run through the ORM session
costs 3 to 4 times the CPU of one built once, with its values bound per call,
and run as Core (``bench/statement_cost.py``). Run as Core, these statements
do not flush the session first: callers flush what they added before.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Result

from ..extensions import db


def per_database(build: Callable[[str], Any]) -> Callable[[], Any]:
    """Decorate ``build(dialect_name)`` so it runs once per database kind; call the result for its value."""
    cached = functools.cache(build)

    @functools.wraps(build)
    def statements() -> Any:
        return cached(db.session.get_bind().dialect.name)
    return statements


def run(statement, params: dict | list[dict] | None = None) -> Result:
    """Run a prebuilt statement with its values, in the session's transaction."""
    return db.session.connection().execute(statement, params)
