"""The shape of the code, read from the source with ast (nothing is imported).

* Layers: lms <- courses <- assessments <- certificates; imports only point down. lms loads
  the feature packages by name inside create_app (lms/__init__.py), never by import.
* Every module outside the web layer (see `kind`) is pure: it never touches request state
  (`REQUEST_BOUND`: flask.request, session, g, request_ctx, flash, url_for, abort, redirect,
  send_file, flask_login.current_user, ...), nor imports or calls a project function that does,
  followed through imports and re-exports to any depth.
* `commit()` is called only by views, API functions and CLI commands (the demo CLI entry too).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from architecture_rules import (
    Module,
    Parsed,
    RequestIndex,
    commit_violations,
    layer_violations,
    project_modules,
)

from lms import FEATURE_PACKAGES, PROJECT_ROOT

MODULES = project_modules()
SOURCES = {m: m.path.read_text(encoding="utf-8") for m in MODULES}
PARSED = [Parsed.of(m, s) for m, s in SOURCES.items()]
INDEX = RequestIndex(PARSED)


def test_the_packages_are_found():
    names = {m.name for m in MODULES}
    assert {"lms", "lms.security", "lms.accounts.services", *FEATURE_PACKAGES} <= names
    pure = {m.name for m in MODULES if m.is_pure}
    assert {
        "courses.attendance",
        "assessments.scoring",
        "lms.accounts.importing",
        "lms.accounts.permissions",
        "courses.services.lessons",
        "lms.exports",
    } <= pure


def test_imports_point_down_the_layers():
    problems = []
    for module, source in SOURCES.items():
        problems += layer_violations(module, source)
    if problems:
        pytest.fail("Imports that point up the layers:\n" + "\n".join(problems), pytrace=False)


def test_lms_loads_feature_packages_by_name_in_create_app():
    tree = ast.parse((PROJECT_ROOT / "lms" / "__init__.py").read_text(encoding="utf-8"))
    create_app = next(
        n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "create_app"
    )
    calls = [
        n
        for n in ast.walk(create_app)
        if isinstance(n, ast.Call) and getattr(n.func, "attr", None) == "import_module"
    ]
    assert calls, "create_app no longer loads the feature packages with importlib"
    assert set(FEATURE_PACKAGES) == {"courses", "assessments", "certificates"}


def test_pure_modules_do_not_touch_the_request():
    problems = []
    for parsed in PARSED:
        if parsed.module.is_pure:
            problems += INDEX.violations(parsed)
    if problems:
        pytest.fail(
            "Modules outside the web layer must take the acting user as an argument and never "
            "read the request, directly or through a helper:\n" + "\n".join(problems),
            pytrace=False,
        )


def test_only_views_api_and_cli_commit():
    problems = []
    for module, source in SOURCES.items():
        if not module.may_commit:
            problems += commit_violations(module, source)
    if problems:
        pytest.fail(
            "Services and helpers flush(); only views, API functions and CLI commands commit:\n"
            + "\n".join(problems),
            pytrace=False,
        )


# --- the checkers themselves catch what they should --------------------------------------


def _module(name: str) -> Module:
    return Module(name, Path(name.replace(".", "/") + ".py"), is_package=False)


def request_violations(name: str, source: str, **others: str) -> list[str]:
    """Violations of one pure module, with other (fake) modules beside the real project."""
    extra = [Parsed.of(_module(n.replace("__", ".")), s) for n, s in others.items()]
    own = Parsed.of(_module(name), source)
    return RequestIndex([*extra, own], base=INDEX).violations(own)


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("lms.views", "from courses.models import Course"),
        ("lms.views", "import certificates.pdf"),
        ("lms.audit.views", "def f():\n    from assessments import services\n"),
        ("courses.views.lessons", "from assessments.models import Quiz"),
        ("courses.services.x", "from ...assessments import models"),
        ("assessments.api", "import importlib\nimportlib.import_module('certificates.api')"),
        ("lms.panels", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import courses\n"),
    ],
)
def test_layer_checker_catches_upward_imports(name, source):
    assert layer_violations(_module(name), source)


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("certificates.services", "from lms.accounts.services import create_user\nimport lms"),
        ("courses.views", "from lms.db import db\nfrom courses.models import Course"),
        ("assessments.services", "from courses.services import enrolments"),
        ("courses.services.lessons", "from ..models import Lesson\nfrom . import catalogue"),
    ],
)
def test_layer_checker_accepts_downward_imports(name, source):
    assert layer_violations(_module(name), source) == []


@pytest.mark.parametrize(
    "source",
    [
        "from flask import request",
        "from flask import current_app, session",
        "from flask import g as flask_g",
        "from flask import flash",
        "from flask import url_for",
        "from flask import abort",
        "from flask import redirect",
        "from werkzeug.exceptions import abort",
        "from flask.globals import request_ctx",
        "from flask_login import current_user",
        "import flask\ndef f():\n    return flask.request.args",
        "import flask\ndef f():\n    flask.abort(404)",
        "import flask_login\ndef f():\n    return flask_login.current_user.id",
        "import flask as fl\nx = fl.session['a']",
        "from flask.globals import request",
        "from lms.web import acting_user",
        "from lms import web\ndef f():\n    return web.acting_user()",
        "import lms.web\ndef f():\n    return lms.web.get_or_404(None, 1)",
        "from lms.security import login_required",
    ],
)
def test_request_checker_catches_request_access(source):
    assert request_violations("courses.services", source)


@pytest.mark.parametrize(
    "source",
    [
        "from courses.helpers import current_page",
        "from courses import helpers\ndef f():\n    return helpers.current_page()",
        "import courses.helpers as h\ndef f():\n    return h.current_page()",
        "from courses.reexport import current_page",  # re-exported by another module
        "from courses.helpers import Pager",  # a class with a method that reads the request
        "from courses.helpers import page_size",  # reads it through current_page
    ],
)
def test_request_checker_follows_helpers_that_read_the_request(source):
    helpers = (
        "from flask import request\n\n"
        "def current_page():\n    return int(request.args.get('page', 1))\n\n"
        "def page_size():\n    return 50 * current_page()\n\n"
        "def plain(n):\n    return n + 1\n\n"
        "class Pager:\n    def page(self):\n        return current_page()\n"
    )
    problems = request_violations(
        "courses.attendance",
        source,
        courses__helpers=helpers,
        courses__reexport="from courses.helpers import current_page\n",
    )
    assert problems, source
    assert "flask.request" in problems[0]
    plain = request_violations(
        "courses.attendance", "from courses.helpers import plain", courses__helpers=helpers
    )
    assert plain == []


def test_request_checker_accepts_plain_modules():
    source = (
        "from flask import current_app\nfrom flask_babel import gettext as _\n"
        "from lms.db import db\nfrom lms.errors import Forbidden, NotFound\n"
        "from lms.permissions import require\nfrom lms.validation import invalid\n\n"
        "def f(actor, request):\n    return request.id, actor\n"
    )
    assert request_violations("courses.services", source) == []


@pytest.mark.parametrize(
    "source",
    [
        "from lms.db import db\ndef f():\n    db.session.commit()",
        "from lms.extensions import db\ndef f(conn):\n    conn.commit()",
        "from sqlalchemy.orm import Session\ndef f(s: Session):\n    s.commit()",
    ],
)
def test_commit_checker_catches_commits(source):
    assert commit_violations(_module("courses.services"), source)
    assert commit_violations(_module("courses.services"), "db.session.flush()") == []


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("courses.services.lessons", "pure"),
        ("courses.attendance", "pure"),
        ("assessments.scoring", "pure"),
        ("lms.accounts.importing", "pure"),
        ("courses.exports", "pure"),
        ("assessments.models.grade", "pure"),
        ("courses.schemas", "pure"),
        ("courses.demo", "pure"),
        ("courses.permissions", "pure"),
        ("courses.forms", "pure"),
        ("courses.views.lessons", "views"),
        ("lms.accounts.admin_views", "views"),
        ("lms.views", "views"),
        ("lms.api.io", "api"),
        ("courses.api", "api"),
        ("lms.cli", "cli"),
        ("lms.jobs.runner", "runner"),
        ("lms.web", "web"),
        ("lms.security", "web"),
        ("lms.errors", "web"),
        ("courses.navigation", "web"),
        ("lms.panels", "web"),
        ("lms.files.http", "web"),
        ("services", "pure"),  # a top-level module name is a package, not a layer word
    ],
)
def test_modules_are_classified(name, kind):
    assert _module(name).kind == kind
    assert Module("courses", Path("courses/__init__.py"), is_package=True).kind == "web"
    assert Module("courses.services", Path("x"), is_package=True).kind == "pure"
    assert _module("courses.views.x").may_commit and not _module("lms.web").may_commit
    assert _module("lms.jobs.runner").may_commit and _module("lms.jobs.runner").is_pure
