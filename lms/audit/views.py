"""The admin page of the audit trail: read only, filtered, newest first."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import select
from wtforms import DateField, Form, SelectField, StringField
from wtforms.validators import Length, Optional

from lms.accounts.labels import role_label
from lms.accounts.models import Role, User
from lms.audit.formatting import show_value
from lms.audit.models import AuditEntry
from lms.audit.permissions import can_view_audit
from lms.audit.queries import actors_by_id, audit_query, distinct_values
from lms.audit.readable import readable_entries
from lms.audit.registry import action_info
from lms.db import MAX_ID, db
from lms.organisations.models import Organisation
from lms.security import allowed_if
from lms.web import acting_user

bp = Blueprint("audit", __name__, url_prefix="/admin/registro-modifiche")

PER_PAGE = 50
ROLE_VALUES = {r.value for r in Role}


def action_label(action: str) -> str:
    """The translated name of an audited action, or its code."""
    info = action_info(action)
    return str(info.label) if info else action


OBJECT_LABELS = {
    "user": _l("Account"),
    "organisation": _l("Organisation"),
    "api_token": _l("API token"),
    "course": _l("Course"),
    "module": _l("Module"),
    "lesson": _l("Lesson"),
    "register": _l("Register"),
    "enrolment": _l("Enrolment"),
    "attendance_record": lazy_pgettext("one lesson", "Attendance"),
    "framework": _l("Framework"),
    "framework_item": _l("Framework item"),
    "profile": _l("Profile"),
    "assessment": _l("Assessment"),
    "question": _l("Question"),
    "rubric": _l("Rubric"),
    "attempt": _l("Attempt"),
    "grade": _l("Grade"),
    "dossier": _l("Dossier"),
    "evidence": lazy_pgettext("one piece", "Evidence"),
    "competence_decision": _l("Decision"),
    "document": _l("Document"),
    "issued_document": _l("Issued document"),
    "issued_credential": _l("Digital credential"),
    "material": _l("Material"),
    "submission": _l("Submission"),
}


def object_label(object_type: str) -> str:
    """The translated name of an audited object type, or its code."""
    label = OBJECT_LABELS.get(object_type)
    return str(label) if label else object_type


def account_shows(org_names: dict) -> dict:
    """Formats of the account fields that need data: organisation names and role labels."""

    def organisation(value):
        return f"{org_names[value]} (#{value})" if value in org_names else show_value(value)

    def roles(value):
        if not isinstance(value, list):
            return show_value(value)
        return ", ".join(role_label(v) if v in ROLE_VALUES else str(v) for v in value) or "—"

    return {"organisation_id": organisation, "role_names": roles}


def organisation_names(entries) -> dict[int, str]:
    """Names of the organisations that the entries' changes mention, in one query."""
    ids = {
        side["organisation_id"]
        for e in entries
        for side in (e.before, e.after)
        if isinstance(side, dict) and isinstance(side.get("organisation_id"), int)
    }
    if not ids:
        return {}
    rows = db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
    )
    return dict(rows.all())


def page_rows(viewer, entries, actors: dict, extra_show=None) -> list[dict]:
    """The readable entries with the URL of the object the viewer may open."""
    rows = readable_entries(viewer, entries, actors, extra_show)
    for row in rows:
        link = row["link"]
        row["url"] = url_for(link[0], **link[1]) if link else None
    return rows


class AuditFilterForm(Form):
    """Filters read from the query string."""

    person = StringField(_l("Person (name or email)"), validators=[Optional(), Length(max=200)])
    object_type = SelectField(_l("Object type"), default="")
    object_id = StringField(_l("Object id"), validators=[Optional(), Length(max=60)])
    action = SelectField(_l("Action"), default="")
    date_from = DateField(_l("From (date)"), validators=[Optional()])
    date_to = DateField(_l("To (date, included)"), validators=[Optional()])

    def __init__(self, actor, formdata=None, **kwargs):
        super().__init__(formdata, **kwargs)
        all_label = str(_l("All"))
        self.object_type.choices = [("", all_label)] + [
            (t, object_label(t)) for t in distinct_values(actor, AuditEntry.object_type)
        ]
        self.action.choices = [("", all_label)] + [
            (a, f"{action_label(a)} ({a})" if action_info(a) else a)
            for a in distinct_values(actor, AuditEntry.action)
        ]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.date_from.data and self.date_to.data and self.date_from.data > self.date_to.data:
            self.date_to.errors = [
                *self.date_to.errors,
                _("The end date is before the start date."),
            ]
            ok = False
        return ok


def _actor_id_arg() -> int | None:
    try:
        value = int(request.args["actor_id"])
    except (KeyError, ValueError):
        return None
    return value if 0 < value <= MAX_ID else None


@bp.get("/")
@allowed_if(can_view_audit)
def index():
    actor = acting_user()
    form = AuditFilterForm(actor, request.args)
    form.validate()
    bad = set(form.errors)
    actor_id = _actor_id_arg()
    query = audit_query(
        actor,
        actor_id=actor_id,
        person=form.person.data if "person" not in bad else "",
        object_type=form.object_type.data if "object_type" not in bad else "",
        object_id=form.object_id.data if "object_id" not in bad else "",
        action=form.action.data if "action" not in bad else "",
        date_from=form.date_from.data if not bad & {"date_from", "date_to"} else None,
        date_to=form.date_to.data if not bad & {"date_from", "date_to"} else None,
    )
    pager = db.paginate(query, per_page=PER_PAGE, max_per_page=200, error_out=False)
    actors = actors_by_id(pager.items)
    actor_filter = None
    if actor_id is not None:
        actor_filter = actors.get(actor_id) or db.session.get(User, actor_id)
    org_names = organisation_names(pager.items)
    entries = page_rows(actor, pager.items, actors, account_shows(org_names))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    status = 422 if form.errors else 200
    return render_template(
        "audit/index.html",
        form=form,
        pager=pager,
        entries=entries,
        object_label=object_label,
        actor_filter=actor_filter,
        actor_id=actor_id,
        filtered=bool(args),
        page_args=args,
        breadcrumbs=[(_("Home"), url_for("core.dashboard")), (_("Change log"), None)],
    ), status
