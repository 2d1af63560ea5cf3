"""E-mail: queued in the transaction that causes it, sent after the commit, retried."""

from __future__ import annotations

from flask import Blueprint, Flask

# No routes: the blueprint only lends its templates folder (templates/mail/...).
bp = Blueprint("mail", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """Register the mail templates, the after-commit dispatch and `flask lms mail`."""
    from lms.cli import lms_cli
    from lms.mail import models as _models  # noqa: F401 - the table in the metadata
    from lms.mail.cli import mail_group
    from lms.mail.sending import install_hooks

    app.register_blueprint(bp)
    install_hooks()
    lms_cli.add_command(mail_group)
