"""Grades in the API: an assessment's grading list, one grade, a marker's mark, the agreed
mark, release, the course gradebook and the trainee's own results."""

from __future__ import annotations

from flask_babel import gettext as _

from assessments.api.common import View
from assessments.models import Grade, GradeStatus
from assessments.permissions import (
    can_grade_assessment,
    can_take_assessments,
    can_view_grade,
    can_view_gradebook,
)
from assessments.schemas import (
    AgreementInSchema,
    GradebookSchema,
    GradeDetailSchema,
    GradeRowSchema,
    GradeSchema,
    MarkInSchema,
    MyResultSchema,
    ReleasedSchema,
    ReleaseInSchema,
)
from assessments.services import grading, marking, results, taking
from assessments.services.grading import MarkInput
from assessments.views.common import assessment_or_404, staff_assessment_or_404
from courses.models import Course
from lms.api import blueprint as api
from lms.api.io import endpoint
from lms.api.pagination import paginate
from lms.db import db
from lms.errors import ValidationFailed
from lms.security import allowed_if, login_required
from lms.web import acting_user, get_or_404


def _detail(grade: Grade, assessment, **extra) -> View:
    """A grade with the marks the acting marker may read (the second marker blind)."""
    marks = marking.visible_marks_of(acting_user(), assessment, grade)
    return View(grade, marks=marks, **extra)


@api.get("/assessments/<int:assessment_id>/grades")
@login_required
@endpoint(response=GradeRowSchema, paginated=True, summary="An assessment's grades")
def list_grades(assessment_id: int):
    a, _course = assessment_or_404(assessment_id)
    me = acting_user()
    if not can_grade_assessment(me, a):
        grade = taking.my_grade(me, a)  # a trainee: their own grade, once released
        return paginate([grade] if grade else [], GradeSchema())
    items = []
    for r in results.grading_rows(me, a):
        if r.grade is None:
            items.append(
                View(
                    None,
                    id=None,
                    trainee_id=r.trainee.id,
                    status=GradeStatus.NOT_SUBMITTED,
                    trainee_name=r.trainee.full_name,
                )
            )
            continue
        marks = grading.visible_marks(me, a, r.marks)
        items.append(View(r.grade, marks=marks, trainee_name=r.trainee.full_name))
    return items


@api.get("/grades/<int:grade_id>")
@login_required
@endpoint(response=GradeDetailSchema, summary="One grade")
def get_grade(grade_id: int):
    grade = get_or_404(Grade, grade_id, visible=can_view_grade)
    a, _course = assessment_or_404(grade.assessment_id)
    if not can_grade_assessment(acting_user(), a):
        return GradeSchema().dump(grade), 200  # the trainee's own released grade
    return _detail(grade, a)


@api.put("/grades/<int:grade_id>/mark")
@login_required
@endpoint(body=MarkInSchema, response=GradeDetailSchema, summary="Save the marker's mark")
def put_mark(grade_id: int, data):
    grade = get_or_404(Grade, grade_id, visible=can_view_grade)
    a, _course = staff_assessment_or_404(grade.assessment_id)
    try:
        levels = {int(k): v for k, v in data["levels"].items()}
        comments = {int(k): v for k, v in data["comments"].items()}
    except ValueError as exc:
        raise ValidationFailed(fields={"levels": [_("Criterion ids are numbers.")]}) from exc
    mark = grading.save_mark(
        acting_user(),
        a,
        grade,
        MarkInput(
            score=data["score"],
            levels=levels,
            comments=comments,
            feedback=data["feedback"],
            note=data["note"],
            observed_on=data["observed_on"],
            complete=data["complete"],
            reason=data["reason"],
            seen_version=data["version"],
        ),
    )
    db.session.commit()
    return _detail(grade, a, mark_id=mark.id)


@api.post("/grades/<int:grade_id>/agreement")
@login_required
@endpoint(body=AgreementInSchema, response=GradeDetailSchema, summary="Record the agreed mark")
def post_agreement(grade_id: int, data):
    grade = get_or_404(Grade, grade_id, visible=can_view_grade)
    a, _course = staff_assessment_or_404(grade.assessment_id)
    grading.record_agreement(
        acting_user(),
        a,
        grade,
        score=data["score"],
        reason=data["reason"],
        feedback=data["feedback"],
        seen_version=data["version"],
    )
    db.session.commit()
    return _detail(grade, a)


@api.post("/assessments/<int:assessment_id>/release")
@login_required
@endpoint(body=ReleaseInSchema, response=ReleasedSchema, summary="Release graded work")
def release(assessment_id: int, data):
    a, _course = staff_assessment_or_404(assessment_id)
    n = grading.release(acting_user(), a, data["grade_ids"])
    db.session.commit()
    return {"released": n}


@api.get("/courses/<int:course_id>/gradebook")
@login_required
@endpoint(response=GradebookSchema, summary="A course's gradebook")
def gradebook(course_id: int):
    course = get_or_404(Course, course_id, visible=can_view_gradebook)
    return results.gradebook(acting_user(), course)


@api.get("/me/results")
@allowed_if(can_take_assessments)
@endpoint(response=MyResultSchema, paginated=True, summary="The user's released grades")
def my_results():
    return [
        View(
            g,
            assessment_title=a.title,
            course_id=c.id,
            max_points=a.max_points,
            pass_mark=a.pass_mark,
        )
        for g, a, c in results.my_results(acting_user())
    ]
