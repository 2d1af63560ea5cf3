"""Input rules that services of every package share (no request state here)."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from lms.errors import ValidationFailed

REASON_MAX = 500
MAX_INT = 2**31 - 1  # the databases' INTEGER

# NUL and the other C0/C1 control characters (tab, newline and carriage return apart), DEL
# and lone surrogates: PostgreSQL refuses NUL, XLSX refuses control characters, a
# surrogate cannot be encoded. Line breaks and tabs are refused in single-line fields.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAK = re.compile("[\t\n\r]")
# Bidi embedding, override and isolate characters: they can make a name or a title read
# differently from what it is (U+202A-U+202E, U+2066-U+2069).
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_WHOLE = re.compile(r"-?[0-9]{1,12}")


def text_problem(text: str, *, multiline: bool = True, name_like: bool = False) -> str | None:
    """Why a text cannot be stored (translated), or None. A name-like text (a name, a title)
    is single-line and has no bidi control characters."""
    if _CONTROL.search(text):
        return _("Control characters are not allowed.")
    if (name_like or not multiline) and _LINE_BREAK.search(text):
        return _("Line breaks and tabs are not allowed here.")
    if name_like and _BIDI.search(text):
        return _("Text direction control characters are not allowed here.")
    return None


def without_controls(text: str) -> str:
    """The text with its control characters removed, for what the client sends without a
    person typing it (a browser's User-Agent header): kept, but never refused."""
    return _CONTROL.sub("", text)


def check_text(text: str, field: str, *, multiline: bool = True, name_like: bool = False) -> str:
    """The text itself, or a ValidationFailed naming the field."""
    problem = text_problem(text, multiline=multiline, name_like=name_like)
    if problem:
        raise invalid(field, problem)
    return text


def ascii_number(raw, default=None):
    """An id or count sent as text, as an int: ASCII digits, at most 9 of them (so that it fits
    every integer column), surrounding spaces ignored; anything else gives default.
    str.isdigit() alone also accepts "²" (which int() refuses) and "٣", and any length."""
    if isinstance(raw, str):
        text = raw.strip()
        if text.isascii() and text.isdigit() and len(text) <= 9:
            return int(text)
    return default


def ascii_numbers(values) -> list[int]:
    """The values of a multi-valued field that are ascii_number()s, the others dropped."""
    return [n for n in (ascii_number(v) for v in values) if n is not None]


def whole_number(raw, field: str, *, low: int = 0, high: int = MAX_INT) -> int:
    """A whole number parsed strictly: an int (not a bool) or ASCII digits with an optional
    minus sign where negatives make sense, between low and high."""
    message = _("Enter a whole number between %(low)d and %(high)d.", low=low, high=high)
    if isinstance(raw, bool):
        raise invalid(field, message)
    if isinstance(raw, str):
        text = raw.strip()
        if not text.isascii() or not _WHOLE.fullmatch(text) or (low >= 0 and "-" in text):
            raise invalid(field, message)
        raw = int(text)
    if not isinstance(raw, int) or not low <= raw <= high:
        raise invalid(field, message)
    return raw


def invalid(field: str, message: str) -> ValidationFailed:
    """A ValidationFailed carrying one field's message (also its main message)."""
    return ValidationFailed(message, {field: [message]})


def required_text(
    value: str | None,
    field: str,
    max_len: int | None = None,
    *,
    multiline: bool = True,
    name_like: bool = False,
) -> str:
    """A non-blank, stripped text of at most max_len characters, without control characters
    (see text_problem)."""
    text = (value or "").strip()
    if not text:
        raise invalid(field, _("This field is required."))
    if max_len is not None and len(text) > max_len:
        raise invalid(field, _("At most %(n)d characters.", n=max_len))
    return check_text(text, field, multiline=multiline, name_like=name_like)


def optional_text(
    value: str | None,
    field: str,
    max_len: int,
    *,
    multiline: bool = True,
    name_like: bool = False,
) -> str:
    """A stripped text, possibly empty, of at most max_len characters, without control
    characters (see text_problem)."""
    text = (value or "").strip()
    if len(text) > max_len:
        raise invalid(field, _("At most %(n)d characters.", n=max_len))
    return check_text(text, field, multiline=multiline, name_like=name_like)


def required_reason(reason: str | None, field: str = "reason", max_len: int = REASON_MAX) -> str:
    """The reason that a change of a recorded fact (grade, attendance, decision) must give:
    at least 3 characters, at most the column's length (never cut silently)."""
    text = (reason or "").strip()
    if len(text) < 3:
        raise invalid(field, _("Give a reason: it is kept in the audit trail."))
    if len(text) > max_len:
        raise invalid(field, _("At most %(n)d characters.", n=max_len))
    return check_text(text, field)


LONG_TEXT = 20_000  # descriptions, objectives, instructions (TEXT columns): bounded all the same


class FieldErrors:
    """Gathers the field messages of several checks, so that a page shows them all at once:

    errors = FieldErrors()
    title = errors.check(required_text, data.title, "title", 200, name_like=True)
    errors.add("end_date", _("..."))
    errors.raise_any()
    """

    def __init__(self, fields: dict[str, list[str]] | None = None) -> None:
        self.fields: dict[str, list[str]] = {} if fields is None else fields

    def check(self, rule, *args, **kw):
        """The rule's result, or None with its field messages kept."""
        try:
            return rule(*args, **kw)
        except ValidationFailed as err:
            for name, messages in err.fields.items():
                self.fields.setdefault(name, []).extend(messages)
            return None

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.fields)

    def raise_any(self) -> None:
        if self.fields:
            raise ValidationFailed(fields=self.fields)
