"""The demo of revocation and reissue: corsista4's certificate revoked, corsista11's reissued."""

from __future__ import annotations

from sqlalchemy import func, select

from certificates.models import DocumentKind, DocumentStatus, Dossier, DossierState, IssuedDocument
from certificates.services.documents import document_status
from lms.accounts.services import get_user_by_email
from lms.db import db


def _run_demo(app):
    result = app.test_cli_runner().invoke(args=["lms", "demo"])
    assert result.exit_code == 0, result.output
    return result.output


def _certificates(email):
    holder = get_user_by_email(email)
    return db.session.scalars(
        select(IssuedDocument)
        .where(
            IssuedDocument.holder_id == holder.id,
            IssuedDocument.kind == DocumentKind.CERTIFICATE,
        )
        .order_by(IssuedDocument.id)
    ).all()


def test_the_demo_has_a_revoked_and_a_reissued_certificate(app):
    output = _run_demo(app)
    db.session.remove()
    (revoked,) = _certificates("corsista4@demo.example")
    assert document_status(revoked) == DocumentStatus.REVOKED
    assert db.session.get(Dossier, revoked.dossier_id).state == DossierState.REVOKED
    old, new = _certificates("corsista11@demo.example")
    assert document_status(old) == DocumentStatus.SUPERSEDED
    assert document_status(new) == DocumentStatus.VALID and new.supersedes_id == old.id
    assert new.correction_note
    assert revoked.code not in output and new.code not in output  # prints nothing of them
    count = db.session.scalar(select(func.count(IssuedDocument.id)))
    _run_demo(app)  # idempotent
    db.session.remove()
    assert db.session.scalar(select(func.count(IssuedDocument.id))) == count
