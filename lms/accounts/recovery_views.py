"""Self-service access: the "forgot password" pages (routes on the accounts blueprint)."""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for

from lms.accounts import invitations
from lms.accounts.forms import ForgotPasswordForm
from lms.accounts.views import bp
from lms.db import db
from lms.extensions import limiter
from lms.security import public


def _reset_limit() -> str:
    return current_app.config["RATELIMIT_PASSWORD_RESET"]


def _limits_disabled() -> bool:
    return not current_app.config.get("RATELIMIT_ENABLED", True)


@bp.route("/password/dimenticata", methods=["GET", "POST"])
@public
@limiter.limit(_reset_limit, methods=["POST"], exempt_when=_limits_disabled)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        invitations.request_password_reset(form.email.data)
        db.session.commit()
        # The same answer whether or not the address has an account.
        return redirect(url_for("accounts.forgot_password_sent"), 303)
    status = 422 if form.errors else 200
    return render_template("accounts/forgot_password.html", form=form), status


@bp.get("/password/dimenticata/inviata")
@public
def forgot_password_sent():
    return render_template(
        "accounts/forgot_password_sent.html", hours=current_app.config["PASSWORD_RESET_HOURS"]
    )
