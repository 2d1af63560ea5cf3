"""What a module, an assessment, a quiz question or a rubric criterion may point at: items of
published frameworks, plus those the record already points at (an item of a version retired
since stays linked). The rule of the item picker (`picker.offered_items`), held by the
services too, so the API cannot link a draft's items either."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.db import db
from lms.standards.models import FrameworkItem, FrameworkStatus
from lms.validation import invalid


def alignment_items(
    ids: Iterable, *, current: Iterable[int] = (), field: str = "framework_items"
) -> list[FrameworkItem]:
    """The framework items with these ids, in id order; unknown ids, and items of a framework
    that is not published (unless in `current`), are the field's error. One query."""
    wanted = sorted({int(i) for i in ids or []})
    if not wanted:
        return []
    items = list(
        db.session.scalars(
            select(FrameworkItem)
            .where(FrameworkItem.id.in_(wanted))
            .options(joinedload(FrameworkItem.framework))
            .order_by(FrameworkItem.id)
        )
    )
    if len(items) != len(wanted):
        raise invalid(field, _("Some framework items do not exist."))
    keep = {int(i) for i in current}
    if any(i.framework.status != FrameworkStatus.PUBLISHED and i.id not in keep for i in items):
        raise invalid(field, _("Only items of a published framework can be chosen."))
    return items
