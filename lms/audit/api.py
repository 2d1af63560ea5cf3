"""Audit routes of the JSON API: read only."""

from __future__ import annotations

from lms.api import blueprint as api
from lms.api.io import endpoint
from lms.audit.permissions import can_view_audit
from lms.audit.queries import audit_query
from lms.audit.schemas import AuditEntrySchema, AuditFilterSchema
from lms.security import allowed_if
from lms.web import acting_user


@api.get("/audit")
@allowed_if(can_view_audit)
@endpoint(
    query=AuditFilterSchema,
    response=AuditEntrySchema,
    paginated=True,
    summary="The change log, newest first",
)
def audit_list(args):
    return audit_query(
        acting_user(),
        actor_id=args.get("actor_id"),
        object_type=args["object_type"],
        object_id=args["object_id"],
        action=args["action"],
        date_from=args.get("date_from"),
        date_to=args.get("date_to"),
    )
