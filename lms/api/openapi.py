"""The OpenAPI 3.1 document of the whole API, built from each route's ``api_spec`` (attached by
``lms.api.io.endpoint``) with apispec and its marshmallow plugin, served at
``GET /api/v1/openapi.json``.

Paths and methods come from the URL map, path parameters from the URL converters, query
parameters from the query schema, the request body from the body schema (or the multipart
fields), and the answer from the response schema (inside the pagination envelope for
paginated routes). Every operation shares the problem format for its 4xx answers.
"""

from __future__ import annotations

import re
import warnings

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask, current_app, jsonify
from marshmallow import fields
from werkzeug.routing import Rule
from werkzeug.routing.converters import (
    FloatConverter,
    IntegerConverter,
    PathConverter,
    UUIDConverter,
)

from lms.api import blueprint as api
from lms.api.io import ApiSpec, endpoint
from lms.api.pagination import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE
from lms.db import MAX_ID
from lms.security import public

PREFIX = "/api/v1"
IGNORED_METHODS = {"HEAD", "OPTIONS"}
ERROR_STATUSES = {
    "400": "The request could not be understood.",
    "401": "Not logged in: send a bearer token or a session cookie.",
    "403": "Not allowed for this user.",
    "404": "No such object, or not one this user may see.",
    "422": "Some fields or query parameters are not valid.",
}
WRITE_ERROR_STATUSES = {"409": "The change conflicts with the current state."}
PROBLEM = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}


