"""JSON shapes of marks, agreements, releases and grades."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields

from assessments.schemas.common import POINTS_MAX, EnumValue, Points
from lms.api.fields import Amount, Text, Whole
from lms.api.io import Id


class MarkInSchema(Schema):
    class Meta:
        unknown = RAISE

    version = Whole(required=True)  # the mark's version seen; 0 for a new mark
    score = Amount(high=POINTS_MAX, allow_none=True, load_default=None)
    levels = fields.Dict(keys=Text(40), values=Id(), load_default=dict)
    comments = fields.Dict(keys=Text(40), values=Text(1000, multiline=True), load_default=dict)
    feedback = Text(10000, multiline=True, load_default="")
    note = Text(10000, multiline=True, load_default="")
    observed_on = fields.Date(allow_none=True, load_default=None)
    complete = fields.Boolean(load_default=True)
    reason = Text(1000, multiline=True, load_default="")


class AgreementInSchema(Schema):
    class Meta:
        unknown = RAISE

    version = Whole(required=True)  # the grade's version seen
    score = Amount(high=POINTS_MAX, required=True)
    reason = Text(1000, multiline=True, required=True)
    feedback = Text(10000, multiline=True, load_default="")


class ReleaseInSchema(Schema):
    class Meta:
        unknown = RAISE

    grade_ids = fields.List(Id(), allow_none=True, load_default=None)


class MarkSummarySchema(Schema):
    """A mark in a grading list: who gave it, the score, whether it is complete."""

    class Meta:
        ordered = True

    role = EnumValue()
    marker_id = fields.Integer()
    score = Points
    completed = fields.Boolean()


class MarkLevelSchema(Schema):
    class Meta:
        ordered = True

    level_id = fields.Integer()
    points = Points
    comment = fields.String()


class MarkSchema(MarkSummarySchema):
    """A mark in full: feedback, note, observation date, version and rubric levels."""

    id = fields.Integer()
    feedback = fields.String()
    note = fields.String()
    observed_on = fields.Date(allow_none=True)
    version = fields.Integer(attribute="version_id")
    levels = fields.Method("dump_levels")

    def dump_levels(self, mark) -> dict:
        return {str(lv.criterion_id): MarkLevelSchema().dump(lv) for lv in mark.levels}


class GradeSchema(Schema):
    """A grade as its trainee reads it once released."""

    class Meta:
        ordered = True

    id = fields.Integer(allow_none=True)
    assessment_id = fields.Integer()
    trainee_id = fields.Integer()
    status = EnumValue()
    score = Points
    feedback = fields.String()
    released_at = fields.DateTime(allow_none=True)
    version = fields.Integer(attribute="version_id")


class GradeRowSchema(GradeSchema):
    """A row of an assessment's grading list, for its graders: the marks they may read
    (a trainee reading the list gets their own released grade, GradeSchema's fields)."""

    discrepancy = fields.Boolean()
    agreed_reason = fields.String(allow_none=True)
    trainee_name = fields.String()
    marks = fields.List(fields.Nested(MarkSummarySchema))


class GradeDetailSchema(GradeSchema):
    """A grade for its graders, with the marks they may read (the second marker blind)."""

    discrepancy = fields.Boolean()
    agreed_reason = fields.String(allow_none=True)
    marks = fields.List(fields.Nested(MarkSchema))
    mark_id = fields.Integer()  # after saving a mark: the mark written


class MyResultSchema(GradeSchema):
    """A released grade of the trainee, with its assessment."""

    assessment_title = fields.String()
    course_id = fields.Integer()
    max_points = Points
    pass_mark = Points


class ReleasedSchema(Schema):
    released = fields.Integer()
