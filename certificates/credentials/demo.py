"""Demo step: every issued certificate of the demo carries its Open Badges credentials.

Issuing a certificate issues its credentials already; this step only completes documents
that have none (safe to run again)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, select

from certificates.credentials.services import (
    CREDENTIAL_KINDS,
    certified_competences,
    issue_credentials,
)
from certificates.models import Dossier, IssuedCredential, IssuedDocument
from lms.accounts.services import system_actor
from lms.db import db


def load_demo_credentials() -> None:
    actor = system_actor()
    missing = db.session.scalars(
        select(IssuedDocument)
        .where(
            IssuedDocument.kind.in_(CREDENTIAL_KINDS),
            ~exists().where(IssuedCredential.document_id == IssuedDocument.id),
        )
        .order_by(IssuedDocument.id)
    ).all()
    for doc in missing:
        competences = certified_competences(db.session.get(Dossier, doc.dossier_id))
        if competences:
            issued_at = doc.issued_at or dt.datetime.now(dt.UTC)
            issue_credentials(actor, doc, competences, now=issued_at)
