"""The module catalogue through the API."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from courses.models import Module
from courses.permissions import can_manage_catalogue, can_view_catalogue, can_view_module
from courses.schemas import ModuleDetailSchema, ModuleInSchema, ModuleSchema
from courses.services import catalogue
from lms.api import blueprint as api
from lms.api.io import endpoint
from lms.db import db
from lms.security import allowed_if
from lms.web import acting_user, require_visible


def _detail(module_id: int) -> Module:
    return db.first_or_404(
        select(Module).where(Module.id == module_id).options(selectinload(Module.framework_items))
    )


@api.get("/modules")
@allowed_if(can_view_catalogue)
@endpoint(response=ModuleSchema, paginated=True, summary="The module catalogue")
def api_modules():
    return catalogue.list_modules(acting_user())


@api.get("/modules/<int:module_id>")
@allowed_if(can_view_catalogue)
@endpoint(response=ModuleDetailSchema, summary="One module, with its framework items")
def api_module(module_id: int):
    module = _detail(module_id)
    require_visible(can_view_module(acting_user(), module))
    return module


@api.post("/modules")
@allowed_if(can_manage_catalogue)
@endpoint(body=ModuleInSchema, response=ModuleDetailSchema, status=201, summary="Add a module")
def api_create_module(data):
    module = catalogue.create_module(acting_user(), **data)
    db.session.commit()
    return _detail(module.id)
