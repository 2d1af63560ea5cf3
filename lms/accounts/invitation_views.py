"""Admin pages that e-mail access links: one invitation, or all new accounts at once
(routes on the users blueprint)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from lms.accounts import invitations
from lms.accounts.admin_views import bp
from lms.accounts.models import User
from lms.accounts.permissions import can_manage_users
from lms.db import db
from lms.errors import Conflict
from lms.mail.models import MailStatus
from lms.mail.services import count_sent
from lms.security import allowed_if
from lms.web import acting_user, get_or_404

SHOWN = 50  # names listed on the confirmation page


@bp.post("/<int:user_id>/invito")
@allowed_if(can_manage_users)
def invite(user_id: int):
    user = get_or_404(User, user_id)
    try:
        mail = invitations.invite(acting_user(), user)
    except Conflict as err:
        flash(err.message, "danger")
        return redirect(url_for("users.detail", user_id=user.id), 303)
    db.session.commit()  # the message leaves after this commit (lms.mail.sending)
    if mail.status == MailStatus.SENT:
        flash(_("An invitation has been sent to %(email)s.", email=user.email), "success")
    else:
        flash(
            _(
                "The invitation to %(email)s is queued: the mail server did not accept it yet. "
                "It will be sent again automatically.",
                email=user.email,
            ),
            "warning",
        )
    return redirect(url_for("users.detail", user_id=user.id), 303)


@bp.get("/inviti")
@allowed_if(can_manage_users)
def invitations_page():
    actor = acting_user()
    people = db.session.scalars(invitations.uninvited_users(actor).limit(SHOWN)).all()
    return render_template(
        "users/invitations.html",
        people=people,
        total=invitations.count_uninvited(actor),
        shown=SHOWN,
        breadcrumbs=[
            (_("Home"), url_for("core.dashboard")),
            (_("Users"), url_for("users.index")),
            (_("Send invitations"), None),
        ],
    )


@bp.post("/inviti")
@allowed_if(can_manage_users)
def send_invitations():
    mails = invitations.invite_all(acting_user())
    ids = [m.id for m in mails]
    db.session.commit()  # the messages leave after this commit (lms.mail.sending)
    if not ids:
        flash(_("Nobody was waiting for an invitation."), "info")
        return redirect(url_for("users.index", access="pending"), 303)
    sent = count_sent(ids)
    flash(ngettext("%(num)d invitation sent.", "%(num)d invitations sent.", sent), "success")
    if sent < len(ids):
        flash(
            ngettext(
                "%(num)d invitation is queued: the mail server did not accept it yet. It will "
                "be sent again automatically.",
                "%(num)d invitations are queued: the mail server did not accept them yet. They "
                "will be sent again automatically.",
                len(ids) - sent,
            ),
            "warning",
        )
    return redirect(url_for("users.index", access="pending"), 303)
