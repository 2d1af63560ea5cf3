"""Login, logout, one's own password and API tokens."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user

from lms.accounts import services
from lms.accounts.forms import ChangePasswordForm, LoginForm, SetPasswordForm, TokenForm
from lms.accounts.models import ApiToken, UserSession
from lms.accounts.permissions import can_end_session, can_manage_token
from lms.accounts.services.sessions import (
    end_all_sessions,
    end_session,
    live_sessions,
    start_session,
)
from lms.db import db
from lms.errors import ValidationFailed
from lms.extensions import limiter
from lms.security import login_required, public
from lms.views import safe_next
from lms.web import acting_user, apply_field_errors, get_or_404

bp = Blueprint("accounts", __name__, template_folder="../templates")


def _login_limit() -> str:
    from flask import current_app

    return current_app.config["RATELIMIT_LOGIN"]


def _login_limit_enabled() -> bool:
    from flask import current_app

    return not current_app.config.get("RATELIMIT_ENABLED", True)


@bp.route("/accesso", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"], exempt_when=_login_limit_enabled)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            flash(_("Email or password not correct, or account not active."), "danger")
            return render_template("accounts/login.html", form=form), 200
        session.clear()
        user.login_session_id = start_session(
            user,
            remember=bool(form.remember.data),
            user_agent=request.user_agent.string,
            ip_address=request.remote_addr or "",
        )
        login_user(user, remember=form.remember.data)
        session["locale"] = user.locale
        db.session.commit()
        return redirect(safe_next(form.next.data, url_for("core.dashboard")), 303)
    return render_template("accounts/login.html", form=form)


@bp.post("/esci")
@login_required
def logout():
    row = g.get("lms_login_session")
    if row is not None:
        end_session(current_user, row, reason="logout")
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have logged out."), "success")
    return redirect(url_for("accounts.login"), 303)


@bp.route("/profilo/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            revoked = services.change_password(
                current_user,
                form.current_password.data,
                form.new_password.data,
                keep_tokens=form.keep_tokens.data,
            )
        except ValidationFailed as err:
            apply_field_errors(form, err)
            return render_template("accounts/change_password.html", form=form), 422
        me = current_user._get_current_object()
        end_all_sessions(me, me, reason="password change", keep=g.get("lms_login_session"))
        db.session.commit()
        # auth_version changed: this device keeps its session under the new version.
        login_user(me)
        flash(_("Your password has been changed. Other devices have been logged out."), "success")
        if revoked:
            flash(
                ngettext(
                    "%(num)d API token has been revoked.",
                    "%(num)d API tokens have been revoked.",
                    revoked,
                ),
                "info",
            )
        return redirect(url_for("core.dashboard"), 303)
    status = 422 if form.errors else 200
    return render_template("accounts/change_password.html", form=form), status


@bp.route("/password/imposta/<token>", methods=["GET", "POST"])
@public
def set_password(token: str):
    link = services.find_password_link(token)
    if link is None:
        return render_template("accounts/link_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            services.use_password_link(token, form.new_password.data)
        except ValidationFailed as err:
            apply_field_errors(form, err)
            return render_template("accounts/set_password.html", form=form), 422
        db.session.commit()
        logout_user()
        flash(_("Your password is set. You can now log in."), "success")
        return redirect(url_for("accounts.login"), 303)
    status = 422 if form.errors else 200
    return render_template("accounts/set_password.html", form=form), status


@bp.route("/profilo/token", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm()
    new_raw = None
    status = 200
    if form.validate_on_submit():
        try:
            _token, new_raw = services.create_api_token(
                current_user, form.name.data, days=form.days.data
            )
        except ValidationFailed as err:
            apply_field_errors(form, err)
            status = 422
        else:
            db.session.commit()
            form = TokenForm(formdata=None)
    elif form.errors:
        status = 422
    me = acting_user()
    rows = db.session.scalars(services.list_api_tokens(me, me)).all()
    return render_template("accounts/tokens.html", form=form, tokens=rows, new_raw=new_raw), status


@bp.post("/profilo/token/<int:token_id>/revoca")
@login_required
def revoke_token(token_id: int):
    token = get_or_404(ApiToken, token_id, visible=can_manage_token)
    services.revoke_api_token(acting_user(), token)
    db.session.commit()
    flash(_("The token has been revoked."), "success")
    return redirect(url_for("accounts.tokens"), 303)


@bp.get("/profilo/sessioni")
@login_required
def sessions():
    me = acting_user()
    current = g.get("lms_login_session")
    rows = live_sessions(me, me)
    return render_template(
        "accounts/sessions.html", rows=rows, current_id=current.id if current else None
    )


@bp.post("/profilo/sessioni/<int:session_id>/termina")
@login_required
def end_one_session(session_id: int):
    me = acting_user()
    row = get_or_404(UserSession, session_id, visible=can_end_session)
    end_session(me, row, reason="ended by the user")
    db.session.commit()
    current = g.get("lms_login_session")
    if current is not None and current.id == row.id:
        logout_user()
        session.clear()
        flash(_("You have logged out."), "success")
        return redirect(url_for("accounts.login"), 303)
    flash(_("The session has been ended: that device is logged out."), "success")
    return redirect(url_for("accounts.sessions"), 303)


@bp.post("/profilo/sessioni/altre/termina")
@login_required
def end_other_sessions():
    me = acting_user()
    ended = end_all_sessions(me, me, reason="log out everywhere", keep=g.get("lms_login_session"))
    db.session.commit()
    flash(
        ngettext(
            "%(num)d other session has been ended.",
            "%(num)d other sessions have been ended.",
            ended,
        ),
        "success",
    )
    return redirect(url_for("accounts.sessions"), 303)
