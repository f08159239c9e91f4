"""Fast bulk inserts inside the current transaction: COPY on PostgreSQL, executemany on SQLite.

Imports write hundreds of thousands of rows; going through the driver's
native bulk path (tuples, no per-row SQLAlchemy processing) is what keeps a
million-row voter file to seconds rather than minutes.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager

from sqlalchemy import Table
from sqlalchemy.schema import AddConstraint, DropConstraint

from ..extensions import db


REPORT_EVERY_ROWS = 50_000  # how often a long write says how far it got (a job's progress bar)


def insert_rows(table: Table, columns: Sequence[str], rows: Iterable[Sequence],
                written: Callable[[int], None] | None = None) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table``; returns how many. ``written(count)`` is
    told the rows written so far every ``REPORT_EVERY_ROWS``: a million people take a while."""
    connection = db.session.connection()
    raw = connection.connection.driver_connection
    quoted = ", ".join(f'"{c}"' for c in columns)
    count = 0
    if connection.dialect.name == "postgresql":
        with raw.cursor() as cursor:
            with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
                    if written is not None and count % REPORT_EVERY_ROWS == 0:
                        written(count)
        if written is not None and count % REPORT_EVERY_ROWS:
            written(count)  # the last, short stretch
        return count
    rows = list(rows)
    placeholders = ", ".join("?" for _ in columns)
    cursor = raw.cursor()
    try:
        for start in range(0, len(rows), REPORT_EVERY_ROWS):
            cursor.executemany(f'INSERT INTO "{table.name}" ({quoted}) VALUES ({placeholders})',
                               rows[start:start + REPORT_EVERY_ROWS])
            if written is not None:
                written(min(start + REPORT_EVERY_ROWS, len(rows)))
    finally:
        cursor.close()
    return len(rows)


@contextmanager
def restoring(tables: Sequence[Table]):
    """Fill ``tables`` as a restore does: without their secondary indexes and (on PostgreSQL, where each
    row would otherwise look up every foreign key on its own) without their foreign keys; then build
    each index and check each key once, over the whole table. Inside the current transaction."""
    connection = db.session.connection()
    indexes = [index for table in tables for index in table.indexes]
    keys = ([key for table in tables for key in table.foreign_key_constraints]
            if connection.dialect.name == "postgresql" else [])
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '512MB'")
    for key in keys:
        connection.execute(DropConstraint(key))
    for index in indexes:
        index.drop(connection)
    yield
    for index in indexes:
        index.create(connection)
    for key in keys:
        connection.execute(AddConstraint(key))
