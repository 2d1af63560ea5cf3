"""What a submission freezes and what each person reads: the live evidence for those who
build the dossier, the last snapshot (plus observations recorded in assessment) for the
experts; the files they may download."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func, select

from certificates.models import (
    Dossier,
    DossierSnapshot,
    Evidence,
    EvidenceFile,
    EvidenceLink,
    EvidencePhase,
)
from certificates.permissions import sees_snapshot_only
from certificates.services.common import require_on, target_competence_ids
from lms.accounts.models import User
from lms.db import db
from lms.errors import NotFound
from lms.files.models import StoredFile


def count_evidence(dossier: Dossier) -> int:
    """Evidence gathered in the identification phase."""
    return db.session.scalar(
        select(func.count(Evidence.id)).where(
            Evidence.dossier_id == dossier.id, Evidence.phase == EvidencePhase.IDENTIFICATION
        )
    )


def _documents(dossier: Dossier, phase: EvidencePhase | None) -> list[dict]:
    """Evidence as plain documents with links and files (three queries)."""
    query = select(Evidence).where(Evidence.dossier_id == dossier.id).order_by(Evidence.id)
    if phase is not None:
        query = query.where(Evidence.phase == phase)
    rows = list(db.session.scalars(query))
    ids = [e.id for e in rows]
    links: dict[int, list[dict]] = defaultdict(list)
    files: dict[int, list[dict]] = defaultdict(list)
    if ids:
        for link in db.session.scalars(
            select(EvidenceLink)
            .where(EvidenceLink.evidence_id.in_(ids))
            .order_by(EvidenceLink.framework_item_id)
        ):
            links[link.evidence_id].append({"item_id": link.framework_item_id, "note": link.note})
        for ev_id, f in db.session.execute(
            select(EvidenceFile.evidence_id, StoredFile)
            .join(StoredFile, StoredFile.id == EvidenceFile.stored_file_id)
            .where(EvidenceFile.evidence_id.in_(ids))
            .order_by(StoredFile.id)
        ):
            files[ev_id].append(
                {"file_id": f.id, "name": f.original_name, "sha256": f.sha256, "size": f.size}
            )
    return [
        {
            "id": e.id,
            "kind": e.kind.value,
            "type": e.type.value,
            "value": e.value.value,
            "phase": e.phase.value,
            "title": e.title,
            "description": e.description,
            "date": e.date.isoformat() if e.date else None,
            "issuer": e.issuer,
            "data": e.data,
            "links": links[e.id],
            "files": files[e.id],
        }
        for e in rows
    ]


def snapshot_content(dossier: Dossier) -> dict:
    """What a submission freezes: the identification evidence with its links and files."""
    return {
        "dossier_id": dossier.id,
        "competence_ids": target_competence_ids(dossier),
        "evidence": _documents(dossier, EvidencePhase.IDENTIFICATION),
    }


def evidence_documents(actor: User, dossier: Dossier) -> tuple[list[dict], int | None]:
    """The evidence the actor decides or works on, and the snapshot number it comes from:
    experts always see the last snapshot (plus the observations recorded in assessment);
    the others see the live dossier (None)."""
    require_on(actor, dossier, True)
    if not sees_snapshot_only(actor, dossier):
        return _documents(dossier, None), None
    snap = latest_snapshot(dossier)
    if snap is None:
        return [], None
    return snap.content["evidence"] + _documents(dossier, EvidencePhase.ASSESSMENT), snap.number


def dossier_file(actor: User, dossier: Dossier, stored_file_id: int) -> StoredFile:
    """A file of the evidence the actor sees (experts: the snapshot's); any other id is
    answered as not found, so changing an id reveals nothing."""
    documents, _number = evidence_documents(actor, dossier)
    named = {f["file_id"] for doc in documents for f in doc["files"]}
    stored = db.session.get(StoredFile, stored_file_id) if stored_file_id in named else None
    if stored is None:
        raise NotFound()
    return stored


def snapshot_file_ids(dossier: Dossier) -> set[int]:
    """The stored files any snapshot of the dossier names (one query): they must stay, so
    that the experts keep reading what they decide on."""
    contents = db.session.scalars(
        select(DossierSnapshot.content).where(DossierSnapshot.dossier_id == dossier.id)
    )
    return {
        f["file_id"]
        for content in contents
        for doc in content.get("evidence", [])
        for f in doc.get("files", [])
    }


def has_snapshot(dossier: Dossier) -> bool:
    """Whether the dossier was ever submitted."""
    return (
        db.session.scalar(
            select(DossierSnapshot.id).where(DossierSnapshot.dossier_id == dossier.id).limit(1)
        )
        is not None
    )


def latest_snapshot(dossier: Dossier) -> DossierSnapshot | None:
    """The snapshot of the last submission (one query)."""
    return db.session.scalar(
        select(DossierSnapshot)
        .where(DossierSnapshot.dossier_id == dossier.id)
        .order_by(DossierSnapshot.number.desc())
        .limit(1)
    )


def freeze(actor: User, dossier: Dossier, now: dt.datetime) -> DossierSnapshot:
    """Store the evidence and its links as they are now; never changed afterwards."""
    number = (
        db.session.scalar(
            select(func.max(DossierSnapshot.number)).where(DossierSnapshot.dossier_id == dossier.id)
        )
        or 0
    ) + 1
    content = snapshot_content(dossier)
    content.update({"number": number, "taken_at": now.isoformat()})
    snap = DossierSnapshot(
        dossier_id=dossier.id, number=number, taken_at=now, taken_by_id=actor.id, content=content
    )
    db.session.add(snap)
    db.session.flush()
    return snap
