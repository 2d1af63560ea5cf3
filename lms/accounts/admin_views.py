"""Admin pages for user accounts."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from lms.accounts import importing, services
from lms.accounts.admin_forms import (
    ImportConfirmForm,
    ImportForm,
    UserEditForm,
    UserFilterForm,
    UserForm,
)
from lms.accounts.models import PasswordLink, Role, User
from lms.accounts.permissions import (
    can_edit_user,
    can_import_users,
    can_manage_users,
    can_view_user,
)
from lms.accounts.services.users import set_holder_data
from lms.db import db
from lms.errors import Conflict, ValidationFailed
from lms.organisations.models import Organisation
from lms.organisations.services import list_organisations
from lms.security import allowed_if
from lms.web import acting_user, apply_field_errors, get_or_404

bp = Blueprint("users", __name__, url_prefix="/admin/utenti")

PER_PAGE = 25
# The previewed file travels to the confirm step signed, never stored on disk.
IMPORT_SALT = "lms.users.import"
IMPORT_MAX_AGE = 60 * 60


def _get_user(user_id: int) -> User:
    return get_or_404(User, user_id, visible=can_view_user)


def _all_organisations() -> list[Organisation]:
    return db.session.scalars(list_organisations(acting_user())).all()


def _form_organisations(current_id: int | None = None) -> list[Organisation]:
    """Active organisations, plus the one the person already belongs to."""
    return [o for o in _all_organisations() if o.active or o.id == current_id]


def _breadcrumbs(*extra):
    return [(_("Home"), url_for("core.dashboard")), (_("Users"), url_for("users.index")), *extra]


def _place_service_errors(form, err: ValidationFailed) -> None:
    if not apply_field_errors(form, err):
        flash(err.message, "danger")


@bp.get("/")
@allowed_if(can_manage_users)
def index():
    organisations = _all_organisations()
    filters_form = UserFilterForm(request.args, organisations=organisations)
    filters = filters_form.filters()
    query = services.list_users(acting_user(), **filters)
    access = filters_form.access.data
    if access == "pending":
        query = query.where(User.password_hash.is_(None))
    elif access == "set":
        query = query.where(User.password_hash.is_not(None))
    pager = db.paginate(query, per_page=PER_PAGE, max_per_page=100, error_out=False)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "users/index.html",
        pager=pager,
        filters_form=filters_form,
        filtered=bool(args),
        page_args=args,
        org_names={o.id: o.name for o in organisations},
        breadcrumbs=_breadcrumbs(),
    )


@bp.route("/nuovo", methods=["GET", "POST"])
@allowed_if(can_manage_users)
def new():
    form = UserForm(organisations=_form_organisations())
    if form.validate_on_submit():
        try:
            user = services.create_user(
                acting_user(),
                email=form.email.data,
                full_name=form.full_name.data,
                roles=form.role_set(),
                locale=form.locale.data,
                organisation_id=form.organisation_id.data,
            )
        except ValidationFailed as err:
            _place_service_errors(form, err)
        else:
            db.session.commit()
            flash(
                _(
                    "The account of %(name)s has been created. Generate an access link so "
                    "they can set their password.",
                    name=user.full_name,
                ),
                "success",
            )
            return redirect(url_for("users.detail", user_id=user.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "users/form.html",
        form=form,
        user=None,
        breadcrumbs=_breadcrumbs((_("New user"), None)),
    ), status


@bp.get("/<int:user_id>")
@allowed_if(can_manage_users)
def detail(user_id: int):
    user = _get_user(user_id)
    organisation = (
        db.session.get(Organisation, user.organisation_id) if user.organisation_id else None
    )
    return render_template(
        "users/detail.html",
        user=user,
        organisation=organisation,
        breadcrumbs=_breadcrumbs((user.full_name, None)),
    )


@bp.route("/<int:user_id>/modifica", methods=["GET", "POST"])
@allowed_if(can_manage_users)
def edit(user_id: int):
    user = get_or_404(User, user_id, visible=can_edit_user)
    form = UserEditForm(organisations=_form_organisations(user.organisation_id))
    if request.method == "GET":
        form.email.data = user.email
        form.full_name.data = user.full_name
        form.roles.data = sorted(r.value for r in user.roles)
        form.organisation_id.data = user.organisation_id
        form.locale.data = user.locale
        form.active.data = user.active
        form.birth_date.data = user.birth_date
        form.birth_place.data = user.birth_place
        form.tax_code.data = user.tax_code
    elif form.validate_on_submit():
        try:
            services.update_user(
                acting_user(),
                user,
                email=form.email.data,
                full_name=form.full_name.data,
                roles=form.role_set(),
                locale=form.locale.data,
                organisation_id=form.organisation_id.data,
                active=form.active.data,
            )
            set_holder_data(
                acting_user(),
                user,
                birth_date=form.birth_date.data,
                birth_place=form.birth_place.data,
                tax_code=form.tax_code.data,
            )
        except (ValidationFailed, Conflict) as err:
            db.session.rollback()
            if isinstance(err, ValidationFailed):
                _place_service_errors(form, err)
            else:
                flash(err.message, "danger")
        else:
            db.session.commit()
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("users.detail", user_id=user.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "users/form.html",
        form=form,
        user=user,
        breadcrumbs=_breadcrumbs(
            (user.full_name, url_for("users.detail", user_id=user.id)), (_("Edit"), None)
        ),
    ), status


@bp.post("/<int:user_id>/disattiva")
@allowed_if(can_manage_users)
def deactivate(user_id: int):
    user = _get_user(user_id)
    services.set_active(acting_user(), user, False)
    db.session.commit()
    flash(
        _("%(name)s has been deactivated and can no longer log in.", name=user.full_name),
        "success",
    )
    return redirect(url_for("users.detail", user_id=user.id), 303)


@bp.post("/<int:user_id>/riattiva")
@allowed_if(can_manage_users)
def reactivate(user_id: int):
    user = _get_user(user_id)
    services.set_active(acting_user(), user, True)
    db.session.commit()
    flash(_("%(name)s has been reactivated.", name=user.full_name), "success")
    return redirect(url_for("users.detail", user_id=user.id), 303)


@bp.post("/<int:user_id>/link-accesso")
@allowed_if(can_manage_users)
def access_link(user_id: int):
    user = _get_user(user_id)
    if not user.active:
        flash(_("Reactivate the account first: a deactivated person cannot log in."), "danger")
        return redirect(url_for("users.detail", user_id=user.id), 303)
    raw = services.create_password_link(acting_user(), user)
    expires_at = db.session.scalar(
        select(PasswordLink.expires_at)
        .where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None))
        .order_by(PasswordLink.id.desc())
        .limit(1)
    )
    db.session.commit()
    # Shown once, in this response: only its hash is stored.
    return render_template(
        "users/access_link.html",
        user=user,
        link=url_for("accounts.set_password", token=raw, _external=True),
        expires_at=expires_at,
        breadcrumbs=_breadcrumbs(
            (user.full_name, url_for("users.detail", user_id=user.id)), (_("Access link"), None)
        ),
    )


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=IMPORT_SALT)


def _import_breadcrumbs(*extra):
    return _breadcrumbs((_("Import from CSV"), url_for("users.import_csv")), *extra)


def _render_preview(report, text: str, status: int):
    confirm = None
    if report.ok:
        confirm = ImportConfirmForm(formdata=None)
        confirm.payload.data = _signer().dumps(text)
    return render_template(
        "users/import_preview.html",
        report=report,
        confirm=confirm,
        role_values={r.value for r in Role},
        breadcrumbs=_import_breadcrumbs((_("Preview"), None)),
    ), status


@bp.route("/importa", methods=["GET", "POST"])
@allowed_if(can_import_users)
def import_csv():
    form = ImportForm()
    if form.validate_on_submit():
        data = form.file.data.read(importing.MAX_BYTES + 1)
        try:
            text = importing.decode_upload(data)
        except ValidationFailed as err:
            apply_field_errors(form, err)
        else:
            report = importing.parse_users_csv(text)
            return _render_preview(report, text, 200 if report.ok else 422)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "users/import.html",
        form=form,
        max_rows=importing.MAX_ROWS,
        breadcrumbs=_import_breadcrumbs(),
    ), status


@bp.post("/importa/conferma")
@allowed_if(can_import_users)
def import_confirm():
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        flash(_("The import form has expired. Upload the file again."), "danger")
        return redirect(url_for("users.import_csv"), 303)
    try:
        text = _signer().loads(form.payload.data, max_age=IMPORT_MAX_AGE)
    except SignatureExpired:
        flash(_("The preview is more than an hour old. Upload the file again."), "danger")
        return redirect(url_for("users.import_csv"), 303)
    except BadSignature:
        flash(_("The import data was altered. Upload the file again."), "danger")
        return redirect(url_for("users.import_csv"), 303)
    # Check again: accounts or organisations may have changed since the preview.
    report = importing.parse_users_csv(text)
    if not report.ok:
        flash(
            _("Something changed since the preview: the file now has errors. Nobody was imported."),
            "danger",
        )
        return _render_preview(report, text, 422)
    created = importing.import_users(acting_user(), report)
    db.session.commit()
    flash(
        ngettext(
            "%(num)d account imported. It has no password yet: generate an access link and "
            "send it to the person.",
            "%(num)d accounts imported. They have no password yet: generate an access link for "
            "each person and send it to them.",
            len(created),
        ),
        "success",
    )
    return redirect(url_for("users.index", access="pending"), 303)
