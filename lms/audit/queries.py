"""Read-side queries of the audit trail, shared by the admin page and the API."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select

from lms.accounts.models import User
from lms.audit.models import AuditEntry
from lms.audit.permissions import can_view_audit
from lms.db import db
from lms.permissions import require, require_actor

LOCAL_TZ = ZoneInfo("Europe/Rome")


def local_day_start(day: dt.date) -> dt.datetime:
    """The UTC instant at which a day starts in Europe/Rome."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=LOCAL_TZ).astimezone(dt.UTC)


def audit_query(
    actor: User,
    *,
    actor_id: int | None = None,
    person: str = "",
    object_type: str = "",
    object_id: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Select:
    """Audit entries matching the filters, newest first; dates are Europe/Rome days."""
    require_actor(actor)
    require(can_view_audit(actor))
    q = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if actor_id is not None:
        q = q.where(AuditEntry.actor_id == actor_id)
    person = (person or "").strip().lower()
    if person:
        like = f"%{person}%"
        q = q.where(
            AuditEntry.actor_id.in_(
                select(User.id).where(
                    or_(func.lower(User.full_name).like(like), User.email.like(like))
                )
            )
        )
    if object_type:
        q = q.where(AuditEntry.object_type == object_type)
    if object_id:
        q = q.where(AuditEntry.object_id == str(object_id).strip())
    if action:
        q = q.where(AuditEntry.action == action)
    if date_from is not None:
        q = q.where(AuditEntry.at >= local_day_start(date_from))
    if date_to is not None:
        q = q.where(AuditEntry.at < local_day_start(date_to + dt.timedelta(days=1)))
    return q


def distinct_values(actor: User, column) -> list[str]:
    """The values found in a column of the trail, for filter choices."""
    require_actor(actor)
    require(can_view_audit(actor))
    return list(db.session.scalars(select(column).distinct().order_by(column)))


def actors_by_id(entries) -> dict[int, User]:
    """The people who made the given entries, in one query."""
    ids = {e.actor_id for e in entries if e.actor_id is not None}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
