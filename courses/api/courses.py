"""Courses through the API."""

from __future__ import annotations

from courses.permissions import can_create_course, can_read_course
from courses.schemas import CourseInSchema, CourseSchema
from courses.services import courses as course_services
from courses.views.common import course_or_404
from lms.api import blueprint as api
from lms.api.io import endpoint
from lms.db import db
from lms.security import allowed_if, login_required
from lms.web import acting_user


@api.get("/courses")
@login_required
@endpoint(response=CourseSchema, paginated=True, summary="The courses the user may read")
def api_courses():
    return course_services.readable_courses(acting_user())


@api.get("/courses/<int:course_id>")
@login_required
@endpoint(response=CourseSchema, summary="One course")
def api_course(course_id: int):
    return course_or_404(course_id, can_read_course)


@api.post("/courses")
@allowed_if(can_create_course)
@endpoint(body=CourseInSchema, response=CourseSchema, status=201, summary="Create a course")
def api_create_course(data):
    course = course_services.create_course(acting_user(), **data)
    db.session.commit()
    return course
