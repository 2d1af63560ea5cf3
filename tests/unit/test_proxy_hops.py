"""LMS_PROXY_HOPS: behind that many reverse proxies the client's address and scheme come from
X-Forwarded-For/-Proto (rate limits, audit, sessions); with 0, a client cannot choose them."""

from __future__ import annotations

import pytest
from flask import request

from tests.conftest import make_test_app

HEADERS = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}


@pytest.mark.parametrize(
    ("hops", "seen"), [(0, "127.0.0.1 http"), (1, "203.0.113.9 https")], ids=["none", "one"]
)
def test_forwarded_headers_are_trusted_only_behind_a_proxy(database_url, tmp_path, hops, seen):
    app = make_test_app(database_url, tmp_path, PROXY_HOPS=hops)
    app.add_url_rule(
        "/_test_client", "_test_client", lambda: f"{request.remote_addr} {request.scheme}"
    )
    resp = app.test_client().get(
        "/_test_client", headers=HEADERS, environ_base={"REMOTE_ADDR": "127.0.0.1"}
    )
    assert resp.get_data(as_text=True) == seen
