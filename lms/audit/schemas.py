"""JSON shapes of the audit trail."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate


class AuditEntrySchema(Schema):
    class Meta:
        fields = (
            "id",
            "at",
            "actor_id",
            "action",
            "object_type",
            "object_id",
            "before",
            "after",
            "reason",
            "client_address",
        )
        ordered = True

    id = fields.Integer()
    at = fields.AwareDateTime()
    actor_id = fields.Integer(allow_none=True)
    action = fields.String()
    object_type = fields.String()
    object_id = fields.String()
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    reason = fields.String(allow_none=True)
    client_address = fields.String(allow_none=True)


class AuditFilterSchema(Schema):
    """Query string of GET /audit; dates are Europe/Rome days, both included."""

    class Meta:
        unknown = EXCLUDE

    actor_id = fields.Integer()
    object_type = fields.String(load_default="", validate=validate.Length(max=60))
    object_id = fields.String(load_default="", validate=validate.Length(max=60))
    action = fields.String(load_default="", validate=validate.Length(max=80))
    date_from = fields.Date(data_key="from")
    date_to = fields.Date(data_key="to")
