"""The trainer's pages to build assessments: the course's list, the assessment form, the
management page with questions, rubric and the trainees' grading list; rubric templates."""

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
    TemplateForm,
    item_choices,
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
    Rubric,
    RubricCriterion,
)
from assessments.permissions import can_grade, can_manage_assessments, can_manage_templates
from assessments.scoring import PartialCredit, QuestionType
from assessments.services import authoring as services
from assessments.services import grading as grading_services
from assessments.services import results as result_services
from assessments.views.common import (
    apply_field_errors,
    course_or_404,
    require,
    staff_assessment_or_404,
    user,
)
from courses.models import CourseModule, Module
from courses.permissions import is_staff
from lms.accounts.models import Role
from lms.db import db
from lms.errors import ValidationFailed
from lms.security import roles_required

GRADER_ROLES = (Role.TRAINER, Role.COORDINATOR, Role.ADMIN)


@bp.get("/percorsi/<int:course_id>/valutazioni")
@roles_required(*GRADER_ROLES)
def course_assessments(course_id: int):
    course = course_or_404(course_id)
    from assessments.permissions import can_view_assessments

    require(can_view_assessments(user(), course))
    rows = db.session.scalars(
        select(Assessment)
        .where(Assessment.course_id == course.id)
        .order_by(Assessment.closes_at, Assessment.id)
    ).all()
    return render_template(
        "assessments/course_assessments.html",
        course=course,
        assessments=rows,
        can_manage=can_manage_assessments(user(), course),
    )


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
    form.framework_items.data = [i.id for i in a.framework_items]


def _assessment_form(course, a: Assessment | None):
    form = AssessmentForm()
    form.module_id.choices = _module_choices(course)
    form.framework_items.choices = item_choices()
    if request.method == "GET" and a is not None:
        _fill(form, a)
    status = 200
    if form.validate_on_submit():
        try:
            if a is None:
                a = services.create_assessment(user(), course, _input_from(form))
                message = _("The assessment is created.")
            else:
                services.update_assessment(user(), a, _input_from(form))
                message = _("The assessment is saved.")
        except ValidationFailed as err:
            db.session.rollback()
            if not apply_field_errors(form, err.fields):
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
@roles_required(*GRADER_ROLES)
def new_assessment(course_id: int):
    course = course_or_404(course_id)
    require(can_manage_assessments(user(), course))
    return _assessment_form(course, None)


@bp.route("/valutazioni/<int:assessment_id>/modifica", methods=["GET", "POST"])
@roles_required(*GRADER_ROLES)
def edit_assessment(assessment_id: int):
    a, course = staff_assessment_or_404(assessment_id)
    require(can_manage_assessments(user(), course))
    a = services.load_for_edit(a.id)
    return _assessment_form(course, a)


@bp.post("/valutazioni/<int:assessment_id>/elimina")
@roles_required(*GRADER_ROLES)
def delete_assessment(assessment_id: int):
    a, course = staff_assessment_or_404(assessment_id)
    services.delete_assessment(user(), a)
    db.session.commit()
    flash(_("The assessment is deleted."), "success")
    return redirect(url_for("assessments.course_assessments", course_id=course.id), 303)


