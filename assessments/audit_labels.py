"""How the audited actions of assessments read: assessments, grades, marks, releases, attempts."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from assessments.models import ROLE_LABELS, STATUS_LABELS, Assessment, Attempt, Grade
from assessments.permissions import (
    can_open_attempt_page,
    can_view_assessment,
    can_view_grade,
)
from courses.models import Course
from lms.accounts.models import User
from lms.audit.formatting import show_bool, show_choice, show_date, show_datetime, show_number
from lms.audit.registry import (
    Described,
    describe_each,
    int_ids,
    register_actions,
    register_fields,
)
from lms.db import db


def _assessments(ids) -> dict[int, Assessment]:
    """The assessments and their courses, in the session for the predicates: two queries."""
    found = {a.id: a for a in db.session.scalars(select(Assessment).where(Assessment.id.in_(ids)))}
    course_ids = {a.course_id for a in found.values()}
    list(db.session.scalars(select(Course).where(Course.id.in_(course_ids))))
    return found


def describe_assessments(viewer, entries) -> dict[int, Described]:

    def one(e, a):
        link = (
            ("assessments.assessment", {"assessment_id": a.id})
            if can_view_assessment(viewer, a)
            else None
        )
        return Described({"title": a.title}, link)

    return describe_each(entries, _assessments(int_ids(entries)), one)


def _by_trainee(model, viewer, entries, allowed, endpoint):
    rows = db.session.execute(
        select(model, User.full_name)
        .join(User, User.id == model.trainee_id)
        .where(model.id.in_(int_ids(entries)))
    ).all()
    objects = {obj.id: (obj, name) for obj, name in rows}
    assessments = _assessments({obj.assessment_id for obj, _ in objects.values()})

    def one(e, row):
        obj, name = row
        link = endpoint(obj) if allowed(viewer, obj) else None
        return Described({"name": name, "title": assessments[obj.assessment_id].title}, link)

    return describe_each(entries, objects, one)


def describe_grades(viewer, entries) -> dict[int, Described]:
    """Whose grade in which assessment, linked to its grading page: three queries."""
    return _by_trainee(
        Grade,
        viewer,
        entries,
        can_view_grade,
        lambda g: (
            "assessments.grade",
            {"assessment_id": g.assessment_id, "trainee_id": g.trainee_id},
        ),
    )


def describe_attempts(viewer, entries) -> dict[int, Described]:
    return _by_trainee(
        Attempt,
        viewer,
        entries,
        can_open_attempt_page,
        lambda a: ("assessments.attempt", {"attempt_id": a.id}),
    )


def init_app(app: Flask) -> None:
    register_actions(
        app,
        {
            "assessment.create": (
                _l("Assessment created"),
                _l("%(actor)s created the assessment %(title)s"),
            ),
            "assessment.update": (
                _l("Assessment changed"),
                _l("%(actor)s changed the assessment %(title)s"),
            ),
            "assessment.delete": (_l("Assessment deleted"), _l("%(actor)s deleted an assessment")),
            "assessment.rubric_attach": (
                _l("Rubric attached"),
                _l("%(actor)s attached a rubric to the assessment %(title)s"),
            ),
            "assessment.rubric_create": (
                _l("Rubric created for the assessment"),
                _l("%(actor)s created a rubric for the assessment %(title)s"),
            ),
        },
        describe=describe_assessments,
    )
    register_actions(
        app,
        {
            "grade.submitted": (
                _l("Work submitted"),
                _l("%(actor)s submitted the work for %(title)s"),
            ),
            "grade.auto": (
                _l("Graded automatically"),
                _l("%(actor)s graded automatically %(name)s in %(title)s"),
            ),
            "mark.draft": (
                _l("Marking saved as a draft"),
                _l("%(actor)s saved a draft mark for %(name)s in %(title)s"),
            ),
            "mark.complete": (
                _l("Mark given"),
                _l("%(actor)s gave a mark to %(name)s in %(title)s"),
            ),
            "grade.agree": (
                _l("Agreed mark recorded"),
                _l("%(actor)s recorded the agreed mark of %(name)s in %(title)s"),
            ),
            "grade.release": (
                _l("Released to the trainee"),
                _l("%(actor)s released to %(name)s the grade of %(title)s"),
            ),
        },
        describe=describe_grades,
    )
    register_actions(
        app,
        {
            "attempt.start": (
                _l("Attempt started"),
                _l("%(actor)s started an attempt at %(title)s"),
            ),
            "attempt.submit": (
                _l("Attempt submitted"),
                _l("%(actor)s submitted an attempt at %(title)s"),
            ),
            "attempt.close": (
                _l("Attempt closed at the time limit"),
                _l("The attempt of %(name)s at %(title)s was closed at the time limit"),
            ),
        },
        describe=describe_attempts,
    )
    register_actions(
        app,
        {
            "question.create": (_l("Question added"), _l("%(actor)s added a question")),
            "question.delete": (_l("Question deleted"), _l("%(actor)s deleted a question")),
            "rubric.create": (_l("Rubric created"), _l("%(actor)s created a rubric")),
            "rubric.criterion_add": (
                _l("Rubric criterion added"),
                _l("%(actor)s added a criterion to a rubric"),
            ),
            "rubric.criterion_delete": (
                _l("Rubric criterion deleted"),
                _l("%(actor)s deleted a criterion of a rubric"),
            ),
        },
    )
    register_fields(
        app,
        ["grade"],
        {
            "status": (_l("State"), show_choice(STATUS_LABELS)),
            "score": (_l("Score"), show_number),
            "feedback": _l("Feedback"),
            "discrepancy": (_l("Markers disagree"), show_bool),
            "agreed_reason": _l("Reason for the agreed mark"),
            "released_at": (_l("Released on"), show_datetime),
            "role": (_l("Marker"), show_choice(ROLE_LABELS)),
            "note": _l("Note"),
            "observed_on": (_l("Observed on"), show_date),
            "completed_at": (_l("Completed on"), show_datetime),
        },
    )
    register_fields(
        app,
        ["assessment"],
        {
            "title": _l("Title"),
            "instructions": _l("Instructions"),
            "opens_at": (_l("Opens"), show_datetime),
            "closes_at": (_l("Closes"), show_datetime),
            "rubric": _l("Rubric"),
        },
    )
    register_fields(
        app,
        ["attempt"],
        {"score": (_l("Score"), show_number), "submitted_at": (_l("Submitted on"), show_datetime)},
    )
