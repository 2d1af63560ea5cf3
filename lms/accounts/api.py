"""Account routes of the JSON API."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, ValidationError

from lms.accounts import services
from lms.accounts.models import Role, User
from lms.accounts.schemas import UserCreateSchema, UserFilterSchema, UserSchema, UserUpdateSchema
from lms.api import blueprint as api
from lms.api.pagination import paginate
from lms.db import db
from lms.errors import NotFound, ValidationFailed
from lms.security import login_required, roles_required


def load_or_fail(schema: Schema, data) -> dict:
    """Load input through a schema; its errors become a 422 JSON problem with fields."""
    if data is None:
        raise ValidationFailed(_("Send a JSON object in the request body."))
    try:
        return schema.load(data)
    except ValidationError as err:
        raise ValidationFailed(fields=flatten_messages(err.messages)) from err


def flatten_messages(messages) -> dict[str, list[str]]:
    """marshmallow's nested messages as {field: [message, ...]}, the problem format."""
    if not isinstance(messages, dict):
        messages = {"_schema": messages}

    def texts(value) -> list[str]:
        if isinstance(value, dict):
            return [t for v in value.values() for t in texts(v)]
        if isinstance(value, list | tuple):
            return [t for v in value for t in texts(v)]
        return [str(value)]

    return {str(k): texts(v) for k, v in messages.items()}


def json_body() -> dict | None:
    """The request's JSON object, or None when the body is not one."""
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None


def _get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


@api.get("/me")
@login_required
def me():
    return UserSchema().dump(current_user)


@api.get("/users")
@roles_required(Role.ADMIN)
def users_list():
    args = load_or_fail(UserFilterSchema(), request.args)
    query = services.list_users(
        search=args["q"],
        role=Role(args["role"]) if "role" in args else None,
        organisation_id=args.get("organisation_id"),
        active=args.get("active"),
    )
    return paginate(query, UserSchema(), "api.users_list")


@api.get("/users/<int:user_id>")
@roles_required(Role.ADMIN)
def users_get(user_id: int):
    return UserSchema().dump(_get_user(user_id))


@api.post("/users")
@roles_required(Role.ADMIN)
def users_create():
    data = load_or_fail(UserCreateSchema(), json_body())
    user = services.create_user(
        current_user,
        email=data["email"],
        full_name=data["full_name"],
        roles={Role(r) for r in data["roles"]},
        organisation_id=data["organisation_id"],
        locale=data["locale"],
    )
    db.session.commit()
    return UserSchema().dump(user), 201, {"Location": url_for("api.users_get", user_id=user.id)}


@api.patch("/users/<int:user_id>")
@roles_required(Role.ADMIN)
def users_update(user_id: int):
    user = _get_user(user_id)
    data = load_or_fail(UserUpdateSchema(), json_body())
    services.update_user(
        current_user,
        user,
        email=data.get("email", user.email),
        full_name=data.get("full_name", user.full_name),
        roles={Role(r) for r in data["roles"]} if "roles" in data else set(user.roles),
        locale=data.get("locale", user.locale),
        organisation_id=data.get("organisation_id", user.organisation_id),
        active=data.get("active", user.active),
    )
    db.session.commit()
    return UserSchema().dump(user)
