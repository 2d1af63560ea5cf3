"""Forms of the assessment pages (the grading and quiz pages read their dynamic fields from
request.form, with the CSRF token the global protection checks)."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from assessments.models import (
    KIND_LABELS,
    LATE_LABELS,
    PARTIAL_LABELS,
    QUESTION_LABELS,
    AssessmentKind,
    LatePolicy,
)
from assessments.scoring import PartialCredit, QuestionType
from courses.models import ROME
from lms.forms import SafeText
from lms.standards.picker import FrameworkItemsField


def make_choices(pairs) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def to_utc(local: dt.datetime | None) -> dt.datetime | None:
    """A date and time typed in Rome's local time, as an aware UTC datetime."""
    if local is None:
        return None
    return local.replace(tzinfo=ROME).astimezone(dt.UTC)


def to_local(value: dt.datetime | None) -> dt.datetime | None:
    """An aware datetime as Rome's naive local time, for datetime-local inputs."""
    if value is None:
        return None
    return value.astimezone(ROME).replace(tzinfo=None, second=0, microsecond=0)


class AssessmentForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(max=200), SafeText(name_like=True)]
    )
    kind = SelectField(
        _l("Kind"), choices=make_choices((k.value, KIND_LABELS[k]) for k in AssessmentKind)
    )
    module_id = SelectField(
        _l("Module"),
        coerce=lambda v: int(v) if v not in (None, "") else None,
        validate_choice=False,
        description=_l("Optional: the module this assessment belongs to."),
    )
    instructions = TextAreaField(
        _l("Instructions for the trainees"),
        validators=[Optional(), Length(max=20000), SafeText(multiline=True)],
    )
    opens_at = DateTimeLocalField(
        _l("Opens at"),
        validators=[InputRequired()],
        format="%Y-%m-%dT%H:%M",
        description=_l("Date and time, Italian time."),
    )
    closes_at = DateTimeLocalField(
        _l("Closes at"),
        validators=[InputRequired()],
        format="%Y-%m-%dT%H:%M",
        description=_l("Date and time, Italian time."),
    )
    max_points = StringField(_l("Maximum points"), validators=[DataRequired()], default="10")
    pass_mark = StringField(_l("Pass mark (points)"), validators=[DataRequired()], default="6")
    weight = StringField(
        _l("Weight in the course result"),
        validators=[DataRequired()],
        default="1",
        description=_l("Relative weight, e.g. 1 or 2. Zero leaves it out."),
    )
    attempts_allowed = IntegerField(
        _l("Attempts or submissions allowed"),
        validators=[Optional(), NumberRange(min=1)],
        description=_l("Leave empty for no limit."),
    )
    late_policy = SelectField(
        _l("Late work"), choices=make_choices((p.value, LATE_LABELS[p]) for p in LatePolicy)
    )
    late_until = DateTimeLocalField(
        _l("Late work accepted until"),
        validators=[Optional()],
        format="%Y-%m-%dT%H:%M",
        description=_l("Only when late work is accepted."),
    )
    is_final = BooleanField(
        _l("Final assessment (open only to trainees who reach the course's attendance threshold)")
    )
    time_limit_minutes = IntegerField(
        _l("Time limit (minutes, quizzes)"),
        validators=[Optional(), NumberRange(min=1, max=600)],
        description=_l("Leave empty for no time limit."),
    )
    shuffle_questions = BooleanField(_l("Shuffle the questions for each attempt"), default=True)
    show_answers = BooleanField(
        _l("After release, show the trainees the right answers and the feedback")
    )
    release_when_graded = BooleanField(
        _l("Release the grade automatically as soon as an attempt is graded"),
        description=_l("Only for quizzes: every question is graded automatically."),
    )
    double_marking = BooleanField(
        _l("Double marking: a second marker grades without seeing the first mark")
    )
    marking_tolerance = StringField(
        _l("Tolerance between the two marks (points)"),
        default="0",
        description=_l("A larger difference is flagged and needs an agreed mark."),
    )
    published = BooleanField(_l("Published: visible to the course's trainees"))
    framework_items = FrameworkItemsField(_l("Framework items assessed"))


class QuestionForm(FlaskForm):
    kind = SelectField(
        _l("Question type"),
        choices=make_choices((k.value, QUESTION_LABELS[k]) for k in QuestionType),
    )
    prompt = TextAreaField(
        _l("Question"), validators=[DataRequired(), Length(max=5000), SafeText(multiline=True)]
    )
    points = StringField(_l("Points"), validators=[DataRequired()], default="1")
    choices = TextAreaField(
        _l("Choices (choice questions)"),
        validators=[Optional(), Length(max=5000), SafeText(multiline=True)],
        description=_l(
            "One choice per line; start the right ones with an asterisk, e.g. "
            "* Centri per l'impiego. For true or false, write * True or * False."
        ),
    )
    partial_credit = SelectField(
        _l("Partial credit (multiple choice)"),
        choices=make_choices((p.value, PARTIAL_LABELS[p]) for p in PartialCredit),
    )
    accepted_answers = TextAreaField(
        _l("Accepted answers (short answer)"),
        validators=[Optional(), Length(max=2000), SafeText(multiline=True)],
        description=_l("One per line; case and extra spaces are ignored."),
    )
    expected_number = StringField(_l("Expected number (numeric)"), validators=[Optional()])
    tolerance = StringField(_l("Tolerance (numeric)"), validators=[Optional()], default="0")
    feedback = TextAreaField(
        _l("Feedback shown after release"),
        validators=[Optional(), Length(max=5000), SafeText(multiline=True)],
    )
    framework_items = FrameworkItemsField(_l("Framework items tested"))


class TemplateForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(max=200), SafeText(name_like=True)]
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=5000), SafeText(multiline=True)]
    )


class CriterionForm(FlaskForm):
    title = StringField(
        _l("Criterion"), validators=[DataRequired(), Length(max=300), SafeText(name_like=True)]
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=5000), SafeText(multiline=True)]
    )
    levels = TextAreaField(
        _l("Levels"),
        validators=[DataRequired(), Length(max=5000), SafeText(multiline=True)],
        description=_l(
            "One level per line: points | name | descriptor, e.g. "
            "3 | Adeguato | Individua gli attori principali."
        ),
    )
    framework_items = FrameworkItemsField(_l("Framework items assessed"))


class AttachRubricForm(FlaskForm):
    template_id = SelectField(_l("Rubric template"), coerce=int, validators=[DataRequired()])
