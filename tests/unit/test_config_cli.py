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
    assert "DEMO-0000" in result.output
    assert "Traceback" not in result.output


PROPER = {
    "SECRET_KEY": GOOD_SECRET,
    "TRAINING_BODY_NAME": "Ente Esempio",
    "TRAINING_BODY_ACCREDITATION": "Accreditamento regionale n. 1234",
}


def test_check_passes_a_proper_deployment(no_lms_env, tmp_path):
    app = production_app(
        tmp_path,
        SQLALCHEMY_DATABASE_URI="postgresql://lms@db.example/lms",
        REDIS_URL="redis://cache.example:6379/0",
        **PROPER,
        BASE_URL="https://lms.example.org",
        MAIL_URL="smtp://lms:secret@mail.example.org:587?starttls=1",
    )
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    # --offline: these hosts do not exist; reaching them is tested below on closed local ports.
    result = app.test_cli_runner().invoke(args=["lms", "check", "--offline"])
    assert result.exit_code == 0, result.output
    assert "Checking the production configuration." in result.output
    assert "Configuration OK." in result.output


def test_check_reaches_the_database(no_lms_env, tmp_path):
    app = production_app(tmp_path, SESSION_COOKIE_SECURE=True, **PROPER)
    result = app.test_cli_runner().invoke(args=["lms", "check"])
    assert "does not answer" not in result.output  # the SQLite file opens
    assert "- The database has no tables yet: run `flask db upgrade`." in result.output
    closed = production_app(
        tmp_path, SQLALCHEMY_DATABASE_URI="postgresql://lms@127.0.0.1:1/lms", **PROPER
    )
    result = closed.test_cli_runner().invoke(args=["lms", "check"])
    assert result.exit_code == 1
    assert "- The database does not answer:" in result.output
    assert "Traceback" not in result.output


def test_check_reports_an_unreachable_redis(no_lms_env, tmp_path):
    app = production_app(tmp_path, REDIS_URL="redis://127.0.0.1:1/0", **PROPER)
    result = app.test_cli_runner().invoke(args=["lms", "check"])
    assert result.exit_code == 1
    assert "- Redis at LMS_REDIS_URL does not answer:" in result.output


@pytest.mark.parametrize("url", ["nonsense", "nosuchdb://x/y", "postgresql+nodriver://h/d"])
def test_a_bad_database_url_is_a_readable_line(no_lms_env, tmp_path, url):
    with pytest.raises(RuntimeError, match="not a usable database URL"):
        production_app(tmp_path, SQLALCHEMY_DATABASE_URI=url, **PROPER)
    app = production_app(tmp_path, SQLALCHEMY_DATABASE_URI=url, CHECK_ONLY=True, **PROPER)
    result = app.test_cli_runner().invoke(args=["lms", "check"])
    assert result.exit_code == 1
    assert "- LMS_DATABASE_URL is not a usable database URL:" in result.output
    assert "SQLite" not in result.output


def test_check_lists_a_missing_secret_instead_of_refusing(no_lms_env, tmp_path):
    app = production_app(tmp_path, CHECK_ONLY=True)
    result = app.test_cli_runner().invoke(args=["lms", "check"])
    assert result.exit_code == 1
    assert "- LMS_SECRET_KEY is not set" in result.output


def test_check_is_recognised_on_the_command_line():
    from lms.config import check_requested

    assert check_requested(argv=["flask", "lms", "check"])
    assert check_requested(argv=["flask", "--app", "wsgi", "lms", "check", "--offline"])
    assert not check_requested(argv=["flask", "lms", "demo"])
    assert not check_requested(argv=["gunicorn", "wsgi:app"])


def test_flask_lms_check_in_a_shell_prints_lines_not_a_traceback(no_lms_env, tmp_path):
    import os
    import subprocess
    import sys

    from lms import PROJECT_ROOT

    env = {**os.environ, "LMS_CONFIG": "production", "LMS_DATABASE_URL": "nonsense"}
    env.pop("FLASK_APP", None)
    done = subprocess.run(
        [sys.executable, "-m", "flask", "lms", "check"],
        cwd=PROJECT_ROOT,  # .flaskenv names the app
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "- LMS_SECRET_KEY is not set" in done.stdout
    assert "- LMS_DATABASE_URL is not a usable database URL" in done.stdout


def test_local_config_reads_the_checkout_secret_key(no_lms_env, monkeypatch, tmp_path):
    from flask import Flask

    from lms.config import load_config

    monkeypatch.setenv("LMS_CONFIG", "local")
    first = Flask("probe", instance_path=str(tmp_path / "instance"))
    load_config(first, None)
    key = (tmp_path / "instance" / "secret_key").read_text().strip()
    assert first.config["SECRET_KEY"] == key and len(key) > 40
    second = Flask("probe", instance_path=str(tmp_path / "instance"))
    load_config(second, None)
    assert second.config["SECRET_KEY"] == key
    monkeypatch.setenv("LMS_SECRET_KEY", GOOD_SECRET)
    third = Flask("probe", instance_path=str(tmp_path / "instance"))
    load_config(third, None)
    assert third.config["SECRET_KEY"] == GOOD_SECRET


def test_local_config_is_not_held_to_production_rules(no_lms_env, monkeypatch, tmp_path):
    from flask import Flask

    from lms.config import load_config
    from lms.config_checks import problems

    monkeypatch.setenv("LMS_CONFIG", "local")
    app = Flask("probe", instance_path=str(tmp_path / "instance"))
    load_config(app, None)
    assert problems(app) == []  # SQLite, no Redis, plain HTTP and the demo body are fine here


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
    # the certificates step too: dossiers with evidence, files and decisions
    for name in ("dossiers", "evidence_records", "evidence_files", "competence_decisions"):
        assert before.get(name, 0) > 0, name
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
