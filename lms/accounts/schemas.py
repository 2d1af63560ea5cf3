"""JSON shapes of accounts."""

from __future__ import annotations

from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

from lms.accounts.models import Role
from lms.api.fields import Text
from lms.api.io import Id


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


ROLE_VALUES = [r.value for r in Role]
LOCALE_VALUES = ["it", "en"]


class UserCreateSchema(Schema):
    """Input of POST /users: explicit fields, unknown keys refused."""

    class Meta:
        unknown = RAISE

    email = Text(254, required=True, validate=validate.Length(min=1), metadata={"format": "email"})
    full_name = Text(200, required=True, name_like=True, validate=validate.Length(min=1))
    roles = fields.List(
        fields.String(validate=validate.OneOf(ROLE_VALUES)),
        required=True,
        validate=validate.Length(min=1),
    )
    organisation_id = Id(allow_none=True, load_default=None)
    locale = fields.String(validate=validate.OneOf(LOCALE_VALUES), load_default="it")


class UserUpdateSchema(Schema):
    """Input of PATCH /users/<id>: any subset of the fields."""

    class Meta:
        unknown = RAISE

    email = Text(254, validate=validate.Length(min=1), metadata={"format": "email"})
    full_name = Text(200, name_like=True, validate=validate.Length(min=1))
    roles = fields.List(
        fields.String(validate=validate.OneOf(ROLE_VALUES)), validate=validate.Length(min=1)
    )
    organisation_id = Id(allow_none=True)
    locale = fields.String(validate=validate.OneOf(LOCALE_VALUES))
    active = fields.Boolean()


class UserFilterSchema(Schema):
    """Query string of GET /users; pagination arguments are left to paginate()."""

    class Meta:
        unknown = EXCLUDE

    q = Text(200, load_default="")
    role = fields.String(validate=validate.OneOf(ROLE_VALUES))
    organisation_id = Id()
    active = fields.Boolean()
