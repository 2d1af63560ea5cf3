"""Configuration: classes plus LMS_ environment variables."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
    # Login sessions (server-side): without "keep me logged in", ended after an hour without a
    # request and after 12 hours in any case; with it, after 14 idle days or 30 days.
    SESSION_IDLE_MINUTES = 60
    SESSION_ABSOLUTE_HOURS = 12
    SESSION_REMEMBER_IDLE_DAYS = 14
    SESSION_REMEMBER_DAYS = 30
    REMEMBER_COOKIE_DURATION = dt.timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = dt.timedelta(days=30)
    # Wrong check-in codes allowed per trainee, and per lesson (all trainees together).
    CHECKIN_ATTEMPTS_PER_TRAINEE = "5 per minute; 20 per hour"
    CHECKIN_ATTEMPTS_PER_LESSON = "60 per minute"
    LESSON_LINK_LEAD_MINUTES = 30  # a trainee sees an online lesson's link from this long before
    JOBS_QUEUE = "lms-jobs"  # the RQ queue of background jobs (when REDIS_URL is set)
    JOBS_MAX_ATTEMPTS = 3  # attempts per item of a background job before it is marked failed
    JOBS_RETRY_DELAY = 2.0  # seconds before the second attempt, doubled after each failure
    JOBS_TIMEOUT = 3600  # seconds an RQ worker gives one job (all its items) before stopping it
    DEBUG = False
    TESTING = False


LOCAL_BASE_URL = "http://127.0.0.1:5000"


class DevelopmentConfig(Config):
    DEBUG = True
    BASE_URL = LOCAL_BASE_URL
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class LocalConfig(Config):
    """`make run`: plain HTTP on 127.0.0.1, no debugger, the secret key of instance/secret_key
    (generated on first use), so that `flask lms ...` works in a checkout with no variables."""

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
    JOBS_RETRY_DELAY = 0.0  # tests never wait between attempts


class ProductionConfig(Config):
    pass


class BenchConfig(Config):
    """`python -m bench.run`: production settings over plain HTTP on 127.0.0.1, with no rate
    limits (the load generator is one address), a bare ceiling route and a count of the SQL
    statements of each request in a response header (see `bench_hooks`)."""

    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    BASE_URL = LOCAL_BASE_URL
    RATELIMIT_ENABLED = False
    RATELIMIT_VERIFY = "1000000 per second"


CONFIGS = {
    "development": DevelopmentConfig,
    "local": LocalConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
    "bench": BenchConfig,
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
    "TRUSTED_HOSTS": list,
    "SESSION_IDLE_MINUTES": int,
    "SESSION_ABSOLUTE_HOURS": int,
    "SESSION_REMEMBER_IDLE_DAYS": int,
    "SESSION_REMEMBER_DAYS": int,
    "CHECKIN_ATTEMPTS_PER_TRAINEE": str,
    "CHECKIN_ATTEMPTS_PER_LESSON": str,
    "LESSON_LINK_LEAD_MINUTES": int,
    "JOBS_QUEUE": str,
    "JOBS_MAX_ATTEMPTS": int,
    "JOBS_TIMEOUT": int,
}


def _parse(value: str, kind: type) -> Any:
    if kind is bool:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if kind is int:
        return int(value)
    if kind is list:
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def _trust_base_url_host(app) -> None:
    """Outside debug and tests, answer only requests for the host of LMS_BASE_URL (or of
    LMS_TRUSTED_HOSTS): Flask refuses any other Host header with a 400, so no link, redirect
    or page is ever built for a host an attacker chose."""
    if app.config.get("TRUSTED_HOSTS") or app.debug or app.testing:
        return
    host = urlsplit(app.config.get("BASE_URL") or "").hostname
    if host:
        app.config["TRUSTED_HOSTS"] = list(LOOPBACK_HOSTS) if host in LOOPBACK_HOSTS else [host]


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
    app.config["CONFIG_NAME"] = name if name in CONFIGS else "production"
    if app.config["CONFIG_NAME"] == "local" and not os.environ.get("LMS_SECRET_KEY"):
        app.config["SECRET_KEY"] = local_secret_key(Path(app.instance_path))
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
    _trust_base_url_host(app)
    if app.config["CONFIG_NAME"] == "bench":
        from lms.bench_hooks import bench_hooks

        bench_hooks(app)
    bad_url = database_url_problem(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["CONFIG_ERRORS"] = [bad_url] if bad_url else []
    from lms.storage import storage_url_problem

    bad_storage = storage_url_problem(app.config.get("STORAGE_URL"))
    if bad_storage:
        app.config["CONFIG_ERRORS"].append(bad_storage)
    if bad_url and check_requested(app):
        # `flask lms check` must still build the app to report the problem.
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"


def local_secret_key(instance: Path) -> str:
    """The key kept in instance/secret_key, written there on first use."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48) + "\n", encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def check_requested(app=None, argv: list[str] | None = None) -> bool:
    """True when this process runs `flask [...] lms check` (or the config asks for it): the
    app is then built even when misconfigured, so that the command can list what is wrong."""
    if app is not None and app.config.get("CHECK_ONLY"):
        return True
    args = (sys.argv if argv is None else argv)[1:]
    return any(args[i : i + 2] == ["lms", "check"] for i in range(len(args)))