def render_manage(a: Assessment, course, *, question_form=None, criterion_form=None, status=200):
    """The management page: settings, questions or rubric, and the trainees' grading list."""
    a = services.load_for_edit(a.id)
    u = user()
    manage = can_manage_assessments(u, course)
    if question_form is None:
        question_form = QuestionForm(formdata=None)
        question_form.framework_items.choices = item_choices()
    if criterion_form is None:
        criterion_form = CriterionForm(formdata=None)
        criterion_form.framework_items.choices = item_choices()
    attach = AttachRubricForm(formdata=None)
    attach.template_id.choices = make_choices((t.id, t.title) for t in services.templates())
    rows = result_services.grading_rows(a)
    counts = {s: 0 for s in GradeStatus}
    for r in rows:
        counts[r.status] += 1
    return render_template(
        "assessments/manage.html",
        a=a,
        course=course,
        can_manage=manage,
        can_grade=can_grade(u, course),
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
@roles_required(*GRADER_ROLES)
def add_question(assessment_id: int):
    a, course = staff_assessment_or_404(assessment_id)
    form = QuestionForm()
    form.framework_items.choices = item_choices()
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
        services.add_question(user(), a, data)
    except ValidationFailed as err:
        db.session.rollback()
        if not apply_field_errors(form, err.fields):
            flash(err.message, "danger")
        return render_manage(a, course, question_form=form, status=422)
    db.session.commit()
    flash(_("The question is added."), "success")
    return redirect(url_for("assessments.assessment", assessment_id=a.id, _anchor="domande"), 303)


@bp.post("/domande/<int:question_id>/elimina")
@roles_required(*GRADER_ROLES)
def delete_question(question_id: int):
    q = db.session.get(Question, question_id)
    require(q is not None)
    a, _course = staff_assessment_or_404(q.assessment_id)
    services.delete_question(user(), q)
    db.session.commit()
    flash(_("The question is deleted."), "success")
    return redirect(url_for("assessments.assessment", assessment_id=a.id, _anchor="domande"), 303)


@bp.post("/valutazioni/<int:assessment_id>/griglia")
@roles_required(*GRADER_ROLES)
def assessment_rubric(assessment_id: int):
    a, _course = staff_assessment_or_404(assessment_id)
    if request.form.get("action") == "own":
        services.create_assessment_rubric(user(), a, title=request.form.get("title") or a.title)
    else:
        template = db.session.get(Rubric, int(request.form.get("template_id") or 0))
        require(template is not None)
        services.attach_rubric(user(), a, template)
    db.session.commit()
    flash(_("The rubric is ready: check its criteria."), "success")
    return redirect(url_for("assessments.assessment", assessment_id=a.id, _anchor="griglia"), 303)


def parse_levels(text: str) -> list[services.LevelInput]:
    """'points | name | descriptor' lines."""
    levels = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        parts += [""] * (3 - len(parts))
        levels.append(services.LevelInput(title=parts[1], points=parts[0], descriptor=parts[2]))
    return levels


def _rubric_owner_page(rubric: Rubric, *, form=None, status=200):
    if rubric.assessment_id is not None:
        a, course = staff_assessment_or_404(rubric.assessment_id)
        return render_manage(a, course, criterion_form=form, status=status)
    return render_template_page(rubric, form=form, status=status)


def _check_rubric_access(rubric: Rubric) -> None:
    if rubric.assessment_id is not None:
        staff_assessment_or_404(rubric.assessment_id)
    else:
        require(can_manage_templates(user()))


@bp.post("/griglie/<int:rubric_id>/criteri")
@roles_required(*GRADER_ROLES)
def add_criterion(rubric_id: int):
    rubric = db.session.get(Rubric, rubric_id)
    require(rubric is not None)
    _check_rubric_access(rubric)
    form = CriterionForm()
    form.framework_items.choices = item_choices()
    if not form.validate():
        return _rubric_owner_page(rubric, form=form, status=422)
    data = services.CriterionInput(
        title=form.title.data,
        description=form.description.data or "",
        levels=parse_levels(form.levels.data),
        framework_item_ids=form.framework_items.data or [],
    )
    try:
        services.add_criterion(user(), rubric, data)
    except ValidationFailed as err:
        db.session.rollback()
        fields = dict(err.fields)
        level_msgs = [m for k, v in fields.items() if k.startswith("level") for m in v]
        if level_msgs:
            form.levels.errors = list(form.levels.errors) + level_msgs
        if not apply_field_errors(form, fields) and not level_msgs:
            flash(err.message, "danger")
        return _rubric_owner_page(rubric, form=form, status=422)
    db.session.commit()
    flash(_("The criterion is added."), "success")
    return _redirect_to_rubric(rubric)


def _redirect_to_rubric(rubric: Rubric):
    if rubric.assessment_id is not None:
        return redirect(
            url_for(
                "assessments.assessment", assessment_id=rubric.assessment_id, _anchor="griglia"
            ),
            303,
        )
    return redirect(url_for("assessments.template", rubric_id=rubric.id), 303)


@bp.post("/criteri/<int:criterion_id>/elimina")
@roles_required(*GRADER_ROLES)
def delete_criterion(criterion_id: int):
    crit = db.session.get(RubricCriterion, criterion_id)
    require(crit is not None)
    rubric = db.session.get(Rubric, crit.rubric_id)
    _check_rubric_access(rubric)
    services.delete_criterion(user(), crit)
    db.session.commit()
    flash(_("The criterion is deleted."), "success")
    return _redirect_to_rubric(rubric)


# --- rubric templates --------------------------------------------------------------------


@bp.route("/griglie", methods=["GET", "POST"])
@roles_required(*GRADER_ROLES)
def templates():
    require(can_manage_templates(user()))
    form = TemplateForm()
    status = 200
    if form.validate_on_submit():
        rubric = services.create_template(
            user(), title=form.title.data, description=form.description.data or ""
        )
        db.session.commit()
        flash(_("The template is created: add its criteria."), "success")
        return redirect(url_for("assessments.template", rubric_id=rubric.id), 303)
    if request.method == "POST":
        status = 422
    return render_template(
        "assessments/templates.html",
        form=form,
        rubrics=services.templates(),
        is_staff=is_staff(user()),
    ), status


def render_template_page(rubric: Rubric, *, form=None, status=200):
    rubric = services.load_rubric(rubric.id)
    if form is None:
        form = CriterionForm(formdata=None)
        form.framework_items.choices = item_choices()
    return render_template(
        "assessments/template.html",
        rubric=rubric,
        criterion_form=form,
        rubric_max=services.rubric_max(rubric),
    ), status


@bp.get("/griglie/<int:rubric_id>")
@roles_required(*GRADER_ROLES)
def template(rubric_id: int):
    rubric = db.session.get(Rubric, rubric_id)
    require(rubric is not None and rubric.is_template and can_manage_templates(user()))
    return render_template_page(rubric)


def rubric_for(a: Assessment):
    return grading_services.assessment_rubric(a)
