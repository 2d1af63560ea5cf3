"""JSON API of the assessments package, under /api/v1/ (same rules as the pages: scoped
loading, 404 where existence is private, 409 on a stale edit)."""

from __future__ import annotations

from flask import request, url_for
from flask_login import current_user
from sqlalchemy import select

from assessments.models import (
    Assessment,
    AssessmentKind,
    Attempt,
    Grade,
    GradeStatus,
    LatePolicy,
    Submission,
    SubmissionFile,
)
from assessments.permissions import can_grade, can_view_assessments
from assessments.schemas import (
    AgreementInSchema,
    AnswerInSchema,
    AssessmentInSchema,
    AssessmentSchema,
    MarkInSchema,
    QuestionInSchema,
    QuestionPublicSchema,
    QuestionSchema,
    ReleaseInSchema,
)
from assessments.scoring import PartialCredit, QuestionType
from assessments.services import authoring, grading, results, taking
from assessments.services.common import active_enrolment
from assessments.services.grading import MarkInput
from assessments.services.taking import AnswerInput, Upload
from courses.models import Course
from lms.api import blueprint as api
from lms.api.io import json_body
from lms.api.io import load as load_or_fail
from lms.db import db, utcnow
from lms.errors import NotFound, ValidationFailed
from lms.files.http import send_stored
from lms.files.models import StoredFile
from lms.security import login_required


def _me():
    return current_user._get_current_object()


def _num(value):
    return None if value is None else f"{value:f}"


