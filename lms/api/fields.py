"""Input fields of every API schema: text and numbers read strictly, so that any text or
number a client sends is stored or refused with a 422 and a field message, never a 500.

    title = Text(200, required=True, name_like=True)   # single line, no bidi controls
    description = Text(10000, multiline=True, load_default="")
    capacity = Whole(low=1, allow_none=True)            # ASCII digits, within INTEGER
    max_points = Amount(high=10000, places=2)           # finite, bounded, ASCII digits
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from marshmallow import ValidationError, fields

from lms.errors import ValidationFailed
from lms.validation import MAX_INT, text_problem, whole_number


class Text(fields.String):
    """A string of at most max_len characters without control characters (tab and line
    breaks only when multiline); name_like refuses bidi controls as well."""

    def __init__(self, max_len: int, *, multiline: bool = False, name_like: bool = False, **kw):
        super().__init__(**kw)
        self.max_len = max_len
        self.multiline = multiline
        self.name_like = name_like
        self.metadata.setdefault("maxLength", max_len)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > self.max_len:
            raise ValidationError(_("At most %(n)d characters.", n=self.max_len))
        problem = text_problem(text, multiline=self.multiline, name_like=self.name_like)
        if problem:
            raise ValidationError(problem)
        return text


class Whole(fields.Integer):
    """A whole number between low and high (INTEGER's range by default): a JSON integer or
    ASCII digits; no floats, booleans, underscores or other scripts' digits."""

    def __init__(self, *, low: int = 0, high: int = MAX_INT, **kw):
        super().__init__(**kw)
        self.low, self.high = low, high
        self.metadata.setdefault("minimum", low)
        self.metadata.setdefault("maximum", high)

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return whole_number(value, attr or "value", low=self.low, high=self.high)
        except ValidationFailed as err:
            raise ValidationError(err.message) from err


_DECIMAL = re.compile(r"-?[0-9]{1,12}(\.[0-9]{1,12})?")


class Amount(fields.Decimal):
    """A decimal number between low and high with at most `places` decimals: a finite JSON
    number or ASCII digits with a dot; no NaN, infinity, exponent or underscores."""

    def __init__(self, *, low=0, high=1_000_000, places: int = 2, **kw):
        super().__init__(**kw)
        self.low, self.high, self.places = Decimal(low), Decimal(high), places
        self.metadata.setdefault("minimum", float(low))
        self.metadata.setdefault("maximum", float(high))

    def _deserialize(self, value, attr, data, **kwargs):
        message = _(
            "Enter a number between %(low)s and %(high)s with at most %(places)d decimals.",
            low=self.low,
            high=self.high,
            places=self.places,
        )
        if isinstance(value, bool):
            raise ValidationError(message)
        if isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise ValidationError(message)
            number = Decimal(repr(value))
        elif (
            isinstance(value, str)
            and value.isascii()
            and _DECIMAL.fullmatch(value.strip())
            and not (self.low >= 0 and "-" in value)  # no "-0" where negatives mean nothing
        ):
            number = Decimal(value.strip())
        else:
            raise ValidationError(message)
        try:
            if not self.low <= number <= self.high or number != round(number, self.places):
                raise ValidationError(message)
        except InvalidOperation as err:
            raise ValidationError(message) from err
        return number


__all__ = ["Amount", "Text", "Whole"]
