"""SQL and timestamps that behave the same on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Date, String, cast, func, literal

from ..domain.time_zones import UTC
from ..extensions import db

SQLITE_LOCAL_DAY = "fieldops_local_day"  # registered on every SQLite connection (fieldops/__init__.py)


def utc_day(column):
    """The UTC calendar day of a timestamp column, on either database."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone("UTC", column), Date)
    return func.date(column)


def local_day(column, zone):
    """The calendar day of a timestamp column on a time zone's clock, on either database.

    ``zone`` is an IANA name, or a column or expression holding one (an office's ``time_zone``);
    a NULL zone counts as UTC. PostgreSQL converts with its own tz database; SQLite calls
    ``domain.time_zones.sqlite_local_day``, registered on each connection.
    """
    zone = literal(zone, String) if isinstance(zone, str) or zone is None else zone
    zone = func.coalesce(zone, UTC)
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone(zone, column), Date)
    return getattr(func, SQLITE_LOCAL_DAY)(column, zone, type_=Date)


def aware(moment: datetime | None) -> datetime | None:
    """A stored timestamp with its zone: SQLite hands them back naive, and they are stored as UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment
