"""Lessons through the API."""

from __future__ import annotations

from courses.permissions import can_create_course, can_manage_course, can_read_course
from courses.schemas import LessonBatchSchema, LessonInSchema, LessonSchema
from courses.services import lessons
from courses.views.common import course_or_404
from lms.api import blueprint as api
from lms.api.io import endpoint
from lms.db import db
from lms.security import allowed_if, login_required
from lms.web import acting_user


@api.get("/courses/<int:course_id>/lessons")
@login_required
@endpoint(response=LessonSchema, paginated=True, summary="A course's lessons, in order")
def api_lessons(course_id: int):
    course = course_or_404(course_id, can_read_course)
    return lessons.lessons_query(acting_user(), course)


@api.post("/courses/<int:course_id>/lessons")
@allowed_if(can_create_course)
@endpoint(
    body=LessonInSchema,
    response=LessonBatchSchema,
    status=201,
    summary="Schedule a lesson, or a weekly series",
)
def api_create_lessons(course_id: int, data):
    course = course_or_404(course_id, can_manage_course)
    created = lessons.schedule_lessons(acting_user(), course, **data)
    db.session.commit()
    return {"items": created}
