"""The demo of issued documents: corsista1 holds a certificate, a dossier and a verbale of one
batch; corsista9 and corsista10 have decided dossiers left for the verification demo."""

from __future__ import annotations

from sqlalchemy import select

from certificates.models import DocumentKind, Dossier, DossierState, IssuedDocument
from lms.accounts.services import get_user_by_email
from lms.db import db


def test_the_demo_issues_corsista1s_documents(app):
    result = app.test_cli_runner().invoke(args=["lms", "demo"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    corsista1 = get_user_by_email("corsista1@demo.example")
    docs = db.session.scalars(
        select(IssuedDocument).where(IssuedDocument.holder_id == corsista1.id)
    ).all()
    assert sorted(d.kind.value for d in docs) == sorted(
        k.value for k in (DocumentKind.CERTIFICATE, DocumentKind.DOSSIER, DocumentKind.VERBALE)
    )
    assert len({d.issue_batch for d in docs}) == 1
    assert corsista1.birth_date is not None and corsista1.tax_code
    for n in (9, 10):
        user = get_user_by_email(f"corsista{n}@demo.example")
        states = db.session.scalars(select(Dossier.state).where(Dossier.candidate_id == user.id))
        assert list(states) == [DossierState.DECIDED]
    issued = db.session.scalar(select(db.func.count(IssuedDocument.id)))
    again = app.test_cli_runner().invoke(args=["lms", "demo"])  # idempotent
    assert again.exit_code == 0, again.output
    assert db.session.scalar(select(db.func.count(IssuedDocument.id))) == issued
