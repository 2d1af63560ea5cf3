"""Published competence frameworks in the API: the list, and one with its profiles,
competences, abilities and knowledge items (import and export live elsewhere)."""

from __future__ import annotations

from certificates.schemas import FrameworkDetailSchema, FrameworkSchema
from certificates.services import reads
from lms.api import blueprint as api
from lms.api.io import endpoint
from lms.security import allowed_if
from lms.standards.models import Framework
from lms.standards.permissions import can_view_standards
from lms.web import acting_user, get_or_404


@api.get("/frameworks")
@allowed_if(can_view_standards)
@endpoint(response=FrameworkSchema, paginated=True, summary="Published frameworks")
def frameworks_list():
    return reads.frameworks_query(acting_user())


@api.get("/frameworks/<int:framework_id>")
@allowed_if(can_view_standards)
@endpoint(response=FrameworkDetailSchema, summary="A framework with its profiles and items")
def frameworks_get(framework_id: int):
    fw = get_or_404(Framework, framework_id, visible=reads.can_read_framework)
    return reads.framework_tree(acting_user(), fw)
