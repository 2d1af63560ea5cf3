"""Flask-Login wiring: session users by alternative id, API users by bearer token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import LoginManager


def init_login_manager(manager: LoginManager) -> None:
    manager.login_view = "accounts.login"
    manager.login_message = _l("Log in to see this page.")
    manager.login_message_category = "info"
    manager.session_protection = "basic"

    @manager.user_loader
    def load_user(alt_id: str):
        """The user of a session or remember-me cookie, only while its server-side session
        lives (lms.accounts.services.sessions)."""
        from flask import g

        from lms.accounts.services.sessions import alive

        try:
            user_part, version_part, raw = alt_id.split(":", 2)
            user_id, version = int(user_part), int(version_part)
        except (ValueError, AttributeError):
            return None
        row = alive(user_id, raw)  # the user and their roles come with it
        if row is None:
            return None
        user = row.user
        if user.auth_version != version or not user.active:
            return None
        user.login_session_id = raw
        g.lms_login_session = row
        return user

    @manager.request_loader
    def load_user_from_request(request):
        header = request.headers.get("Authorization", "")
        if not request.path.startswith("/api/") or not header.startswith("Bearer "):
            return None
        from lms.accounts.services import user_for_api_token

        user = user_for_api_token(header[len("Bearer ") :].strip())
        if user is not None:
            request.environ["lms.token_auth"] = True
        return user
