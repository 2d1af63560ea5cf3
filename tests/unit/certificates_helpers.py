"""Shared helpers of the certificates unit tests."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from certificates.models import Dossier, EvidenceKind, EvidenceType, EvidenceValue
from certificates.services import dossiers
from certificates.services.evidence import EvidenceInput
from lms.accounts.models import User
from lms.audit.models import AuditEntry
from lms.db import db
from lms.standards.models import profile_competences


def people(dossier: Dossier) -> SimpleNamespace:
    """The candidate, accompagnatore and both experts of a dossier."""
    get = lambda i: db.session.get(User, i) if i else None  # noqa: E731
    return SimpleNamespace(
        candidate=get(dossier.candidate_id),
        acc=get(dossier.accompagnatore_id),
        method=get(dossier.method_expert_id),
        content=get(dossier.content_expert_id),
    )


def document(title="Lettera del datore di lavoro", value=EvidenceValue.THIRD, links=(), **kw):
    """Input of a manual piece of evidence."""
    return EvidenceInput(
        kind=kw.pop("kind", EvidenceKind.DOCUMENT),
        type=kw.pop("type", EvidenceType.RESULT),
        value=value,
        title=title,
        links=list(links),
        **kw,
    )


def audit_actions(object_type: str, object_id) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == object_type, AuditEntry.object_id == str(object_id))
            .order_by(AuditEntry.id)
        )
    )


def open_on_profile(make, profile, candidate, **ids) -> Dossier:
    """A dossier opened by a coordinator on every competence of the profile."""
    comps = db.session.scalars(
        select(profile_competences.c.competence_id).where(
            profile_competences.c.profile_id == profile.id
        )
    ).all()
    return dossiers.open_dossier(
        make.coordinator(), candidate=candidate, profile=profile, competence_ids=comps, **ids
    )
