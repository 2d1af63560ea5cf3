"""Framework editing in the API (admins), as the admin pages do: POST /frameworks (a draft),
PATCH /frameworks/<id>, POST /frameworks/<id>/items, PATCH and DELETE /framework-items/<id>,
POST /frameworks/<id>/publish, /retire and /versions. A change to a published or retired
framework is a 409 problem with a message."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from lms.api import blueprint as api
from lms.api.io import endpoint
from lms.db import db
from lms.errors import ValidationFailed
from lms.security import allowed_if
from lms.standards import editing, lifecycle, services
from lms.standards.models import FRAMEWORK_FIELDS, Framework, FrameworkItem, ItemKind
from lms.standards.permissions import can_manage_standards, can_view_framework
from lms.standards.schemas import (
    FrameworkCreateSchema,
    FrameworkOutSchema,
    FrameworkUpdateSchema,
    ItemCreateSchema,
    ItemOutSchema,
    ItemUpdateSchema,
)
from lms.web import acting_user, get_or_404, require_visible


def _framework(framework_id: int) -> Framework:
    return get_or_404(Framework, framework_id, visible=can_view_framework)


def _item(item_id: int) -> FrameworkItem:
    item = get_or_404(FrameworkItem, item_id)
    framework = db.session.get(Framework, item.framework_id)
    require_visible(can_view_framework(acting_user(), framework))
    return item


def _created(fw: Framework):
    return (
        FrameworkOutSchema().dump(fw),
        201,
        {"Location": url_for("api.frameworks_get", framework_id=fw.id)},
    )


@api.post("/frameworks")
@allowed_if(can_manage_standards)
@endpoint(
    body=FrameworkCreateSchema,
    response=FrameworkOutSchema,
    status=201,
    summary="Create a draft framework",
)
def frameworks_create(data):
    fw = services.create_framework(acting_user(), **data)
    db.session.commit()
    return _created(fw)


@api.patch("/frameworks/<int:framework_id>")
@allowed_if(can_manage_standards)
@endpoint(body=FrameworkUpdateSchema, response=FrameworkOutSchema, summary="Edit a draft")
def frameworks_update(framework_id: int, data):
    fw = _framework(framework_id)
    lifecycle.ensure_draft(fw)
    values = {f: getattr(fw, f) for f in FRAMEWORK_FIELDS}
    values.update(data)
    editing.edit_framework(acting_user(), fw, **values)
    db.session.commit()
    return fw


@api.post("/frameworks/<int:framework_id>/items")
@allowed_if(can_manage_standards)
@endpoint(
    body=ItemCreateSchema,
    response=ItemOutSchema,
    status=201,
    summary="Add a competence, ability or knowledge item to a draft",
)
def frameworks_add_item(framework_id: int, data):
    fw = _framework(framework_id)
    lifecycle.ensure_draft(fw)
    me = acting_user()
    kind = ItemKind(data["kind"])
    fields = {
        "code": data["code"],
        "title": data["title"],
        "description": data.get("description", ""),
        "position": data["position"],
    }
    if kind == ItemKind.COMPETENCE:
        item = services.create_competence(me, fw, **fields)
    else:
        parent = db.session.get(FrameworkItem, data["competence_id"] or 0)
        if parent is None or parent.framework_id != fw.id or parent.competence_id is not None:
            msg = _("Choose the competence it belongs to.")
            raise ValidationFailed(msg, {"competence_id": [msg]})
        make = (
            services.create_ability if kind == ItemKind.ABILITY else services.create_knowledge_item
        )
        item = make(me, parent, **fields)
    db.session.commit()
    return ItemOutSchema().dump(item), 201


@api.patch("/framework-items/<int:item_id>")
@allowed_if(can_manage_standards)
@endpoint(body=ItemUpdateSchema, response=ItemOutSchema, summary="Edit an item of a draft")
def framework_items_update(item_id: int, data):
    item = _item(item_id)
    lifecycle.ensure_draft(db.session.get(Framework, item.framework_id))
    editing.edit_item(
        acting_user(),
        item,
        code=data.get("code", item.code),
        title=data.get("title", item.title),
        description=data.get("description", item.description),
    )
    db.session.commit()
    return item


@api.delete("/framework-items/<int:item_id>")
@allowed_if(can_manage_standards)
@endpoint(summary="Remove an item of a draft (a competence with its items)")
def framework_items_delete(item_id: int):
    item = _item(item_id)
    editing.delete_item(acting_user(), item)
    db.session.commit()
    return "", 204


@api.post("/frameworks/<int:framework_id>/publish")
@allowed_if(can_manage_standards)
@endpoint(response=FrameworkOutSchema, summary="Publish a draft")
def frameworks_publish(framework_id: int):
    fw = lifecycle.publish(acting_user(), _framework(framework_id))
    db.session.commit()
    return fw


@api.post("/frameworks/<int:framework_id>/retire")
@allowed_if(can_manage_standards)
@endpoint(response=FrameworkOutSchema, summary="Retire a published framework")
def frameworks_retire(framework_id: int):
    fw = lifecycle.retire(acting_user(), _framework(framework_id))
    db.session.commit()
    return fw


@api.post("/frameworks/<int:framework_id>/versions")
@allowed_if(can_manage_standards)
@endpoint(response=FrameworkOutSchema, status=201, summary="Copy into a new draft version")
def frameworks_new_version(framework_id: int):
    copy = lifecycle.new_version(acting_user(), _framework(framework_id))
    db.session.commit()
    return _created(copy)
