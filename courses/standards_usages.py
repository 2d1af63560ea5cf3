"""The modules that point at framework items, for the standards pages (lms.standards.usages)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from courses.models import Module, module_framework_items
from courses.permissions import can_edit_module, can_view_module
from lms.db import db
from lms.standards.usages import Usage


def module_usages(actor, item_ids: list[int]) -> list[Usage]:
    """One query: the modules aligned to these items, linked for who may open them."""
    link = module_framework_items.c
    rows = db.session.execute(
        select(link.framework_item_id, Module)
        .join(Module, Module.id == link.module_id)
        .where(link.framework_item_id.in_(item_ids))
        .order_by(Module.code)
    ).all()
    out = []
    for item_id, module in rows:
        if can_edit_module(actor, module):
            link = ("courses.edit_module", {"module_id": module.id})
        elif can_view_module(actor, module):
            link = ("courses.modules", {})
        else:
            link = None
        out.append(Usage(item_id, _("Module"), f"{module.code} {module.title}", link))
    return out


def register(app) -> None:
    from lms.standards.usages import register_usage_provider

    register_usage_provider(app, module_usages)
