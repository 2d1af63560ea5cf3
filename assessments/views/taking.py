"""The trainee's pages: their assessments, a quiz attempt, an assignment's submission, their
released results; and the assessment page, which trainers see as its management page."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from assessments import bp
from assessments.models import (
    Attempt,
    GradeStatus,
    Submission,
    SubmissionFile,
)
from assessments.permissions import can_grade, can_view_assessments
from assessments.services import grading as grading_services
from assessments.services import results as result_services
from assessments.services import taking as services
from assessments.services.common import active_enrolment
from assessments.services.taking import AnswerInput, Upload
from assessments.views.common import (
    assessment_or_404,
    int_or_none,
    require,
    trainee_assessment_or_404,
    user,
)
from lms.accounts.models import Role
from lms.db import db, utcnow
from lms.errors import StaleEdit, ValidationFailed
from lms.files.http import send_stored
from lms.security import login_required, roles_required


@bp.get("/valutazioni")
@roles_required(Role.TRAINEE)
def my_assessments():
    rows = result_services.my_assessments(user())
    return render_template("assessments/my_assessments.html", rows=rows)


@bp.get("/risultati")
@roles_required(Role.TRAINEE)
def my_results():
    rows = result_services.my_results(user())
    return render_template("assessments/my_results.html", rows=rows)


@bp.get("/valutazioni/<int:assessment_id>")
@login_required
def assessment(assessment_id: int):
    a, course = assessment_or_404(assessment_id)
    if can_view_assessments(user(), course):
        from assessments.views.authoring import render_manage

        return render_manage(a, course)
    a, course = trainee_assessment_or_404(assessment_id)
    return render_trainee(a, course)


def _released_review(a, grade):
    """What the trainee reads once the grade is released: rubric levels and, when the trainer
    allows it, the quiz's answers with the right ones and the feedback."""
    review = {"levels": [], "questions": [], "answers": {}}
    if grade is None:
        return review
    if a.is_quiz and a.show_answers and grade.attempt_id:
        attempt = db.session.get(Attempt, grade.attempt_id)
        questions = {q.id: q for q in services.load_questions(a.id)}
        review["questions"] = [questions[q] for q in attempt.question_order if q in questions]
        review["answers"] = services.answers_of(attempt)
    elif not a.is_quiz and not a.double_marking:
        rubric = grading_services.assessment_rubric(a)
        marks = grading_services.marks_of(grade)
        first = next((m for m in marks if m.completed), None)
        if rubric is not None and first is not None:
            chosen = {lv.criterion_id: lv for lv in first.levels}
            for crit in rubric.criteria:
                review["levels"].append((crit, chosen.get(crit.id)))
    return review


def render_trainee(a, course, *, errors=None, text=None, status=200):
    u = user()
    now = utcnow()
    access = services.access(u, a, now)
    grade = services.my_grade(u, a)
    attempts = services.attempts_of(a, u.id) if a.is_quiz else []
    current = next((t for t in attempts if not t.finished), None)
    submission = services.submission_of(a, u.id) if not (a.is_quiz or a.is_observed) else None
    own = services.grade_of(a, u.id)
    shown_status = own.status if own else GradeStatus.NOT_SUBMITTED
    if shown_status in (GradeStatus.IN_GRADING, GradeStatus.GRADED):
        shown_status = GradeStatus.SUBMITTED
    can_submit = access.allowed and (
        submission is None
        or (
            (own is None or own.status in (GradeStatus.SUBMITTED, GradeStatus.NOT_SUBMITTED))
            and (a.attempts_allowed is None or submission.times_submitted < a.attempts_allowed)
        )
    )
    can_start = access.allowed and (
        current is not None or a.attempts_allowed is None or len(attempts) < a.attempts_allowed
    )
    return render_template(
        "assessments/trainee_assessment.html",
        a=a,
        course=course,
        access=access,
        grade=grade,
        attempts=attempts,
        current=current,
        submission=submission,
        shown_status=shown_status,
        can_submit=can_submit,
        can_start=can_start,
        review=_released_review(a, grade),
        errors=errors or {},
        text=submission.text if text is None and submission else text,
        max_mb=round(services.max_upload_bytes() / 1048576),
        max_files=services.MAX_FILES,
    ), status


# --- quiz attempts -----------------------------------------------------------------------


@bp.post("/valutazioni/<int:assessment_id>/tentativi")
@roles_required(Role.TRAINEE)
def start_attempt(assessment_id: int):
    a, _course = trainee_assessment_or_404(assessment_id)
    attempt = services.start_attempt(user(), a)
    db.session.commit()
    return redirect(url_for("assessments.attempt", attempt_id=attempt.id), 303)


