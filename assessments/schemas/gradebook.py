"""JSON shapes of the course gradebook."""

from __future__ import annotations

from marshmallow import Schema, fields

from assessments.schemas.common import EnumValue, Points


class GradebookAssessmentSchema(Schema):
    class Meta:
        ordered = True

    id = fields.Integer()
    title = fields.String()
    kind = EnumValue()
    max_points = Points
    pass_mark = Points
    weight = Points


class GradebookCellSchema(Schema):
    class Meta:
        ordered = True

    status = EnumValue()
    score = Points


class GradebookRowSchema(Schema):
    class Meta:
        ordered = True

    trainee_id = fields.Integer(attribute="trainee.id")
    trainee_name = fields.String(attribute="trainee.full_name")
    grades = fields.Method("dump_grades")
    result = Points
    complete = fields.Boolean()
    passed = fields.Boolean(allow_none=True)
    attendance_pct = fields.Float(allow_none=True)
    attendance_planned_pct = fields.Float(attribute="planned_pct")
    eligible_for_final = fields.Boolean(attribute="eligible")

    def dump_grades(self, row) -> dict:
        cell = GradebookCellSchema()
        return {str(aid): (cell.dump(g) if g else None) for aid, g in row.cells.items()}


class GradebookSchema(Schema):
    """A course's gradebook: its assessments and one row per trainee."""

    class Meta:
        ordered = True

    course_id = fields.Integer(attribute="course.id")
    assessments = fields.List(fields.Nested(GradebookAssessmentSchema))
    rows = fields.List(fields.Nested(GradebookRowSchema))
