"""schemathesis against the OpenAPI document, on the demo data, as an administrator with a
bearer token: no answer is a server error and every answer matches the document (status,
content type, body schema). Every read is fuzzed, and the writes of the platform's own
resources (the feature packages' writes change courses and grades that other operations
read); the platform's routes also get invalid data. A bounded number of examples per
operation keeps the whole run under a minute."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from lms.api.openapi import IGNORED_METHODS, MAX_ID, api_rules, openapi_path
from lms.db import db
from tests.conftest import make_test_app

# More for an exploratory run: LMS_SCHEMATHESIS_EXAMPLES=200 pytest tests/functional/test_api_...
MAX_EXAMPLES = int(os.environ.get("LMS_SCHEMATHESIS_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Writes that are safe to fuzz on the shared demo database: the platform's own resources.
SAFE_WRITE_PATHS = ("/api/v1/users", "/api/v1/organisations")
# Ids drawn mostly among the demo's objects, so that view bodies run, not only 404s.
IDS = st.one_of(st.integers(1, 80), st.integers(0, MAX_ID))


def _has_input(app, rule) -> bool:
    spec = getattr(app.view_functions[rule.endpoint], "api_spec", None)
    return bool(rule.arguments) or (spec is not None and (spec.query or spec.body))


def _operations() -> list[tuple[str, str, str]]:
    """(METHOD, path, mode) of every fuzzed operation, read from the routes at collection time:
    valid data everywhere, and invalid data too on the platform's own routes with an input."""
    found = set()
    with tempfile.TemporaryDirectory() as tmp:
        app = make_test_app("sqlite://", Path(tmp))
        for rule in api_rules(app):
            own = app.view_functions[rule.endpoint].__module__.startswith("lms.")
            for method in (rule.methods or set()) - IGNORED_METHODS:
                if method != "GET" and not rule.rule.startswith(SAFE_WRITE_PATHS):
                    continue
                found.add((method, openapi_path(rule), "positive"))
                if own and _has_input(app, rule):
                    found.add((method, openapi_path(rule), "negative"))
    return sorted(found, key=lambda o: (o[1], o[0], o[2]))


OPERATIONS = _operations()


@pytest.fixture(scope="module")
def demo_api(database_template, tmp_path_factory):
    """A fresh SQLite database with the demo programme, an admin's token and the schema."""
    from lms.accounts.services import create_api_token, get_user_by_email
    from lms.demo import steps

    if not isinstance(database_template, Path):
        pytest.skip("schemathesis runs on the SQLite demo database")
    base = tmp_path_factory.mktemp("schemathesis")
    path = base / "demo.sqlite"
    shutil.copy(database_template, path)
    app = make_test_app(f"sqlite:///{path}", base, PROPAGATE_TEST_ERRORS=False)
    with app.app_context():
        for step in steps(app):
            step()
            db.session.commit()
        admin = get_user_by_email("admin@demo.example")
        _token, raw = create_api_token(admin, "schemathesis")
        db.session.commit()
        db.session.remove()
    # No app context stays pushed: every call gets its own, as in production.
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return schema, {"Authorization": f"Bearer {raw}"}


@pytest.mark.parametrize(
    ("method", "path", "mode"), OPERATIONS, ids=[f"{m} {p} {g}" for m, p, g in OPERATIONS]
)
def test_api_conforms_to_its_document(demo_api, method, path, mode):
    schema, headers = demo_api
    operation = schema[path][method]
    generation = schemathesis.GenerationMode(mode)

    names = [p.name for p in operation.path_parameters]

    @given(
        case=operation.as_strategy(generation_mode=generation),
        ids=st.fixed_dictionaries(dict.fromkeys(names, IDS)),
    )
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize="LMS_SCHEMATHESIS_EXAMPLES" not in os.environ,
        database=None,
    )
    def run(case, ids):
        case.path_parameters = {**(case.path_parameters or {}), **ids}
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()
