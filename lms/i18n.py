"""Language selection and the translation catalogues of each package."""

from __future__ import annotations

from flask import current_app, g, has_request_context, request, session
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
