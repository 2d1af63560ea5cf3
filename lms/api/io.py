"""The one API convention: JSON bodies and query strings loaded through marshmallow schemas
(unknown fields refused), outputs dumped through schemas, every list paginated, every route
described for the OpenAPI document (lms/api/openapi.py reads ``view.api_spec``).

    @api.post("/courses")
    @allowed_if(can_manage_catalogue)
    @endpoint(body=CourseInSchema, response=CourseSchema, status=201)
    def create_course(data):            # data: the loaded body
        return services.create_course(acting_user(), **data)

    @api.get("/courses")
    @login_required
    @endpoint(query=CourseFilterSchema, response=CourseSchema, paginated=True)
    def list_courses(args):             # args: the loaded query string
        return services.courses_query(acting_user(), **args)   # a Select, paginated here

The body is validated when the view first reads ``data`` (after its scoped loaders), so an
object outside the caller's scope answers 404 before any 422. A view may still return a Response (a file, a redirect) or a (dict, status) pair; the
decorator passes those through untouched.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask import Response, request
from flask_babel import gettext as _
from marshmallow import RAISE, Schema, ValidationError, fields
from sqlalchemy import Select

from lms.api.fields import Whole
from lms.api.pagination import CutInSql, paginate
from lms.db import MAX_ID
from lms.errors import ValidationFailed


def Id(**kwargs) -> fields.Integer:
    """An input field holding a row id: a whole number that an id column can hold, so that a
    huge number is a 422 (not an overflow in the database driver, a 500)."""
    return Whole(low=1, high=MAX_ID, **kwargs)


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


def load(schema: Schema, data, *, unknown: str | None = None) -> dict:
    """Load input through a schema (unknown fields refused, marshmallow's default, unless the
    schema says otherwise); its errors become a 422 problem with fields."""
    if data is None:
        raise ValidationFailed(_("Send a JSON object in the request body."))
    try:
        return schema.load(data, unknown=unknown) if unknown else schema.load(data)
    except ValidationError as err:
        raise ValidationFailed(fields=flatten_messages(err.messages)) from err


def load_query(schema: Schema) -> dict:
    """Load the query string; page and per_page belong to pagination and are left out."""
    args = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}
    return load(schema, args, unknown=RAISE)


class LazyBody(Mapping):
    """The loaded JSON body, validated on first use.

    Views load the objects of their URL first (a scoped loader answers 404) and only then
    read the body, so an id outside the caller's scope is a 404 whatever the body holds, and
    a bad body on an allowed object is a 422 with field messages.
    """

    def __init__(self, schema: Schema):
        self._schema = schema
        self._data: dict | None = None

    def _loaded(self) -> dict:
        if self._data is None:
            self._data = load(self._schema, json_body())
        return self._data

    def __getitem__(self, key):
        return self._loaded()[key]

    def __iter__(self):
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())

    def __repr__(self) -> str:
        return f"LazyBody({self._schema.__class__.__name__})"


@dataclass(frozen=True)
class ApiSpec:
    """What the OpenAPI document says of one route."""

    body: type[Schema] | None = None
    query: type[Schema] | None = None
    response: type[Schema] | None = None
    status: int = 200
    paginated: bool = False
    many: bool = False
    multipart: dict[str, str] = field(default_factory=dict)  # form field -> description
    binary: str | None = None  # media type of a file answer
    summary: str = ""


def endpoint(
    *,
    body: type[Schema] | None = None,
    query: type[Schema] | None = None,
    response: type[Schema] | None = None,
    status: int = 200,
    paginated: bool = False,
    many: bool = False,
    multipart: dict[str, str] | None = None,
    binary: str | None = None,
    summary: str = "",
):
    """Declare a route's input and output schemas; load the input, dump the output."""
    spec = ApiSpec(body, query, response, status, paginated, many, multipart or {}, binary, summary)

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if query is not None:
                kwargs["args"] = load_query(query())
            lazy = LazyBody(body()) if body is not None else None
            if lazy is not None:
                kwargs["data"] = lazy
            result = view(*args, **kwargs)
            if lazy is not None:
                lazy._loaded()  # a view that never read its body still refuses a bad one
            if isinstance(result, Response | tuple) or response is None:
                return result
            if paginated:
                if not isinstance(result, Select | list | CutInSql):
                    raise TypeError("a paginated endpoint returns a Select, a CutInSql or a list")
                return paginate(result, response())
            return response(many=many).dump(result), status

        wrapped.api_spec = spec
        return wrapped

    return decorator


__all__ = ["ApiSpec", "Id", "endpoint", "flatten_messages", "json_body", "load"]
