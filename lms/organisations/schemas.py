"""JSON shapes of organisations."""

from __future__ import annotations

from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

from lms.api.fields import Text
from lms.organisations.models import SizeBand

SIZE_VALUES = [b.value for b in SizeBand]
# What clients send: a partita IVA (11 digits) or a codice fiscale (16 characters); the
# service also accepts spaces and an "IT" prefix, and checks the control character.
TAX_CODE = {"pattern": "^([0-9]{11}|[A-Z0-9]{16})$", "description": "Partita IVA or codice fiscale"}


class OrganisationSchema(Schema):
    class Meta:
        fields = (
            "id",
            "name",
            "tax_code",
            "sector",
            "size_band",
            "active",
            "created_at",
            "updated_at",
        )
        ordered = True

    id = fields.Integer()
    name = fields.String()
    tax_code = fields.String()
    sector = fields.String()
    size_band = fields.Enum(SizeBand, by_value=True)
    active = fields.Boolean()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class OrganisationCreateSchema(Schema):
    """Input of POST /organisations: explicit fields, unknown keys refused."""

    class Meta:
        unknown = RAISE

    name = Text(200, required=True, name_like=True, validate=validate.Length(min=1))
    tax_code = Text(20, required=True, validate=validate.Length(min=1), metadata=TAX_CODE)
    sector = Text(120, load_default="", name_like=True)
    size_band = fields.String(required=True, validate=validate.OneOf(SIZE_VALUES))


class OrganisationUpdateSchema(Schema):
    """Input of PATCH /organisations/<id>: any subset of the fields."""

    class Meta:
        unknown = RAISE

    name = Text(200, name_like=True, validate=validate.Length(min=1))
    tax_code = Text(20, validate=validate.Length(min=1), metadata=TAX_CODE)
    sector = Text(120, name_like=True)
    size_band = fields.String(validate=validate.OneOf(SIZE_VALUES))
    active = fields.Boolean()


class OrganisationFilterSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    active = fields.Boolean()
