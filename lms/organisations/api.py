"""Organisation routes of the JSON API."""

from __future__ import annotations

from flask import url_for

from lms.api import blueprint as api
from lms.api.io import endpoint
from lms.db import db
from lms.organisations import services
from lms.organisations.models import Organisation
from lms.organisations.permissions import (
    can_manage_organisations,
    can_view_organisation,
    can_view_organisations,
)
from lms.organisations.schemas import (
    OrganisationCreateSchema,
    OrganisationFilterSchema,
    OrganisationSchema,
    OrganisationUpdateSchema,
)
from lms.security import allowed_if
from lms.web import acting_user, get_or_404


def _get(org_id: int) -> Organisation:
    return get_or_404(Organisation, org_id, visible=can_view_organisation)


@api.get("/organisations")
@allowed_if(can_view_organisations)
@endpoint(
    query=OrganisationFilterSchema,
    response=OrganisationSchema,
    paginated=True,
    summary="Partner organisations",
)
def organisations_list(args):
    return services.list_organisations(acting_user(), active=args.get("active"))


@api.get("/organisations/<int:org_id>")
@allowed_if(can_view_organisations)
@endpoint(response=OrganisationSchema, summary="One partner organisation")
def organisations_get(org_id: int):
    return _get(org_id)


@api.post("/organisations")
@allowed_if(can_manage_organisations)
@endpoint(
    body=OrganisationCreateSchema,
    response=OrganisationSchema,
    status=201,
    summary="Register a partner organisation",
)
def organisations_create(data):
    org = services.create_organisation(acting_user(), **data)
    db.session.commit()
    return (
        OrganisationSchema().dump(org),
        201,
        {"Location": url_for("api.organisations_get", org_id=org.id)},
    )


@api.patch("/organisations/<int:org_id>")
@allowed_if(can_manage_organisations)
@endpoint(
    body=OrganisationUpdateSchema,
    response=OrganisationSchema,
    summary="Change or deactivate a partner organisation",
)
def organisations_update(org_id: int, data):
    org = _get(org_id)
    services.update_organisation(
        acting_user(),
        org,
        name=data.get("name", org.name),
        tax_code=data.get("tax_code", org.tax_code),
        sector=data.get("sector", org.sector),
        size_band=data.get("size_band", org.size_band),
        active=data.get("active", org.active),
    )
    db.session.commit()
    return org
