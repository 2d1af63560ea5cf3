"""JSON shapes of framework editing in the API (reading lives in certificates.api.frameworks)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lms.api.io import Id
from lms.standards.models import ItemKind


class FrameworkOutSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    title = fields.String()
    issuer = fields.String()
    legal_act = fields.String()
    version = fields.String()
    valid_from = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)
    description = fields.String()
    illustrative = fields.Boolean()
    status = fields.Function(lambda f: f.status.value)
    based_on_id = fields.Integer(allow_none=True)
    published_at = fields.AwareDateTime(allow_none=True)
    retired_at = fields.AwareDateTime(allow_none=True)


class FrameworkUpdateSchema(Schema):
    """PATCH /frameworks/<id>: the fields to change of a draft."""

    code = fields.String(validate=validate.Length(min=1, max=40))
    title = fields.String(validate=validate.Length(min=1, max=300))
    issuer = fields.String(validate=validate.Length(min=1, max=200))
    legal_act = fields.String(validate=validate.Length(max=300))
    valid_from = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)
    description = fields.String(validate=validate.Length(max=10000))
    illustrative = fields.Boolean()


class FrameworkCreateSchema(FrameworkUpdateSchema):
    """POST /frameworks: a new draft."""

    code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    issuer = fields.String(required=True, validate=validate.Length(min=1, max=200))
    version = fields.String(load_default="1", validate=validate.Length(min=1, max=40))


class ItemOutSchema(Schema):
    id = fields.Integer()
    framework_id = fields.Integer()
    uuid = fields.String()
    kind = fields.Function(lambda i: i.kind.value)
    code = fields.String()
    title = fields.String()
    description = fields.String()
    position = fields.Integer()
    competence_id = fields.Integer(allow_none=True)


class ItemUpdateSchema(Schema):
    """PATCH /framework-items/<id>: code and text of an item of a draft."""

    code = fields.String(validate=validate.Length(min=1, max=40))
    title = fields.String(validate=validate.Length(min=1, max=500))
    description = fields.String(validate=validate.Length(max=10000))


class ItemCreateSchema(ItemUpdateSchema):
    """POST /frameworks/<id>/items: a competence, or an ability or knowledge item of one."""

    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in ItemKind]))
    code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    position = fields.Integer(load_default=0, validate=validate.Range(min=0, max=100000))
    competence_id = Id(load_default=None, allow_none=True)
