"""Forms of the users admin pages: account details, list filters and the CSV import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Form,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, Optional

from lms.accounts.labels import role_label
from lms.accounts.models import Role
from lms.forms import MultiCheckboxField, SafeText, optional_id

LANGUAGE_CHOICES = [("it", "Italiano"), ("en", "English")]


def role_choices() -> list[tuple[str, str]]:
    """Every role with its translated name, in a stable order."""
    return [(r.value, role_label(r)) for r in Role]


def organisation_choices(organisations, empty_label) -> list[tuple[int | str, str]]:
    """Choices for an organisation select, with an empty first entry."""
    return [("", str(empty_label))] + [(o.id, o.name) for o in organisations]


class UserForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(message=_l("The email address is required.")),
            Length(max=254),
            SafeText(),
        ],
        render_kw={"autocomplete": "off"},
    )
    full_name = StringField(
        _l("Full name"),
        validators=[
            DataRequired(message=_l("The full name is required.")),
            Length(max=200),
            SafeText(name_like=True),
        ],
        render_kw={"autocomplete": "off"},
    )
    roles = MultiCheckboxField(
        _l("Roles"),
        validators=[DataRequired(message=_l("Choose at least one role."))],
        description=_l("A company referent must belong to an organisation."),
    )
    organisation_id = SelectField(
        _l("Organisation"),
        coerce=optional_id,
        description=_l("The partner company the person works for, if any."),
    )
    locale = SelectField(
        _l("Preferred language"), choices=[SelectChoice(*c) for c in LANGUAGE_CHOICES], default="it"
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = role_choices()
        self.organisation_id.choices = organisation_choices(organisations, _l("No organisation"))

    def role_set(self) -> set[Role]:
        return {Role(v) for v in self.roles.data or []}


class UserEditForm(UserForm):
    active = BooleanField(
        _l("Active account"),
        description=_l("A deactivated person cannot log in; their data is kept."),
    )
    # The holder's data a certificate prints (D.Lgs. 13/2013 art. 6), where given.
    birth_date = DateField(_l("Date of birth"), validators=[Optional()])
    birth_place = StringField(_l("Place of birth"), validators=[Optional(), Length(max=120)])
    tax_code = StringField(
        _l("Tax code"),
        validators=[Optional(), Length(max=16)],
        description=_l("Printed on certificates, where given."),
        render_kw={"autocomplete": "off"},
    )


ACTIVE_CHOICES = [("", _l("All")), ("1", _l("Active")), ("0", _l("Deactivated"))]
ACCESS_CHOICES = [
    ("", _l("All")),
    ("pending", _l("No password yet")),
    ("set", _l("Password set")),
]


class UserFilterForm(Form):
    """The list filters, read from the query string (a GET form needs no CSRF token)."""

    q = StringField(_l("Name or email"), validators=[Length(max=200), SafeText()])
    role = SelectField(_l("Role"), default="")
    organisation = SelectField(_l("Organisation"), coerce=optional_id)
    active = SelectField(
        _l("State"), choices=[SelectChoice(*c) for c in ACTIVE_CHOICES], default=""
    )
    access = SelectField(
        _l("First access"), choices=[SelectChoice(*c) for c in ACCESS_CHOICES], default=""
    )

    def __init__(self, formdata=None, *, organisations=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.role.choices = [("", str(_l("All"))), *role_choices()]
        self.organisation.choices = organisation_choices(organisations, _l("All"))

    def filters(self) -> dict:
        """The valid filters as arguments of list_users (invalid values are ignored)."""
        self.validate()
        role = self.role.data if "role" not in self.errors else ""
        org = self.organisation.data if "organisation" not in self.errors else None
        active = self.active.data if "active" not in self.errors else ""
        return {
            "search": (self.q.data or "").strip() if "q" not in self.errors else "",
            "role": Role(role) if role else None,
            "organisation_id": org,
            "active": {"1": True, "0": False}.get(active),
        }


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(message=_l("Choose a CSV file to upload."))],
        description=_l("UTF-8 text, comma or semicolon separated, at most 1 MB and 2000 rows."),
        render_kw={"accept": ".csv,text/csv"},
    )


class ImportConfirmForm(FlaskForm):
    payload = HiddenField(validators=[DataRequired()])
