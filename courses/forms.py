"""Forms of the course pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from courses.models import (
    COURSE_STATUS_LABELS,
    MODE_LABELS,
    TOPIC_LABELS,
    CourseStatus,
    LessonMode,
    TopicArea,
)
from lms.forms import MultiCheckboxField, SafeText
from lms.standards.picker import FrameworkItemsField


class ModuleForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=30), SafeText(name_like=True)],
        description=_l("A short unique code, e.g. NORM-01."),
    )
    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(max=200), SafeText(name_like=True)]
    )
    topic_area = SelectField(
        _l("Topic area"),
        validators=[DataRequired()],
        choices=[SelectChoice(t.value, TOPIC_LABELS[t]) for t in TopicArea],
    )
    planned_hours = DecimalField(
        _l("Planned hours"),
        places=2,
        validators=[InputRequired(), NumberRange(min=0.25, max=500)],
        description=_l("Hours and fractions, e.g. 4 or 2.5."),
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=5000), SafeText(multiline=True)]
    )
    objectives = TextAreaField(
        _l("Learning objectives"),
        validators=[Optional(), Length(max=5000), SafeText(multiline=True)],
        description=_l("One objective per line."),
    )
    framework_items = FrameworkItemsField(_l("Framework items covered"))


class CourseForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(max=200), SafeText(name_like=True)]
    )
    edition = StringField(
        _l("Edition"),
        validators=[Optional(), Length(max=60), SafeText(name_like=True)],
        description=_l("E.g. II edizione."),
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=5000), SafeText(multiline=True)]
    )
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    end_date = DateField(_l("End date"), validators=[InputRequired()])
    capacity = IntegerField(
        _l("Places available"),
        validators=[Optional(), NumberRange(min=1)],
        description=_l("Leave empty for no limit. Beyond it, trainees go on a waiting list."),
    )
    assessment_threshold_pct = IntegerField(
        _l("Minimum attendance for the final assessment (%)"),
        validators=[InputRequired(), NumberRange(min=0, max=100)],
        default=70,
        description=_l("Share of the course hours, as set by the funding notice."),
    )
    certification_threshold_pct = IntegerField(
        _l("Minimum attendance for certification (%)"),
        validators=[InputRequired(), NumberRange(min=0, max=100)],
        default=75,
    )
    trainer_ids = MultiCheckboxField(_l("Trainers"), coerce=int, validate_choice=False)


class StatusForm(FlaskForm):
    status = SelectField(
        _l("Status"), choices=[SelectChoice(s.value, COURSE_STATUS_LABELS[s]) for s in CourseStatus]
    )


class AddModuleForm(FlaskForm):
    module_id = SelectField(_l("Module to add"), coerce=int, validators=[DataRequired()])


class LessonForm(FlaskForm):
    module_id = SelectField(_l("Module"), coerce=int, validators=[DataRequired()])
    date = DateField(_l("Date"), validators=[InputRequired()])
    start_time = TimeField(_l("Start time"), validators=[InputRequired()])
    end_time = TimeField(_l("End time"), validators=[InputRequired()])
    mode = SelectField(
        _l("Mode"), choices=[SelectChoice(m.value, MODE_LABELS[m]) for m in LessonMode]
    )
    place = StringField(
        _l("Place"),
        validators=[Optional(), Length(max=300), SafeText()],
        description=_l("For in-person and blended lessons."),
    )
    link = StringField(
        _l("Online link"),
        validators=[Optional(), Length(max=500), SafeText()],
        description=_l("For online and blended lessons."),
    )
    trainer_id = SelectField(_l("Trainer"), coerce=int, validators=[DataRequired()])
    weeks = IntegerField(
        _l("Repeat every week, how many times"),
        default=1,
        validators=[InputRequired(), NumberRange(min=1, max=52)],
        description=_l("1 for a single lesson."),
    )
    reason = StringField(
        _l("Reason for the change"),
        validators=[Optional(), Length(max=500), SafeText()],
        description=_l("Required when attendance has already been recorded."),
    )


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(min=3, max=500), SafeText(multiline=True)]
    )


class EnrolUserForm(FlaskForm):
    user_id = SelectField(_l("Trainee"), coerce=int, validators=[DataRequired()])
    enrolled_on = DateField(
        _l("Enrolment date"),
        validators=[Optional()],
        description=_l("Lessons from this date count. Empty: today."),
    )


class EnrolOrganisationForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[DataRequired()])
    enrolled_on = DateField(
        _l("Enrolment date"),
        validators=[Optional()],
        description=_l("Lessons from this date count. Empty: today."),
    )


class EnrolCsvForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired()],
        description=_l(
            "One trainee per line: a column 'email' and, optionally, "
            "'data_iscrizione' (31/03/2025). Separated by ; or ,."
        ),
    )


class CheckInForm(FlaskForm):
    code = StringField(
        _l("Code shown by the trainer"),
        validators=[DataRequired(), Length(min=6, max=12), SafeText(name_like=True)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )


class MaterialForm(FlaskForm):
    """A course material: a file or a link, for a module or a lesson of the course."""

    target = SelectField(_l("For"), validators=[DataRequired()])
    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(max=200), SafeText(name_like=True)]
    )
    note = TextAreaField(
        _l("Note"), validators=[Optional(), Length(max=2000), SafeText(multiline=True)]
    )
    url = StringField(
        _l("Web address"),
        validators=[Optional(), Length(max=500), SafeText()],
        description=_l("For a link: an address starting with http:// or https://."),
    )
    file = FileField(
        _l("File"), description=_l("For a file: PDF, ODT, DOCX, JPEG or PNG, at most 10 MB.")
    )


class MaterialEditForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(max=200), SafeText(name_like=True)]
    )
    note = TextAreaField(
        _l("Note"), validators=[Optional(), Length(max=2000), SafeText(multiline=True)]
    )
    url = StringField(_l("Web address"), validators=[Optional(), Length(max=500), SafeText()])
