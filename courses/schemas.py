"""JSON shapes of modules, courses, lessons, enrolments and attendance (explicit fields).

Input schemas refuse unknown fields (marshmallow's default); output schemas name every field.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from courses.models import (
    AttendanceSource,
    AttendanceStatus,
    CourseStatus,
    EnrolmentStatus,
    LessonMode,
    TopicArea,
)
from lms.api.fields import Text, Whole
from lms.validation import LONG_TEXT


class ModuleSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    title = fields.String()
    topic_area = fields.Enum(TopicArea, by_value=True)
    description = fields.String()
    objectives = fields.String()
    planned_minutes = fields.Integer()
    retired = fields.Boolean(attribute="is_retired")


class ModuleDetailSchema(ModuleSchema):
    framework_item_ids = fields.Method("_items")

    def _items(self, obj):
        return [i.id for i in obj.framework_items]


class CourseSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    edition = fields.String()
    description = fields.String()
    start_date = fields.Date()
    end_date = fields.Date()
    status = fields.Enum(CourseStatus, by_value=True)
    capacity = fields.Integer(allow_none=True)
    assessment_threshold_pct = fields.Integer()
    certification_threshold_pct = fields.Integer()
    trainer_ids = fields.Method("_trainers")

    def _trainers(self, obj):
        return sorted(obj.trainer_ids)


class LessonSchema(Schema):
    id = fields.Integer()
    course_id = fields.Integer()
    module_id = fields.Integer()
    date = fields.Date()
    start_time = fields.Time(format="%H:%M")
    end_time = fields.Time(format="%H:%M")
    length_minutes = fields.Integer()
    timezone = fields.Constant("Europe/Rome")
    mode = fields.Enum(LessonMode, by_value=True)
    place = fields.String()
    link = fields.String()
    trainer_id = fields.Integer()
    cancelled = fields.Boolean(attribute="is_cancelled")
    cancel_reason = fields.String(allow_none=True)


class EnrolmentSchema(Schema):
    id = fields.Integer()
    course_id = fields.Integer()
    user_id = fields.Integer()
    status = fields.Enum(EnrolmentStatus, by_value=True)
    enrolled_on = fields.Date()
    withdrawn_on = fields.Date(allow_none=True)
    withdraw_reason = fields.String(allow_none=True)


class AttendanceRecordSchema(Schema):
    id = fields.Integer()
    lesson_id = fields.Integer()
    enrolment_id = fields.Integer()
    status = fields.Enum(AttendanceStatus, by_value=True)
    minutes = fields.Integer()
    note = fields.String()
    source = fields.Enum(AttendanceSource, by_value=True)
    checked_in_at = fields.AwareDateTime(allow_none=True)
    version = fields.Integer(attribute="version_id")


# --- attendance: summaries, reports, registers (output) -----------------------------------


class ThresholdSchema(Schema):
    pct = fields.Integer()
    required_minutes = fields.Integer()
    met = fields.Boolean()
    missing_minutes = fields.Integer()
    reachable = fields.Boolean()


class EligibilitySchema(Schema):
    final_assessment = fields.Nested(ThresholdSchema, attribute="assessment")
    certification = fields.Nested(ThresholdSchema)


class AttendanceSummarySchema(Schema):
    """The attendance of one enrolment, read from an object with .summary and .eligibility."""

    planned_minutes = fields.Integer(attribute="summary.planned_minutes")
    held_minutes = fields.Integer(attribute="summary.held_minutes")
    attended_minutes = fields.Integer(attribute="summary.attended_minutes")
    excused_minutes = fields.Integer(attribute="summary.excused_minutes")
    absent_minutes = fields.Integer(attribute="summary.absent_minutes")
    unrecorded_minutes = fields.Integer(attribute="summary.unrecorded_minutes")
    percentage = fields.Float(attribute="summary.percentage", allow_none=True)
    held_lessons = fields.Integer(attribute="summary.held_lessons")
    attended_lessons = fields.Integer(attribute="summary.attended_lessons")
    eligibility = fields.Nested(EligibilitySchema)


class EnrolmentAttendanceSchema(AttendanceSummarySchema):
    enrolment = fields.Nested(EnrolmentSchema)


class ReportRowSchema(AttendanceSummarySchema):
    enrolment_id = fields.Integer(attribute="enrolment.id")
    user_id = fields.Integer(attribute="user.id")
    full_name = fields.String(attribute="user.full_name")
    organisation_id = fields.Integer(attribute="user.organisation_id", allow_none=True)
    status = fields.Enum(EnrolmentStatus, by_value=True, attribute="enrolment.status")
    enrolled_on = fields.Date(attribute="enrolment.enrolled_on")
    below_threshold = fields.Boolean()
    lessons = fields.Method(
        "_cells",
        metadata={
            "type": "array",
            "description": "One cell per lesson: lesson_id, status (present, absent, excused, "
            "or null when not recorded) and minutes attended.",
        },
    )

    def _cells(self, row):
        # plain dicts: 18,000 cells of a 300 x 60 course through a nested schema took most of
        # the endpoint's time (bench/results/levers.md)
        return [
            {"lesson_id": sid, "status": st.value if st else None, "minutes": m}
            for sid, (st, m) in row.summary.cells.items()
        ]


class LessonTotalSchema(Schema):
    present = fields.Integer()
    absent = fields.Integer()
    excused = fields.Integer()
    unrecorded = fields.Integer()
    minutes = fields.Integer()


class CourseAttendanceSchema(Schema):
    """A course's attendance report: trainees by lessons, with totals and eligibility."""

    course = fields.Nested(CourseSchema)
    lessons = fields.List(fields.Nested(LessonSchema))
    trainees = fields.List(fields.Nested(ReportRowSchema), attribute="rows")
    totals = fields.Dict(keys=fields.String(), values=fields.Nested(LessonTotalSchema))


