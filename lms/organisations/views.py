"""Admin pages for partner organisations."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from lms.accounts.models import Role, User
from lms.accounts.views import apply_field_errors
from lms.db import db
from lms.errors import ValidationFailed
from lms.organisations import services
from lms.organisations.forms import OrganisationForm
from lms.organisations.models import Organisation
from lms.security import roles_required

bp = Blueprint("organisations", __name__, url_prefix="/admin/organizzazioni")


def organisations_with_people(*, active_only: bool = False) -> list[tuple[Organisation, int]]:
    """Every organisation with the number of people linked to it, in one query."""
    people = func.count(User.id)
    q = (
        select(Organisation, people)
        .outerjoin(User, User.organisation_id == Organisation.id)
        .group_by(Organisation.id)
        .order_by(func.lower(Organisation.name), Organisation.id)
    )
    if active_only:
        q = q.where(Organisation.active.is_(True))
    return [(org, n) for org, n in db.session.execute(q).all()]


def _get(org_id: int) -> Organisation:
    org = db.session.get(Organisation, org_id)
    if org is None:
        abort(404)
    return org


def _breadcrumbs(*extra):
    return [
        (_("Home"), url_for("core.dashboard")),
        (_("Organisations"), url_for("organisations.index")),
        *extra,
    ]


@bp.get("/")
@roles_required(Role.ADMIN, Role.COORDINATOR)
def index():
    return render_template(
        "organisations/index.html",
        rows=organisations_with_people(),
        can_edit=current_user.has_role(Role.ADMIN),
        breadcrumbs=_breadcrumbs(),
    )


@bp.get("/<int:org_id>")
@roles_required(Role.ADMIN, Role.COORDINATOR)
def detail(org_id: int):
    org = _get(org_id)
    people = db.session.scalars(
        select(User)
        .where(User.organisation_id == org.id)
        .order_by(func.lower(User.full_name), User.id)
    ).all()
    return render_template(
        "organisations/detail.html",
        org=org,
        people=people,
        can_edit=current_user.has_role(Role.ADMIN),
        breadcrumbs=_breadcrumbs((org.name, None)),
    )


@bp.route("/nuova", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            org = services.create_organisation(
                current_user,
                name=form.name.data,
                tax_code=form.tax_code.data,
                sector=form.sector.data,
                size_band=form.size_band.data,
            )
        except ValidationFailed as err:
            if not apply_field_errors(form, err):
                flash(err.message, "danger")
        else:
            db.session.commit()
            flash(_("The organisation %(name)s has been registered.", name=org.name), "success")
            return redirect(url_for("organisations.detail", org_id=org.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "organisations/form.html",
        form=form,
        org=None,
        breadcrumbs=_breadcrumbs((_("New organisation"), None)),
    ), status


@bp.route("/<int:org_id>/modifica", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit(org_id: int):
    org = _get(org_id)
    form = OrganisationForm()
    if request.method == "GET":
        form.name.data, form.tax_code.data, form.sector.data = org.name, org.tax_code, org.sector
        form.size_band.data = org.size_band.value
    if form.validate_on_submit():
        try:
            services.update_organisation(
                current_user,
                org,
                name=form.name.data,
                tax_code=form.tax_code.data,
                sector=form.sector.data,
                size_band=form.size_band.data,
                active=org.active,
            )
        except ValidationFailed as err:
            db.session.rollback()
            if not apply_field_errors(form, err):
                flash(err.message, "danger")
        else:
            db.session.commit()
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("organisations.detail", org_id=org.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "organisations/form.html",
        form=form,
        org=org,
        breadcrumbs=_breadcrumbs(
            (org.name, url_for("organisations.detail", org_id=org.id)), (_("Edit"), None)
        ),
    ), status


def _set_active(org: Organisation, active: bool) -> None:
    services.update_organisation(
        current_user,
        org,
        name=org.name,
        tax_code=org.tax_code,
        sector=org.sector,
        size_band=org.size_band,
        active=active,
    )


@bp.post("/<int:org_id>/disattiva")
@roles_required(Role.ADMIN)
def deactivate(org_id: int):
    org = _get(org_id)
    _set_active(org, False)
    db.session.commit()
    flash(
        _(
            "%(name)s has been deactivated: it can no longer be chosen for new people. Its "
            "people keep their accounts.",
            name=org.name,
        ),
        "success",
    )
    return redirect(url_for("organisations.detail", org_id=org.id), 303)


@bp.post("/<int:org_id>/riattiva")
@roles_required(Role.ADMIN)
def reactivate(org_id: int):
    org = _get(org_id)
    _set_active(org, True)
    db.session.commit()
    flash(_("%(name)s has been reactivated.", name=org.name), "success")
    return redirect(url_for("organisations.detail", org_id=org.id), 303)
