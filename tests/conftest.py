"""Shared fixtures: a migrated database per test, an app, a client and data built by services.

SQLite (default): the migrations run once into a template file that each test copies.
PostgreSQL (LMS_TEST_DATABASE_URL): the migrations run once; each test starts from empty tables.
"""

from __future__ import annotations

import contextvars
import os
import shutil
from pathlib import Path

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from lms import create_app
from lms.db import db
from tests.factories import TEST_PASSWORD, Factory
from tests.s3server import s3_config, storage_under_test

PG_URL = os.environ.get("LMS_TEST_DATABASE_URL")


def _normalise_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


_APPS: list = []  # every test app, so that its pooled connections are closed after the test


def make_test_app(database_url: str, tmp_path: Path, **overrides):
    """An app in testing mode on the given database (its connections closed after the test)."""
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "MAIL_OUTBOX": str(tmp_path / "outbox"),
        "MAIL_URL": None,  # the outbox, unless a test starts an SMTP server
        "SECRET_KEY": "test-secret-key-not-for-production",
    }
    if storage_under_test() == "s3":  # the file tests against a local S3 emulator
        config.update(s3_config())
    config.update(overrides)
    app = create_app(config)
    _APPS.append(app)
    return app


@pytest.fixture(autouse=True)
def _close_test_app_connections():
    """Close the pooled connections of the apps a test built: an app a test forgets would
    otherwise leave PostgreSQL connections for the garbage collector (a ResourceWarning,
    an error under filterwarnings = error). The engines stay usable."""
    yield
    while _APPS:
        app = _APPS.pop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def migrate_to_head(database_url: str, tmp_path: Path) -> None:
    """Run every migration on an empty database."""
    from flask_migrate import upgrade

    app = make_test_app(database_url, tmp_path)
    with app.app_context():
        upgrade()
        db.engine.dispose()


def reset_postgres_schema(url: str) -> None:
    """Drop everything in the public schema of the test database."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def truncate_postgres(url: str) -> None:
    """Empty every table (triggers off for this cleanup session only)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        tables = [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            )
        ]
        if tables:
            conn.execute(text("SET session_replication_role = replica"))
            conn.execute(
                text(
                    "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
                )
            )
            conn.execute(text("SET session_replication_role = DEFAULT"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """A migrated database: a SQLite template file, or the PostgreSQL test database."""
    base = tmp_path_factory.mktemp("db")
    if PG_URL:
        url = _normalise_url(PG_URL)
        reset_postgres_schema(url)
        migrate_to_head(url, base)
        return url
    path = base / "template.sqlite"
    migrate_to_head(f"sqlite:///{path}", base)
    return path


@pytest.fixture
def database_url(database_template, tmp_path):
    """A fresh, migrated, empty database for one test."""
    if PG_URL:
        truncate_postgres(database_template)
        return database_template
    path = tmp_path / "test.sqlite"
    shutil.copy(database_template, path)
    return f"sqlite:///{path}"


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context and database session, as in production.

    The test's own session is expired afterwards, so it reads what the request committed.
    """

    def open(self, *args, **kwargs):
        def run():
            _cv_app.set(None)
            return FlaskClient.open(self, *args, **kwargs)

        resp = contextvars.copy_context().run(run)
        if _cv_app.get(None) is not None:
            db.session.expire_all()
        return resp


@pytest.fixture
def app(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path)
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make():
    return Factory()


def login(client, user, password: str = TEST_PASSWORD):
    """Log a user in through the real login form."""
    resp = client.post("/accesso", data={"email": user.email, "password": password})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:500]
    return resp


@pytest.fixture
def login_as(client):
    def _login(user, password: str = TEST_PASSWORD):
        login(client, user, password)
        return client

    return _login


# --- keys (creds) ---
@pytest.fixture(scope="session", autouse=True)
def test_keys_dir(tmp_path_factory):
    """The training body's keys for the whole run, in a temporary KEYS_DIR (never the
    instance folder): every test app reads LMS_KEYS_DIR; a test may set KEYS_DIR itself."""
    from types import SimpleNamespace

    from lms.keys import create_keys

    folder = tmp_path_factory.mktemp("keys") / "keys"
    create_keys(SimpleNamespace(config={"KEYS_DIR": str(folder)}, instance_path="", extensions={}))
    previous = os.environ.get("LMS_KEYS_DIR")
    os.environ["LMS_KEYS_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("LMS_KEYS_DIR", None)
    else:
        os.environ["LMS_KEYS_DIR"] = previous


# --- end keys (creds) ---