def openapi_path(rule: Rule) -> str:
    """A Flask rule as an OpenAPI path: /users/<int:user_id> -> /users/{user_id}."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def _converter_schema(converter) -> dict:
    if isinstance(converter, IntegerConverter):
        return {"type": "integer", "minimum": 0, "maximum": MAX_ID}  # lms.routing.IdConverter
    if isinstance(converter, FloatConverter):
        return {"type": "number", "minimum": 0}
    if isinstance(converter, UUIDConverter):
        return {"type": "string", "format": "uuid"}
    if isinstance(converter, PathConverter):
        return {"type": "string", "pattern": r"^[^/].*$"}
    return {"type": "string", "minLength": 1, "pattern": "^[^/]+$"}


def path_parameters(rule: Rule) -> list[dict]:
    """One required path parameter per variable of the rule, typed by its converter."""
    return [
        {"in": "path", "name": name, "required": True, "schema": _converter_schema(conv)}
        for name, conv in rule._converters.items()
    ]


def _page_parameters() -> list[dict]:
    return [
        {
            "in": "query",
            "name": "page",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
        },
        {
            "in": "query",
            "name": "per_page",
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_PER_PAGE,
                "default": DEFAULT_PER_PAGE,
            },
        },
    ]


def _envelope(item_schema) -> dict:
    return {
        "type": "object",
        "required": ["items", "page", "per_page", "total", "pages"],
        "properties": {
            "items": {"type": "array", "items": item_schema},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
            "pages": {"type": "integer"},
        },
    }


def _success(spec: ApiSpec | None) -> tuple[str, dict]:
    if spec is None:
        return "200", {"description": "Undocumented answer."}
    status = str(spec.status)
    if spec.binary:
        content = {spec.binary: {"schema": {"type": "string", "format": "binary"}}}
        return status, {"description": "A file.", "content": content}
    if spec.response is None:
        return status, {"description": spec.summary or "Done."}
    if spec.paginated:
        schema = _envelope(spec.response)
    elif spec.many:
        schema = {"type": "array", "items": spec.response}
    else:
        schema = spec.response
    answer = {"description": spec.summary or "Done.", "content": {"application/json": {}}}
    answer["content"]["application/json"]["schema"] = schema
    if spec.paginated:
        answer["headers"] = {
            "Link": {
                "description": 'Links to the next and previous pages (rel="next", rel="prev").',
                "schema": {"type": "string"},
            }
        }
    return status, answer


def operation(rule: Rule, method: str, view) -> dict:
    """The OpenAPI operation of one method of one route."""
    spec: ApiSpec | None = getattr(view, "api_spec", None)
    summary = (spec.summary if spec else "") or (view.__doc__ or "").strip().split("\n")[0]
    package = view.__module__.split(".")[0]
    area = view.__module__.split(".")[1] if package == "lms" else package
    op: dict = {
        "operationId": f"{rule.endpoint}.{method.lower()}",
        "tags": [area],
        "parameters": [],
        "responses": {},
    }
    if summary:
        op["summary"] = summary
    if spec is not None and spec.query is not None:
        op["parameters"].append({"in": "query", "schema": spec.query})
    if spec is not None and spec.paginated:
        op["parameters"] += _page_parameters()
    if spec is not None and spec.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": spec.body}},
        }
    elif spec is not None and spec.multipart:
        props = {
            name: {"type": "string", "format": "binary", "description": text}
            for name, text in spec.multipart.items()
        }
        schema = {"type": "object", "properties": props, "required": sorted(props)}
        op["requestBody"] = {
            "required": True,
            "content": {"multipart/form-data": {"schema": schema}},
        }
    status, answer = _success(spec)
    op["responses"][status] = answer
    errors = dict(ERROR_STATUSES)
    if method not in ("GET", "HEAD"):
        errors.update(WRITE_ERROR_STATUSES)
    if spec is not None and spec.multipart:
        errors["413"] = "The file is too large."
    for code in errors:
        op["responses"].setdefault(code, {"$ref": f"#/components/responses/Problem{code}"})
    access = getattr(view, "access_rule", None)
    if access is not None:
        op["x-access"] = access.describe()  # e.g. predicate:can_manage_users
        if access.kind == "public":
            op["security"] = []
    return op


def api_rules(app: Flask) -> list[Rule]:
    """The URL rules of the JSON API, in a stable order."""
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith(PREFIX + "/")]
    return sorted(rules, key=lambda r: (r.rule, r.endpoint))


def _decimal_as_string(self, field, ret, **kwargs) -> dict:
    """Points and weights travel as decimal strings ("8.50"), never as binary floats."""
    if isinstance(field, fields.Decimal) and field.as_string:
        return {"type": ["string", "null"] if field.allow_none else "string", "format": "decimal"}
    return {}


def build_document(app: Flask) -> dict:
    """The OpenAPI 3.1 document of every route under /api/v1/."""
    marshmallow_plugin = MarshmallowPlugin()
    spec = APISpec(
        title="Rencontrer LMS API",
        version="1",
        openapi_version="3.1.0",
        plugins=[marshmallow_plugin],
        info={
            "description": "Every list is paginated (?page=&per_page=, an envelope and a Link "
            "header); errors use one problem format. Authenticate with a personal token "
            "(Authorization: Bearer lms_...) or the browser session cookie."
        },
        security=[{"bearer": []}, {"cookie": []}],
    )
    marshmallow_plugin.converter.add_attribute_function(_decimal_as_string)
    spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "A personal API token."}
    )
    spec.components.security_scheme(
        "cookie",
        {
            "type": "apiKey",
            "in": "cookie",
            "name": app.config.get("SESSION_COOKIE_NAME", "session"),
        },
    )
    spec.components.schema("Problem", PROBLEM)
    texts = {**ERROR_STATUSES, **WRITE_ERROR_STATUSES, "413": "The file is too large."}
    for code, text in texts.items():
        spec.components.response(
            f"Problem{code}",
            {
                "description": text,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                },
            },
        )
    by_path: dict[str, tuple[Rule, dict]] = {}
    for rule in api_rules(app):
        view = app.view_functions[rule.endpoint]
        path = openapi_path(rule)
        _rule, ops = by_path.setdefault(path, (rule, {}))
        for method in sorted((rule.methods or set()) - IGNORED_METHODS):
            ops[method.lower()] = operation(rule, method, view)
    with warnings.catch_warnings():
        # Two packages may name a schema alike; apispec then numbers the second one.
        warnings.simplefilter("ignore", UserWarning)
        for path, (rule, ops) in by_path.items():
            spec.path(path=path, operations=ops, parameters=path_parameters(rule))
    return spec.to_dict()


def document(app: Flask) -> dict:
    """The document, built once per application (the routes do not change after start)."""
    doc = app.extensions.get("lms_openapi")
    if doc is None:
        doc = app.extensions["lms_openapi"] = build_document(app)
    return doc


@api.get("/openapi.json")
@public
@endpoint(summary="This API's OpenAPI 3.1 document")
def openapi_json():
    return jsonify(document(current_app))
