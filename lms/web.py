"""Helpers of the HTML views of every package: the acting user, scoped loading, form errors.

Views only load, call a service, commit once and render; these are the pieces they share.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from lms.db import db
from lms.errors import ValidationFailed
from lms.validation import ascii_number


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


class PageWindow:
    """One page of a list counted and cut in SQL: ``offset``/``limit`` for the query, and the
    attributes the shared pagination macro reads (those of Flask-SQLAlchemy's Pagination).

    ``asked`` is the raw query-string value: anything but a plain number means page 1, and a
    page past the end means the last one."""

    def __init__(self, total: int, per_page: int, asked: str | None):
        self.total, self.per_page = total, per_page
        self.pages = max(1, -(-total // per_page))
        wanted = ascii_number(asked, 1)
        self.page = min(max(1, wanted), self.pages)
        self.offset, self.limit = (self.page - 1) * per_page, per_page
        self.has_prev, self.has_next = self.page > 1, self.page < self.pages
        self.prev_num = self.page - 1 if self.has_prev else None
        self.next_num = self.page + 1 if self.has_next else None

    def iter_pages(self, *, left_edge=1, left_current=2, right_current=3, right_edge=1):
        """Page numbers with None for the gaps, as Flask-SQLAlchemy's Pagination gives them."""
        shown = [
            n
            for n in range(1, self.pages + 1)
            if n <= left_edge
            or self.page - left_current <= n <= self.page + right_current
            or n > self.pages - right_edge
        ]
        previous = 0
        for n in shown:
            if n != previous + 1:
                yield None
            yield n
            previous = n
