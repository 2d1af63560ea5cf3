"""Admin pages for partner organisations."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from lms.db import db
from lms.errors import ValidationFailed
from lms.organisations import services
from lms.organisations.forms import OrganisationForm
from lms.organisations.models import Organisation
from lms.organisations.permissions import (
    can_manage_organisations,
    can_view_organisation,
    can_view_organisations,
)
from lms.security import allowed_if
from lms.web import acting_user, apply_field_errors, get_or_404

bp = Blueprint("organisations", __name__, url_prefix="/admin/organizzazioni")


def _get(org_id: int) -> Organisation:
    return get_or_404(Organisation, org_id, visible=can_view_organisation)


def _breadcrumbs(*extra):
    return [
        (_("Home"), url_for("core.dashboard")),
        (_("Organisations"), url_for("organisations.index")),
        *extra,
    ]


@bp.get("/")
@allowed_if(can_view_organisations)
def index():
    return render_template(
        "organisations/index.html",
        rows=services.organisations_with_people(acting_user()),
        breadcrumbs=_breadcrumbs(),
    )


@bp.get("/<int:org_id>")
@allowed_if(can_view_organisations)
def detail(org_id: int):
    org = _get(org_id)
    return render_template(
        "organisations/detail.html",
        org=org,
        people=services.people_of(acting_user(), org),
        breadcrumbs=_breadcrumbs((org.name, None)),
    )


@bp.route("/nuova", methods=["GET", "POST"])
@allowed_if(can_manage_organisations)
def new():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            org = services.create_organisation(
                acting_user(),
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
@allowed_if(can_manage_organisations)
def edit(org_id: int):
    org = _get(org_id)
    form = OrganisationForm()
    if request.method == "GET":
        form.name.data, form.tax_code.data, form.sector.data = org.name, org.tax_code, org.sector
        form.size_band.data = org.size_band.value
    if form.validate_on_submit():
        try:
            services.update_organisation(
                acting_user(),
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
        acting_user(),
        org,
        name=org.name,
        tax_code=org.tax_code,
        sector=org.sector,
        size_band=org.size_band,
        active=active,
    )


@bp.post("/<int:org_id>/disattiva")
@allowed_if(can_manage_organisations)
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
@allowed_if(can_manage_organisations)
def reactivate(org_id: int):
    org = _get(org_id)
    _set_active(org, True)
    db.session.commit()
    flash(_("%(name)s has been reactivated.", name=org.name), "success")
    return redirect(url_for("organisations.detail", org_id=org.id), 303)
