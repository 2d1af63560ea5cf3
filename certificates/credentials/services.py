"""Issuing Open Badges 3.0 credentials with a certificate, and reading them.

Issuing a certificate embeds its credentials in the PDF before it is signed, so the
credentials are built before the document row exists: `prepare_credentials` builds and signs
them (each with its status index), the caller embeds `embedded_files(...)` in the PDF, stores
the document, then `store_credentials` writes the rows. `issue_credentials` does both for a
document that is already stored.

Status indexes follow each other (the highest + 1). On PostgreSQL a transaction-scoped
advisory lock makes allocating them one issuing at a time; on SQLite writers are serialised
anyway. The unique constraint on the index is the last guard: a lost race is a `Conflict`
from `store_credentials` (the issuing is retried), and `issue_credentials` retries by itself.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from certificates.credentials import build, status
from certificates.credentials.jwt import MEDIA_TYPE, sign_credential
from certificates.credentials.publishing import (
    free_indexes,
    issuer_id,
    issuer_url,
    status_list_url,
)
from certificates.models import (
    METHOD_LABELS,
    DocumentKind,
    Dossier,
    IssuedCredential,
    IssuedDocument,
)
from certificates.permissions import can_issue_credentials, can_view_credentials
from lms.accounts.models import User
from lms.audit.services import record
from lms.db import db
from lms.errors import Conflict
from lms.keys import issuer_key, issuer_key_id, issuer_name
from lms.permissions import require, require_actor
from lms.standards.exchange.case import cf_item_uri
from lms.standards.models import Framework, FrameworkItem
from lms.timezone import day_start_utc, local_date

CREDENTIAL_KINDS = frozenset({DocumentKind.CERTIFICATE, DocumentKind.VALIDATION})
NAMESPACE = uuid.UUID("0b5e6c8e-27a4-4d0e-9d51-6c0a3b7f1e42")  # achievement identifiers
ADVISORY_LOCK = 0x0B5E6C8E  # pg_advisory_xact_lock key: status index allocation
ATTEMPTS = 5


@dataclass(frozen=True)
class PreparedCredential:
    """A signed credential waiting for its document row."""

    competence_id: int
    competence_code: str
    competence_name: str
    credential_id: str
    status_index: int
    token: str


def embedded_files(prepared: list[PreparedCredential]) -> list[tuple[str, bytes, str, str]]:
    """The credentials as files to embed in the certificate PDF (certificates.signing)."""
    return [
        (
            f"credenziale-{p.competence_code}.jwt",
            p.token.encode("ascii"),
            MEDIA_TYPE,
            f"Open Badges 3.0: {p.competence_code} {p.competence_name}",
        )
        for p in prepared
    ]


def _valid_until(framework: Framework) -> dt.datetime | None:
    """The end of the framework's last valid day (Europe/Rome), when it has one."""
    if framework.valid_until is None:
        return None
    return day_start_utc(framework.valid_until + dt.timedelta(days=1)) - dt.timedelta(seconds=1)


def _evidence(statuses: dict, competence_id: int, code: str, fallback: dt.date) -> str:
    """How a competence was assessed, from the two experts' signed records."""
    st = statuses.get(competence_id)
    signed = st.signed if st is not None else []
    methods = sorted({str(METHOD_LABELS[d.method]) for d in signed})
    last = max((d.signed_at for d in signed if d.signed_at), default=None)
    return _(
        "Assessed on the certification dossier's evidence by two independent experts "
        '(method and content), both of whom signed the outcome "validated" '
        "(%(methods)s, %(day)s). Issued document %(code)s.",
        methods=", ".join(methods) or "-",
        day=(local_date(last) if last else fallback).isoformat(),
        code=code,
    )


def _criteria(fw: Framework) -> str:
    text_ = _(
        "Competence of the framework %(framework)s, version %(version)s (%(issuer)s), "
        "validated by two independent experts in a certification procedure under "
        "D.Lgs. 13/2013.",
        framework=fw.title,
        version=fw.version,
        issuer=fw.issuer,
    )
    if fw.illustrative:
        text_ += " " + _("Illustrative framework, not the official text.")
    return text_


def _lock_indexes() -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK})


