"""JSON shapes of accounts."""

from __future__ import annotations

from marshmallow import Schema, fields


class RoleListField(fields.Field):
    def _serialize(self, value, attr, obj, **kwargs):
        return sorted(r.value for r in obj.roles)


class UserSchema(Schema):
    class Meta:
        fields = ("id", "email", "full_name", "locale", "active", "organisation_id", "roles")
        ordered = True

    id = fields.Integer()
    email = fields.String()
    full_name = fields.String()
    locale = fields.String()
    active = fields.Boolean()
    organisation_id = fields.Integer(allow_none=True)
    roles = RoleListField()


class ApiTokenSchema(Schema):
    class Meta:
        fields = ("id", "name", "prefix", "created_at", "last_used_at", "revoked_at")
        ordered = True

    id = fields.Integer()
    name = fields.String()
    prefix = fields.String()
    created_at = fields.AwareDateTime()
    last_used_at = fields.AwareDateTime(allow_none=True)
    revoked_at = fields.AwareDateTime(allow_none=True)
