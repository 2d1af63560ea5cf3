"""The shape of the code, read from the source with ast (nothing is imported).

* Layers: lms <- courses <- assessments <- certificates; imports only point down. lms loads
  the feature packages by name inside create_app (lms/__init__.py), never by import.
* services and permissions modules never touch the request: no flask.request, session, g,
  flash, url_for, nor flask_login.current_user.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from lms import FEATURE_PACKAGES, PROJECT_ROOT

LAYERS = {"lms": 0, "courses": 1, "assessments": 2, "certificates": 3}
REQUEST_BOUND = {
    "flask": {"request", "session", "g", "flash", "url_for"},
    "flask.globals": {"request", "session", "g"},
    "flask.helpers": {"flash", "url_for"},
    "flask_login": {"current_user"},
    "flask_login.utils": {"current_user"},
}
PURE_MODULE_NAMES = {"services", "permissions"}


@dataclass(frozen=True)
class Module:
    name: str  # dotted, e.g. courses.services.lessons
    path: Path
    is_package: bool  # an __init__.py

    @property
    def package(self) -> str:
        return self.name.split(".")[0]

    @property
    def is_pure(self) -> bool:
        """A services or permissions module, or a file inside such a folder."""
        return bool(PURE_MODULE_NAMES.intersection(self.name.split(".")[1:]))


def project_modules(root: Path = PROJECT_ROOT) -> list[Module]:
    """Every Python module of the four packages."""
    found = []
    for package in LAYERS:
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root).with_suffix("")
            parts = list(rel.parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            found.append(Module(".".join(parts), path, is_package))
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


def layer_violations(module: Module, source: str) -> list[str]:
    """Imports of a module that point up the layers."""
    own = LAYERS[module.package]
    problems = []
    for line, name in imported_modules(module, ast.parse(source)):
        top = name.split(".")[0]
        if top in LAYERS and LAYERS[top] > own:
            problems.append(f"{module.path}:{line}: {module.package} imports {name}")
    return problems


def request_violations(module: Module, source: str) -> list[str]:
    """Uses of request-bound objects in a services or permissions module."""
    tree = ast.parse(source)
    problems = []
    module_aliases: dict[str, str] = {}  # local name -> flask / flask_login module
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = absolute_target(module, node)
            banned = REQUEST_BOUND.get(target, set())
            for alias in node.names:
                if alias.name in banned:
                    problems.append(
                        f"{module.path}:{node.lineno}: imports {alias.name} from {target}"
                    )
                if f"{target}.{alias.name}" in REQUEST_BOUND:
                    module_aliases[alias.asname or alias.name] = f"{target}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in REQUEST_BOUND:
                    local = alias.asname or alias.name
                    module_aliases[local] = alias.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            dotted = _dotted(node)
            if dotted is None:
                continue
            head, _, rest = dotted.partition(".")
            if head not in module_aliases or not rest:
                continue
            full = f"{module_aliases[head]}.{rest}"
            owner, _, attr = full.rpartition(".")
            if attr in REQUEST_BOUND.get(owner, set()):
                problems.append(f"{module.path}:{node.lineno}: uses {full}")
    return problems


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


MODULES = project_modules()


def test_the_packages_are_found():
    names = {m.name for m in MODULES}
    assert {"lms", "lms.security", "lms.accounts.services", *FEATURE_PACKAGES} <= names
    assert any(m.is_pure for m in MODULES)


def test_imports_point_down_the_layers():
    problems = []
    for module in MODULES:
        problems += layer_violations(module, module.path.read_text(encoding="utf-8"))
    assert not problems, "Imports that point up the layers:\n" + "\n".join(problems)


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


def test_services_and_permissions_do_not_touch_the_request():
    problems = []
    for module in MODULES:
        if module.is_pure:
            problems += request_violations(module, module.path.read_text(encoding="utf-8"))
    assert not problems, (
        "services/permissions must take the acting user as an argument and never read "
        "the request:\n" + "\n".join(problems)
    )


# --- the checkers themselves catch what they should --------------------------------------


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
    module = Module(name, Path(name.replace(".", "/") + ".py"), is_package=False)
    assert layer_violations(module, source)


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
    module = Module(name, Path(name.replace(".", "/") + ".py"), is_package=False)
    assert layer_violations(module, source) == []


@pytest.mark.parametrize(
    "source",
    [
        "from flask import request",
        "from flask import current_app, session",
        "from flask import g as flask_g",
        "from flask import flash",
        "from flask import url_for",
        "from flask_login import current_user",
        "import flask\ndef f():\n    return flask.request.args",
        "import flask_login\ndef f():\n    return flask_login.current_user.id",
        "import flask as fl\nx = fl.session['a']",
        "from flask.globals import request",
    ],
)
def test_request_checker_catches_request_access(source):
    module = Module("courses.services", Path("courses/services.py"), is_package=False)
    assert request_violations(module, source)


def test_request_checker_accepts_plain_services():
    source = (
        "from flask import current_app\nfrom flask_babel import gettext as _\n"
        "from lms.db import db\n\ndef f(actor, request):\n    return request.id, actor\n"
    )
    module = Module("courses.services", Path("courses/services.py"), is_package=False)
    assert request_violations(module, source) == []


def test_pure_modules_include_folders():
    assert Module("courses.services.lessons", Path("x"), False).is_pure
    assert Module("certificates.permissions", Path("x"), False).is_pure
    assert Module("assessments.permissions", Path("x"), True).is_pure
    assert not Module("courses.views", Path("x"), False).is_pure
    assert not Module("services", Path("x"), False).is_pure  # top-level name is a package
