"""The access table holds: every route, every method, every role, in and out of scope.

One app and one database for the module: the world is built once, refused calls must not
change anything, and the calls that destroy their object get a fresh one each time.
"""

from __future__ import annotations

import shutil
import sys

import pytest
from flask import abort

from lms.db import db
from tests.access.build import build_world
from tests.access.sweep import HIDDEN, REACH, Sweep, coverage_problems
from tests.access.table import TABLE, rule
from tests.conftest import PG_URL, Factory, IsolatedClient, make_test_app, truncate_postgres


@pytest.fixture(scope="module")
def sweep_url(database_template, tmp_path_factory):
    if PG_URL:
        truncate_postgres(database_template)
        return database_template
    path = tmp_path_factory.mktemp("sweep") / "sweep.sqlite"
    shutil.copy(database_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def sweep(sweep_url, tmp_path_factory):
    app = make_test_app(sweep_url, tmp_path_factory.mktemp("sweep-files"))
    app.test_client_class = IsolatedClient
    with app.app_context():
        world = build_world(Factory())
        yield Sweep(app, world)
        db.session.remove()
        db.engine.dispose()


def test_every_route_is_in_the_access_table(sweep):
    problems = coverage_problems(sweep.app, TABLE, sweep.world)
    assert not problems, "\n".join(problems)


def test_every_role_reaches_what_the_table_allows_and_nothing_else(sweep):
    result = sweep.run()
    sys.stdout.write(
        f"\naccess sweep: {result.requests} requests in {result.seconds:.1f} s, "
        f"{len(result.violations)} violations; expected: {dict(result.expected)}\n"
    )
    assert result.requests > 2000
    assert not result.violations, "Access table violated:\n" + result.report()


# --- tests of the test ---------------------------------------------------------------------


def test_a_route_missing_from_the_table_is_reported(sweep_url, tmp_path):
    app = make_test_app(sweep_url, tmp_path)
    app.add_url_rule("/dimenticata/<int:course_id>", "forgotten", lambda course_id: "x")
    assert coverage_problems(app, TABLE) == [
        "forgotten GET /dimenticata/<int:course_id>: not in the access table"
    ]
    stale = {**TABLE, "gone.page": rule("GET", admin="any")}
    assert "gone.page: in the access table but not a route of the app" in coverage_problems(
        make_test_app(sweep_url, tmp_path), stale
    )


def _patch_everywhere(monkeypatch, original, replacement) -> int:
    """Replace a function in every module that holds it, wherever it was imported to."""
    patched = 0
    for module in list(sys.modules.values()):
        for name, value in list(getattr(module, "__dict__", {}).items()):
            if value is original:
                monkeypatch.setattr(module, name, replacement)
                patched += 1
    return patched


def test_a_removed_course_scope_check_is_reported(sweep, monkeypatch):
    """Every trainer becomes a trainer of every course: the sweep must notice."""
    from courses import permissions
    from courses.models import Course
    from lms.accounts.permissions import is_trainer

    assert _patch_everywhere(
        monkeypatch, permissions.is_course_trainer, lambda user, course: is_trainer(user)
    )
    everyone = frozenset(p.id for p in sweep.world.people.values())
    monkeypatch.setattr(Course, "trainer_ids", property(lambda self: everyone))
    result = sweep.run(lambda endpoint, method, role: method == "GET" and role == "trainer")
    leaks = {
        (v.endpoint, v.variant)
        for v in result.violations
        if v.expected == HIDDEN and v.got.startswith("200")
    }
    assert ("assessments.gradebook", "course out") in leaks, result.report()
    assert ("api.get_grade", "other course") in leaks, result.report()
    assert ("courses.lesson", "lesson out") in leaks, result.report()


def test_a_leaky_route_and_a_write_on_refusal_are_reported(sweep, sweep_url, tmp_path):
    """A route without its scope check, and one that writes before it refuses."""
    from courses.models import Course
    from lms.web import acting_user

    app = make_test_app(sweep_url, tmp_path)
    app.test_client_class = IsolatedClient

    def leaky(course_id):
        return {"title": db.get_or_404(Course, course_id).title}  # no scope check

    def writes_then_refuses(course_id):
        course = db.get_or_404(Course, course_id)
        if acting_user().id != sweep.world.users["admin"].id:
            course.description = "changed by a refused call"
            db.session.commit()
            abort(403)
        return "ok"

    from lms.security import login_required

    app.add_url_rule("/prova/<int:course_id>", "leaky", login_required(leaky))
    app.add_url_rule(
        "/prova/<int:course_id>/scrivi",
        "writes",
        login_required(writes_then_refuses),
        methods=["POST"],
    )
    table = {
        "leaky": rule("GET", "course", admin="any", trainer="course"),
        "writes": rule("POST", "course", admin="any"),
    }
    with app.app_context():
        result = Sweep(app, sweep.world, table).run()
    lines = {str(v) for v in result.violations}
    course_out = sweep.world.kinds["course"][1][1].values["course_id"]
    assert (
        f"leaky GET /prova/{course_out} as trainer on course out: expected {HIDDEN}, got 200"
        in lines
    ), result.report()
    assert (
        f"leaky GET /prova/{course_out} as trainee on course out: expected 403 or 404, got 200"
        in lines
    ), result.report()
    assert any(
        v.endpoint == "writes" and v.role == "coordinator" and "wrote UPDATE courses" in v.got
        for v in result.violations
    ), result.report()
    assert not any(v.endpoint == "writes" and v.role == "admin" for v in result.violations)
    assert all(v.expected != REACH for v in result.violations), result.report()
