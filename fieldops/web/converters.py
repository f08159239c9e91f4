"""URL converters: ids in paths are whole numbers a database column can hold, or the route does not match."""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

from ..domain.contacts import MAX_ID


class IdConverter(IntegerConverter):
    """``<int:...>`` for record ids: 1 to 2**31 - 1. Anything larger is a 404, not a database error."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's name
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