def prepare_credentials(
    actor: User,
    dossier: Dossier,
    *,
    kind: DocumentKind,
    code: str,
    competences: list[FrameworkItem],
    now: dt.datetime,
) -> list[PreparedCredential]:
    """Build and sign one credential per certified competence of the document `code`."""
    from certificates.services.decisions import competence_statuses

    require_actor(actor)
    require(can_issue_credentials(actor, dossier))
    if kind not in CREDENTIAL_KINDS:
        raise Conflict(_("Credentials come only with a certificate or a validation document."))
    app = current_app._get_current_object()
    key, kid = issuer_key(app), issuer_key_id(app)
    holder = db.session.get(User, dossier.candidate_id)
    fw_ids = {c.framework_id for c in competences}
    frameworks = {
        f.id: f for f in db.session.scalars(select(Framework).where(Framework.id.in_(fw_ids)))
    }
    statuses = {s.competence_id: s for s in competence_statuses(dossier)}
    _lock_indexes()
    indexes = free_indexes(len(competences))
    out = []
    with force_locale("it"):  # issued in Italian, as the certificate, whoever clicks
        for offset, competence in enumerate(competences):
            fw = frameworks[competence.framework_id]
            number, position = status.list_position(indexes[offset])
            data = build.CredentialInput(
                credential_id=f"urn:uuid:{uuid.uuid4()}",
                issuer_id=issuer_id(),
                issuer_name=issuer_name(app),
                issuer_url=issuer_url(),
                holder_email=holder.email,
                salt=secrets.token_hex(16),
                achievement_id=f"urn:uuid:{uuid.uuid5(NAMESPACE, competence.uuid)}",
                achievement_name=competence.title,
                achievement_description=competence.description,
                criteria_narrative=_criteria(fw),
                alignment=build.AlignmentInput(
                    target_name=competence.title,
                    target_url=cf_item_uri(competence.uuid),
                    target_code=competence.code,
                    target_framework=fw.title,
                    target_description=competence.description,
                ),
                evidence_narrative=_evidence(statuses, competence.id, code, local_date(now)),
                valid_from=now,
                valid_until=_valid_until(fw),
                status_list_url=status_list_url(number),
                status_index=position,
            )
            token = sign_credential(build.build_credential(data), key=key, kid=kid, now=now)
            out.append(
                PreparedCredential(
                    competence.id,
                    competence.code,
                    competence.title,
                    data.credential_id,
                    indexes[offset],
                    token,
                )
            )
    return out


def store_credentials(
    actor: User, document: IssuedDocument, prepared: list[PreparedCredential], *, now: dt.datetime
) -> list[IssuedCredential]:
    """Write the prepared credentials of a stored document, audited; a status index taken
    meanwhile by another issuing is a Conflict (nothing written)."""
    require_actor(actor)
    require(can_issue_credentials(actor, db.session.get(Dossier, document.dossier_id)))
    if document.kind not in CREDENTIAL_KINDS:
        raise Conflict(_("Credentials come only with a certificate or a validation document."))
    rows = [
        IssuedCredential(
            document_id=document.id,
            competence_id=p.competence_id,
            credential_id=p.credential_id,
            status_index=p.status_index,
            token=p.token,
            issued_at=now,
        )
        for p in prepared
    ]
    try:
        with db.session.begin_nested():
            db.session.add_all(rows)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("The credentials could not be issued now: please try again.")) from None
    for row in rows:
        record(
            actor,
            "credential.issue",
            "issued_credential",
            row.id,
            after={
                "document_id": row.document_id,
                "competence_id": row.competence_id,
                "credential_id": row.credential_id,
                "status_index": row.status_index,
            },
        )
    db.session.flush()
    return rows


def issue_credentials(
    actor: User, document: IssuedDocument, competences: list[FrameworkItem], *, now: dt.datetime
) -> list[IssuedCredential]:
    """Prepare and store the credentials of an already stored certificate (retrying when a
    concurrent issuing took the status indexes)."""
    taken = db.session.scalar(
        select(func.count()).where(IssuedCredential.document_id == document.id)
    )
    if taken:
        raise Conflict(_("This document's credentials have been issued already."))
    dossier = db.session.get(Dossier, document.dossier_id)
    for attempt in range(ATTEMPTS):
        prepared = prepare_credentials(
            actor, dossier, kind=document.kind, code=document.code, competences=competences, now=now
        )
        try:
            return store_credentials(actor, document, prepared, now=now)
        except Conflict:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def credentials_of(actor: User, document: IssuedDocument) -> list[IssuedCredential]:
    """The document's credentials, for its holder and staff."""
    require(can_view_credentials(actor, document), private=True)
    return list(
        db.session.scalars(
            select(IssuedCredential)
            .where(IssuedCredential.document_id == document.id)
            .order_by(IssuedCredential.id)
        )
    )


def certified_competences(dossier: Dossier) -> list[FrameworkItem]:
    """The dossier's competences both experts validated: those a certificate certifies."""
    from certificates.models import DecisionOutcome
    from certificates.services.decisions import competence_statuses

    ids = [
        s.competence_id
        for s in competence_statuses(dossier)
        if s.outcome is DecisionOutcome.VALIDATED
    ]
    if not ids:
        return []
    items = {
        i.id: i for i in db.session.scalars(select(FrameworkItem).where(FrameworkItem.id.in_(ids)))
    }
    return [items[i] for i in ids]
