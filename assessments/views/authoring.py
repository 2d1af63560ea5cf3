"""The trainer's pages to build assessments: the course's list, the assessment form, the
management page with questions, rubric and the trainees' grading list (rubrics: rubrics.py)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from assessments import bp
from assessments.forms import (
    AssessmentForm,
    AttachRubricForm,
    CriterionForm,
    QuestionForm,
    make_choices,
    to_local,
    to_utc,
)
from assessments.models import (
    STATUS_LABELS,
    Assessment,
    AssessmentKind,
    GradeStatus,
    LatePolicy,
    Question,
)
from assessments.permissions import (
    can_author_assessments,
    can_edit_assessment,
    can_manage_assessments,
    can_view_assessments,
)
from assessments.scoring import PartialCredit, QuestionType
from assessments.services import authoring as services
from assessments.services import results as result_services
from assessments.views.common import staff_assessment_or_404
from courses.models import Course, CourseModule, Module
from lms.db import db
from lms.errors import ValidationFailed
from lms.security import allowed_if
from lms.web import acting_user, apply_field_errors, get_or_404, require_visible


@bp.get("/percorsi/<int:course_id>/valutazioni")
@allowed_if(can_author_assessments)
def course_assessments(course_id: int):
    course = get_or_404(Course, course_id, visible=can_view_assessments)
    rows = db.session.scalars(services.course_assessments(acting_user(), course)).all()
    return render_template("assessments/course_assessments.html", course=course, assessments=rows)


def _module_choices(course):
    rows = db.session.execute(
        select(Module.id, Module.code, Module.title)
        .join(CourseModule, CourseModule.module_id == Module.id)
        .where(CourseModule.course_id == course.id)
        .order_by(CourseModule.position)
    ).all()
    return make_choices([("", _("None"))] + [(str(i), f"{c} · {t}") for i, c, t in rows])


def _input_from(form: AssessmentForm) -> services.AssessmentInput:
    return services.AssessmentInput(
        title=form.title.data or "",
        kind=AssessmentKind(form.kind.data),
        opens_at=to_utc(form.opens_at.data),
        closes_at=to_utc(form.closes_at.data),
        max_points=form.max_points.data,
        pass_mark=form.pass_mark.data,
        instructions=form.instructions.data or "",
        module_id=form.module_id.data,
        weight=form.weight.data,
        attempts_allowed=form.attempts_allowed.data,
        late_policy=LatePolicy(form.late_policy.data),
        late_until=to_utc(form.late_until.data),
        is_final=form.is_final.data,
        published=form.published.data,
        time_limit_minutes=form.time_limit_minutes.data,
        shuffle_questions=form.shuffle_questions.data,
        show_answers=form.show_answers.data,
        release_when_graded=form.release_when_graded.data,
        double_marking=form.double_marking.data,
        marking_tolerance=form.marking_tolerance.data or "0",
        framework_item_ids=form.framework_items.data or [],
    )


def _fill(form: AssessmentForm, a: Assessment) -> None:
    form.title.data, form.kind.data, form.instructions.data = a.title, a.kind.value, a.instructions
    form.module_id.data = a.module_id
    form.opens_at.data, form.closes_at.data = to_local(a.opens_at), to_local(a.closes_at)
    form.late_until.data = to_local(a.late_until)
    form.max_points.data, form.pass_mark.data = f"{a.max_points:f}", f"{a.pass_mark:f}"
    form.weight.data, form.marking_tolerance.data = f"{a.weight:f}", f"{a.marking_tolerance:f}"
    form.attempts_allowed.data, form.late_policy.data = a.attempts_allowed, a.late_policy.value
    form.is_final.data, form.published.data = a.is_final, a.published
    form.time_limit_minutes.data = a.time_limit_minutes
    form.shuffle_questions.data, form.show_answers.data = a.shuffle_questions, a.show_answers
    form.double_marking.data = a.double_marking
    form.release_when_graded.data = a.release_when_graded
    form.framework_items.data = [i.id for i in a.framework_items]


def _assessment_form(course, a: Assessment | None):
    form = AssessmentForm()
    form.module_id.choices = _module_choices(course)
    form.framework_items.offer([i.id for i in a.framework_items] if a is not None else [])
    if request.method == "GET" and a is not None:
        _fill(form, a)
    status = 200
    if form.validate_on_submit():
        try:
            if a is None:
                a = services.create_assessment(acting_user(), course, _input_from(form))
                message = _("The assessment is created.")
            else:
                services.update_assessment(acting_user(), a, _input_from(form))
                message = _("The assessment is saved.")
        except ValidationFailed as err:
            db.session.rollback()
            if not apply_field_errors(form, err):
                flash(err.message, "danger")
            status = 422
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("assessments.assessment", assessment_id=a.id), 303)
    elif request.method == "POST":
        status = 422
    return render_template(
        "assessments/assessment_form.html", form=form, course=course, a=a
    ), status


@bp.route("/percorsi/<int:course_id>/valutazioni/nuova", methods=["GET", "POST"])
@allowed_if(can_author_assessments)
def new_assessment(course_id: int):
    course = get_or_404(Course, course_id, visible=can_manage_assessments)
    return _assessment_form(course, None)


@bp.route("/valutazioni/<int:assessment_id>/modifica", methods=["GET", "POST"])
@allowed_if(can_author_assessments)
def edit_assessment(assessment_id: int):
    a, course = staff_assessment_or_404(assessment_id)
    require_visible(can_edit_assessment(acting_user(), a))
    a = services.load_for_edit(acting_user(), a)
    return _assessment_form(course, a)


@bp.post("/valutazioni/<int:assessment_id>/elimina")
@allowed_if(can_author_assessments)
def delete_assessment(assessment_id: int):
    a, course = staff_assessment_or_404(assessment_id)
    services.delete_assessment(acting_user(), a)
    db.session.commit()
    flash(_("The assessment is deleted."), "success")
    return redirect(url_for("assessments.course_assessments", course_id=course.id), 303)


def render_manage(a: Assessment, course, *, question_form=None, criterion_form=None, status=200):
    """The management page: settings, questions or rubric, and the trainees' grading list."""
    u = acting_user()
    a = services.load_for_edit(u, a)
    if question_form is None:
        question_form = QuestionForm(formdata=None)
        question_form.framework_items.offer()
    if criterion_form is None:
        criterion_form = CriterionForm(formdata=None)
        criterion_form.framework_items.offer()
    attach = AttachRubricForm(formdata=None)
    attach.template_id.choices = make_choices((t.id, t.title) for t in services.templates(u))
    rows = result_services.grading_rows(u, a)
    counts = {s: 0 for s in GradeStatus}
    for r in rows:
        counts[r.status] += 1
    return render_template(
        "assessments/manage.html",
        a=a,
        course=course,
        question_form=question_form,
        criterion_form=criterion_form,
        attach_form=attach,
        rows=rows,
        counts=counts,
        status_labels=STATUS_LABELS,
        quiz_total=services.quiz_total(a.id) if a.is_quiz else None,
        rubric_max=services.rubric_max(a.rubric) if a.rubric else None,
        locked=services.has_work(a),
        graded_count=counts[GradeStatus.GRADED],
    ), status


