"""Admin pages of frameworks: create a draft, edit its metadata, profiles and items, publish,
retire and make a new version (each with a confirmation). Bad input re-renders the form with
what the admin typed; a change to a published framework is refused with a message (409)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from lms.db import db
from lms.errors import ValidationFailed
from lms.security import allowed_if
from lms.standards import editing, lifecycle, reads, services
from lms.standards.forms import ConfirmForm, FrameworkForm, ItemEditForm, ItemForm, ProfileForm
from lms.standards.models import FRAMEWORK_FIELDS, Framework, FrameworkItem, ItemKind
from lms.standards.permissions import can_manage_standards
from lms.standards.views import bp
from lms.standards.views.common import crumbs, framework_or_404, item_or_404, profile_or_404
from lms.validation import ascii_number
from lms.web import acting_user, apply_field_errors

PROFILE_FIELDS = (
    "code",
    "title",
    "description",
    "eqf_level",
    "ateco_code",
    "cp_istat_code",
    "atlante_code",
)


def _failed(form, err: ValidationFailed) -> None:
    db.session.rollback()
    if not apply_field_errors(form, err):
        flash(err.message, "danger")


def _to_framework(fw: Framework, anchor: str = ""):
    return redirect(url_for("standards.framework", framework_id=fw.id) + anchor, 303)


def _form_page(template: str, form, status: int, **context):
    if request.method == "POST" and status == 200:
        status = 422
    return render_template(template, form=form, **context), status


@bp.route("/nuovo", methods=["GET", "POST"])
@allowed_if(can_manage_standards)
def new_framework():
    form = FrameworkForm()
    if form.validate_on_submit():
        data = {f: getattr(form, f).data for f in FRAMEWORK_FIELDS}
        try:
            fw = services.create_framework(acting_user(), version=form.version.data, **data)
        except ValidationFailed as err:
            _failed(form, err)
        else:
            db.session.commit()
            flash(_("The draft framework %(code)s has been created.", code=fw.code), "success")
            return _to_framework(fw)
    return _form_page(
        "standards/framework_form.html",
        form,
        200,
        fw=None,
        breadcrumbs=crumbs(None, (_("New framework"), None)),
    )


@bp.route("/<int:framework_id>/modifica", methods=["GET", "POST"])
@allowed_if(can_manage_standards)
def edit_framework(framework_id: int):
    fw = framework_or_404(framework_id)
    lifecycle.ensure_draft(fw)
    form = FrameworkForm(obj=fw)
    del form.version
    if form.validate_on_submit():
        data = {f: getattr(form, f).data for f in FRAMEWORK_FIELDS}
        try:
            editing.edit_framework(acting_user(), fw, **data)
        except ValidationFailed as err:
            _failed(form, err)
        else:
            db.session.commit()
            flash(_("The changes have been saved."), "success")
            return _to_framework(fw)
    return _form_page(
        "standards/framework_form.html",
        form,
        200,
        fw=fw,
        breadcrumbs=crumbs(fw, (_("Edit"), None)),
    )


# --- profiles ------------------------------------------------------------------------------


def _competence_choices(fw: Framework) -> list[SelectChoice]:
    rows = reads.framework_page(acting_user(), fw).competences
    return [
        SelectChoice(r.competence.id, f"{r.competence.code} {r.competence.title}") for r in rows
    ]


def _save_profile(fw: Framework, prof=None):
    lifecycle.ensure_draft(fw)
    form = ProfileForm(obj=prof)
    form.competence_ids.choices = _competence_choices(fw)
    if prof is not None and request.method == "GET":
        form.competence_ids.data = editing.profile_competence_ids(prof)
    if form.validate_on_submit():
        data = {f: getattr(form, f).data for f in PROFILE_FIELDS}
        me = acting_user()
        try:
            if prof is None:
                prof = services.create_profile(me, fw, **data)
            else:
                editing.edit_profile(me, prof, **data)
            editing.set_profile_competences(me, prof, form.competence_ids.data or [])
        except ValidationFailed as err:
            _failed(form, err)
        else:
            db.session.commit()
            flash(_("The profile %(code)s has been saved.", code=prof.code), "success")
            return redirect(url_for("standards.profile", profile_id=prof.id), 303)
    here = _("Edit %(name)s", name=prof.title) if prof else _("New profile")
    return _form_page(
        "standards/profile_form.html",
        form,
        200,
        fw=fw,
        profile=prof,
        heading=here,
        breadcrumbs=crumbs(fw, (here, None)),
    )


@bp.route("/<int:framework_id>/profili/nuovo", methods=["GET", "POST"])
@allowed_if(can_manage_standards)
def new_profile(framework_id: int):
    return _save_profile(framework_or_404(framework_id))


@bp.route("/profili/<int:profile_id>/modifica", methods=["GET", "POST"])
@allowed_if(can_manage_standards)
def edit_profile(profile_id: int):
    prof, fw = profile_or_404(profile_id)
    return _save_profile(fw, prof)


# --- items ---------------------------------------------------------------------------------


@bp.route("/<int:framework_id>/voci/nuova", methods=["GET", "POST"])
@allowed_if(can_manage_standards)
def new_item(framework_id: int):
    fw = framework_or_404(framework_id)
    lifecycle.ensure_draft(fw)
    form = ItemForm()
    choices = _competence_choices(fw)
    form.competence_id.choices = [SelectChoice("", _("— none: a new competence —")), *choices]
    if request.method == "GET":
        wanted = request.args.get("competenza", "")
        competence_id = ascii_number(wanted)
        if competence_id is not None:
            form.competence_id.data = competence_id
            form.kind.data = ItemKind.ABILITY.value
        else:
            form.kind.data = ItemKind.COMPETENCE.value
    if form.validate_on_submit():
        me = acting_user()
        kind = ItemKind(form.kind.data)
        fields = {
            "code": form.code.data,
            "title": form.title.data,
            "description": form.description.data or "",
            "position": form.position.data or 0,
        }
        try:
            if kind == ItemKind.COMPETENCE:
                item = services.create_competence(me, fw, **fields)
            else:
                parent = db.session.get(FrameworkItem, form.competence_id.data or 0)
                if parent is None or parent.framework_id != fw.id or parent.competence_id:
                    msg = _("Choose the competence it belongs to.")
                    raise ValidationFailed(msg, {"competence_id": [msg]})
                make = (
                    services.create_ability
                    if kind == ItemKind.ABILITY
                    else services.create_knowledge_item
                )
                item = make(me, parent, **fields)
        except ValidationFailed as err:
            _failed(form, err)
        else:
            db.session.commit()
            flash(_("%(code)s has been added.", code=item.code), "success")
            return redirect(_item_page(item), 303)
    return _form_page(
        "standards/item_form.html",
        form,
        200,
        fw=fw,
        item=None,
        breadcrumbs=crumbs(fw, (_("New item"), None)),
    )


def _item_page(item: FrameworkItem) -> str:
    return url_for("standards.competence", competence_id=item.competence_id or item.id)


@bp.route("/voci/<int:item_id>/modifica", methods=["GET", "POST"])
@allowed_if(can_manage_standards)
def edit_item(item_id: int):
    item, fw = item_or_404(item_id)
    lifecycle.ensure_draft(fw)
    form = ItemEditForm(obj=item)
    if form.validate_on_submit():
        try:
            editing.edit_item(
                acting_user(),
                item,
                code=form.code.data,
                title=form.title.data,
                description=form.description.data or "",
            )
        except ValidationFailed as err:
            _failed(form, err)
        else:
            db.session.commit()
            flash(_("The changes have been saved."), "success")
            return redirect(_item_page(item), 303)
    here = _("Edit %(name)s", name=item.code)
    return _form_page(
        "standards/item_form.html",
        form,
        200,
        fw=fw,
        item=item,
        breadcrumbs=crumbs(fw, (here, None)),
    )


# --- confirmations: publish, retire, new version, remove ------------------------------------


def _confirm(title: str, message: str, button: str, fw: Framework, back: str, danger=False):
    return render_template(
        "standards/confirm.html",
        form=ConfirmForm(),
        title=title,
        message=message,
        button=button,
        danger=danger,
        fw=fw,
        back=back,
        breadcrumbs=crumbs(fw, (title, None)),
    )


def _confirmed() -> bool:
    return request.method == "POST" and ConfirmForm().validate_on_submit()


@bp.route("/<int:framework_id>/pubblica", methods=["GET", "POST"])
@allowed_if(can_manage_standards)
def publish(framework_id: int):
    fw = framework_or_404(framework_id)
    lifecycle.ensure_draft(fw)
    if _confirmed():
        lifecycle.publish(acting_user(), fw)
        db.session.commit()
        flash(
            _("%(code)s, version %(version)s, is published.", code=fw.code, version=fw.version),
            "success",
        )
        return _to_framework(fw)
    return _confirm(
        _("Publish the framework"),
        _(
            "Once published, the framework never changes: modules, questions and dossiers may "
            "point at its items. To change it later you make a new version."
        ),
        _("Publish"),
        fw,
        url_for("standards.framework", framework_id=fw.id),
    )


@bp.route("/<int:framework_id>/ritira", methods=["GET", "POST"])
@allowed_if(can_manage_standards)
def retire(framework_id: int):
    fw = framework_or_404(framework_id)
    if _confirmed():
        lifecycle.retire(acting_user(), fw)
        db.session.commit()
        flash(
            _("%(code)s, version %(version)s, is retired.", code=fw.code, version=fw.version),
            "success",
        )
        return _to_framework(fw)
    return _confirm(
        _("Retire the framework"),
        _(
            "A retired framework stays readable, with everything that points at it, but nothing "
            "new should point at it."
        ),
        _("Retire"),
        fw,
        url_for("standards.framework", framework_id=fw.id),
        danger=True,
    )


@bp.route("/<int:framework_id>/nuova-versione", methods=["GET", "POST"])
@allowed_if(can_manage_standards)
def new_version(framework_id: int):
    fw = framework_or_404(framework_id)
    if _confirmed():
        copy = lifecycle.new_version(acting_user(), fw)
        db.session.commit()
        flash(_("Draft version %(version)s created.", version=copy.version), "success")
        return _to_framework(copy)
    return _confirm(
        _("Make a new version"),
        _(
            "The framework is copied, with its profiles and items, into a draft with the next "
            "version number, which you can edit and then publish."
        ),
        _("Make a new version"),
        fw,
        url_for("standards.framework", framework_id=fw.id),
    )


@bp.route("/profili/<int:profile_id>/elimina", methods=["GET", "POST"])
@allowed_if(can_manage_standards)
def delete_profile(profile_id: int):
    prof, fw = profile_or_404(profile_id)
    lifecycle.ensure_draft(fw)
    if _confirmed():
        editing.delete_profile(acting_user(), prof)
        db.session.commit()
        flash(_("The profile has been removed."), "success")
        return _to_framework(fw)
    return _confirm(
        _("Remove the profile %(code)s", code=prof.code),
        _("The profile is removed from the draft; its competences stay."),
        _("Remove"),
        fw,
        url_for("standards.profile", profile_id=prof.id),
        danger=True,
    )


@bp.route("/voci/<int:item_id>/elimina", methods=["GET", "POST"])
@allowed_if(can_manage_standards)
def delete_item(item_id: int):
    item, fw = item_or_404(item_id)
    lifecycle.ensure_draft(fw)
    if _confirmed():
        parent = item.competence_id
        editing.delete_item(acting_user(), item)
        db.session.commit()
        flash(_("The item has been removed."), "success")
        if parent:
            return redirect(url_for("standards.competence", competence_id=parent), 303)
        return _to_framework(fw)
    message = (
        _("The competence is removed from the draft with its abilities and knowledge items.")
        if item.kind == ItemKind.COMPETENCE
        else _("The item is removed from the draft.")
    )
    return _confirm(
        _("Remove %(code)s", code=item.code),
        message,
        _("Remove"),
        fw,
        _item_page(item),
        danger=True,
    )
