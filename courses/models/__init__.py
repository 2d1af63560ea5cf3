"""Models of the courses package, one module per aggregate; import them from here."""

from courses.models.attendance import (
    ATTENDANCE_CODES,
    ATTENDANCE_LABELS,
    AttendanceRecord,
    AttendanceSource,
    AttendanceStatus,
)
from courses.models.calendar import CalendarFeed
from courses.models.catalogue import TOPIC_LABELS, Module, TopicArea, module_framework_items
from courses.models.course import (
    COURSE_STATUS_LABELS,
    Course,
    CourseModule,
    CourseStatus,
    CourseTrainer,
)
from courses.models.enrolment import ENROLMENT_STATUS_LABELS, Enrolment, EnrolmentStatus
from courses.models.lesson import (
    MODE_LABELS,
    ROME,
    Lesson,
    LessonMode,
    Register,
    RegisterPdf,
    lesson_minutes,
)
from courses.models.material import MATERIAL_KIND_LABELS, Material, MaterialKind

__all__ = [
    "ATTENDANCE_CODES",
    "ATTENDANCE_LABELS",
    "COURSE_STATUS_LABELS",
    "ENROLMENT_STATUS_LABELS",
    "MATERIAL_KIND_LABELS",
    "MODE_LABELS",
    "ROME",
    "TOPIC_LABELS",
    "AttendanceRecord",
    "AttendanceSource",
    "AttendanceStatus",
    "CalendarFeed",
    "Course",
    "CourseModule",
    "CourseStatus",
    "CourseTrainer",
    "Enrolment",
    "EnrolmentStatus",
    "Lesson",
    "LessonMode",
    "Material",
    "MaterialKind",
    "Module",
    "Register",
    "RegisterPdf",
    "TopicArea",
    "lesson_minutes",
    "module_framework_items",
]
