"""The one mechanism behind every permission check; the rules live in each package's
permissions.py as pure predicates ``can_<verb>_<thing>(user, obj) -> bool``.

Services call :func:`require` with a predicate's answer; templates call the same predicates,
which :func:`expose` makes Jinja globals. Nothing here reads request state.
"""

from __future__ import annotations

import inspect
from types import ModuleType

from flask import Flask

from lms.errors import Forbidden, NotFound


def require(allowed: bool, *, private: bool = False) -> None:
    """Raise Forbidden unless allowed; NotFound instead when the object's existence is private."""
    if not allowed:
        raise NotFound() if private else Forbidden()


def require_actor(actor) -> None:
    """Services that change or reveal data always act as somebody (never None)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise Forbidden()


PREDICATE_PREFIXES = ("can_", "is_", "sees_")


def predicates_of(module: ModuleType) -> dict:
    """The public predicates a permissions module defines (not the ones it imports)."""
    return {
        name: fn
        for name, fn in vars(module).items()
        if name.startswith(PREDICATE_PREFIXES)
        and inspect.isfunction(fn)
        and fn.__module__ == module.__name__
    }


def expose(app: Flask, module: ModuleType) -> None:
    """Make a permissions module's predicates Jinja globals, so templates ask the same rules."""
    for name, fn in predicates_of(module).items():
        existing = app.jinja_env.globals.get(name)
        if existing is not None and existing is not fn:
            raise RuntimeError(f"Two permission predicates are called {name}")
        app.jinja_env.globals[name] = fn
