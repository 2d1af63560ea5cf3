"""The trainee's pages: their assessments, a quiz attempt, an assignment's submission, their
released results; and the assessment page, which trainers see as its management page."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from assessments import bp
from assessments.models import Attempt, GradeStatus, Submission, SubmissionFile
from assessments.permissions import (
    can_take_assessments,
    can_view_questions,
    can_view_submission,
    can_work_on_attempt,
)
from assessments.services import marking
from assessments.services import results as result_services
from assessments.services import taking as services
from assessments.services.taking import AnswerInput, Upload
from assessments.views.authoring import render_manage
from assessments.views.common import assessment_or_404, int_or_none, trainee_assessment_or_404
from lms.db import db, utcnow
from lms.errors import StaleEdit, ValidationFailed
from lms.files.http import send_stored
from lms.files.models import StoredFile
from lms.security import allowed_if, login_required
from lms.validation import ascii_numbers
from lms.web import acting_user, get_or_404, require_visible


@bp.get("/valutazioni")
@allowed_if(can_take_assessments)
def my_assessments():
    rows = result_services.my_assessments(acting_user())
    return render_template("assessments/my_assessments.html", rows=rows)


@bp.get("/risultati")
@allowed_if(can_take_assessments)
def my_results():
    rows = result_services.my_results(acting_user())
    return render_template("assessments/my_results.html", rows=rows)


@bp.get("/valutazioni/<int:assessment_id>")
@login_required
def assessment(assessment_id: int):
    a, course = assessment_or_404(assessment_id)
    if can_view_questions(acting_user(), a):
        return render_manage(a, course)
    return render_trainee(a, course)


def render_trainee(a, course, *, errors=None, text=None, status=200):
    u = acting_user()
    now = utcnow()
    access = services.access(u, a, now)
    grade = services.my_grade(u, a)
    attempts = services.attempts_of(u, a) if a.is_quiz else []
    current = next((t for t in attempts if not t.finished), None)
    submission = services.submission_of(u, a) if not (a.is_quiz or a.is_observed) else None
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
        review=marking.released_review(u, a, grade),
        errors=errors or {},
        text=submission.text if text is None and submission else text,
        max_mb=round(services.max_upload_bytes() / 1048576),
        max_files=services.MAX_FILES,
    ), status


# --- quiz attempts -----------------------------------------------------------------------


@bp.post("/valutazioni/<int:assessment_id>/tentativi")
@allowed_if(can_take_assessments)
def start_attempt(assessment_id: int):
    a, _course = trainee_assessment_or_404(assessment_id)
    attempt = services.start_attempt(acting_user(), a)
    db.session.commit()
    return redirect(url_for("assessments.attempt", attempt_id=attempt.id), 303)


def _own_attempt(attempt_id: int) -> Attempt:
    return get_or_404(Attempt, attempt_id, visible=can_work_on_attempt)


@bp.get("/tentativi/<int:attempt_id>")
@allowed_if(can_take_assessments)
def attempt(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    a, course = assessment_or_404(attempt.assessment_id)
    if services.expire_if_due(acting_user(), attempt, utcnow()):
        db.session.commit()
        flash(
            _("The time is up: your attempt was submitted with the answers you saved."), "warning"
        )
    if attempt.finished:
        return redirect(url_for("assessments.assessment", assessment_id=a.id), 303)
    return render_template(
        "assessments/attempt.html",
        a=a,
        course=course,
        attempt=attempt,
        questions=services.attempt_questions(acting_user(), attempt),
        answers=services.answers_of(acting_user(), attempt),
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
        selected = ascii_numbers(values)
        text = form.get(f"{key}_text", "")
        answers.append(AnswerInput(qid, selected, text))
    return answers


@bp.post("/tentativi/<int:attempt_id>")
@allowed_if(can_take_assessments)
def save_attempt(attempt_id: int):
    """Save the answers; "Review and submit" saves them too, then shows the review page."""
    attempt = _own_attempt(attempt_id)
    a, _course = assessment_or_404(attempt.assessment_id)
    answers = parse_answers(request.form, attempt)
    in_time = services.save_answers(acting_user(), attempt, answers)
    db.session.commit()
    if not in_time:
        flash(
            _("The time is up: your attempt was submitted with the answers you saved."), "warning"
        )
        return redirect(url_for("assessments.assessment", assessment_id=a.id), 303)
    if request.form.get("action") == "submit":
        return redirect(url_for("assessments.review_attempt", attempt_id=attempt.id), 303)
    flash(_("Your answers are saved. You can come back to them until you submit."), "success")
    return redirect(url_for("assessments.attempt", attempt_id=attempt.id), 303)


@bp.get("/tentativi/<int:attempt_id>/riepilogo")
@allowed_if(can_take_assessments)
def review_attempt(attempt_id: int):
    """Every question, answered or not, before the trainee confirms the submission."""
    attempt = _own_attempt(attempt_id)
    a, course = assessment_or_404(attempt.assessment_id)
    if services.expire_if_due(acting_user(), attempt, utcnow()):
        db.session.commit()
        flash(
            _("The time is up: your attempt was submitted with the answers you saved."), "warning"
        )
    if attempt.finished:
        return redirect(url_for("assessments.assessment", assessment_id=a.id), 303)
    items = services.attempt_review(acting_user(), attempt)
    return render_template(
        "assessments/attempt_review.html",
        a=a,
        course=course,
        attempt=attempt,
        items=items,
        unanswered=sum(1 for i in items if not i.answered),
    )


@bp.post("/tentativi/<int:attempt_id>/invia")
@allowed_if(can_take_assessments)
def submit_attempt(attempt_id: int):
    """The trainee confirmed on the review page: the attempt is submitted as saved."""
    attempt = _own_attempt(attempt_id)
    a, _course = assessment_or_404(attempt.assessment_id)
    services.submit_attempt(acting_user(), attempt)
    db.session.commit()
    own = services.grade_of(a, acting_user().id)
    if attempt.auto_closed:
        flash(
            _("The time was up: your attempt was submitted with the answers saved in time."),
            "warning",
        )
    elif own is not None and own.status == GradeStatus.RELEASED:
        flash(_("Your answers are submitted and graded: your result is shown below."), "success")
    else:
        flash(
            _("Your answers are submitted. The result is shown once the trainer releases it."),
            "success",
        )
    return redirect(url_for("assessments.assessment", assessment_id=a.id), 303)


# --- assignment submissions ----------------------------------------------------------------


@bp.post("/valutazioni/<int:assessment_id>/consegna")
@allowed_if(can_take_assessments)
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
            acting_user(),
            a,
            text=text,
            uploads=uploads,
            remove_file_ids=ascii_numbers(request.form.getlist("remove_file")),
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
    sub = get_or_404(Submission, submission_id, visible=can_view_submission)
    link = get_or_404(SubmissionFile, file_id)
    require_visible(link.submission_id == sub.id)
    # ?in-linea=1: the grading screen shows a PDF or an image in place (other kinds download)
    inline = request.args.get("in-linea") == "1"
    return send_stored(db.session.get(StoredFile, link.stored_file_id), inline=inline)
