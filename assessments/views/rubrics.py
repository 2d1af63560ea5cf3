"""The rubric pages: a rubric for an assessment (its own, or a template's copy), criteria
with their levels, and the shared rubric templates."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from assessments import bp
from assessments.forms import CriterionForm, TemplateForm
from assessments.models import Rubric, RubricCriterion
from assessments.permissions import (
    can_author_assessments,
    can_manage_templates,
    can_view_rubric,
)
from assessments.services import authoring as services
from assessments.views.authoring import render_manage
from assessments.views.common import int_or_none, staff_assessment_or_404
from lms.db import db
from lms.errors import ValidationFailed
from lms.security import allowed_if
from lms.web import acting_user, apply_field_errors, get_or_404, require_visible


@bp.post("/valutazioni/<int:assessment_id>/griglia")
@allowed_if(can_author_assessments)
def assessment_rubric(assessment_id: int):
    a, _course = staff_assessment_or_404(assessment_id)
    if request.form.get("action") == "own":
        services.create_assessment_rubric(
            acting_user(), a, title=request.form.get("title") or a.title
        )
    else:
        template = get_or_404(
            Rubric, int_or_none(request.form.get("template_id")) or 0, visible=can_view_rubric
        )
        services.attach_rubric(acting_user(), a, template)
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


@bp.post("/griglie/<int:rubric_id>/criteri")
@allowed_if(can_author_assessments)
def add_criterion(rubric_id: int):
    rubric = get_or_404(Rubric, rubric_id, visible=can_view_rubric)
    form = CriterionForm()
    form.framework_items.offer()
    if not form.validate():
        return _rubric_owner_page(rubric, form=form, status=422)
    data = services.CriterionInput(
        title=form.title.data,
        description=form.description.data or "",
        levels=parse_levels(form.levels.data),
        framework_item_ids=form.framework_items.data or [],
    )
    try:
        services.add_criterion(acting_user(), rubric, data)
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
@allowed_if(can_author_assessments)
def delete_criterion(criterion_id: int):
    crit = get_or_404(RubricCriterion, criterion_id)
    rubric = get_or_404(Rubric, crit.rubric_id, visible=can_view_rubric)
    services.delete_criterion(acting_user(), crit)
    db.session.commit()
    flash(_("The criterion is deleted."), "success")
    return _redirect_to_rubric(rubric)


# --- rubric templates --------------------------------------------------------------------


@bp.route("/griglie", methods=["GET", "POST"])
@allowed_if(can_manage_templates)
def templates():
    form = TemplateForm()
    status = 200
    if form.validate_on_submit():
        rubric = services.create_template(
            acting_user(), title=form.title.data, description=form.description.data or ""
        )
        db.session.commit()
        flash(_("The template is created: add its criteria."), "success")
        return redirect(url_for("assessments.template", rubric_id=rubric.id), 303)
    if request.method == "POST":
        status = 422
    return render_template(
        "assessments/templates.html",
        form=form,
        rubrics=services.templates(acting_user()),
    ), status


def render_template_page(rubric: Rubric, *, form=None, status=200):
    rubric = services.load_rubric(acting_user(), rubric)
    if form is None:
        form = CriterionForm(formdata=None)
        form.framework_items.offer()
    return render_template(
        "assessments/template.html",
        rubric=rubric,
        criterion_form=form,
        rubric_max=services.rubric_max(rubric),
    ), status


@bp.get("/griglie/<int:rubric_id>")
@allowed_if(can_manage_templates)
def template(rubric_id: int):
    rubric = get_or_404(Rubric, rubric_id, visible=can_view_rubric)
    require_visible(rubric.is_template)
    return render_template_page(rubric)
