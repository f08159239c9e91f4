"""Typed errors raised by services and importers; the web layer maps each to one HTTP answer.

They live outside ``services`` so that pure code (importers, domain helpers)
can raise them without importing the database layer.
"""
from __future__ import annotations


class FieldopsError(Exception):
    """Base class: ``message`` is what the user reads."""
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(FieldopsError):
    status = 404


class Forbidden(FieldopsError):
    status = 403


class Conflict(FieldopsError):
    status = 409


class InvalidInput(FieldopsError):
    """Bad input, with where it was found: the file, the row or feature, the field."""
    status = 400

    def __init__(self, message: str, *, file: str | None = None, row: int | str | None = None,
                 field: str | None = None):
        where = ", ".join(part for part in (
            f"file {file}" if file else "",
            f"row {row}" if row is not None else "",
            f"field {field!r}" if field else "",
        ) if part)
        super().__init__(f"{where}: {message}" if where else message)
        self.file, self.row, self.field = file, row, field
