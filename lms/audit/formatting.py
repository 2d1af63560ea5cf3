"""Values of audited fields shown as on the pages: dates dd/mm/yyyy, times, Europe/Rome."""

from __future__ import annotations

import datetime as dt
import json

from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import gettext as _

DASH = "—"


PERSON = "person"
"""A field holding a user id: shown with the person's name, looked up once per page."""


def show_value(value) -> str:
    """A JSON value of the trail, without knowing the field."""
    if value is None or value == "":
        return DASH
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, list):
        return ", ".join(show_value(v) for v in value) or DASH
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _guard(parse):
    def show(value) -> str:
        if value is None or value == "":
            return DASH
        try:
            return parse(value)
        except (TypeError, ValueError):
            return show_value(value)

    return show


@_guard
def show_date(value) -> str:
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return format_date(day, "short")


@_guard
def show_time(value) -> str:
    moment = value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))
    return moment.strftime("%H:%M")


@_guard
def show_datetime(value) -> str:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return format_datetime(moment, "short")  # in the user's zone, Europe/Rome


@_guard
def show_number(value) -> str:
    return format_decimal(float(value) if isinstance(value, str) else value)


def show_bool(value) -> str:
    return show_value(bool(value)) if value is not None else DASH


def show_choice(labels: dict):
    """A status or another coded value shown with its label; labels may key enums or codes."""
    by_code = {getattr(k, "value", k): v for k, v in labels.items()}

    def show(value) -> str:
        label = by_code.get(value)
        return str(label) if label is not None else show_value(value)

    return show
