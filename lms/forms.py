"""Form pieces that every package's forms.py shares (WTForms, no request state)."""

from __future__ import annotations

from wtforms import SelectMultipleField
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from lms.validation import text_problem


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a group of checkboxes (forms.html renders it as a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __iter__(self):
        # The options inherit the field's validators; "required" on every box would ask
        # the browser (and screen readers) for all of them. The group is checked on submit.
        for opt in super().__iter__():
            opt.flags.required = False
            yield opt


def optional_id(value) -> int | None:
    """Coerce a select's value to an id; None for the empty choice or anything not a number
    (the field's own validators then say what is missing)."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class SafeText:
    """A WTForms validator with the input rules of lms.validation: no control characters
    (tabs and line breaks only when multiline), no bidi controls in a name or a title."""

    def __init__(self, *, multiline: bool = False, name_like: bool = False):
        self.multiline = multiline
        self.name_like = name_like

    def __call__(self, form, field):
        problem = text_problem(field.data or "", multiline=self.multiline, name_like=self.name_like)
        if problem:
            raise StopValidation(problem)
