"""A PostgreSQL outage: while the database is unreachable the API answers 503 in the problem
format with Retry-After, pages a 503 page that queries nothing, /healthz 503 naming the
database, the security headers always present; after the restart no request fails.

The test starts a private PostgreSQL instance of its own (initdb, pg_ctl) so it can stop it;
it runs in the PostgreSQL pass of .ci/run (LMS_TEST_DATABASE_URL set)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from lms.accounts.models import Role
from lms.db import db
from tests.conftest import PG_URL, TEST_PASSWORD, login, make_test_app, migrate_to_head
from tests.factories import Factory
from tests.mailbox import free_port

_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
PG_BIN = _BIN[-1] if _BIN else None

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(not PG_URL, reason="runs in the PostgreSQL pass"),
    pytest.mark.skipif(PG_BIN is None, reason="PostgreSQL server binaries are not installed"),
]


def _as_postgres(args: list[str]) -> list[str]:
    # initdb and the server refuse to run as root: run them as the postgres account then.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class PrivateServer:
    def __init__(self, root: Path):
        self.data = root / "data"
        self.sockets = root / "sockets"
        self.port = free_port()
        root.mkdir(parents=True, exist_ok=True)
        self.sockets.mkdir()
        if os.geteuid() == 0:
            shutil.chown(root, "postgres")
            shutil.chown(self.sockets, "postgres")
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
        )
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", *args]),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._ctl("-o", options, "-l", str(self.data / "server.log"), "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")


@pytest.fixture
def server():
    # Not under pytest's tmp_path: the postgres account cannot enter root's private folder.
    root = Path(tempfile.mkdtemp(prefix="lms-outage-"))
    try:
        if os.geteuid() == 0:
            shutil.chown(root, "postgres")
        srv = PrivateServer(root / "cluster")
        srv.start()
        yield srv
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(srv.data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_outage_answers_503_then_recovers(server, tmp_path):
    migrate_to_head(server.url, tmp_path)
    app = make_test_app(server.url, tmp_path, SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True})
    with app.app_context():
        make = Factory()
        user = make.user(Role.TRAINEE)
        from lms.accounts.services import create_api_token

        _token, raw = create_api_token(user, "prova", owner=user)
        db.session.commit()
        email = user.email
    browser = app.test_client()
    login(browser, type("U", (), {"email": email})(), TEST_PASSWORD)
    api = app.test_client()
    bearer = {"Authorization": f"Bearer {raw}"}
    assert browser.get("/").status_code == 200
    assert api.get("/api/v1/me", headers=bearer).status_code == 200

    server.stop()
    page = browser.get("/")
    assert page.status_code == 503
    assert page.headers["Retry-After"]
    assert "Servizio momentaneamente non disponibile" in page.get_data(as_text=True)
    me = api.get("/api/v1/me", headers=bearer)
    assert me.status_code == 503 and me.headers["Retry-After"]
    assert me.get_json()["error"]["code"] == "service_unavailable"
    health = api.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["checks"]["database"] == "unavailable"
    for resp in (page, me, health):
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert "Content-Security-Policy" in resp.headers

    server.start()
    answers = [browser.get("/").status_code for _ in range(5)]
    answers += [api.get("/api/v1/me", headers=bearer).status_code for _ in range(5)]
    answers += [api.get("/healthz").status_code for _ in range(5)]
    assert answers == [200] * 15
    with app.app_context():
        db.engine.dispose()
