"""Account routes of the JSON API."""

from __future__ import annotations

from flask_login import current_user

from lms.accounts.schemas import UserSchema
from lms.api import blueprint as api
from lms.security import login_required


@api.get("/me")
@login_required
def me():
    return UserSchema().dump(current_user)
