"""Forms of the standards admin pages (choices of profiles' competences are filled by the views)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from lms.forms import MultiCheckboxField, optional_id
from lms.standards.models import ITEM_KIND_LABELS, ItemKind

REQUIRED = _l("This field is required.")


class FrameworkForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(message=REQUIRED), Length(max=40)],
        description=_l("A short code, the same for every version, e.g. QRSP-DM."),
    )
    version = StringField(
        _l("Version"),
        default="1",
        validators=[DataRequired(message=REQUIRED), Length(max=40)],
    )
    title = StringField(_l("Title"), validators=[DataRequired(message=REQUIRED), Length(max=300)])
    issuer = StringField(
        _l("Issuer"),
        validators=[DataRequired(message=REQUIRED), Length(max=200)],
        description=_l("The public body that owns the standard, e.g. Regione Lombardia."),
    )
    legal_act = StringField(_l("Legal act"), validators=[Length(max=300)])
    valid_from = DateField(_l("Valid from"), validators=[Optional()])
    valid_until = DateField(_l("Valid until"), validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Length(max=10000)])
    illustrative = BooleanField(
        _l("Illustrative"),
        description=_l("Written for training or the demo: never to be shown as the official text."),
    )


class ProfileForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(message=REQUIRED), Length(max=40)])
    title = StringField(_l("Title"), validators=[DataRequired(message=REQUIRED), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Length(max=10000)])
    eqf_level = IntegerField(
        _l("EQF level"),
        validators=[
            Optional(),
            NumberRange(min=1, max=8, message=_l("The EQF level goes from 1 to 8.")),
        ],
    )
    ateco_code = StringField(_l("ATECO code"), validators=[Length(max=20)])
    cp_istat_code = StringField(_l("CP ISTAT code"), validators=[Length(max=20)])
    atlante_code = StringField(_l("Atlante del lavoro code"), validators=[Length(max=40)])
    competence_ids = MultiCheckboxField(_l("Competences of the profile"), coerce=int)


class ItemForm(FlaskForm):
    """A new item: a competence, or an ability or knowledge item of a competence."""

    kind = SelectField(
        _l("Kind"),
        validators=[DataRequired(message=REQUIRED)],
        choices=[SelectChoice(k.value, ITEM_KIND_LABELS[k]) for k in ItemKind],
    )
    competence_id = SelectField(
        _l("Competence it belongs to"),
        coerce=optional_id,
        validate_choice=False,
        description=_l("For abilities and knowledge items only."),
    )
    code = StringField(_l("Code"), validators=[DataRequired(message=REQUIRED), Length(max=40)])
    title = TextAreaField(_l("Text"), validators=[DataRequired(message=REQUIRED), Length(max=500)])
    description = TextAreaField(_l("Notes"), validators=[Length(max=10000)])
    position = IntegerField(
        _l("Position"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=100000)],
        description=_l("Items are listed by position."),
    )


class ItemEditForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(message=REQUIRED), Length(max=40)])
    title = TextAreaField(_l("Text"), validators=[DataRequired(message=REQUIRED), Length(max=500)])
    description = TextAreaField(_l("Notes"), validators=[Length(max=10000)])


class ConfirmForm(FlaskForm):
    """A confirmation (publish, retire, new version, remove): the CSRF token only."""