def _parse_choices(text: str) -> list[tuple[str, bool]]:
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        right = line.startswith("*")
        out.append((line.lstrip("*").strip(), right))
    return out


@bp.post("/valutazioni/<int:assessment_id>/domande")
@allowed_if(can_author_assessments)
def add_question(assessment_id: int):
    a, course = staff_assessment_or_404(assessment_id)
    form = QuestionForm()
    form.framework_items.offer()
    if not form.validate():
        return render_manage(a, course, question_form=form, status=422)
    kind = QuestionType(form.kind.data)
    choices = _parse_choices(form.choices.data)
    if kind == QuestionType.TRUE_FALSE:
        truth = not any(t.lower() in ("falso", "false") and ok for t, ok in choices)
        choices = [(_("True"), truth), (_("False"), not truth)]
    data = services.QuestionInput(
        kind=kind,
        prompt=form.prompt.data,
        points=form.points.data,
        choices=choices,
        partial_credit=PartialCredit(form.partial_credit.data),
        accepted_answers=form.accepted_answers.data or "",
        expected_number=form.expected_number.data,
        tolerance=form.tolerance.data or "0",
        feedback=form.feedback.data or "",
        framework_item_ids=form.framework_items.data or [],
    )
    try:
        services.add_question(acting_user(), a, data)
    except ValidationFailed as err:
        db.session.rollback()
        if not apply_field_errors(form, err):
            flash(err.message, "danger")
        return render_manage(a, course, question_form=form, status=422)
    db.session.commit()
    flash(_("The question is added."), "success")
    return redirect(url_for("assessments.assessment", assessment_id=a.id, _anchor="domande"), 303)


@bp.post("/domande/<int:question_id>/elimina")
@allowed_if(can_author_assessments)
def delete_question(question_id: int):
    q = get_or_404(Question, question_id)
    a, _course = staff_assessment_or_404(q.assessment_id)
    services.delete_question(acting_user(), q)
    db.session.commit()
    flash(_("The question is deleted."), "success")
    return redirect(url_for("assessments.assessment", assessment_id=a.id, _anchor="domande"), 303)