def _own_attempt(attempt_id: int) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
    require(attempt is not None and attempt.trainee_id == user().id)
    return attempt


@bp.get("/tentativi/<int:attempt_id>")
@roles_required(Role.TRAINEE)
def attempt(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    a, course = assessment_or_404(attempt.assessment_id)
    if services.expire_if_due(attempt, utcnow()):
        db.session.commit()
        flash(
            _("The time is up: your attempt was submitted with the answers you saved."), "warning"
        )
    if attempt.finished:
        return redirect(url_for("assessments.assessment", assessment_id=a.id), 303)
    questions = {q.id: q for q in services.load_questions(a.id)}
    ordered = [questions[q] for q in attempt.question_order if q in questions]
    return render_template(
        "assessments/attempt.html",
        a=a,
        course=course,
        attempt=attempt,
        questions=ordered,
        answers=services.answers_of(attempt),
        now=utcnow(),
    )


def parse_answers(form, attempt: Attempt) -> list[AnswerInput]:
    """The answers on the page: radio and checkbox values, or the typed text."""
    answers = []
    for qid in attempt.question_order:
        key = f"q{qid}"
        if key not in form and f"{key}_shown" not in form:
            continue
        values = form.getlist(key)
        selected = [int(v) for v in values if v.isdigit()]
        text = form.get(f"{key}_text", "")
        answers.append(AnswerInput(qid, selected, text))
    return answers


@bp.post("/tentativi/<int:attempt_id>")
@roles_required(Role.TRAINEE)
def save_attempt(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    a, _course = assessment_or_404(attempt.assessment_id)
    answers = parse_answers(request.form, attempt)
    if request.form.get("action") == "submit":
        services.submit_attempt(user(), attempt, answers)
        db.session.commit()
        if attempt.auto_closed:
            flash(
                _("The time was up: your attempt was submitted with the answers saved in time."),
                "warning",
            )
        else:
            flash(
                _("Your answers are submitted. The result is shown once the trainer releases it."),
                "success",
            )
        return redirect(url_for("assessments.assessment", assessment_id=a.id), 303)
    in_time = services.save_answers(user(), attempt, answers)
    db.session.commit()
    if not in_time:
        flash(
            _("The time is up: your attempt was submitted with the answers you saved."), "warning"
        )
        return redirect(url_for("assessments.assessment", assessment_id=a.id), 303)
    flash(_("Your answers are saved. You can come back to them until you submit."), "success")
    return redirect(url_for("assessments.attempt", attempt_id=attempt.id), 303)


# --- assignment submissions ----------------------------------------------------------------


@bp.post("/valutazioni/<int:assessment_id>/consegna")
@roles_required(Role.TRAINEE)
def submit_work(assessment_id: int):
    a, course = trainee_assessment_or_404(assessment_id)
    text = request.form.get("text", "")
    uploads = [
        Upload(f.filename or "", f.read())
        for f in request.files.getlist("files")
        if f and (f.filename or "").strip()
    ]
    try:
        services.submit_work(
            user(),
            a,
            text=text,
            uploads=uploads,
            remove_file_ids=[int(v) for v in request.form.getlist("remove_file") if v.isdigit()],
            seen_version=int_or_none(request.form.get("version")),
        )
    except ValidationFailed as err:
        db.session.rollback()
        flash(err.message, "danger")
        return render_trainee(a, course, errors=err.fields, text=text, status=422)
    except StaleEdit:
        db.session.rollback()
        flash(
            _(
                "Your submission was changed from another window while you were editing. "
                "It is shown below as it is now; your text is kept in the box: check and send "
                "again."
            ),
            "danger",
        )
        return render_trainee(a, course, text=text, status=409)
    db.session.commit()
    flash(_("Your work is submitted."), "success")
    return redirect(url_for("assessments.assessment", assessment_id=a.id, _anchor="consegna"), 303)


@bp.get("/consegne/<int:submission_id>/file/<int:file_id>")
@login_required
def submission_file(submission_id: int, file_id: int):
    sub = db.session.get(Submission, submission_id)
    require(sub is not None)
    _a, course = assessment_or_404(sub.assessment_id)
    u = user()
    require(sub.trainee_id == u.id or can_grade(u, course))
    link = db.session.get(SubmissionFile, file_id)
    require(link is not None and link.submission_id == sub.id)
    from lms.files.models import StoredFile

    return send_stored(db.session.get(StoredFile, link.stored_file_id))


def is_enrolled(a, u) -> bool:
    return active_enrolment(a, u.id) is not None
