"""Fields and limits shared by the assessments API schemas."""

from __future__ import annotations

from marshmallow import fields

POINTS_MAX = 99_999  # Numeric(7, 2)
WEIGHT_MAX = 9_999  # Numeric(6, 2)
NUMBER_MAX = 9_999_999_999  # Numeric(14, 4)

Points = fields.Decimal(as_string=True, allow_none=True)


class EnumValue(fields.Field):
    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.value


class ItemIds(fields.Field):
    def _serialize(self, value, attr, obj, **kwargs):
        return [i.id for i in value]