def database_url_problem(uri: str) -> str | None:
    """A readable line when the database URL cannot be used at all, else None."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        make_url(uri).get_dialect().import_dbapi()
    except (ArgumentError, NoSuchModuleError, ImportError, ValueError) as err:
        return f"LMS_DATABASE_URL is not a usable database URL: {err}"
    return None


# --- issued documents (issue) ---
# The training body that issues certificates, as printed on them and shown by verification
# (LMS_ISSUER_NAME, LMS_ISSUER_ACCREDITATION, LMS_ISSUER_ADDRESS, LMS_ISSUER_URL), and the
# limits of one PDF rendering process (LMS_PDF_TIMEOUT_SECONDS, LMS_PDF_MEMORY_MB).
Config.ISSUER_NAME = Config.TRAINING_BODY_NAME
Config.ISSUER_ACCREDITATION = Config.TRAINING_BODY_ACCREDITATION
Config.ISSUER_ADDRESS = "Via dell'Esempio 1, 20100 Milano (MI) (indirizzo dimostrativo)"
Config.ISSUER_URL = "https://ente.example"
Config.PDF_TIMEOUT_SECONDS = 60
Config.PDF_MEMORY_MB = 1024
ENV_SETTINGS.update(
    {
        "ISSUER_NAME": str,
        "ISSUER_ACCREDITATION": str,
        "ISSUER_ADDRESS": str,
        "ISSUER_URL": str,
        "PDF_TIMEOUT_SECONDS": int,
        "PDF_MEMORY_MB": int,
    }
)

# --- verification and revocation (verify) ---
# The public verification pages and API (/verify, /api/v1/verify): per address, pages and API
# together; an uploaded PDF to compare is at most VERIFY_MAX_BYTES (hashed, never stored).
Config.RATELIMIT_VERIFY = "30 per minute"
Config.VERIFY_MAX_BYTES = 20 * 1024 * 1024
ENV_SETTINGS["RATELIMIT_VERIFY"] = str
ENV_SETTINGS["VERIFY_MAX_BYTES"] = int

# --- keys and signing (creds) ---
# KEYS_DIR: the training body's key files (default <instance>/keys, see lms.keys);
# SIGNING_CERT / SIGNING_KEY / SIGNING_KEY_PASSWORD: a real PDF signing certificate (PEM) and
# its key instead of the self-signed one. Read with app.config.get(...): unset means default.
ENV_SETTINGS.update(
    {
        "KEYS_DIR": str,
        "SIGNING_CERT": str,
        "SIGNING_KEY": str,
        "SIGNING_KEY_PASSWORD": str,
    }
)
# --- end keys and signing (creds) ---

# --- more than one machine (issue 12) ---
# Where stored files' bytes live (lms/storage): unset, the local UPLOAD_FOLDER; file:///folder;
# s3://bucket/prefix with LMS_STORAGE_S3_ENDPOINT_URL for a non-AWS object store (credentials
# from the standard AWS_* variables). PROXY_HOPS: how many reverse proxies in front of the app
# set X-Forwarded-For/-Proto (werkzeug's ProxyFix trusts that many; 0 trusts none).
Config.STORAGE_URL = None
Config.STORAGE_S3_ENDPOINT_URL = None
Config.PROXY_HOPS = 0
ENV_SETTINGS.update({"STORAGE_URL": str, "STORAGE_S3_ENDPOINT_URL": str, "PROXY_HOPS": int})
