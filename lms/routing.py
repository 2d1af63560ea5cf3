"""URL converters of every route: an ``<int:...>`` id beyond what an id column holds matches no
route (a 404), instead of reaching the database driver and overflowing (a 500)."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from lms.db import MAX_ID


class IdConverter(IntegerConverter):
    """``<int:name>`` limited to 0 .. MAX_ID."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Install the converters; call before any blueprint is registered."""
    app.url_map.converters["int"] = IdConverter
