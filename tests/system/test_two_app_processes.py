"""Two app processes and an RQ worker, as on separate machines, sharing only PostgreSQL, Redis,
the object store (the local S3 emulator) and the key files: over real HTTP, a login rate limit
counts across both processes, a session ended on one is refused by the other, and a batch of
certificates enqueued through one runs on the worker, its PDFs read back through the other.
(Issue 12, point 4; docs/deployment.md.)"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests
from sqlalchemy import select

from certificates.models import DossierState, IssuedDocument
from lms.db import db
from lms.storage.s3 import S3Storage
from tests.conftest import PG_URL, TEST_PASSWORD
from tests.mailbox import free_port
from tests.s3server import BUCKET, CREDENTIALS, s3_config

pytestmark = [
    pytest.mark.postgres_only,
    # Several processes share one database: SQLite files are not what such a deployment runs.
    pytest.mark.skipif(not PG_URL, reason="runs in the PostgreSQL pass (needs a shared server)"),
]

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("LMS_TEST_MULTI_REDIS_URL", "redis://127.0.0.1:6379/12")
BIN = Path(sys.executable).parent
LOGIN_LIMIT = 3  # per minute and per client address


def _wait_for(predicate, what: str, deadline: float = 90.0):
    """Poll until predicate() is truthy (a start-up or a job's end, not a timing measured)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


class Deployment:
    """The processes of a small multi-machine deployment, started with one environment."""

    def __init__(self, env: dict[str, str], tmp: Path):
        self.env, self.tmp, self.procs = env, tmp, []

    def start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = (self.tmp / f"{name}.log").open("wb")
        proc = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=log)
        self.procs.append((name, proc, log))
        return proc

    def app_process(self, name: str) -> str:
        port = free_port()
        self.start(
            name,
            [str(BIN / "gunicorn"), "--workers", "1", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        )
        base = f"http://127.0.0.1:{port}"

        def up():
            self.check_alive()
            try:
                return requests.get(f"{base}/healthz", timeout=30).status_code == 200
            except requests.RequestException:
                return False

        _wait_for(up, f"{name} to answer /healthz")
        return base

    def check_alive(self):
        for name, proc, _log in self.procs:
            if proc.poll() is not None:
                raise AssertionError(f"{name} exited {proc.returncode}:\n{self.log(name)}")

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")[-3000:]

    def stop(self):
        for _name, proc, _log in self.procs:
            proc.terminate()
        for _name, proc, log in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


@pytest.fixture
def shared_redis():
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()  # this Redis database belongs to this test
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def deployment(database_url, tmp_path, shared_redis):
    storage = s3_config(f"multi-{secrets.token_hex(6)}")
    env = {
        **os.environ,
        **CREDENTIALS,
        "PYTHONPATH": str(ROOT),  # this checkout's code, whatever the virtualenv points at
        "LMS_CONFIG": "production",
        "LMS_SECRET_KEY": secrets.token_urlsafe(32),  # one key for every process
        "LMS_DATABASE_URL": database_url,
        "LMS_REDIS_URL": REDIS_URL,
        "LMS_JOBS_QUEUE": f"lms-multi-{secrets.token_hex(4)}",
        "LMS_STORAGE_URL": storage["STORAGE_URL"],
        "LMS_STORAGE_S3_ENDPOINT_URL": storage["STORAGE_S3_ENDPOINT_URL"],
        "LMS_BASE_URL": "http://127.0.0.1",
        "LMS_PROXY_HOPS": "1",  # as behind one reverse proxy: X-Forwarded-For names the client
        "LMS_RATELIMIT_LOGIN": f"{LOGIN_LIMIT} per minute",
        "LMS_SESSION_COOKIE_SECURE": "0",  # plain HTTP on the loopback only
        "LMS_REMEMBER_COOKIE_SECURE": "0",
        "LMS_MAIL_OUTBOX": str(tmp_path / "outbox"),
        "LMS_UPLOAD_FOLDER": str(tmp_path / "never-used"),
        "FLASK_APP": "wsgi:app",
    }
    env.pop("LMS_TEST_DATABASE_URL", None)
    env.pop("COVERAGE_PROCESS_START", None)
    procs = Deployment(env, tmp_path)
    try:
        yield procs, storage
    finally:
        procs.stop()


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    assert page.status_code == 200, page.status_code
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)


