"""Module catalogue pages (coordinators edit; trainers read)."""

from __future__ import annotations

import decimal

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from courses import bp
from courses.forms import ModuleForm
from courses.models import Module
from courses.permissions import can_edit_module, can_manage_catalogue, can_view_catalogue
from courses.services import catalogue
from courses.views.common import hours_to_minutes, module_or_404
from lms.db import db
from lms.errors import ValidationFailed
from lms.security import allowed_if
from lms.web import acting_user, apply_field_errors, require_visible


@bp.get("/moduli")
@allowed_if(can_view_catalogue)
def modules():
    rows = db.session.scalars(
        catalogue.list_modules(acting_user()).options(selectinload(Module.framework_items))
    ).all()
    in_use = catalogue.modules_in_use()
    return render_template("courses/modules.html", modules=rows, in_use=in_use)


def _save_module(module: Module | None):
    form = ModuleForm(obj=None)
    form.framework_items.offer([i.id for i in module.framework_items] if module else [])
    if request.method == "GET" and module is not None:
        form.code.data, form.title.data = module.code, module.title
        form.topic_area.data = module.topic_area.value
        form.planned_hours.data = decimal.Decimal(module.planned_minutes) / 60
        form.description.data, form.objectives.data = module.description, module.objectives
        form.framework_items.data = [i.id for i in module.framework_items]
    status = 200
    if form.validate_on_submit():
        args = dict(
            code=form.code.data,
            title=form.title.data,
            topic_area=form.topic_area.data,
            planned_minutes=hours_to_minutes(form.planned_hours.data),
            description=form.description.data or "",
            objectives=form.objectives.data or "",
            framework_item_ids=form.framework_items.data or [],
        )
        try:
            if module is None:
                module = catalogue.create_module(acting_user(), **args)
            else:
                catalogue.update_module(acting_user(), module, **args)
        except ValidationFailed as err:
            apply_field_errors(form, err)
            status = 422
        else:
            db.session.commit()
            flash(_("The module has been saved."), "success")
            return redirect(url_for("courses.modules"), 303)
    elif form.errors:
        status = 422
    return render_template("courses/module_form.html", form=form, module=module), status


@bp.route("/moduli/nuovo", methods=["GET", "POST"])
@allowed_if(can_manage_catalogue)
def new_module():
    return _save_module(None)


@bp.route("/moduli/<int:module_id>/modifica", methods=["GET", "POST"])
@allowed_if(can_manage_catalogue)
def edit_module(module_id: int):
    module = db.first_or_404(
        select(Module).where(Module.id == module_id).options(selectinload(Module.framework_items))
    )
    require_visible(can_edit_module(acting_user(), module))
    return _save_module(module)


@bp.post("/moduli/<int:module_id>/ritira")
@allowed_if(can_manage_catalogue)
def retire_module(module_id: int):
    module = module_or_404(module_id, can_edit_module)
    retired = request.form.get("retired", "1") == "1"
    catalogue.set_retired(acting_user(), module, retired)
    db.session.commit()
    flash(
        _("The module has been retired.") if retired else _("The module is offered again."),
        "success",
    )
    return redirect(url_for("courses.modules"), 303)


@bp.post("/moduli/<int:module_id>/elimina")
@allowed_if(can_manage_catalogue)
def delete_module(module_id: int):
    module = module_or_404(module_id, can_edit_module)
    catalogue.delete_module(acting_user(), module)
    db.session.commit()
    flash(_("The module has been deleted."), "success")
    return redirect(url_for("courses.modules"), 303)
