"""`<int:...>` in every route: only ids a database column can hold, so that a huge number is a 404, not a 500.

Ids are `Integer` columns: 32-bit on PostgreSQL, where a larger number raises "integer out of range", and
at most 2^63 - 1 on SQLite, where a larger one raises OverflowError in the driver. A URL with a number
beyond 2^31 - 1 (or a sign) simply matches no route.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

LARGEST_ID = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """Werkzeug's `int` (no sign), bounded to 0..LARGEST_ID unless a rule says `<int(max=...):name>`."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("min", 0)
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Before any blueprint is registered: a rule binds its converters when it is added."""
    app.url_map.converters["int"] = DatabaseIdConverter
