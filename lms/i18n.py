"""Language selection and the translation catalogues of each package."""

from __future__ import annotations

from collections.abc import Mapping

from flask import current_app, g, has_request_context, request, session
from flask_babel import Babel, get_locale
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from lms import FEATURE_PACKAGES, PROJECT_ROOT


def translation_directories() -> str:
    """Every package keeps its own catalogue; Flask-Babel merges them."""
    dirs = [PROJECT_ROOT / "lms" / "translations"]
    dirs += [PROJECT_ROOT / name / "translations" for name in FEATURE_PACKAGES]
    return ";".join(str(d) for d in dirs if d.is_dir())


def select_locale() -> str:
    """The account's language, else the session's choice, else Italian."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if not g.get("lms_database_down"):
        try:
            if current_user and current_user.is_authenticated and current_user.locale in languages:
                return current_user.locale
        except SQLAlchemyError:  # the database is down: the session or the header decides
            g.lms_database_down = True
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(languages) or "it"
    return current_app.config["BABEL_DEFAULT_LOCALE"]


# One style of dates and times per language, whatever name a page asks for ("short",
# "medium", "long", "full"): day before month, four-digit years, a 24-hour clock, no seconds.
# English would otherwise mix "11/24/26", "Nov 24, 2026" and "24 Nov 2026"; Italian's short
# date has a two-digit year. Pages with a pattern of their own ("d MMM, HH:mm") keep it.
DATE_FORMATS: dict[str, dict[str, str]] = {
    "en": {
        "date.short": "d MMM yyyy",
        "date.medium": "d MMM yyyy",
        "date.long": "d MMMM yyyy",
        "date.full": "EEEE d MMMM yyyy",
        "datetime.short": "d MMM yyyy, HH:mm",
        "datetime.medium": "d MMM yyyy, HH:mm",
        "datetime.long": "d MMMM yyyy, HH:mm",
        "datetime.full": "EEEE d MMMM yyyy, HH:mm",
        "time.short": "HH:mm",
        "time.medium": "HH:mm",
    },
    "it": {
        "date.short": "dd/MM/yyyy",
        "datetime.short": "dd/MM/yyyy HH:mm",
        "datetime.medium": "d MMM yyyy, HH:mm",
        "datetime.long": "d MMMM yyyy, HH:mm",
        "datetime.full": "EEEE d MMMM yyyy, HH:mm",
        "time.short": "HH:mm",
        "time.medium": "HH:mm",
    },
}


class LocaleDateFormats(Mapping):
    """Flask-Babel's date_formats, looked up in the current language's DATE_FORMATS."""

    def __getitem__(self, key: str) -> str | None:
        found = DATE_FORMATS.get(str(get_locale() or ""), {}).get(key)
        return found if found is not None else Babel.default_date_formats[key]

    def __iter__(self):
        return iter(Babel.default_date_formats)

    def __len__(self) -> int:
        return len(Babel.default_date_formats)
