"""Typed errors raised by services and importers; the web layer maps each to one HTTP answer.

They live outside ``services`` so that pure code (importers, domain helpers)
can raise them without importing the database layer.

A message is English text with named placeholders, marked for the catalogs and given its values apart:
``Conflict(N_("%(turf)s is checked out"), turf=turf.name)``. ``message`` is the English sentence (the
API's JSON, the CLI, logs: a contract); the pages show it in the reader's language through
``fieldops.i18n.error_text``, which translates ``text`` and then fills in ``values``. Raising code
imports no Flask.
"""
from __future__ import annotations

from typing import Any


def _english(text: str, values: dict[str, Any]) -> str:
    return text % values if values else text


class FieldopsError(Exception):
    """Base class: ``message`` is what the user reads (English); ``text`` and ``values`` translate it."""
    status = 400

    def __init__(self, message: str | BaseException, **values: Any):
        if isinstance(message, BaseException):  # a domain refusal passed on (domain.text.Refused): its words kept
            values = {**getattr(message, "values", {}), **values}
            message = getattr(message, "text", str(message))
        self.text, self.values = message, values
        self.message = _english(message, values)
        super().__init__(self.message)


class NotFound(FieldopsError):
    status = 404


class Forbidden(FieldopsError):
    status = 403


class Conflict(FieldopsError):
    status = 409


# Where an input error was found, in words the catalogs translate (N_ is pybabel's mark; see domain/text.py).
WHERE_FILE, WHERE_ROW, WHERE_FIELD = "file %(file)s", "row %(row)s", "field '%(field)s'"


class InvalidInput(FieldopsError):
    """Bad input, with where it was found: the file, the row or feature, the field."""
    status = 400

    def __init__(self, message: str | BaseException, *, file: str | None = None, row: int | str | None = None,
                 field: str | None = None, **values: Any):
        super().__init__(message, **values)
        self.reason = self.message
        self.file, self.row, self.field = file, row, field
        where = ", ".join(self.where(lambda text, **v: text % v))
        if where:
            self.message = f"{where}: {self.message}"
            self.args = (self.message,)

    def where(self, say) -> list[str]:
        """The file, row and field, each worded by ``say(text, **values)`` (English, or a page's gettext)."""
        return [part for part in (
            say(WHERE_FILE, file=self.file) if self.file else "",
            say(WHERE_ROW, row=self.row) if self.row is not None else "",
            say(WHERE_FIELD, field=self.field) if self.field else "",
        ) if part]


def words_of(error: FieldopsError) -> dict[str, Any]:
    """The refusal as the catalogs know it, JSON-ready, to keep with what it refused (a failed job): its text,
    its values (as text unless numbers), and where bad input was (file, row, field)."""
    where = {key: getattr(error, key, None) for key in ("file", "row", "field")}
    return {"text": error.text, "values": {key: value if isinstance(value, (int, float, str)) else str(value)
                                           for key, value in error.values.items()},
            **{key: value for key, value in where.items() if value is not None}}


def N_(text: str) -> str:  # pragma: no cover - a mark for pybabel only (the same as domain/text.py's)
    return text


# The marks, so the catalogs hold the three words of `where` (pybabel reads calls, not constants).
N_("file %(file)s"), N_("row %(row)s"), N_("field '%(field)s'")
