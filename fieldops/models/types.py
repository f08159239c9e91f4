"""Portable column types: geometry as WKB bytes, the same on SQLite and PostgreSQL."""
from __future__ import annotations

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import LargeBinary
from sqlalchemy.types import TypeDecorator


class WKBGeometry(TypeDecorator):
    """A Shapely geometry stored as well-known binary, lon/lat (EPSG:4326)."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: BaseGeometry | bytes | None, dialect) -> bytes | None:
        if value is None or isinstance(value, bytes):
            return value
        return shapely.to_wkb(value)

    def process_result_value(self, value: bytes | None, dialect) -> BaseGeometry | None:
        if value is None:
            return None
        return shapely.from_wkb(bytes(value))
