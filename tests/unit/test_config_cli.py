"""Configuration checks and the `flask lms` commands."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select, table

from lms import create_app
from lms.accounts.models import Role
from lms.config import DEFAULT_SECRET_KEY
from lms.db import db

GOOD_SECRET = "a-long-and-random-production-secret"


@pytest.fixture
def no_lms_env(monkeypatch):
    """Keep the developer's LMS_ variables out of these tests."""
    import os

    for key in list(os.environ):
        if key.startswith("LMS_") and key != "LMS_TEST_DATABASE_URL":
            monkeypatch.delenv(key)


def production_app(tmp_path, **overrides):
    config = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite'}",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
    }
    config.update(overrides)
    return create_app(config)


def test_production_refuses_the_default_secret_key(no_lms_env, tmp_path):
    with pytest.raises(RuntimeError, match="LMS_SECRET_KEY"):
        production_app(tmp_path)
    with pytest.raises(RuntimeError, match="LMS_SECRET_KEY"):
        production_app(tmp_path, SECRET_KEY=DEFAULT_SECRET_KEY)
    with pytest.raises(RuntimeError, match="shorter than 16"):
        production_app(tmp_path, SECRET_KEY="short")


def test_production_secret_key_from_the_environment(no_lms_env, monkeypatch, tmp_path):
    monkeypatch.setenv("LMS_SECRET_KEY", GOOD_SECRET)
    app = production_app(tmp_path)
    assert app.secret_key == GOOD_SECRET
    assert not app.debug and not app.testing


def test_check_lists_the_problems_of_a_careless_deployment(no_lms_env, tmp_path):
    app = production_app(tmp_path, SECRET_KEY=GOOD_SECRET, SESSION_COOKIE_SECURE=False)
    result = app.test_cli_runner().invoke(args=["lms", "check"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("- ")]
    assert len(lines) >= 3, result.output
    assert "Secure" in result.output
    assert "SQLite" in result.output
    assert "LMS_REDIS_URL" in result.output
    assert "LMS_BASE_URL" in result.output  # links in e-mails could not be built
    assert "LMS_MAIL_URL" in result.output  # e-mails would stay in the outbox


def test_check_passes_a_proper_deployment(no_lms_env, tmp_path):
    app = production_app(
        tmp_path,
        SECRET_KEY=GOOD_SECRET,
        SQLALCHEMY_DATABASE_URI="postgresql://lms@db.example/lms",
        REDIS_URL="redis://cache.example:6379/0",
        BASE_URL="https://lms.example.org",
        MAIL_URL="smtp://lms:secret@mail.example.org:587?starttls=1",
    )
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    result = app.test_cli_runner().invoke(args=["lms", "check"])
    assert result.exit_code == 0, result.output
    assert "Configuration OK." in result.output


def test_token_create_prints_a_working_token(app, client, make):
    user = make.user(Role.TRAINER, email="docente.token@example.org")
    result = app.test_cli_runner().invoke(args=["lms", "token", "create", user.email])
    assert result.exit_code == 0, result.output
    raw = result.output.strip()
    assert raw and "\n" not in raw
    resp = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert resp.status_code == 200
    assert resp.json["email"] == user.email
    wrong = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}x"})
    assert wrong.status_code == 401


def test_token_create_refuses_unknown_and_inactive_users(app, make):
    from lms.accounts.services import set_active

    runner = app.test_cli_runner()
    result = runner.invoke(args=["lms", "token", "create", "nobody@example.org"])
    assert result.exit_code == 1
    admin = make.user(Role.ADMIN)
    user = make.user(Role.TRAINEE)
    set_active(admin, user, False)
    db.session.commit()
    assert runner.invoke(args=["lms", "token", "create", user.email]).exit_code == 1


def row_counts() -> dict[str, int]:
    """Rows in every table of the database."""
    db.session.remove()
    names = inspect(db.engine).get_table_names()
    return {
        name: db.session.scalar(select(func.count()).select_from(table(name)))
        for name in names
        if name != "alembic_version"
    }


def test_demo_twice_creates_nothing_new(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["lms", "demo"])
    assert first.exit_code == 0, first.output
    assert "admin@demo.example" in first.output
    before = row_counts()
    assert before["users"] > 0 and before["organisations"] > 0
    second = runner.invoke(args=["lms", "demo"])
    assert second.exit_code == 0, second.output
    after = row_counts()
    grown = {t: (before[t], after[t]) for t in after if after[t] != before.get(t)}
    assert not grown, f"a second `flask lms demo` changed these tables: {grown}"


def test_check_flags_a_mail_url_that_is_not_smtp(no_lms_env, tmp_path):
    app = production_app(
        tmp_path,
        SECRET_KEY=GOOD_SECRET,
        SQLALCHEMY_DATABASE_URI="postgresql://lms@db.example/lms",
        REDIS_URL="redis://cache.example:6379/0",
        BASE_URL="https://lms.example.org",
        MAIL_URL="mail.example.org:587",
    )
    result = app.test_cli_runner().invoke(args=["lms", "check"])
    assert result.exit_code == 1
    assert "LMS_MAIL_URL must look like smtp://" in result.output
