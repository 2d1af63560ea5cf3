"""Configuration: classes plus LMS_ environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DEFAULT_SECRET_KEY = "dev-secret-change-me"  # noqa: S105 - refused outside debug and testing


class Config:
    SECRET_KEY = DEFAULT_SECRET_KEY
    SQLALCHEMY_DATABASE_URI: str | None = None  # set from instance path when None
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 14
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 8
    BABEL_DEFAULT_LOCALE = "it"
    BABEL_DEFAULT_TIMEZONE = "Europe/Rome"
    LANGUAGES = ("it", "en")
    REDIS_URL: str | None = None
    RATELIMIT_LOGIN = "10 per minute"
    RATELIMIT_ENABLED = True
    PASSWORD_RESET_HOURS = 72
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    UPLOAD_FOLDER: str | None = None  # instance/uploads when None
    DEMO_PASSWORD = "demo-password"  # noqa: S105 - invented demo accounts only
    TRAINING_BODY_NAME = "Ente di formazione Rencontrer (dimostrativo)"
    TRAINING_BODY_ACCREDITATION = "Accreditamento regionale n. DEMO-0000 (dimostrativo)"
    BASE_URL: str | None = None  # public address used in e-mailed links (LMS_BASE_URL)
    MAIL_URL: str | None = None  # smtp://user:pass@host:587?starttls=1; unset: the outbox
    MAIL_FROM = "Rencontrer LMS <no-reply@localhost>"
    MAIL_OUTBOX: str | None = None  # instance/outbox when None
    MAIL_MAX_ATTEMPTS = 8
    RATELIMIT_PASSWORD_RESET = "5 per 15 minutes"  # noqa: S105 - a rate limit
    PASSWORD_RESET_INTERVAL_MINUTES = 5  # at most one self-service link per account in this time
    DEBUG = False
    TESTING = False


LOCAL_BASE_URL = "http://127.0.0.1:5000"


class DevelopmentConfig(Config):
    DEBUG = True
    BASE_URL = LOCAL_BASE_URL
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class LocalConfig(Config):
    """`make run`: plain HTTP on 127.0.0.1, no debugger, a generated secret key."""

    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    BASE_URL = LOCAL_BASE_URL


class TestingConfig(Config):
    TESTING = True
    BASE_URL = LOCAL_BASE_URL
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = False
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    RATELIMIT_ENABLED = False
    SERVER_NAME = None


class ProductionConfig(Config):
    pass


CONFIGS = {
    "development": DevelopmentConfig,
    "local": LocalConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}

# Environment variables read on top of the class, with their type.
ENV_SETTINGS: dict[str, type] = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "REDIS_URL": str,
    "MAX_CONTENT_LENGTH": int,
    "SESSION_COOKIE_SECURE": bool,
    "REMEMBER_COOKIE_SECURE": bool,
    "DEMO_PASSWORD": str,
    "UPLOAD_FOLDER": str,
    "RATELIMIT_LOGIN": str,
    "TRAINING_BODY_NAME": str,
    "TRAINING_BODY_ACCREDITATION": str,
    "PASSWORD_RESET_HOURS": int,
    "BASE_URL": str,
    "MAIL_URL": str,
    "MAIL_FROM": str,
    "MAIL_OUTBOX": str,
    "RATELIMIT_PASSWORD_RESET": str,
}


def _parse(value: str, kind: type) -> Any:
    if kind is bool:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if kind is int:
        return int(value)
    return value


def load_config(app, config: dict | str | None) -> None:
    """Fill app.config from a config class, LMS_ variables and an optional mapping."""
    if isinstance(config, str):
        name = config
        overrides: dict = {}
    else:
        name = os.environ.get("LMS_CONFIG", "production")
        overrides = dict(config or {})
        if overrides.get("TESTING"):
            name = "testing"
    app.config.from_object(CONFIGS.get(name, ProductionConfig))
    for key, kind in ENV_SETTINGS.items():
        raw = os.environ.get(f"LMS_{key}")
        if raw is None or raw == "":
            continue
        target = "SQLALCHEMY_DATABASE_URI" if key == "DATABASE_URL" else key
        app.config[target] = _parse(raw, kind)
    app.config.update(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'lms.sqlite'}"
        )
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = str(Path(app.instance_path) / "uploads")
    if not app.config.get("MAIL_OUTBOX"):
        app.config["MAIL_OUTBOX"] = str(Path(app.instance_path) / "outbox")
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql://"):
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            "postgresql+psycopg://" + uri[len("postgresql://") :]
        )
    app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"


def problems(app) -> list[str]:
    """Return what is misconfigured, in plain words."""
    found = []
    debug_or_test = app.debug or app.testing
    if app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY and not debug_or_test:
        found.append("LMS_SECRET_KEY is not set: the default secret key is refused in production.")
    if len(app.config["SECRET_KEY"]) < 16 and not debug_or_test:
        found.append("LMS_SECRET_KEY is shorter than 16 characters.")
    if not debug_or_test and not app.config.get("SESSION_COOKIE_SECURE"):
        found.append("Session cookies are not marked Secure outside debug.")
    if not debug_or_test and app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        found.append("SQLite is in use: set LMS_DATABASE_URL to PostgreSQL for a real deployment.")
    if not debug_or_test and not app.config.get("REDIS_URL"):
        found.append("LMS_REDIS_URL is not set: login rate limits are kept in memory, per process.")
    if not app.config.get("BASE_URL"):
        found.append("LMS_BASE_URL is not set: links in e-mails cannot be built.")
    if app.config.get("MAIL_URL"):
        from lms.mail.transport import SmtpTransport

        try:
            SmtpTransport(app.config["MAIL_URL"])
        except ValueError as err:
            found.append(str(err) + ".")
    elif not debug_or_test:
        found.append(
            "LMS_MAIL_URL is not set: e-mails are only written to the outbox folder "
            f"({app.config['MAIL_OUTBOX']}), never delivered."
        )
    return found


def fatal_problems(app) -> list[str]:
    """Problems that stop the app from starting."""
    if app.debug or app.testing:
        return []
    return [p for p in problems(app) if p.startswith("LMS_SECRET_KEY")]
