"""JSON shapes of the assessments API, with explicit field lists."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from assessments.models import AssessmentKind, LatePolicy
from assessments.scoring import PartialCredit, QuestionType
from lms.api.fields import Amount, Text, Whole
from lms.api.io import Id

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


class ChoiceSchema(Schema):
    class Meta:
        ordered = True

    id = fields.Integer()
    text = fields.String()


class ChoiceKeySchema(ChoiceSchema):
    correct = fields.Boolean()


class QuestionPublicSchema(Schema):
    """A question as the trainee sees it during an attempt: no answers."""

    class Meta:
        ordered = True

    id = fields.Integer()
    kind = EnumValue()
    prompt = fields.String()
    points = fields.Decimal(as_string=True)
    partial_credit = EnumValue()
    choices = fields.List(fields.Nested(ChoiceSchema))


class QuestionSchema(QuestionPublicSchema):
    """A question with its key, for the course's trainers only."""

    choices = fields.List(fields.Nested(ChoiceKeySchema))
    accepted_answers = fields.Function(lambda q: q.accepted_list)
    expected_number = fields.Decimal(as_string=True, allow_none=True)
    tolerance = fields.Decimal(as_string=True)
    feedback = fields.String()
    framework_item_ids = ItemIds(attribute="framework_items")


class ChoiceInSchema(Schema):
    class Meta:
        unknown = RAISE

    text = Text(1000, multiline=True, required=True)
    correct = fields.Boolean(load_default=False)


class QuestionInSchema(Schema):
    class Meta:
        unknown = RAISE

    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in QuestionType]))
    prompt = Text(5000, multiline=True, required=True)
    points = Amount(high=POINTS_MAX, required=True)
    choices = fields.List(fields.Nested(ChoiceInSchema), load_default=list)
    partial_credit = fields.String(
        validate=validate.OneOf([p.value for p in PartialCredit]), load_default="all_or_nothing"
    )
    accepted_answers = fields.List(Text(500), load_default=list)
    expected_number = Amount(
        low=-NUMBER_MAX, high=NUMBER_MAX, places=4, allow_none=True, load_default=None
    )
    tolerance = Amount(high=NUMBER_MAX, places=4, load_default=0)
    feedback = Text(10000, multiline=True, load_default="")
    framework_item_ids = fields.List(Id(), load_default=list)


class AnswerInSchema(Schema):
    class Meta:
        unknown = RAISE

    selected = fields.List(Id(), load_default=list)
    text = Text(500, load_default="")


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


class SubmissionFormSchema(Schema):
    """The form fields of a multipart submission (the files come as ``files``, repeatable)."""

    class Meta:
        unknown = RAISE

    text = Text(50000, multiline=True, load_default="")
    version = Whole(allow_none=True, load_default=None)  # the submission's version seen
    remove_file = fields.List(Id(), load_default=list)  # ids of files to remove


# --- outputs --------------------------------------------------------------------------------


class AnswerSchema(Schema):
    class Meta:
        ordered = True

    selected = fields.List(fields.Integer())
    text = fields.String()


class AttemptSchema(Schema):
    """An attempt as its trainee sees it: the questions in their order (no key) and the
    answers saved so far, by question id."""

    class Meta:
        ordered = True

    id = fields.Integer()
    assessment_id = fields.Integer()
    number = fields.Integer()
    started_at = fields.DateTime()
    deadline = fields.DateTime(allow_none=True)
    submitted_at = fields.DateTime(allow_none=True)
    auto_closed = fields.Boolean()
    questions = fields.List(fields.Nested(QuestionPublicSchema))
    answers = fields.Dict(keys=fields.String(), values=fields.Nested(AnswerSchema))


class AttemptReviewSchema(Schema):
    """What the trainee checks before submitting: the question ids answered and not, in order."""

    class Meta:
        ordered = True

    attempt_id = fields.Integer()
    submitted = fields.Boolean()
    answered = fields.List(fields.Integer())
    unanswered = fields.List(fields.Integer())


class AnswerSavedSchema(Schema):
    class Meta:
        ordered = True

    saved = fields.Boolean()
    question_id = fields.Integer()


class SubmissionFileSchema(Schema):
    class Meta:
        ordered = True

    id = fields.Integer()
    name = fields.String(attribute="stored.original_name")
    kind = fields.String(attribute="stored.kind")
    size = fields.Integer(attribute="stored.size")
    sha256 = fields.String(attribute="stored.sha256")


class SubmissionSchema(Schema):
    class Meta:
        ordered = True

    id = fields.Integer()
    assessment_id = fields.Integer()
    trainee_id = fields.Integer()
    text = fields.String()
    submitted_at = fields.DateTime()
    late = fields.Boolean()
    times_submitted = fields.Integer()
    version = fields.Integer(attribute="version_id")
    files = fields.List(fields.Nested(SubmissionFileSchema))


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
