"""JSON shapes of the audit trail."""

from __future__ import annotations

from flask_babel import gettext as _
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validates_schema

from lms.api.fields import Text
from lms.api.io import Id


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

    actor_id = Id()
    object_type = Text(60, load_default="")
    object_id = Text(60, load_default="")
    action = Text(80, load_default="")
    date_from = fields.Date(data_key="from")
    date_to = fields.Date(data_key="to")

    @validates_schema
    def check_period(self, data, **kwargs):
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("The end date is before the start date."), "to")
