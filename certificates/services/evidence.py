"""Evidence of a dossier: added, edited and removed by the candidate and the accompagnatore
during identification; observations of a direct test recorded by an expert during the
assessment. Training records: records.py; what each person reads: snapshots.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from certificates.models import (
    EDITABLE_STATES,
    TRAINING_RECORD_KINDS,
    Dossier,
    DossierState,
    Evidence,
    EvidenceFile,
    EvidenceKind,
    EvidenceLink,
    EvidencePhase,
    EvidenceType,
    EvidenceValue,
)
from certificates.permissions import (
    can_edit_evidence,
    can_record_observation,
    can_work_on_evidence,
)
from certificates.services.common import (
    check_version,
    require_on,
    require_state,
    target_items,
)
from certificates.services.snapshots import snapshot_file_ids
from lms.accounts.models import User
from lms.audit.services import record
from lms.db import db, flush_versioned, utcnow
from lms.errors import NotFound
from lms.files.models import StoredFile
from lms.files.services import discard_stored, store_upload
from lms.files.sniff import DOCUMENT_KINDS
from lms.validation import invalid, optional_text, required_text

# Kinds the candidate and the accompagnatore add by hand.
MANUAL_KINDS = frozenset(EvidenceKind) - TRAINING_RECORD_KINDS - {EvidenceKind.OBSERVATION}
EVIDENCE_FIELDS = ["kind", "type", "value", "title", "description", "date", "issuer"]


@dataclass
class EvidenceInput:
    kind: EvidenceKind
    type: EvidenceType
    value: EvidenceValue
    title: str
    description: str = ""
    date: dt.date | None = None
    issuer: str = ""
    # (framework item id, note on how the evidence supports it)
    links: list[tuple[int, str]] = field(default_factory=list)


def _dossier_of(evidence: Evidence) -> Dossier:
    return db.session.get(Dossier, evidence.dossier_id)


def _audit_view(evidence: Evidence, links: Iterable[tuple[int, str]]) -> dict:
    out = {f: getattr(evidence, f) for f in EVIDENCE_FIELDS}
    out["links"] = sorted(i for i, _n in links)
    return out


def _clean_links(dossier: Dossier, links: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """Links only to the dossier's target competences and their items, each once."""
    allowed = {item.id for item in target_items(dossier)}
    out: dict[int, str] = {}
    for item_id, note in links:
        if item_id not in allowed:
            raise invalid("links", _("Link the evidence to items of the dossier's competences."))
        out[int(item_id)] = optional_text(note, "links", 1000)
    return sorted(out.items())


def _check_input(data: EvidenceInput) -> None:
    if data.kind not in MANUAL_KINDS:
        raise invalid("kind", _("This kind of evidence is added from the training records."))
    if data.kind == EvidenceKind.SELF_DECLARATION and data.value != EvidenceValue.FIRST:
        raise invalid("value", _("A self-declaration is first-party evidence."))


def set_links(evidence: Evidence, links: list[tuple[int, str]]) -> None:
    """Replace the evidence's links with these (item id, note) pairs."""
    db.session.execute(
        EvidenceLink.__table__.delete().where(EvidenceLink.evidence_id == evidence.id)
    )
    if links:
        db.session.execute(
            EvidenceLink.__table__.insert(),
            [{"evidence_id": evidence.id, "framework_item_id": i, "note": n} for i, n in links],
        )


def new_evidence(actor, dossier: Dossier, **values) -> Evidence:
    """Add an evidence row (checks are the caller's)."""
    evidence = Evidence(dossier_id=dossier.id, created_by_id=actor.id, **values)
    db.session.add(evidence)
    db.session.flush()
    return evidence


def add_evidence(
    actor: User,
    dossier: Dossier,
    data: EvidenceInput,
    files: Iterable[tuple[str, bytes]] = (),
) -> Evidence:
    """Add a piece of evidence with its links and files (candidate or accompagnatore)."""
    require_on(actor, dossier, can_work_on_evidence(actor, dossier))
    require_state(dossier, *EDITABLE_STATES)
    _check_input(data)
    links = _clean_links(dossier, data.links)
    evidence = new_evidence(
        actor,
        dossier,
        kind=data.kind,
        type=data.type,
        value=data.value,
        title=required_text(data.title, "title", 300, name_like=True),
        description=optional_text(data.description, "description", 10000),
        date=data.date,
        issuer=optional_text(data.issuer, "issuer", 300, name_like=True),
    )
    set_links(evidence, links)
    for name, content in files:
        _attach(actor, evidence, name, content)
    record(actor, "evidence.add", "evidence", evidence.id, None, _audit_view(evidence, links))
    db.session.flush()
    return evidence


def edit_evidence(
    actor: User, evidence: Evidence, data: EvidenceInput, *, seen_version: int | None
) -> Evidence:
    """Change a piece of evidence and its links, refusing a lost update."""
    dossier = _dossier_of(evidence)
    require_on(actor, dossier, can_edit_evidence(actor, dossier, evidence))
    require_state(dossier, *EDITABLE_STATES)
    check_version(evidence, seen_version)
    _check_input(data)
    links = _clean_links(dossier, data.links)
    old_links = db.session.execute(
        select(EvidenceLink.framework_item_id, EvidenceLink.note).where(
            EvidenceLink.evidence_id == evidence.id
        )
    ).all()
    before = _audit_view(evidence, old_links)
    evidence.kind, evidence.type, evidence.value = data.kind, data.type, data.value
    evidence.title = required_text(data.title, "title", 300, name_like=True)
    evidence.description = optional_text(data.description, "description", 10000)
    evidence.date = data.date
    evidence.issuer = optional_text(data.issuer, "issuer", 300, name_like=True)
    evidence.updated_at = utcnow()  # links alone change no column: bump the version anyway
    flush_versioned()
    set_links(evidence, links)
    record(actor, "evidence.edit", "evidence", evidence.id, before, _audit_view(evidence, links))
    db.session.flush()
    return evidence


