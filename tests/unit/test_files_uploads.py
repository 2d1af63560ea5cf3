"""lms/files: uploads are checked by content, refused with a message, and never leave a file
behind when refused or when the transaction rolls back."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.db import db
from lms.errors import ValidationFailed
from lms.files.models import StoredFile
from lms.files.services import discard_stored, key_of, path_of, read_bytes, store_upload
from lms.files.sniff import DOCUMENT_KINDS
from lms.storage import storage
from tests.s3server import storage_under_test

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


def files_on_disk(app) -> list[str]:
    """Every key in the app's storage (a local folder, or the S3 emulator's prefix)."""
    return storage(app).keys()


@pytest.fixture
def person(app, make):
    return make.user(Role.TRAINEE)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("relazione.pdf", b"MZ\x90\x00\x03 an executable renamed", "non è accettato"),
        ("relazione.docx", _zip({"evil.js": b"alert(1)"}), "non è accettato"),
        ("foto.png", PDF, "non corrisponde"),
        ("vuoto.pdf", b"", "vuoto"),
        ("relazione.pdf.exe", PDF, "due estensioni"),
        ("relazione.exe.pdf", PDF, "due estensioni"),
        ("../relazione.pdf", PDF, "percorso"),
        ("cartella/relazione.pdf", PDF, "percorso"),
        ("C:\\Users\\x\\relazione.pdf", PDF, "percorso"),
        (".nascosto.pdf", PDF, "percorso"),
        ("", PDF, "nome"),
    ],
)
def test_bad_uploads_are_refused_with_a_message(app, person, name, data, message):
    with pytest.raises(ValidationFailed) as err:
        store_upload(person, name, data, DOCUMENT_KINDS)
    assert message in err.value.message
    assert err.value.fields["file"] == [err.value.message]
    db.session.rollback()
    assert files_on_disk(app) == []
    assert db.session.scalars(select(StoredFile)).all() == []


def test_too_large_is_refused(app, person):
    with pytest.raises(ValidationFailed) as err:
        store_upload(person, "grande.pdf", PDF + b"0" * 2048, DOCUMENT_KINDS, max_bytes=1024)
    assert "troppo grande" in err.value.message
    db.session.rollback()
    assert files_on_disk(app) == []


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("a.pdf", PDF, "pdf"),
        ("b.PNG", PNG, "png"),
        ("c.docx", DOCX, "docx"),
        ("d.odt", ODT, "odt"),
        ("e.jpeg", b"\xff\xd8\xff\xe0" + b"0" * 20, "jpeg"),
    ],
)
def test_good_uploads_are_stored_under_a_random_name(app, person, name, data, kind):
    stored = store_upload(person, name, data, DOCUMENT_KINDS)
    db.session.commit()
    assert stored.kind == kind and stored.original_name == name
    assert stored.storage_name not in name and len(stored.storage_name) == 32
    key = key_of(stored)
    assert storage().exists(key) and not key.endswith(name)
    assert read_bytes(stored) == data
    if storage_under_test() == "local":
        assert "static" not in path_of(stored).parts


def test_a_rolled_back_transaction_leaves_no_file(app, person):
    stored = store_upload(person, "a.pdf", PDF, DOCUMENT_KINDS)
    key = key_of(stored)
    assert storage().exists(key)
    db.session.rollback()
    assert not storage().exists(key)
    assert files_on_disk(app) == []


def test_a_discarded_file_goes_only_when_committed(app, person):
    stored = store_upload(person, "a.pdf", PDF, DOCUMENT_KINDS)
    db.session.commit()
    key = key_of(stored)
    discard_stored(stored)
    db.session.rollback()
    assert storage().exists(key)  # the deletion was rolled back with the record
    stored = db.session.get(StoredFile, stored.id)
    discard_stored(stored)
    db.session.commit()
    assert not storage().exists(key)
