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
from dataclasses import dataclass
from pathlib import Path

import pytest

from lms import FEATURE_PACKAGES, PROJECT_ROOT

LAYERS = {"lms": 0, "courses": 1, "assessments": 2, "certificates": 3}
_FLASK_REQUEST = {"request", "session", "g", "request_ctx", "flash", "get_flashed_messages"}
_FLASK_HELPERS = {"url_for", "abort", "redirect", "send_file", "send_from_directory"}
_FLASK_CONTEXT = {"copy_current_request_context", "stream_with_context"}
_LOGIN = {"current_user", "login_user", "logout_user", "login_required", "fresh_login_required"}
REQUEST_BOUND: dict[str, set[str]] = {
    "flask": _FLASK_REQUEST | _FLASK_HELPERS | _FLASK_CONTEXT,
    "flask.globals": {"request", "session", "g", "request_ctx", "_cv_request"},
    "flask.helpers": _FLASK_HELPERS | _FLASK_CONTEXT | {"flash", "get_flashed_messages"},
    "flask.ctx": _FLASK_CONTEXT,
    "werkzeug.exceptions": {"abort"},
    "werkzeug.utils": {"redirect", "send_file", "send_from_directory"},
    "flask_login": _LOGIN,
    "flask_login.utils": _LOGIN | {"_get_user"},
    "flask_wtf.csrf": {"generate_csrf", "validate_csrf"},
}
# The web layer: modules that serve a request and may read its state. Everything else is pure.
VIEW_PARTS = {"views"}  # a views module or folder (also `admin_views`: see kind)
API_PARTS = {"api"}  # an api module or folder, e.g. lms/api/, courses/api.py
CLI_NAMES = {"cli"}  # lms/cli.py: the `flask lms` commands, the demo entry among them
# Web helpers, by file name in any package: lms/web.py (views' helpers), security.py (route
# decorators, headers), errors.py (handlers; its exception classes stay importable: only
# the request-bound functions are), navigation.py and panels.py (menus and dashboard panels),
# i18n.py (the locale selector), accounts/auth.py (Flask-Login loaders), files/http.py
# (send_file). Each package's top-level __init__.py (app factory, blueprint wiring) too.
WEB_HELPER_NAMES = {"web", "security", "errors", "navigation", "panels", "i18n", "auth", "http"}


@dataclass(frozen=True)
class Module:
    name: str  # dotted, e.g. courses.services.lessons
    path: Path
    is_package: bool  # an __init__.py

    @property
    def package(self) -> str:
        return self.name.split(".")[0]

    @property
    def kind(self) -> str:
        """views, api, cli, web (other web-layer helpers) or pure."""
        parts = self.name.split(".")
        if any(p in VIEW_PARTS or p.endswith("_views") for p in parts[1:]):
            return "views"
        if API_PARTS.intersection(parts[1:]):
            return "api"
        if len(parts) > 1 and parts[-1] in CLI_NAMES:
            return "cli"
        if (len(parts) == 1 and self.is_package) or parts[-1] in WEB_HELPER_NAMES:
            return "web"
        return "pure"

    @property
    def is_pure(self) -> bool:
        return self.kind == "pure"

    @property
    def may_commit(self) -> bool:
        return self.kind in {"views", "api", "cli"}


def project_modules(root: Path = PROJECT_ROOT) -> list[Module]:
    """Every Python module of the four packages."""
    found = []
    for package in LAYERS:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            found.append(Module(".".join(parts[:-1] if is_package else parts), path, is_package))
    return found


