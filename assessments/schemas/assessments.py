"""JSON shapes of assessments and their settings."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from assessments.models import AssessmentKind, LatePolicy
from assessments.schemas.common import POINTS_MAX, WEIGHT_MAX, EnumValue
from lms.api.fields import Amount, Text, Whole
from lms.api.io import Id


class AssessmentSchema(Schema):
    class Meta:
        ordered = True

    id = fields.Integer()
    course_id = fields.Integer()
    module_id = fields.Integer(allow_none=True)
    title = fields.String()
    instructions = fields.String()
    kind = EnumValue()
    opens_at = fields.AwareDateTime()
    closes_at = fields.AwareDateTime()
    max_points = fields.Decimal(as_string=True)
    pass_mark = fields.Decimal(as_string=True)
    weight = fields.Decimal(as_string=True)
    attempts_allowed = fields.Integer(allow_none=True)
    late_policy = EnumValue()
    late_until = fields.AwareDateTime(allow_none=True)
    is_final = fields.Boolean()
    published = fields.Boolean()
    time_limit_minutes = fields.Integer(allow_none=True)
    shuffle_questions = fields.Boolean()
    show_answers = fields.Boolean()
    release_when_graded = fields.Boolean()
    double_marking = fields.Boolean()
    marking_tolerance = fields.Decimal(as_string=True)


class AssessmentInSchema(Schema):
    class Meta:
        unknown = RAISE

    title = Text(200, required=True, name_like=True, validate=validate.Length(min=1))
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in AssessmentKind]))
    opens_at = fields.AwareDateTime(required=True)
    closes_at = fields.AwareDateTime(required=True)
    max_points = Amount(high=POINTS_MAX, required=True)
    pass_mark = Amount(high=POINTS_MAX, required=True)
    instructions = Text(20000, multiline=True, load_default="")
    module_id = Id(allow_none=True, load_default=None)
    weight = Amount(high=WEIGHT_MAX, load_default=1)
    attempts_allowed = Whole(allow_none=True, load_default=None)
    late_policy = fields.String(
        validate=validate.OneOf([p.value for p in LatePolicy]), load_default="refuse"
    )
    late_until = fields.AwareDateTime(allow_none=True, load_default=None)
    is_final = fields.Boolean(load_default=False)
    published = fields.Boolean(load_default=False)
    time_limit_minutes = Whole(allow_none=True, load_default=None)
    shuffle_questions = fields.Boolean(load_default=True)
    show_answers = fields.Boolean(load_default=False)
    release_when_graded = fields.Boolean(load_default=False)
    double_marking = fields.Boolean(load_default=False)
    marking_tolerance = Amount(high=POINTS_MAX, load_default=0)
    framework_item_ids = fields.List(Id(), load_default=list)
