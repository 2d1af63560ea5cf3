"""What `flask lms check` and the start-up report about the configuration: settings that are
missing or unsafe, and services that cannot be reached."""

from __future__ import annotations

from lms.config import DEFAULT_SECRET_KEY, Config, check_requested


def problems(app) -> list[str]:
    """Return what is misconfigured, in plain words."""
    found = list(app.config.get("CONFIG_ERRORS", []))
    debug_or_test = app.debug or app.testing
    # make run, development and the tests run on one machine over plain HTTP with SQLite.
    on_one_machine = debug_or_test or app.config.get("CONFIG_NAME") == "local"
    if app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY and not debug_or_test:
        found.append("LMS_SECRET_KEY is not set: the default secret key is refused in production.")
    if len(app.config["SECRET_KEY"]) < 16 and not debug_or_test:
        found.append("LMS_SECRET_KEY is shorter than 16 characters.")
    if not on_one_machine and not app.config.get("SESSION_COOKIE_SECURE"):
        found.append("Session cookies are not marked Secure outside debug.")
    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    if not on_one_machine and sqlite and not app.config["CONFIG_ERRORS"]:
        found.append("SQLite is in use: set LMS_DATABASE_URL to PostgreSQL for a real deployment.")
    if not on_one_machine and not app.config.get("REDIS_URL"):
        found.append(
            "LMS_REDIS_URL is not set: login rate limits are kept in memory, per process, and "
            "background jobs run in threads of the app process (no `flask lms worker`)."
        )
    if not on_one_machine:
        if app.config["TRAINING_BODY_ACCREDITATION"] == Config.TRAINING_BODY_ACCREDITATION:
            found.append(
                "LMS_TRAINING_BODY_ACCREDITATION is the demo reference (DEMO-0000): set the "
                "training body's real accreditation, printed on registers and documents."
            )
        if app.config["TRAINING_BODY_NAME"] == Config.TRAINING_BODY_NAME:
            found.append("LMS_TRAINING_BODY_NAME is the demo training body: set the real name.")
    if not app.config.get("BASE_URL"):
        found.append("LMS_BASE_URL is not set: links in e-mails cannot be built.")
    if app.config.get("MAIL_URL"):
        from lms.mail.transport import SmtpTransport

        try:
            SmtpTransport(app.config["MAIL_URL"])
        except ValueError as err:
            found.append(str(err) + ".")
    elif not on_one_machine:
        found.append(
            "LMS_MAIL_URL is not set: e-mails are only written to the outbox folder "
            f"({app.config['MAIL_OUTBOX']}), never delivered."
        )
    return found


def reachability_problems(app) -> list[str]:
    """Try the database and, when configured, Redis; a readable line for each that fails."""
    found = []
    if not app.config.get("CONFIG_ERRORS"):
        from sqlalchemy import create_engine, inspect, text

        uri = app.config["SQLALCHEMY_DATABASE_URI"]
        args = {} if uri.startswith("sqlite") else {"connect_timeout": 5}
        engine = create_engine(uri, connect_args=args)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
                if not inspect(conn).has_table("alembic_version"):
                    found.append("The database has no tables yet: run `flask db upgrade`.")
        except Exception as err:  # any driver error: report it, never a traceback
            found.append(f"The database does not answer: {_first_line(err)}")
        finally:
            engine.dispose()
    if app.config.get("REDIS_URL"):
        import redis

        try:
            client = redis.Redis.from_url(
                app.config["REDIS_URL"], socket_connect_timeout=3, socket_timeout=3
            )
            client.ping()
            client.close()
        except (redis.RedisError, ValueError, OSError) as err:
            found.append(f"Redis at LMS_REDIS_URL does not answer: {_first_line(err)}")
    return found


def _first_line(err: Exception) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0]


def fatal_problems(app) -> list[str]:
    """Problems that stop the app from starting (`flask lms check` lists them instead)."""
    if check_requested(app):
        return []
    found = list(app.config.get("CONFIG_ERRORS", []))
    if app.debug or app.testing:
        return found
    return found + [p for p in problems(app) if p.startswith("LMS_SECRET_KEY")]