def _login(session, base: str, email: str, password: str, client_ip: str) -> int:
    session.headers["X-Forwarded-For"] = client_ip
    token = _csrf(session, f"{base}/accesso")
    resp = session.post(
        f"{base}/accesso",
        data={"csrf_token": token, "email": email, "password": password},
        allow_redirects=False,
        timeout=30,
    )
    return resp.status_code


def _me(base: str, cookies, client_ip: str) -> int:
    return requests.get(
        f"{base}/api/v1/me",
        cookies=cookies,
        headers={"X-Forwarded-For": client_ip, "Accept": "application/json"},
        allow_redirects=False,
        timeout=30,
    ).status_code


def test_two_app_processes_and_a_worker_behave_as_one_system(app, make, deployment, tmp_path):
    procs, storage = deployment
    coordinator = make.coordinator()
    course = make.course()
    dossiers = [make.dossier(state=DossierState.DECIDED) for _ in range(2)]
    for d in dossiers:
        d.course_id = course.id
    db.session.commit()
    email = coordinator.email

    a = procs.app_process("app-a")
    b = procs.app_process("app-b")
    health = requests.get(f"{b}/healthz", timeout=30).json()
    assert health["checks"] == {"database": "ok", "redis": "ok", "storage": "ok"}
    procs.start("worker", [sys.executable, "-m", "flask", "lms", "worker"])

    # (a) One login rate limit for both processes: the attempts of one address add up.
    guesser = requests.Session()
    codes = [
        _login(guesser, base, email, "wrong-password", "203.0.113.7")
        for base in (a, b, a, b)[: LOGIN_LIMIT + 1]
    ]
    assert codes[:LOGIN_LIMIT] == [200] * LOGIN_LIMIT  # the form again, with its message
    assert codes[LOGIN_LIMIT] == 429
    elsewhere = requests.Session()  # another address still may log in
    assert _login(elsewhere, b, email, "wrong-password", "198.51.100.20") == 200

    # (b) A session started on A works on B; ended on A, it is refused on B.
    user = requests.Session()
    assert _login(user, a, email, TEST_PASSWORD, "198.51.100.30") == 303
    copied = requests.utils.dict_from_cookiejar(user.cookies)
    assert _me(b, copied, "198.51.100.30") == 200
    token = _csrf(user, f"{a}/")
    assert (
        user.post(f"{a}/esci", data={"csrf_token": token}, allow_redirects=False).status_code == 303
    )
    assert _me(b, copied, "198.51.100.30") == 401
    assert _me(a, copied, "198.51.100.30") == 401

    # (c) A batch enqueued through A runs on the worker; B shows its result and its PDFs,
    # which are in the object store and on no app server's disk.
    staff = requests.Session()
    assert _login(staff, a, email, TEST_PASSWORD, "198.51.100.40") == 303
    form = f"{a}/percorsi/{course.id}/dossier/emissione"
    resp = staff.post(
        form,
        data={"csrf_token": _csrf(staff, form), "certificate_kind": "certificate"},
        allow_redirects=False,
        timeout=30,
    )
    assert resp.status_code == 303, resp.text[:500]
    job_id = int(resp.headers["Location"].rstrip("/").rsplit("/", 1)[1])

    def finished():
        procs.check_alive()
        body = staff.get(f"{b}/api/v1/jobs/{job_id}", timeout=30).json()
        return body if body["state"] not in ("queued", "running") else None

    job = _wait_for(finished, f"job {job_id} to end", deadline=300)
    assert (job["state"], job["done"], job["failed"]) == ("done", 2, 0), job
    assert f"lms job {job_id}" in procs.log("worker")  # RQ names the job it ran
    db.session.expire_all()
    documents = db.session.scalars(select(IssuedDocument)).all()
    assert documents and {doc.dossier_id for doc in documents} == {d.id for d in dossiers}
    pdf = staff.get(f"{b}/documenti/{documents[0].id}/pdf", timeout=30)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"].startswith("attachment")
    bucket = S3Storage(
        BUCKET,
        storage["STORAGE_URL"].split(f"s3://{BUCKET}/", 1)[1],
        endpoint_url=storage["STORAGE_S3_ENDPOINT_URL"],
    )
    assert len(bucket.keys()) == len(documents)
    assert not (tmp_path / "never-used").exists()
