"""Input rules that services of every package share (no request state here)."""

from __future__ import annotations

from flask_babel import gettext as _

from lms.errors import ValidationFailed

REASON_MAX = 500


def invalid(field: str, message: str) -> ValidationFailed:
    """A ValidationFailed carrying one field's message (also its main message)."""
    return ValidationFailed(message, {field: [message]})


def required_text(value: str | None, field: str, max_len: int | None = None) -> str:
    """A non-blank, stripped text of at most max_len characters."""
    text = (value or "").strip()
    if not text:
        raise invalid(field, _("This field is required."))
    if max_len is not None and len(text) > max_len:
        raise invalid(field, _("At most %(n)d characters.", n=max_len))
    return text


def optional_text(value: str | None, field: str, max_len: int) -> str:
    """A stripped text, possibly empty, of at most max_len characters."""
    text = (value or "").strip()
    if len(text) > max_len:
        raise invalid(field, _("At most %(n)d characters.", n=max_len))
    return text


def required_reason(reason: str | None, field: str = "reason", max_len: int = REASON_MAX) -> str:
    """The reason that a change of a recorded fact (grade, attendance, decision) must give:
    at least 3 characters, at most the column's length (never cut silently)."""
    text = (reason or "").strip()
    if len(text) < 3:
        raise invalid(field, _("Give a reason: it is kept in the audit trail."))
    if len(text) > max_len:
        raise invalid(field, _("At most %(n)d characters.", n=max_len))
    return text
