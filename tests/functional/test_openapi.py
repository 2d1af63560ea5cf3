"""The OpenAPI document lists every API route with its methods, and every route describes its
schemas through lms.api.io.endpoint."""

from __future__ import annotations

import pytest
import schemathesis

from lms.api.openapi import IGNORED_METHODS, api_rules, openapi_path

PACKAGES = ("lms", "courses", "assessments", "certificates")


def _package(app, rule) -> str:
    return app.view_functions[rule.endpoint].__module__.split(".")[0]


def test_document_is_public_and_lists_every_route_with_its_methods(app, client):
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    doc = resp.json
    assert doc["openapi"] == "3.1.0"
    schemathesis.openapi.from_dict(doc).validate()  # against the OpenAPI 3.1 meta-schema
    assert set(doc["components"]["securitySchemes"]) == {"bearer", "cookie"}
    rules = api_rules(app)
    assert len(rules) > 20
    missing = []
    for rule in rules:
        ops = doc["paths"].get(openapi_path(rule), {})
        for method in (rule.methods or set()) - IGNORED_METHODS:
            if method.lower() not in ops:
                missing.append(f"{method} {rule.rule}")
    assert not missing, missing
    documented = {
        (path, method)
        for path, ops in doc["paths"].items()
        for method in ops
        if method != "parameters"
    }
    routed = {
        (openapi_path(r), m.lower()) for r in rules for m in (r.methods or set()) - IGNORED_METHODS
    }
    assert documented == routed  # nothing invented either


def test_operations_describe_parameters_bodies_and_answers(client):
    doc = client.get("/api/v1/openapi.json").json
    users = doc["paths"]["/api/v1/users/{user_id}"]
    assert users["parameters"][0]["name"] == "user_id"
    assert users["parameters"][0]["schema"]["type"] == "integer"
    patch = users["patch"]
    assert patch["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/UserUpdate"
    )
    assert doc["components"]["schemas"]["UserUpdate"]["additionalProperties"] is False
    listing = doc["paths"]["/api/v1/users"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"q", "role", "active", "page", "per_page"} <= names
    envelope = listing["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(envelope["required"]) == {"items", "page", "per_page", "total", "pages"}
    assert "201" in doc["paths"]["/api/v1/organisations"]["post"]["responses"]
    problem = doc["components"]["responses"]["Problem422"]["content"]["application/json"]
    assert problem["schema"]["$ref"] == "#/components/schemas/Problem"
    assert listing["responses"]["403"]["$ref"] == "#/components/responses/Problem403"
    assert doc["paths"]["/api/v1/openapi.json"]["get"]["security"] == []
    assert listing["x-access"] == "predicate:can_manage_users"
    audit = doc["paths"]["/api/v1/audit"]["get"]
    assert {"from", "to", "actor_id"} <= {p["name"] for p in audit["parameters"]}


@pytest.mark.parametrize("package", PACKAGES)
def test_every_api_route_declares_its_schemas(app, package):
    """Every route goes through lms.api.io.endpoint, so the document knows its input and output.
    (courses and assessments are being converted on their own branches.)"""
    undocumented = [
        f"{sorted((r.methods or set()) - IGNORED_METHODS)} {r.rule}"
        for r in api_rules(app)
        if _package(app, r) == package
        and getattr(app.view_functions[r.endpoint], "api_spec", None) is None
    ]
    assert not undocumented, undocumented


def test_ids_beyond_an_id_column_are_refused_not_overflowed(make, client):
    """Found by schemathesis: huge ids reached the driver (OverflowError, a 500)."""
    from lms.accounts.models import Role
    from lms.accounts.services import create_api_token
    from lms.db import MAX_ID, db

    admin = make.user(Role.ADMIN)
    _token, raw = create_api_token(admin, "t")
    db.session.commit()
    auth = {"Authorization": f"Bearer {raw}"}
    huge = 25502669874884567040
    assert client.get(f"/api/v1/users/{huge}", headers=auth).status_code == 404
    assert client.get(f"/api/v1/users/{MAX_ID + 1}", headers=auth).status_code == 404
    resp = client.get(f"/api/v1/users?organisation_id={huge}", headers=auth)
    assert resp.status_code == 422 and "organisation_id" in resp.json["error"]["fields"]
    resp = client.patch(f"/api/v1/users/{admin.id}", json={"organisation_id": huge}, headers=auth)
    assert resp.status_code == 422 and "organisation_id" in resp.json["error"]["fields"]
    assert client.get(f"/api/v1/audit?actor_id={huge}", headers=auth).status_code == 422
    assert client.get(f"/admin/organizzazioni/{huge}", headers=auth).status_code in (302, 404)
