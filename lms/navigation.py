"""Navigation entries and dashboard panels that packages contribute.

lms may not import the feature packages, so they register here from their init_app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Callable[[], str]  # lazy, so it is translated per request
    visible: Callable[[object], bool]
    order: int = 100


@dataclass(frozen=True)
class Panel:
    """A dashboard block: a template and a function building its context for a user."""

    template: str
    visible: Callable[[object], bool]
    context: Callable[[object], dict]
    order: int = 100


@dataclass(frozen=True)
class Block:
    """A block one package contributes to a page of another (e.g. assessments on the trainee's
    course page), which may not import it: a template and its context for (viewer, subject)."""

    template: str
    visible: Callable[[object, object], bool]
    context: Callable[[object, object], dict]
    order: int = 100


def init_app(app: Flask) -> None:
    app.extensions["lms_nav"] = []
    app.extensions["lms_panels"] = []
    app.extensions["lms_blocks"] = {}
    app.extensions["lms_demo_steps"] = []

    @app.context_processor
    def inject_nav():
        from flask_login import current_user

        if not current_user.is_authenticated:
            return {"nav_items": []}
        items = sorted(app.extensions["lms_nav"], key=lambda i: i.order)
        return {"nav_items": [i for i in items if i.visible(current_user)]}


def add_nav(app: Flask, item: NavItem) -> None:
    """Add an entry to the main navigation."""
    app.extensions["lms_nav"].append(item)


def add_panel(app: Flask, panel: Panel) -> None:
    """Add a block to the dashboard."""
    app.extensions["lms_panels"].append(panel)


def add_demo_step(app: Flask, step: Callable[[], None], order: int = 100) -> None:
    """Add a step to `flask lms demo`; steps run in order and must be idempotent."""
    app.extensions["lms_demo_steps"].append((order, step))


def panels_for(app: Flask, user) -> list[tuple[str, dict]]:
    """The dashboard blocks a user sees, with their context."""
    panels = sorted(app.extensions["lms_panels"], key=lambda p: p.order)
    return [(p.template, p.context(user)) for p in panels if p.visible(user)]


def add_block(app: Flask, page: str, block: Block) -> None:
    """Add a block to a named page (the page's owner documents what its subject is)."""
    app.extensions["lms_blocks"].setdefault(page, []).append(block)


def blocks_for(app: Flask, page: str, viewer, subject) -> list[tuple[str, dict]]:
    """The blocks of a page a viewer sees about a subject, with their context."""
    blocks = sorted(app.extensions["lms_blocks"].get(page, []), key=lambda b: b.order)
    return [(b.template, b.context(viewer, subject)) for b in blocks if b.visible(viewer, subject)]
