"""The rules of tests/unit/test_architecture.py: the checkers, read from source with ast."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from lms import PROJECT_ROOT

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
# Background runners own their transactions as a CLI command does (lms/jobs/runner.py commits
# after each item of a job); they stay pure otherwise: no request to read in a worker.
RUNNER_NAMES = {"runner"}
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
        """views, api, cli, runner, web (other web-layer helpers) or pure."""
        parts = self.name.split(".")
        if any(p in VIEW_PARTS or p.endswith("_views") for p in parts[1:]):
            return "views"
        if API_PARTS.intersection(parts[1:]):
            return "api"
        if len(parts) > 1 and parts[-1] in CLI_NAMES:
            return "cli"
        if len(parts) > 1 and parts[-1] in RUNNER_NAMES:
            return "runner"
        if (len(parts) == 1 and self.is_package) or parts[-1] in WEB_HELPER_NAMES:
            return "web"
        return "pure"

    @property
    def is_pure(self) -> bool:
        return self.kind in {"pure", "runner"}

    @property
    def may_commit(self) -> bool:
        return self.kind in {"views", "api", "cli", "runner"}


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

    def __init__(self, parsed: list[Parsed], base: RequestIndex | None = None):
        """Index parsed modules; with base, on top of an index they do not change (the
        checkers' own tests add a few modules to the project's index this way)."""
        names = {p.module.name for p in parsed}
        self.parsed = {**(base.parsed if base else {}), **{p.module.name: p for p in parsed}}
        self.bound: dict[str, str] = {  # qualified name -> why
            k: v
            for k, v in (base.bound if base else {}).items()
            if k.rpartition(".")[0] not in names
        }
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
