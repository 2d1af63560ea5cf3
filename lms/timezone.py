"""The programme's local time zone: lessons are local dates and times in Europe/Rome."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TZ_NAME = "Europe/Rome"
LOCAL_TZ = ZoneInfo(LOCAL_TZ_NAME)


def local_date(now: dt.datetime) -> dt.date:
    """The local calendar day of an aware instant."""
    return now.astimezone(LOCAL_TZ).date()


def day_start_utc(day: dt.date) -> dt.datetime:
    """The UTC instant at which a local day starts."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=LOCAL_TZ).astimezone(dt.UTC)
