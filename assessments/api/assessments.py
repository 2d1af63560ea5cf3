"""Assessments and quiz questions in the API."""

from __future__ import annotations

from flask import url_for

from assessments.models import AssessmentKind, LatePolicy
from assessments.permissions import can_list_assessments, can_view_assessments
from assessments.schemas import (
    AssessmentInSchema,
    AssessmentSchema,
    QuestionInSchema,
    QuestionSchema,
)
from assessments.scoring import PartialCredit, QuestionType
from assessments.services import authoring
from assessments.views.common import assessment_or_404, staff_assessment_or_404
from courses.models import Course
from lms.api import blueprint as api
from lms.api.io import endpoint
from lms.db import db
from lms.security import login_required
from lms.web import acting_user, get_or_404


@api.get("/courses/<int:course_id>/assessments")
@login_required
@endpoint(response=AssessmentSchema, paginated=True, summary="A course's assessments")
def course_assessments(course_id: int):
    course = get_or_404(Course, course_id, visible=can_list_assessments)
    return authoring.course_assessments(acting_user(), course)


@api.post("/courses/<int:course_id>/assessments")
@login_required
@endpoint(
    body=AssessmentInSchema, response=AssessmentSchema, status=201, summary="Add an assessment"
)
def create_assessment(course_id: int, data):
    course = get_or_404(Course, course_id, visible=can_view_assessments)
    a = authoring.create_assessment(
        acting_user(),
        course,
        authoring.AssessmentInput(
            **{k: v for k, v in data.items() if k not in ("kind", "late_policy")},
            kind=AssessmentKind(data["kind"]),
            late_policy=LatePolicy(data["late_policy"]),
        ),
    )
    db.session.commit()
    return (
        AssessmentSchema().dump(a),
        201,
        {"Location": url_for("api.get_assessment", assessment_id=a.id)},
    )


@api.get("/assessments/<int:assessment_id>")
@login_required
@endpoint(response=AssessmentSchema, summary="One assessment")
def get_assessment(assessment_id: int):
    return assessment_or_404(assessment_id)[0]


@api.get("/assessments/<int:assessment_id>/questions")
@login_required
@endpoint(response=QuestionSchema, paginated=True, summary="A quiz's questions with their key")
def list_questions(assessment_id: int):
    a, _course = staff_assessment_or_404(assessment_id)
    return list(authoring.load_for_edit(acting_user(), a).questions)


@api.post("/assessments/<int:assessment_id>/questions")
@login_required
@endpoint(body=QuestionInSchema, response=QuestionSchema, status=201, summary="Add a question")
def create_question(assessment_id: int, data):
    a, _course = staff_assessment_or_404(assessment_id)
    me = acting_user()
    q = authoring.add_question(
        me,
        a,
        authoring.QuestionInput(
            kind=QuestionType(data["kind"]),
            prompt=data["prompt"],
            points=data["points"],
            choices=[(c["text"], c["correct"]) for c in data["choices"]],
            partial_credit=PartialCredit(data["partial_credit"]),
            accepted_answers="\n".join(data["accepted_answers"]),
            expected_number=data["expected_number"],
            tolerance=data["tolerance"],
            feedback=data["feedback"],
            framework_item_ids=data["framework_item_ids"],
        ),
    )
    db.session.commit()
    return next(x for x in authoring.load_for_edit(me, a).questions if x.id == q.id)