def _course(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None:
        raise NotFound()
    return course


def _assessment(assessment_id: int, *, staff: bool = False):
    """An assessment the user may see: its course's trainers and staff see all, enrolled
    trainees the published ones; anyone else gets 404."""
    a = db.session.get(Assessment, assessment_id)
    if a is None:
        raise NotFound()
    course = db.session.get(Course, a.course_id)
    me = _me()
    if can_view_assessments(me, course):
        return a, course, True
    if staff or not a.published or active_enrolment(a, me.id) is None:
        raise NotFound()
    return a, course, False


# --- assessments -------------------------------------------------------------------------


@api.get("/courses/<int:course_id>/assessments")
@login_required
def course_assessments(course_id: int):
    course = _course(course_id)
    me = _me()
    q = select(Assessment).where(Assessment.course_id == course.id)
    if not can_view_assessments(me, course):
        from courses.models import Enrolment, EnrolmentStatus

        enrolled = db.session.scalar(
            select(Enrolment.id).where(
                Enrolment.course_id == course.id,
                Enrolment.user_id == me.id,
                Enrolment.status == EnrolmentStatus.ACTIVE,
            )
        )
        if enrolled is None:
            raise NotFound()
        q = q.where(Assessment.published.is_(True))
    rows = db.session.scalars(q.order_by(Assessment.closes_at, Assessment.id)).all()
    return {"items": AssessmentSchema(many=True).dump(rows)}


@api.post("/courses/<int:course_id>/assessments")
@login_required
def create_assessment(course_id: int):
    course = _course(course_id)
    if not can_view_assessments(_me(), course):
        raise NotFound()
    data = load_or_fail(AssessmentInSchema(), json_body())
    a = authoring.create_assessment(
        _me(),
        course,
        authoring.AssessmentInput(
            title=data["title"],
            kind=AssessmentKind(data["kind"]),
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            max_points=data["max_points"],
            pass_mark=data["pass_mark"],
            instructions=data["instructions"],
            module_id=data["module_id"],
            weight=data["weight"],
            attempts_allowed=data["attempts_allowed"],
            late_policy=LatePolicy(data["late_policy"]),
            late_until=data["late_until"],
            is_final=data["is_final"],
            published=data["published"],
            time_limit_minutes=data["time_limit_minutes"],
            shuffle_questions=data["shuffle_questions"],
            show_answers=data["show_answers"],
            double_marking=data["double_marking"],
            marking_tolerance=data["marking_tolerance"],
            framework_item_ids=data["framework_item_ids"],
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
def get_assessment(assessment_id: int):
    a, _course, _staff = _assessment(assessment_id)
    return AssessmentSchema().dump(a)


@api.get("/assessments/<int:assessment_id>/questions")
@login_required
def list_questions(assessment_id: int):
    a, _course, _staff = _assessment(assessment_id, staff=True)
    questions = authoring.load_for_edit(a.id).questions
    return {"items": QuestionSchema(many=True).dump(questions)}


@api.post("/assessments/<int:assessment_id>/questions")
@login_required
def create_question(assessment_id: int):
    a, _course, _staff = _assessment(assessment_id, staff=True)
    data = load_or_fail(QuestionInSchema(), json_body())
    q = authoring.add_question(
        _me(),
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
    q = next(x for x in authoring.load_for_edit(a.id).questions if x.id == q.id)
    return QuestionSchema().dump(q), 201


# --- attempts ----------------------------------------------------------------------------


def _attempt_json(attempt: Attempt) -> dict:
    questions = {q.id: q for q in taking.load_questions(attempt.assessment_id)}
    ordered = [questions[q] for q in attempt.question_order if q in questions]
    answers = taking.answers_of(attempt)
    return {
        "id": attempt.id,
        "assessment_id": attempt.assessment_id,
        "number": attempt.number,
        "started_at": attempt.started_at.isoformat(),
        "deadline": attempt.deadline.isoformat() if attempt.deadline else None,
        "submitted_at": attempt.submitted_at.isoformat() if attempt.submitted_at else None,
        "auto_closed": attempt.auto_closed,
        "questions": QuestionPublicSchema(many=True).dump(ordered),
        "answers": {
            str(qid): {"selected": a.selected, "text": a.text} for qid, a in answers.items()
        },
    }


def _own_attempt(attempt_id: int) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.trainee_id != _me().id:
        raise NotFound()
    return attempt


@api.post("/assessments/<int:assessment_id>/attempts")
@login_required
def start_attempt(assessment_id: int):
    a, _course, _staff = _assessment(assessment_id)
    attempt = taking.start_attempt(_me(), a)
    db.session.commit()
    return (
        _attempt_json(attempt),
        201,
        {"Location": url_for("api.get_attempt", attempt_id=attempt.id)},
    )


@api.get("/attempts/<int:attempt_id>")
@login_required
def get_attempt(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if taking.expire_if_due(attempt, utcnow()):
        db.session.commit()
    return _attempt_json(attempt)


@api.put("/attempts/<int:attempt_id>/answers/<int:question_id>")
@login_required
def attempt_answer(attempt_id: int, question_id: int):
    attempt = _own_attempt(attempt_id)
    data = load_or_fail(AnswerInSchema(), json_body())
    in_time = taking.save_answers(
        _me(), attempt, [AnswerInput(question_id, data["selected"], data["text"])]
    )
    db.session.commit()
    if not in_time:
        from lms.errors import problem

        return problem(
            409,
            "time_up",
            "The time is up: the attempt was submitted with the answers saved before.",
        )
    return {"saved": True, "question_id": question_id}


@api.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit_attempt(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    taking.submit_attempt(_me(), attempt)
    db.session.commit()
    return _attempt_json(attempt)


# --- submissions -------------------------------------------------------------------------


def _submission_json(sub: Submission) -> dict:
    return {
        "id": sub.id,
        "assessment_id": sub.assessment_id,
        "trainee_id": sub.trainee_id,
        "text": sub.text,
        "submitted_at": sub.submitted_at.isoformat(),
        "late": sub.late,
        "times_submitted": sub.times_submitted,
        "version": sub.version_id,
        "files": [
            {
                "id": f.id,
                "name": f.stored.original_name,
                "kind": f.stored.kind,
                "size": f.stored.size,
                "sha256": f.stored.sha256,
                "url": url_for("api.submission_file", submission_id=sub.id, file_id=f.id),
            }
            for f in sub.files
        ],
    }


@api.get("/assessments/<int:assessment_id>/submission")
@login_required
def my_submission(assessment_id: int):
    a, _course, _staff = _assessment(assessment_id)
    sub = taking.submission_of(a, _me().id)
    if sub is None:
        raise NotFound()
    return _submission_json(sub)


@api.post("/assessments/<int:assessment_id>/submission")
@login_required
def submit_work(assessment_id: int):
    """multipart/form-data: text, files (repeatable), remove_file (ids), version."""
    a, _course, _staff = _assessment(assessment_id)
    version = request.form.get("version", "")
    taking.submit_work(
        _me(),
        a,
        text=request.form.get("text", ""),
        uploads=[
            Upload(f.filename or "", f.read())
            for f in request.files.getlist("files")
            if f and (f.filename or "").strip()
        ],
        remove_file_ids=[int(v) for v in request.form.getlist("remove_file") if v.isdigit()],
        seen_version=int(version) if version.isdigit() else None,
    )
    db.session.commit()
    return _submission_json(taking.submission_of(a, _me().id)), 201


@api.get("/submissions/<int:submission_id>/files/<int:file_id>")
@login_required
def submission_file(submission_id: int, file_id: int):
    sub = db.session.get(Submission, submission_id)
    if sub is None:
        raise NotFound()
    course = db.session.get(Course, db.session.get(Assessment, sub.assessment_id).course_id)
    me = _me()
    if sub.trainee_id != me.id and not can_grade(me, course):
        raise NotFound()
    link = db.session.get(SubmissionFile, file_id)
    if link is None or link.submission_id != sub.id:
        raise NotFound()
    return send_stored(db.session.get(StoredFile, link.stored_file_id))


# --- grades ------------------------------------------------------------------------------


def _mark_json(m) -> dict:
    return {
        "id": m.id,
        "role": m.role.value,
        "marker_id": m.marker_id,
        "score": _num(m.score),
        "feedback": m.feedback,
        "note": m.note,
        "observed_on": m.observed_on.isoformat() if m.observed_on else None,
        "completed": m.completed,
        "version": m.version_id,
        "levels": {
            str(lv.criterion_id): {
                "level_id": lv.level_id,
                "points": _num(lv.points),
                "comment": lv.comment,
            }
            for lv in m.levels
        },
    }


def _grade_json(grade: Grade, a, *, marks=None) -> dict:
    out = {
        "id": grade.id,
        "assessment_id": grade.assessment_id,
        "trainee_id": grade.trainee_id,
        "status": grade.status.value,
        "score": _num(grade.score),
        "feedback": grade.feedback,
        "released_at": grade.released_at.isoformat() if grade.released_at else None,
        "version": grade.version_id,
    }
    if marks is not None:
        out.update(
            {
                "discrepancy": grade.discrepancy,
                "agreed_reason": grade.agreed_reason,
                "marks": [_mark_json(m) for m in marks],
            }
        )
    return out


def _grade_for(grade_id: int):
    grade = db.session.get(Grade, grade_id)
    if grade is None:
        raise NotFound()
    a, course, staff = _assessment(grade.assessment_id)
    me = _me()
    if not staff and (grade.trainee_id != me.id or grade.status != GradeStatus.RELEASED):
        raise NotFound()  # a trainee sees only their own grade, once released
    return grade, a, course, staff


@api.get("/assessments/<int:assessment_id>/grades")
@login_required
def list_grades(assessment_id: int):
    a, _course, staff = _assessment(assessment_id)
    me = _me()
    if not staff:
        grade = taking.my_grade(me, a)
        return {"items": [_grade_json(grade, a)] if grade else []}
    rows = results.grading_rows(a)
    items = []
    for r in rows:
        if r.grade is None:
            items.append({"id": None, "trainee_id": r.trainee.id, "status": "not_submitted"})
            continue
        visible = grading.visible_marks(me, a, r.marks)
        item = _grade_json(r.grade, a, marks=[])
        item["marks"] = [
            {
                "role": m.role.value,
                "marker_id": m.marker_id,
                "score": _num(m.score),
                "completed": m.completed,
            }
            for m in visible
        ]
        item["trainee_name"] = r.trainee.full_name
        items.append(item)
    return {"items": items}


@api.get("/grades/<int:grade_id>")
@login_required
def get_grade(grade_id: int):
    grade, a, _course, staff = _grade_for(grade_id)
    if not staff:
        return _grade_json(grade, a)
    marks = grading.marks_of(grade)
    return _grade_json(grade, a, marks=grading.visible_marks(_me(), a, marks))


@api.put("/grades/<int:grade_id>/mark")
@login_required
def put_mark(grade_id: int):
    grade, a, _course, staff = _grade_for(grade_id)
    if not staff:
        raise NotFound()
    data = load_or_fail(MarkInSchema(), json_body())
    try:
        levels = {int(k): v for k, v in data["levels"].items()}
        comments = {int(k): v for k, v in data["comments"].items()}
    except ValueError as exc:
        raise ValidationFailed(fields={"levels": ["Criterion ids are numbers."]}) from exc
    mark = grading.save_mark(
        _me(),
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
    marks = grading.marks_of(grade)
    out = _grade_json(grade, a, marks=grading.visible_marks(_me(), a, marks))
    out["mark_id"] = mark.id
    return out


@api.post("/grades/<int:grade_id>/agreement")
@login_required
def post_agreement(grade_id: int):
    grade, a, _course, staff = _grade_for(grade_id)
    if not staff:
        raise NotFound()
    data = load_or_fail(AgreementInSchema(), json_body())
    grading.record_agreement(
        _me(),
        a,
        grade,
        score=data["score"],
        reason=data["reason"],
        feedback=data["feedback"],
        seen_version=data["version"],
    )
    db.session.commit()
    return _grade_json(grade, a, marks=grading.marks_of(grade))


@api.post("/assessments/<int:assessment_id>/release")
@login_required
def release(assessment_id: int):
    a, _course, _staff = _assessment(assessment_id, staff=True)
    data = load_or_fail(ReleaseInSchema(), json_body() or {})
    n = grading.release(_me(), a, data["grade_ids"])
    db.session.commit()
    return {"released": n}


@api.get("/courses/<int:course_id>/gradebook")
@login_required
def gradebook(course_id: int):
    course = _course(course_id)
    if not can_view_assessments(_me(), course):
        raise NotFound()
    book = results.gradebook(course)
    return {
        "course_id": course.id,
        "assessments": [
            {
                "id": a.id,
                "title": a.title,
                "kind": a.kind.value,
                "max_points": _num(a.max_points),
                "pass_mark": _num(a.pass_mark),
                "weight": _num(a.weight),
            }
            for a in book.assessments
        ],
        "rows": [
            {
                "trainee_id": r.trainee.id,
                "trainee_name": r.trainee.full_name,
                "grades": {
                    str(aid): ({"status": g.status.value, "score": _num(g.score)} if g else None)
                    for aid, g in r.cells.items()
                },
                "result": _num(r.result),
                "complete": r.complete,
                "passed": r.passed,
                "attendance_pct": r.attendance_pct,
                "eligible_for_final": r.eligible,
            }
            for r in book.rows
        ],
    }


@api.get("/me/results")
@login_required
def my_results():
    rows = results.my_results(_me())
    return {
        "items": [
            {
                **_grade_json(g, a),
                "assessment_title": a.title,
                "course_id": c.id,
                "max_points": _num(a.max_points),
                "pass_mark": _num(a.pass_mark),
            }
            for g, a, c in rows
        ]
    }
