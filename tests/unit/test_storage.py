"""lms/storage: the local-directory and S3 backends behave alike (the S3 one against a local
emulator over real HTTP), the config chooses between them, and lms/files goes through them
with its rollback semantics."""

from __future__ import annotations

import pytest

from lms.accounts.models import Role
from lms.db import db
from lms.files.services import discard_stored, key_of, read_bytes, store_upload
from lms.files.sniff import DOCUMENT_KINDS
from lms.storage import build_storage, storage, storage_url_problem
from lms.storage.local import LocalStorage
from lms.storage.s3 import S3Storage
from tests.conftest import make_test_app
from tests.s3server import BUCKET, s3_config, s3_endpoint

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(params=["local", "s3"])
def backend(request, tmp_path):
    if request.param == "local":
        return LocalStorage(tmp_path / "files")
    return S3Storage(BUCKET, f"unit-{tmp_path.name}", endpoint_url=s3_endpoint())


def test_put_get_exists_delete_keys(backend):
    assert backend.keys() == [] and not backend.exists("ab/cd/abcd")
    backend.put("ab/cd/abcd", b"first", "application/pdf")
    backend.put("ab/ef/abef", b"second")
    backend.put("ab/cd/abcd", b"replaced")
    assert backend.get("ab/cd/abcd") == b"replaced" and backend.exists("ab/cd/abcd")
    assert backend.keys() == ["ab/cd/abcd", "ab/ef/abef"]
    backend.delete("ab/cd/abcd")
    backend.delete("ab/cd/abcd")  # already gone: nothing happens
    assert backend.keys() == ["ab/ef/abef"] and not backend.exists("ab/cd/abcd")
    with pytest.raises(FileNotFoundError):
        backend.get("ab/cd/abcd")


@pytest.mark.parametrize("key", ["", "/etc/passwd", "../x", "ab/../../x"])
def test_keys_never_leave_the_store(backend, key):
    with pytest.raises(ValueError):
        backend.put(key, b"x")
    assert backend.keys() == []


def test_two_prefixes_of_one_bucket_are_separate(tmp_path):
    one = S3Storage(BUCKET, f"one-{tmp_path.name}", endpoint_url=s3_endpoint())
    two = S3Storage(BUCKET, f"two-{tmp_path.name}", endpoint_url=s3_endpoint())
    one.put("k/1", b"a")
    assert two.keys() == [] and not two.exists("k/1")


def test_the_storage_url_chooses_the_backend(tmp_path):
    default = build_storage(None, str(tmp_path / "uploads"))
    assert isinstance(default, LocalStorage) and default.root == tmp_path / "uploads"
    folder = build_storage(f"file://{tmp_path}/elsewhere", "unused")
    assert isinstance(folder, LocalStorage) and folder.root == tmp_path / "elsewhere"
    s3 = build_storage("s3://bucket/some/prefix", "unused", s3_endpoint())
    assert isinstance(s3, S3Storage) and (s3.bucket, s3.prefix) == ("bucket", "some/prefix/")
    assert s3.local_path("a/b") is None
    for bad in ("ftp://host/x", "s3:///nobucket"):
        with pytest.raises(ValueError):
            build_storage(bad, "unused")
        assert storage_url_problem(bad)
    assert storage_url_problem("s3://bucket/p") is None and storage_url_problem(None) is None


@pytest.fixture
def s3_app(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path, **s3_config(f"app-{tmp_path.name}"))
    with app.app_context():
        yield app
        db.session.remove()


def test_uploads_go_to_the_object_store_and_a_rollback_removes_them(s3_app, make, tmp_path):
    person = make.user(Role.TRAINEE)
    backend = storage()
    assert isinstance(backend, S3Storage)
    kept = store_upload(person, "tenuto.pdf", PDF, DOCUMENT_KINDS)
    db.session.commit()
    dropped = key_of(store_upload(person, "annullato.pdf", PDF, DOCUMENT_KINDS))
    assert backend.exists(dropped)
    db.session.rollback()
    assert backend.keys() == [key_of(kept)]
    assert read_bytes(kept) == PDF
    assert not (tmp_path / "uploads").exists()  # nothing on this machine's disk
    discard_stored(kept)
    db.session.rollback()
    assert backend.exists(key_of(kept))
    discard_stored(db.session.merge(kept))
    db.session.commit()
    assert backend.keys() == []


def test_a_failing_store_refuses_the_upload_and_keeps_nothing(app, make, monkeypatch):
    person = make.user(Role.TRAINEE)

    def broken(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(storage(), "put", broken)
    with pytest.raises(OSError):
        store_upload(person, "a.pdf", PDF, DOCUMENT_KINDS)
    db.session.rollback()
    assert storage().keys() == []


def test_a_bad_storage_url_stops_the_start_and_is_reported(database_url, tmp_path):
    with pytest.raises(RuntimeError, match="LMS_STORAGE_URL"):
        make_test_app(database_url, tmp_path, STORAGE_URL="ftp://files.example/x")
    checked = make_test_app(database_url, tmp_path, STORAGE_URL="s3://", CHECK_ONLY=True)
    assert any("LMS_STORAGE_URL" in p for p in checked.config["CONFIG_ERRORS"])


def test_the_health_check_names_an_unreachable_object_store(database_url, tmp_path):
    good = make_test_app(database_url, tmp_path, **s3_config("health"))
    assert good.test_client().get("/healthz").get_json()["checks"]["storage"] == "ok"
    missing = {**s3_config("health"), "STORAGE_URL": "s3://no-such-bucket/x"}
    bad = make_test_app(database_url, tmp_path, **missing).test_client().get("/healthz")
    assert bad.status_code == 503
    assert bad.get_json()["checks"] == {"database": "ok", "storage": "unavailable"}