class RegisterStateSchema(Schema):
    signed_at = fields.AwareDateTime(allow_none=True)
    signed_by_id = fields.Integer(allow_none=True)
    on_behalf_of_id = fields.Integer(allow_none=True)
    version = fields.Integer(attribute="version_id")


class RegisterLineSchema(Schema):
    enrolment_id = fields.Integer(attribute="enrolment.id")
    user_id = fields.Integer(attribute="user.id")
    full_name = fields.String(attribute="user.full_name")
    record = fields.Nested(AttendanceRecordSchema, allow_none=True)


class LessonRegisterSchema(Schema):
    lesson = fields.Nested(LessonSchema)
    register = fields.Nested(RegisterStateSchema)
    records = fields.List(fields.Nested(RegisterLineSchema))


class RegisterWriteResultSchema(LessonRegisterSchema):
    changed = fields.Integer()


class UnsignedRegisterSchema(Schema):
    lesson = fields.Nested(LessonSchema)
    course_id = fields.Integer(attribute="course.id")
    course_title = fields.String(attribute="course.display_title")
    module_title = fields.String(attribute="module.title")
    trainer_name = fields.String(attribute="trainer.full_name")
    days = fields.Integer()


class UnsignedRegistersSchema(Schema):
    """Unsigned registers of past lessons, oldest first: the first 20 and how many in all."""

    items = fields.List(fields.Nested(UnsignedRegisterSchema))
    total = fields.Integer()


class LessonBatchSchema(Schema):
    """The lessons one scheduling call created (one, or a weekly series)."""

    items = fields.List(fields.Nested(LessonSchema))


# --- inputs ---------------------------------------------------------------------------------


def dotted_messages(messages, prefix: str = "") -> dict:
    """marshmallow's nested messages as {"records.0.status": [...]}, so a problem names the
    very line and field."""
    if not isinstance(messages, dict):
        return {prefix or "_schema": messages}
    out: dict = {}
    for key, value in messages.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            out.update(dotted_messages(value, name))
        else:
            out[name] = value
    return out


class DottedErrorsSchema(Schema):
    """Errors of nested fields reported under dotted names."""

    def handle_error(self, error: ValidationError, data, **kwargs):
        raise ValidationError(dotted_messages(error.messages)) from error


MAX_INT = 2**31 - 1  # the database's INTEGER: larger numbers are refused here, not by a 500


def _id(**kw) -> fields.Integer:
    return Whole(low=1, high=MAX_INT, **kw)


def _int(**kw) -> fields.Integer:
    return Whole(low=-MAX_INT, high=MAX_INT, **kw)


def _text(max_len: int, **kw) -> fields.String:
    return Text(max_len, **kw)


class ModuleInSchema(Schema):
    code = _text(30, required=True, name_like=True)
    title = _text(200, required=True, name_like=True)
    topic_area = _text(40, required=True)
    planned_minutes = Whole(low=0, required=True)
    description = _text(LONG_TEXT, multiline=True, load_default="")
    objectives = _text(LONG_TEXT, multiline=True, load_default="")
    framework_item_ids = fields.List(_id(), load_default=list)


