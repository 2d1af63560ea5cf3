"""Forms of the dossier pages (choices are filled by the views)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    MultipleFileField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from certificates.models import KIND_LABELS, TYPE_LABELS, VALUE_LABELS, EvidenceType
from certificates.services.evidence import MANUAL_KINDS
from lms.forms import MultiCheckboxField, SafeText, optional_id


class AssignForm(FlaskForm):
    accompagnatore_id = SelectField(_l("Accompagnatore"), coerce=optional_id, validate_choice=False)
    method_expert_id = SelectField(
        _l("Esperto di metodo"), coerce=optional_id, validate_choice=False
    )
    content_expert_id = SelectField(
        _l("Esperto di contenuto"), coerce=optional_id, validate_choice=False
    )


class OpenDossierForm(AssignForm):
    candidate_id = SelectField(
        _l("Candidate"), coerce=optional_id, validators=[DataRequired()], validate_choice=False
    )
    profile_id = SelectField(
        _l("Profile"), coerce=optional_id, validators=[DataRequired()], validate_choice=False
    )
    competence_ids = MultiCheckboxField(
        _l("Target competences"),
        coerce=int,
        description=_l("Leave them all unticked to take every competence of the profile."),
    )
    course_id = SelectField(
        _l("Course the dossier rests on (optional)"), coerce=optional_id, validate_choice=False
    )


class EvidenceForm(FlaskForm):
    kind = SelectField(
        _l("Kind"),
        validators=[DataRequired()],
        choices=[SelectChoice(k.value, KIND_LABELS[k]) for k in KIND_LABELS if k in MANUAL_KINDS],
    )
    type = SelectField(
        _l("Type"),
        validators=[DataRequired()],
        choices=[SelectChoice(t.value, TYPE_LABELS[t]) for t in EvidenceType],
        description=_l("Result: a product; process: an observed behaviour."),
    )
    value = SelectField(
        _l("Value"),
        validators=[DataRequired()],
        choices=[SelectChoice(v.value, VALUE_LABELS[v]) for v in VALUE_LABELS],
        description=_l(
            "First party: declared by you; second party: issued by the training body; "
            "third party: issued by others (titles, employers)."
        ),
    )
    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(max=300), SafeText(name_like=True)]
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=10000), SafeText(multiline=True)]
    )
    date = DateField(_l("Date"), validators=[Optional()])
    issuer = StringField(
        _l("Issuer or source"),
        validators=[Optional(), Length(max=300), SafeText(name_like=True)],
        description=_l("Who issued the document or where it comes from."),
    )
    files = MultipleFileField(
        _l("Files (PDF, ODT, DOCX, JPEG, PNG)"),
        description=_l("You may choose more than one file."),
    )


class ObservationForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(max=300), SafeText(name_like=True)]
    )
    description = TextAreaField(
        _l("What you observed"),
        validators=[DataRequired(), Length(max=10000), SafeText(multiline=True)],
    )
    date = DateField(_l("Date of the direct test"), validators=[DataRequired()])
    type = SelectField(
        _l("Type"),
        validators=[DataRequired()],
        choices=[SelectChoice(t.value, TYPE_LABELS[t]) for t in EvidenceType],
        default=EvidenceType.PROCESS.value,
    )
