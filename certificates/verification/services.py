"""Public verification of an issued document by its code: what the document certifies, its
status, and whether an uploaded file is byte for byte the issued one.

Anyone may verify (the code printed on the document is the key): no acting user is needed,
and nothing here changes data. An unknown code is one indexed query and nothing else, so the
answer to a guess says no more than "not found". An uploaded file is hashed as it is read,
in memory, and never stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import aliased

from certificates.codes import ALPHABET, CodeError, normalise
from certificates.credentials.services import certified_competences
from certificates.models import (
    DOCUMENT_STATUS_LABELS,
    DocumentKind,
    DocumentRevocation,
    DocumentStatus,
    Dossier,
    IssuedDocument,
)
from certificates.services.documents import status_from
from lms.accounts.models import User
from lms.db import db
from lms.errors import ValidationFailed
from lms.standards.models import Framework, FrameworkItem, Profile
from lms.timezone import local_date

# The kinds whose page lists the competences they certify (or validate).
CERTIFYING_KINDS = (DocumentKind.CERTIFICATE, DocumentKind.VALIDATION)
DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Issuer:
    name: str
    accreditation: str
    address: str
    url: str


@dataclass
class Verification:
    """Everything the public page and the JSON answer show about one issued document."""

    document: IssuedDocument
    status: DocumentStatus
    holder: str
    framework: Framework
    profile: Profile
    issuer: Issuer
    competences: list[FrameworkItem] = field(default_factory=list)
    revocation: DocumentRevocation | None = None
    superseded_by: str | None = None  # the code of the document that replaces this one
    supersedes: str | None = None  # the code of the document this one replaces

    @property
    def code(self) -> str:
        return self.document.code

    @property
    def kind(self) -> DocumentKind:
        return self.document.kind

    @property
    def kind_label(self) -> str:
        return self.document.kind_label

    @property
    def status_label(self) -> str:
        return str(DOCUMENT_STATUS_LABELS[self.status])

    @property
    def issued_on(self) -> dt.date:
        return self.document.issued_on

    @property
    def sha256(self) -> str:
        return self.document.sha256

    @property
    def certifies(self) -> bool:
        return self.document.kind in CERTIFYING_KINDS

    @property
    def revoked_on(self) -> dt.date | None:
        return local_date(self.revocation.revoked_at) if self.revocation else None

    @property
    def revocation_reason(self) -> str | None:
        return self.revocation.reason if self.revocation else None

    @property
    def description(self) -> str:
        return kind_description(self.document.kind)


def kind_description(kind: DocumentKind) -> str:
    """What a document of this kind is, in one sentence for the public page."""
    return {
        DocumentKind.CERTIFICATE: _(
            "A certificate of the competences listed below, validated and certified "
            "after an assessment by two experts."
        ),
        DocumentKind.VALIDATION: _(
            "A validation document of the competences listed below, validated after an "
            "assessment by two experts."
        ),
        DocumentKind.DOSSIER: _(
            "The complete certification dossier: the training pathway, the evidence and the "
            "experts' outcomes on each competence. It certifies nothing by itself; the "
            "certificate does."
        ),
        DocumentKind.VERBALE: _(
            "The minutes (verbale) of the assessment by the two experts. It certifies nothing "
            "by itself; the certificate does."
        ),
        DocumentKind.TRANSPARENCY: _(
            "A transparency document of the identification phase: the evidence the person "
            "collected, before any assessment. It certifies nothing."
        ),
    }[kind]


def issuer() -> Issuer:
    """The issuing training body, from the settings (the older TRAINING_BODY_* as fallback)."""
    cfg = current_app.config
    return Issuer(
        name=cfg.get("ISSUER_NAME") or cfg.get("TRAINING_BODY_NAME") or "",
        accreditation=cfg.get("ISSUER_ACCREDITATION") or cfg.get("TRAINING_BODY_ACCREDITATION", ""),
        address=cfg.get("ISSUER_ADDRESS") or "",
        url=cfg.get("ISSUER_URL") or cfg.get("BASE_URL") or "",
    )


# --- typed codes ---------------------------------------------------------------------------


def code_problem(typed: str, err: CodeError) -> str:
    """A helpful message, in the user's language, for a code that cannot be one of ours."""
    if err.reason == "empty":
        return _("Type the code printed on the document, for example K7QM-3XRT-9HWC-P4NE.")
    if err.reason == "symbol":
        compact = "".join(ch for ch in (typed or "").upper() if ch not in " -.\t\u00a0")
        pos = err.position or 1
        char = compact[pos - 1] if 0 < pos <= len(compact) else "?"
        return _(
            "Character %(n)d (“%(char)s”) is not used in codes: codes contain no 0, 1, I, L "
            "or O (dashes and spaces do not count).",
            n=pos,
            char=char,
        )
    if err.reason == "length":
        compact = [ch for ch in (typed or "").upper() if ch in ALPHABET]
        return _(
            "A character is missing or there is one too many: a code has 16 characters "
            "(four groups of four) and you typed %(n)d.",
            n=len(compact),
        )
    return _("A character is wrong: check the code.")


