"""Forms of the framework import pages: the upload, and the confirmation of a preview."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

FORMAT_CHOICES = [
    ("json", _l("Our JSON format")),
    ("csv", _l("Simple CSV (code, parent code, kind, title, description)")),
    ("moodle", _l("Moodle competency framework (CSV exported by Moodle)")),
]


def _issuer_field():
    return StringField(
        _l("Issuer of the framework"),
        validators=[Optional(), Length(max=200)],
        description=_l(
            "The public body that owns the standard, e.g. Regione Lombardia. "
            "Needed for CSV and Moodle files, which do not name it."
        ),
    )


class ImportUploadForm(FlaskForm):
    file = FileField(
        _l("Framework file"),
        validators=[FileRequired(message=_l("Choose a file to import."))],
        description=_l(
            "At most 2 MB. UTF-8 text (with or without BOM); CSV files may also be "
            "Windows-1252, separated by commas or semicolons."
        ),
        render_kw={"accept": ".json,.csv,.txt,application/json,text/csv"},
    )
    format = SelectField(
        _l("Format of the file"), choices=[SelectChoice(*c) for c in FORMAT_CHOICES], default="json"
    )
    issuer = _issuer_field()


class ImportConfirmForm(FlaskForm):
    payload = HiddenField(validators=[DataRequired()])
    issuer = _issuer_field()
