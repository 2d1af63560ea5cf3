"""Forms of the organisations admin pages, and the translated names of size bands."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from lms.forms import SafeText
from lms.organisations.models import SizeBand

SIZE_LABELS = {
    SizeBand.MICRO: _l("Micro (fewer than 10 staff)"),
    SizeBand.SMALL: _l("Small (10-49 staff)"),
    SizeBand.MEDIUM: _l("Medium (50-249 staff)"),
    SizeBand.LARGE: _l("Large (250 staff or more)"),
}


def size_label(band: SizeBand | str) -> str:
    """The translated name of a size band."""
    if isinstance(band, str):
        band = SizeBand(band)
    return str(SIZE_LABELS[band])


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(message=_l("The name is required.")),
            Length(max=200),
            SafeText(name_like=True),
        ],
        description=_l("The company name, as on its registration, e.g. Navigli Logistica S.r.l."),
    )
    tax_code = StringField(
        _l("VAT number or tax code"),
        validators=[
            DataRequired(message=_l("The VAT number or tax code is required.")),
            Length(max=20),
        ],
        description=_l("11 digits (partita IVA) or 16 characters (codice fiscale)."),
    )
    sector = StringField(
        _l("Sector"),
        validators=[Length(max=120), SafeText(name_like=True)],
        description=_l("For example: logistics, insurance, social services."),
    )
    size_band = SelectField(
        _l("Size"), validators=[DataRequired(message=_l("Choose a size band."))]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.size_band.choices = [("", str(_l("Choose…")))] + [
            (b.value, size_label(b)) for b in SizeBand
        ]