def canonical(typed: str) -> str:
    """The grouped code a person meant; CodeError when it cannot be one of ours."""
    return normalise(typed)


# --- the document behind a code ------------------------------------------------------------


def find_document(code: str) -> IssuedDocument | None:
    """The document with this (canonical) code: one query on the unique index."""
    return db.session.scalar(select(IssuedDocument).where(IssuedDocument.code == code))


def verification_of(document: IssuedDocument) -> Verification:
    """What the public page shows about an issued document: one query for the dossier, its
    profile and framework, the holder's name, the revocation and the codes of the documents
    this one replaces and is replaced by (two more for the competences a certificate lists)."""
    successor = aliased(IssuedDocument)
    predecessor = aliased(IssuedDocument)
    dossier, profile, framework, holder, revocation, superseded_by, supersedes = db.session.execute(
        select(
            Dossier,
            Profile,
            Framework,
            User.full_name,
            DocumentRevocation,
            select(successor.code).where(successor.supersedes_id == document.id).scalar_subquery(),
            select(predecessor.code)
            .where(predecessor.id == document.supersedes_id)
            .scalar_subquery(),
        )
        .select_from(Dossier)
        .join(Profile, Profile.id == Dossier.profile_id)
        .join(Framework, Framework.id == Profile.framework_id)
        .join(User, User.id == document.holder_id)
        .outerjoin(DocumentRevocation, DocumentRevocation.document_id == document.id)
        .where(Dossier.id == document.dossier_id)
    ).one()
    return Verification(
        document=document,
        status=status_from(revocation is not None, superseded_by is not None),
        holder=holder,
        framework=framework,
        profile=profile,
        issuer=issuer(),
        competences=certified_competences(dossier) if document.kind in CERTIFYING_KINDS else [],
        revocation=revocation,
        superseded_by=superseded_by,
        supersedes=supersedes,
    )


# --- an uploaded file ----------------------------------------------------------------------


def max_upload() -> int:
    return int(current_app.config.get("VERIFY_MAX_BYTES") or DEFAULT_MAX_UPLOAD)


def missing_file_message() -> str:
    return _("Choose the PDF file to check.")


def hash_upload(stream, field_name: str = "file") -> str:
    """The SHA-256 of an uploaded file, read in chunks and never stored; too large or empty
    files are refused with a field message."""
    limit = max_upload()
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise ValidationFailed(
                fields={
                    field_name: [
                        _("The file is too large: at most %(mb)d MB.", mb=limit // (1024 * 1024))
                    ]
                }
            )
        digest.update(chunk)
    if size == 0:
        raise ValidationFailed(fields={field_name: [missing_file_message()]})
    return digest.hexdigest()


def matches(document: IssuedDocument, sha256: str) -> bool:
    """Whether a file's hash is the issued document's (compared in constant time)."""
    return hmac.compare_digest(document.sha256, sha256)
