"""The migration history: upgrade, compare with the models, downgrade, upgrade again.

Runs on a scratch database: a SQLite file, or, when LMS_TEST_DATABASE_URL is set, a
PostgreSQL database created next to the test database and dropped afterwards.
"""

from __future__ import annotations

import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from lms.db import db
from tests.conftest import PG_URL, _normalise_url, make_test_app


@pytest.fixture
def scratch_url(tmp_path):
    """An empty database for this test only."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    url = make_url(_normalise_url(PG_URL))
    name = f"{url.database}_migrations"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def scratch_app(scratch_url, tmp_path):
    app = make_test_app(scratch_url, tmp_path)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def tables() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def schema_differences() -> list:
    """What autogenerate would put in a new migration (nothing, when models and history agree).

    SQLite cannot reflect indexes on expressions (the case-insensitive unique indexes), so
    there they are skipped with a warning; PostgreSQL compares them too.
    """
    with db.engine.connect() as conn, warnings.catch_warnings():
        if conn.dialect.name == "sqlite":
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression")
            warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expr")
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": False}
        )
        return compare_metadata(context, db.metadata)


def test_upgrade_matches_models_and_downgrade_removes_everything(scratch_app):
    upgrade()
    assert "users" in tables()
    differences = schema_differences()
    assert differences == [], (
        "The models and the migrations disagree; write a migration for:\n"
        + "\n".join(map(repr, differences))
    )

    downgrade(revision="base")
    assert tables() == {"alembic_version"}

    upgrade()
    assert schema_differences() == []
    with db.engine.connect() as conn:
        head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert head


def test_audit_entries_are_append_only(scratch_app):
    from lms.audit.services import record

    upgrade()
    entry = record(None, "test.append_only", "user", 1, None, {"a": 1}, "a reason")
    db.session.flush()
    entry_id = entry.id
    db.session.commit()
    db.session.close()  # hold no lock while the raw statements run
    with db.engine.connect() as conn:
        for statement in (
            "UPDATE audit_entries SET action = 'tampered' WHERE id = :id",
            "DELETE FROM audit_entries WHERE id = :id",
        ):
            with pytest.raises(DBAPIError, match="append-only"), conn.begin():
                conn.execute(text(statement), {"id": entry_id})
        if conn.dialect.name == "postgresql":
            with pytest.raises(DBAPIError, match="append-only"), conn.begin():
                conn.execute(text("TRUNCATE audit_entries"))
        row = conn.execute(
            text("SELECT action FROM audit_entries WHERE id = :id"), {"id": entry_id}
        ).scalar_one()
    assert row == "test.append_only"
