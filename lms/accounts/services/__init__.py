"""Account operations: users (users.py), passwords and one-time links (passwords.py), API
tokens (tokens.py) and the system account (system.py); the names are re-exported here, so
callers write ``from lms.accounts import services``."""

from lms.accounts.services.passwords import (
    change_password,
    create_password_link,
    find_password_link,
    use_password_link,
)
from lms.accounts.services.system import system_actor
from lms.accounts.services.tokens import (
    TOKEN_PREFIX,
    create_api_token,
    list_api_tokens,
    revoke_api_token,
    user_for_api_token,
)
from lms.accounts.services.users import (
    USER_AUDIT_FIELDS,
    ImportReport,
    ImportRow,
    authenticate,
    create_user,
    get_user_by_email,
    list_users,
    normalise_email,
    set_active,
    set_locale,
    update_user,
)

__all__ = [
    "TOKEN_PREFIX",
    "USER_AUDIT_FIELDS",
    "ImportReport",
    "ImportRow",
    "authenticate",
    "change_password",
    "create_api_token",
    "create_password_link",
    "create_user",
    "find_password_link",
    "get_user_by_email",
    "list_api_tokens",
    "list_users",
    "normalise_email",
    "revoke_api_token",
    "set_active",
    "set_locale",
    "system_actor",
    "update_user",
    "use_password_link",
    "user_for_api_token",
]
