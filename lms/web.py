"""Helpers of the HTML views of every package: the acting user, scoped loading, form errors.

Views only load, call a service, commit once and render; these are the pieces they share.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from lms.db import db
from lms.errors import ValidationFailed


def acting_user():
    """The logged-in user as a plain object, to hand to services."""
    return current_user._get_current_object()


def get_or_404(model, ident, *, visible=None):
    """Load a row by id; 404 when it is missing or when visible(user, obj) says no, so that
    changing an id in a URL never reveals whether another person's record exists."""
    obj = db.session.get(model, ident)
    if obj is None or (visible is not None and not visible(acting_user(), obj)):
        abort(404)
    return obj


def require_visible(allowed: bool) -> None:
    """404 unless allowed: for objects whose existence is private."""
    if not allowed:
        abort(404)


def apply_field_errors(form, err: ValidationFailed | dict, aliases: dict | None = None) -> bool:
    """Attach a service's field errors to a WTForm; True when any field took one."""
    fields = err.fields if isinstance(err, ValidationFailed) else err
    placed = False
    for name, messages in fields.items():
        field = getattr(form, (aliases or {}).get(name, name), None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + [str(m) for m in messages]
            placed = True
    return placed
