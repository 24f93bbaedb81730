"""URL converters: ``<int:…>`` accepts only ids a database column can hold.

Without a bound, ``/api/v1/problems/99999999999999999999`` reached the database and
failed there (SQLite: OverflowError; PostgreSQL: integer out of range), a server error
instead of 404. Every id column is a 32-bit integer on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """Like Werkzeug's ``int``, but bounded to 0..2**31-1 (the OpenAPI document says so)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Any) -> None:
    """Use the bounded converter for ``<int:…>``; call before any route is added."""
    app.url_map.converters["int"] = IdConverter
