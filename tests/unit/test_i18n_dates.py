"""One date style per language (lms/i18n.py DATE_FORMATS), whatever name a page asks for."""

from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale, format_date, format_datetime, format_time

MOMENT = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)  # 09:30 in Rome


@pytest.mark.parametrize("name", ["short", "medium", None])
def test_english_dates_have_one_format(app, name):
    with app.test_request_context(), force_locale("en"):
        assert format_date(date(2026, 11, 24), name) == "24 Nov 2026"
        assert format_datetime(MOMENT, name) == "24 Nov 2026, 09:30"
        assert format_time(MOMENT, name) == "09:30"


def test_long_and_full_dates_in_english_are_day_first(app):
    with app.test_request_context(), force_locale("en"):
        assert format_date(date(2026, 11, 24), "long") == "24 November 2026"
        assert format_date(date(2026, 11, 24), "full") == "Tuesday 24 November 2026"
        assert format_datetime(MOMENT, "long") == "24 November 2026, 09:30"


def test_italian_short_dates_have_a_four_digit_year(app):
    with app.test_request_context(), force_locale("it"):
        assert format_date(date(2026, 11, 4), "short") == "04/11/2026"
        assert format_datetime(MOMENT, "short") == "24/11/2026 09:30"
        assert format_datetime(MOMENT) == "24 nov 2026, 09:30"
