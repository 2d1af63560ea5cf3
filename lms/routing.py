"""URLs: the converters of every route (an ``<int:...>`` id beyond what an id column holds
matches no route, a 404, instead of overflowing in the database driver, a 500) and absolute
links on the configured base URL."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app
from werkzeug.routing import IntegerConverter

from lms.db import MAX_ID


class IdConverter(IntegerConverter):
    """``<int:name>`` limited to 0 .. MAX_ID."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def base_url() -> str:
    """The configured public address of the app (LMS_BASE_URL), without trailing slash."""
    url = current_app.config.get("BASE_URL")
    if not url:
        raise RuntimeError("LMS_BASE_URL is not set: absolute links cannot be built.")
    return url.rstrip("/")


def absolute_url(endpoint: str, **values) -> str:
    """An absolute link to a route on the configured base URL, never on the request's Host
    (links in e-mails, password links, QR codes, verification addresses, credentials)."""
    parts = urlsplit(base_url())
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def init_app(app: Flask) -> None:
    """Install the converters (call before any blueprint is registered) and the Jinja global
    `absolute_url`."""
    app.url_map.converters["int"] = IdConverter
    app.jinja_env.globals["absolute_url"] = absolute_url
