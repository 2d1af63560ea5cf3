"""Account routes of the JSON API: the pattern every package's api.py follows.

Load through the scoped loader, call the service with the acting user, commit once, and let
``endpoint`` load the input and dump the output through the schemas.
"""

from __future__ import annotations

from flask import url_for

from lms.accounts import services
from lms.accounts.models import Role, User
from lms.accounts.permissions import can_manage_users
from lms.accounts.schemas import UserCreateSchema, UserFilterSchema, UserSchema, UserUpdateSchema
from lms.api import blueprint as api
from lms.api.io import endpoint
from lms.db import db
from lms.security import allowed_if, login_required
from lms.web import acting_user, get_or_404


@api.get("/me")
@login_required
@endpoint(response=UserSchema, summary="The logged-in user")
def me():
    return acting_user()


@api.get("/users")
@allowed_if(can_manage_users)
@endpoint(query=UserFilterSchema, response=UserSchema, paginated=True, summary="Accounts")
def users_list(args):
    return services.list_users(
        acting_user(),
        search=args.get("q", ""),
        role=Role(args["role"]) if "role" in args else None,
        organisation_id=args.get("organisation_id"),
        active=args.get("active"),
    )


@api.get("/users/<int:user_id>")
@allowed_if(can_manage_users)
@endpoint(response=UserSchema, summary="One account")
def users_get(user_id: int):
    return get_or_404(User, user_id)


@api.post("/users")
@allowed_if(can_manage_users)
@endpoint(body=UserCreateSchema, response=UserSchema, status=201, summary="Create an account")
def users_create(data):
    user = services.create_user(
        acting_user(),
        email=data["email"],
        full_name=data["full_name"],
        roles={Role(r) for r in data["roles"]},
        organisation_id=data["organisation_id"],
        locale=data["locale"],
    )
    db.session.commit()
    return UserSchema().dump(user), 201, {"Location": url_for("api.users_get", user_id=user.id)}


@api.patch("/users/<int:user_id>")
@allowed_if(can_manage_users)
@endpoint(body=UserUpdateSchema, response=UserSchema, summary="Change an account")
def users_update(user_id: int, data):
    user = get_or_404(User, user_id)
    services.update_user(
        acting_user(),
        user,
        email=data.get("email", user.email),
        full_name=data.get("full_name", user.full_name),
        roles={Role(r) for r in data["roles"]} if "roles" in data else set(user.roles),
        locale=data.get("locale", user.locale),
        organisation_id=data.get("organisation_id", user.organisation_id),
        active=data.get("active", user.active),
    )
    db.session.commit()
    return user
