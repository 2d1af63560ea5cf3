"""Organisation routes of the JSON API."""

from __future__ import annotations

from flask import request, url_for
from flask_login import current_user

from lms.accounts.models import Role
from lms.api import blueprint as api
from lms.api.io import json_body
from lms.api.io import load as load_or_fail
from lms.api.pagination import paginate
from lms.db import db
from lms.errors import NotFound
from lms.organisations import services
from lms.organisations.models import Organisation
from lms.organisations.schemas import (
    OrganisationCreateSchema,
    OrganisationFilterSchema,
    OrganisationSchema,
    OrganisationUpdateSchema,
)
from lms.security import roles_required


def _get(org_id: int) -> Organisation:
    org = db.session.get(Organisation, org_id)
    if org is None:
        raise NotFound()
    return org


@api.get("/organisations")
@roles_required(Role.ADMIN, Role.COORDINATOR)
def organisations_list():
    args = load_or_fail(OrganisationFilterSchema(), request.args)
    query = services.list_organisations()
    if "active" in args:
        query = query.where(Organisation.active.is_(args["active"]))
    return paginate(query, OrganisationSchema(), "api.organisations_list")


@api.get("/organisations/<int:org_id>")
@roles_required(Role.ADMIN, Role.COORDINATOR)
def organisations_get(org_id: int):
    return OrganisationSchema().dump(_get(org_id))


@api.post("/organisations")
@roles_required(Role.ADMIN)
def organisations_create():
    data = load_or_fail(OrganisationCreateSchema(), json_body())
    org = services.create_organisation(current_user, **data)
    db.session.commit()
    return (
        OrganisationSchema().dump(org),
        201,
        {"Location": url_for("api.organisations_get", org_id=org.id)},
    )


@api.patch("/organisations/<int:org_id>")
@roles_required(Role.ADMIN)
def organisations_update(org_id: int):
    org = _get(org_id)
    data = load_or_fail(OrganisationUpdateSchema(), json_body())
    services.update_organisation(
        current_user,
        org,
        name=data.get("name", org.name),
        tax_code=data.get("tax_code", org.tax_code),
        sector=data.get("sector", org.sector),
        size_band=data.get("size_band", org.size_band),
        active=data.get("active", org.active),
    )
    db.session.commit()
    return OrganisationSchema().dump(org)
