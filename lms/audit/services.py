"""Write audit entries in the same transaction as the change they describe."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert

from lms.audit.context import client_address
from lms.audit.models import AuditEntry
from lms.db import db


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return value


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    """The audit view of an object: the named attributes as JSON values."""
    return {f: _jsonable(getattr(obj, f)) for f in fields}


def record(
    actor,
    action: str,
    object_type: str,
    object_id: Any,
    before: dict | None = None,
    after: dict | None = None,
    reason: str | None = None,
) -> AuditEntry:
    """Add an audit entry; the caller's transaction commits it with the change."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        reason=reason,
        client_address=client_address.get(),
    )
    db.session.add(entry)
    return entry


def record_many(
    actor,
    action: str,
    object_type: str,
    changes: Iterable[tuple[Any, dict | None, dict | None]],
    reason: str | None = None,
) -> int:
    """Add one audit entry per (object_id, before, after) in a single INSERT; returns how many."""
    address = client_address.get()
    rows = [
        {
            "actor_id": getattr(actor, "id", None),
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "before": _jsonable(before) if before is not None else None,
            "after": _jsonable(after) if after is not None else None,
            "reason": reason,
            "client_address": address,
        }
        for object_id, before, after in changes
    ]
    if rows:
        db.session.execute(insert(AuditEntry), rows)
    return len(rows)


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Keep only the keys whose value differs, for a compact before/after pair."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