def absolute_target(module: Module, node: ast.ImportFrom) -> str:
    """The absolute dotted module an ImportFrom refers to (relative imports resolved)."""
    if node.level == 0:
        return node.module or ""
    base = module.name.split(".")
    if not module.is_package:
        base = base[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imported_modules(module: Module, tree: ast.AST) -> list[tuple[int, str]]:
    """(line, dotted name) of every import, also inside functions and TYPE_CHECKING blocks."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = absolute_target(module, node)
            found.append((node.lineno, target))
            # `from courses import services` names a module too.
            found += [(node.lineno, f"{target}.{a.name}") for a in node.names if a.name != "*"]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def where(module: Module, line: int) -> str:
    """path:line, relative to the project when it can be."""
    path = module.path
    if path.is_absolute() and path.is_relative_to(PROJECT_ROOT):
        path = path.relative_to(PROJECT_ROOT)
    return f"{path}:{line}"


def layer_violations(module: Module, source: str) -> list[str]:
    """Imports of a module that point up the layers."""
    own = LAYERS[module.package]
    problems = []
    for line, name in imported_modules(module, ast.parse(source)):
        top = name.split(".")[0]
        if top in LAYERS and LAYERS[top] > own:
            problems.append(f"{where(module, line)}: {module.package} imports {name}")
    return problems


# --- request state, followed through the project's own functions -----------------------


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


@dataclass
class Parsed:
    module: Module
    tree: ast.Module
    imports: dict[str, str]  # local name -> qualified name (module or module.attr)
    defs: dict[str, ast.AST]  # top-level functions, classes and assigned names

    @classmethod
    def of(cls, module: Module, source: str) -> Parsed:
        tree = ast.parse(source)
        imports: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                target = absolute_target(module, node)
                for a in node.names:
                    imports[a.asname or a.name] = f"{target}.{a.name}"
            elif isinstance(node, ast.Import):
                for a in node.names:
                    imports[a.asname or a.name.split(".")[0]] = (
                        a.name if a.asname else a.name.split(".")[0]
                    )
        defs: dict[str, ast.AST] = {}
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                defs[node.name] = node
            elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if isinstance(target, ast.Name):
                        defs[target.id] = node
        return cls(module, tree, imports, defs)

    def references(self, node: ast.AST) -> list[tuple[int, str]]:
        """(line, qualified name) of the imported or top-level names used under node."""
        found = []
        for sub in ast.walk(node):
            if isinstance(sub, ast.Attribute | ast.Name):
                dotted = _dotted(sub)
                if dotted is None:
                    continue
                head, _, rest = dotted.partition(".")
                if head in self.imports:
                    base = self.imports[head]
                elif head in self.defs:
                    base = f"{self.module.name}.{head}"
                else:
                    continue
                found.append((sub.lineno, f"{base}.{rest}" if rest else base))
            elif isinstance(sub, ast.ImportFrom):
                target = absolute_target(self.module, sub)
                found += [(sub.lineno, f"{target}.{a.name}") for a in sub.names]
        return found


class RequestIndex:
    """Which top-level names of the project read request state, and through what."""

    def __init__(self, parsed: list[Parsed]):
        self.parsed = {p.module.name: p for p in parsed}
        self.bound: dict[str, str] = {}  # qualified name -> why
        refs = {
            f"{p.module.name}.{name}": p.references(node)
            for p in parsed
            for name, node in p.defs.items()
        }
        changed = True
        while changed:
            changed = False
            for qualified, used in refs.items():
                if qualified in self.bound:
                    continue
                for _line, ref in used:
                    why = self.why(ref)
                    if why:
                        self.bound[qualified] = why
                        changed = True
                        break

    def why(self, qualified: str, depth: int = 0) -> str | None:
        """Why a qualified name (or a prefix of it) touches request state, else None."""
        parts = qualified.split(".")
        for i in range(1, len(parts)):
            owner, attr = ".".join(parts[:i]), parts[i]
            if attr in REQUEST_BOUND.get(owner, ()):
                return f"{owner}.{attr}"
            name = f"{owner}.{attr}"
            if name in self.bound:
                return f"{name} -> {self.bound[name]}"
            parsed = self.parsed.get(owner)
            if parsed and attr in parsed.imports and attr not in parsed.defs and depth < 10:
                why = self.why(parsed.imports[attr], depth + 1)  # a re-export
                if why:
                    return f"{name} -> {why}"
        return None

    def violations(self, parsed: Parsed) -> list[str]:
        """Request state reached from anywhere in a (pure) module."""
        seen = set()
        problems = []
        for line, ref in parsed.references(parsed.tree):
            why = self.why(ref)
            if why and (line, why) not in seen:
                seen.add((line, why))
                problems.append(f"{where(parsed.module, line)}: {ref} reads request state ({why})")
        return problems


def commit_violations(module: Module, source: str) -> list[str]:
    """Calls of `.commit()` (db.session.commit(), a connection's, ...) in a module."""
    return [
        f"{where(module, node.lineno)}: calls {_dotted(node.func) or 'commit'}()"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Attribute) and node.func.attr == "commit")
            or (isinstance(node.func, ast.Name) and node.func.id == "commit")
        )
    ]


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
    return RequestIndex([*PARSED, *extra, own]).violations(own)


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
