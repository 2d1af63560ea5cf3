"""JSON shapes of modules, courses, lessons, enrolments and attendance (explicit fields)."""

from __future__ import annotations

from marshmallow import Schema, fields

from courses.models import (
    AttendanceSource,
    AttendanceStatus,
    CourseStatus,
    EnrolmentStatus,
    LessonMode,
    TopicArea,
)


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


def summary_json(summary, eligibility) -> dict:
    """The attendance summary and eligibility of one enrolment, as the rules compute them."""

    def threshold(t):
        return {
            "pct": t.pct,
            "required_minutes": t.required_minutes,
            "met": t.met,
            "missing_minutes": t.missing_minutes,
            "reachable": t.reachable,
        }

    return {
        "planned_minutes": summary.planned_minutes,
        "held_minutes": summary.held_minutes,
        "attended_minutes": summary.attended_minutes,
        "excused_minutes": summary.excused_minutes,
        "absent_minutes": summary.absent_minutes,
        "unrecorded_minutes": summary.unrecorded_minutes,
        "percentage": summary.percentage,
        "held_lessons": summary.held_lessons,
        "attended_lessons": summary.attended_lessons,
        "eligibility": {
            "final_assessment": threshold(eligibility.assessment),
            "certification": threshold(eligibility.certification),
        },
    }
