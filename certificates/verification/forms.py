"""Forms of the public verification pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField


class CodeForm(FlaskForm):
    """Typing a code (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    code = StringField(
        _l("Verification code"),
        description=_l(
            "The 16 characters printed on the document, for example K7QM-3XRT-9HWC-P4NE "
            "(upper or lower case, with or without dashes)."
        ),
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )


class UploadForm(FlaskForm):
    """A PDF to compare with the issued one: hashed in memory, never stored."""

    file = FileField(
        _l("PDF file to check"),
        description=_l("The file is only compared with the issued one: it is not kept."),
        render_kw={"accept": "application/pdf,.pdf"},
    )


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the revocation"),
        description=_l(
            "Required. It is shown on the public verification page and kept in the audit trail."
        ),
        render_kw={"rows": 4, "maxlength": 2000},
    )


class ReissueForm(FlaskForm):
    note = TextAreaField(
        _l("What was corrected"),
        description=_l(
            "Required. The new document replaces this one, which stays verifiable as superseded."
        ),
        render_kw={"rows": 4, "maxlength": 2000},
    )
