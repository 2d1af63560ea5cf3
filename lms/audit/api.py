"""Audit routes of the JSON API: read only."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from lms.accounts.models import Role
from lms.api import blueprint as api
from lms.api.io import load as load_or_fail
from lms.api.pagination import paginate
from lms.audit.queries import audit_query
from lms.audit.schemas import AuditEntrySchema, AuditFilterSchema
from lms.errors import ValidationFailed
from lms.security import roles_required


@api.get("/audit")
@roles_required(Role.ADMIN)
def audit_list():
    args = load_or_fail(AuditFilterSchema(), request.args)
    start, end = args.get("date_from"), args.get("date_to")
    if start and end and start > end:
        raise ValidationFailed(fields={"to": [_("The end date is before the start date.")]})
    query = audit_query(
        actor_id=args.get("actor_id"),
        object_type=args["object_type"],
        object_id=args["object_id"],
        action=args["action"],
        date_from=start,
        date_to=end,
    )
    return paginate(query, AuditEntrySchema(), "api.audit_list")