class CourseInSchema(Schema):
    title = _text(200, required=True, name_like=True)
    edition = _text(60, load_default="", name_like=True)
    description = _text(LONG_TEXT, multiline=True, load_default="")
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    capacity = Whole(low=0, allow_none=True, load_default=None)
    assessment_threshold_pct = Whole(low=0, load_default=70)
    certification_threshold_pct = Whole(low=0, load_default=75)
    trainer_ids = fields.List(_id(), load_default=list)
    module_ids = fields.List(_id(), load_default=list)


class LessonInSchema(Schema):
    module_id = _id(required=True)
    date = fields.Date(required=True)
    start_time = fields.Time(required=True)
    end_time = fields.Time(required=True)
    mode = fields.Enum(LessonMode, by_value=True, load_default=LessonMode.IN_PERSON)
    trainer_id = _id(required=True)
    place = _text(300, load_default="")
    link = _text(500, load_default="")
    weeks = Whole(low=0, load_default=1)


class EnrolInSchema(Schema):
    user_id = _id(required=True)
    enrolled_on = fields.Date(allow_none=True, load_default=None)


class WithdrawInSchema(Schema):
    reason = _text(500, multiline=True, required=True)
    withdrawn_on = fields.Date(allow_none=True, load_default=None)


class AttendanceLineInSchema(Schema):
    enrolment_id = _id(required=True)
    status = fields.Enum(AttendanceStatus, by_value=True, required=True)
    minutes = Whole(low=0, allow_none=True, load_default=None)
    note = _text(500, multiline=True, load_default="")
    version = Whole(low=0, allow_none=True, load_default=0)


class AttendanceWriteInSchema(DottedErrorsSchema):
    """Each line carries the record version it replaces (0: there was none)."""

    records = fields.List(fields.Nested(AttendanceLineInSchema), required=True)
    register_version = Whole(low=0, allow_none=True, load_default=None)
    sign = fields.Boolean(load_default=False)


class CheckInSchema(Schema):
    code = _text(20, required=True)
    lesson_id = _id(allow_none=True, load_default=None)


class MaterialSchema(Schema):
    id = fields.Integer()
    course_id = fields.Integer()
    module_id = fields.Integer(allow_none=True)
    lesson_id = fields.Integer(allow_none=True)
    kind = fields.String(attribute="kind.value")
    title = fields.String()
    note = fields.String()
    url = fields.String()
    position = fields.Integer()
    file_name = fields.Function(lambda m: m.file.original_name if m.file_id else None)
    file_size = fields.Function(lambda m: m.file.size if m.file_id else None)
    updated_at = fields.DateTime()


class MaterialFormSchema(Schema):
    """The fields of a new material (multipart/form-data; the file itself is `file`)."""

    title = Text(200, required=True, name_like=True, validate=validate.Length(min=1))
    note = Text(2000, load_default="", multiline=True)
    module_id = Whole(load_default=None, allow_none=True)
    lesson_id = Whole(load_default=None, allow_none=True)
    url = Text(500, load_default=None, allow_none=True)


class MaterialPatchSchema(Schema):
    title = Text(200, name_like=True, validate=validate.Length(min=1))
    note = Text(2000, multiline=True)
    url = Text(500)
    move = fields.String(validate=validate.OneOf(["up", "down"]))


class TraineeLessonSchema(Schema):
    """One lesson as a trainee follows it: the link only from shortly before the start, the
    trainee's attendance only once the register is signed."""

    id = fields.Integer(attribute="lesson.id")
    module_id = fields.Integer(attribute="lesson.module_id")
    module_title = fields.String(attribute="lesson.module.title")
    trainer_name = fields.String(attribute="lesson.trainer.full_name")
    date = fields.Date(attribute="lesson.date")
    start_time = fields.Time(format="%H:%M", attribute="lesson.start_time")
    end_time = fields.Time(format="%H:%M", attribute="lesson.end_time")
    timezone = fields.Constant("Europe/Rome")
    mode = fields.Enum(LessonMode, by_value=True, attribute="lesson.mode")
    place = fields.String(attribute="lesson.place")
    link = fields.Function(lambda line: line.lesson.link if line.link_visible else None)
    link_from = fields.DateTime()
    cancelled = fields.Boolean(attribute="lesson.is_cancelled")
    counts = fields.Boolean()
    held = fields.Boolean()
    register_signed = fields.Boolean(attribute="signed")
    status = fields.Enum(AttendanceStatus, by_value=True, allow_none=True)
    minutes = fields.Integer(allow_none=True)


class CalendarFeedSchema(Schema):
    url = fields.String()
    created_at = fields.DateTime()