def remove_evidence(actor: User, evidence: Evidence) -> None:
    """Remove a piece of evidence, its links and its files; files a snapshot names are kept,
    so that what the experts decided on stays readable."""
    dossier = _dossier_of(evidence)
    require_on(actor, dossier, can_edit_evidence(actor, dossier, evidence))
    require_state(dossier, *EDITABLE_STATES)
    files = list(
        db.session.scalars(
            select(StoredFile)
            .join(EvidenceFile, EvidenceFile.stored_file_id == StoredFile.id)
            .where(EvidenceFile.evidence_id == evidence.id)
        )
    )
    before = {f: getattr(evidence, f) for f in EVIDENCE_FIELDS}
    db.session.execute(
        EvidenceLink.__table__.delete().where(EvidenceLink.evidence_id == evidence.id)
    )
    db.session.execute(
        EvidenceFile.__table__.delete().where(EvidenceFile.evidence_id == evidence.id)
    )
    record(actor, "evidence.remove", "evidence", evidence.id, before, None)
    db.session.delete(evidence)
    db.session.flush()
    kept = snapshot_file_ids(dossier)
    for stored in files:
        if stored.id not in kept:
            discard_stored(stored)


def _file_list(evidence: Evidence) -> list[dict]:
    rows = db.session.execute(
        select(StoredFile.id, StoredFile.original_name)
        .join(EvidenceFile, EvidenceFile.stored_file_id == StoredFile.id)
        .where(EvidenceFile.evidence_id == evidence.id)
        .order_by(StoredFile.id)
    )
    return [{"file_id": i, "name": n} for i, n in rows]


def evidence_file(actor: User, evidence: Evidence, stored_file_id: int) -> StoredFile:
    """A file attached to this piece of evidence, for whoever may edit the evidence; any
    other id is not found."""
    dossier = _dossier_of(evidence)
    require_on(actor, dossier, can_edit_evidence(actor, dossier, evidence))
    stored = db.session.scalar(
        select(StoredFile)
        .join(EvidenceFile, EvidenceFile.stored_file_id == StoredFile.id)
        .where(EvidenceFile.evidence_id == evidence.id, StoredFile.id == stored_file_id)
    )
    if stored is None:
        raise NotFound()
    return stored


def remove_file(actor: User, evidence: Evidence, stored_file_id: int) -> None:
    """Take one file off a piece of evidence while the dossier is editable; the file itself
    is deleted unless a snapshot names it (the experts keep reading what they decided on)."""
    dossier = _dossier_of(evidence)
    stored = evidence_file(actor, evidence, stored_file_id)
    require_state(dossier, *EDITABLE_STATES)
    before = _file_list(evidence)
    db.session.execute(
        EvidenceFile.__table__.delete().where(
            EvidenceFile.evidence_id == evidence.id,
            EvidenceFile.stored_file_id == stored.id,
        )
    )
    evidence.updated_at = utcnow()  # a concurrent edit of the evidence sees the change
    flush_versioned()
    after = _file_list(evidence)
    record(
        actor, "evidence.remove_file", "evidence", evidence.id, {"files": before}, {"files": after}
    )
    if stored.id not in snapshot_file_ids(dossier):
        discard_stored(stored)
    db.session.flush()


def _attach(actor, evidence: Evidence, filename: str, content: bytes) -> StoredFile:
    stored = store_upload(actor, filename, content, DOCUMENT_KINDS)
    db.session.add(EvidenceFile(evidence_id=evidence.id, stored_file_id=stored.id))
    return stored


def attach_file(actor: User, evidence: Evidence, filename: str, content: bytes) -> StoredFile:
    """Add a file (PDF, ODT, DOCX, JPEG, PNG) to a piece of evidence."""
    dossier = _dossier_of(evidence)
    require_on(actor, dossier, can_edit_evidence(actor, dossier, evidence))
    require_state(dossier, *EDITABLE_STATES)
    stored = _attach(actor, evidence, filename, content)
    record(actor, "evidence.attach", "evidence", evidence.id, None, {"file_id": stored.id})
    db.session.flush()
    return stored


@dataclass
class ObservationInput:
    title: str
    description: str
    date: dt.date
    type: EvidenceType = EvidenceType.PROCESS
    links: list[tuple[int, str]] = field(default_factory=list)


def record_observation(actor: User, dossier: Dossier, data: ObservationInput) -> Evidence:
    """An assigned expert records what they observed in a direct test, during assessment."""
    require_on(actor, dossier, can_record_observation(actor, dossier))
    require_state(dossier, DossierState.UNDER_ASSESSMENT)
    if data.date is None:
        raise invalid("date", _("This field is required."))
    links = _clean_links(dossier, data.links)
    evidence = new_evidence(
        actor,
        dossier,
        kind=EvidenceKind.OBSERVATION,
        type=data.type,
        value=EvidenceValue.SECOND,
        phase=EvidencePhase.ASSESSMENT,
        title=required_text(data.title, "title", 300, name_like=True),
        description=required_text(data.description, "description", 10000),
        date=data.date,
        issuer=actor.full_name[:300],
    )
    set_links(evidence, links)
    record(actor, "evidence.observe", "evidence", evidence.id, None, _audit_view(evidence, links))
    db.session.flush()
    return evidence
