"""The evidence matrix of a dossier: which target item is supported by what, and how strongly.

A fixed number of queries whatever the size: target items (1), then either the live evidence
with its links (2) or, for experts, the last snapshot (1) plus the observations recorded in
assessment with their links (2). Files are not read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from certificates.models import (
    Dossier,
    DossierSnapshot,
    Evidence,
    EvidenceLink,
    EvidencePhase,
    dossier_competences,
)
from certificates.permissions import sees_snapshot_only
from certificates.services.common import require_on, target_items
from lms.accounts.models import User
from lms.db import db
from lms.standards.models import FrameworkItem, ItemKind

VALUES = ("first", "second", "third")


@dataclass
class MatrixItem:
    item_id: int
    code: str
    title: str
    kind: str
    evidence_ids: list[int] = field(default_factory=list)
    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VALUES, 0))

    @property
    def count(self) -> int:
        return len(self.evidence_ids)

    @property
    def supported(self) -> bool:
        return bool(self.evidence_ids)


@dataclass
class MatrixCompetence:
    competence: MatrixItem  # evidence linked to the competence as a whole
    items: list[MatrixItem] = field(default_factory=list)  # abilities, then knowledge items

    @property
    def evidence_ids(self) -> list[int]:
        """Every evidence bearing on the competence or one of its items."""
        ids = set(self.competence.evidence_ids)
        for item in self.items:
            ids.update(item.evidence_ids)
        return sorted(ids)

    @property
    def unsupported_item_ids(self) -> list[int]:
        return [i.item_id for i in self.items if not i.supported]


@dataclass
class MatrixEvidence:
    id: int
    title: str
    kind: str
    type: str
    value: str
    phase: str


@dataclass
class Matrix:
    dossier_id: int
    snapshot_number: int | None  # None: the live dossier
    competences: list[MatrixCompetence]
    evidence: list[MatrixEvidence]

    @property
    def unsupported_item_ids(self) -> list[int]:
        return [i for c in self.competences for i in c.unsupported_item_ids]

    @property
    def first_party_only_competence_ids(self) -> list[int]:
        """Competences with evidence, all of it self-declared (parte prima)."""
        values = {e.id: e.value for e in self.evidence}
        out = []
        for c in self.competences:
            ids = c.evidence_ids
            if ids and all(values[i] == "first" for i in ids):
                out.append(c.competence.item_id)
        return out


def _live_documents(dossier: Dossier, phase: EvidencePhase | None) -> list[dict]:
    query = select(
        Evidence.id, Evidence.title, Evidence.kind, Evidence.type, Evidence.value, Evidence.phase
    ).where(Evidence.dossier_id == dossier.id)
    if phase is not None:
        query = query.where(Evidence.phase == phase)
    rows = db.session.execute(query.order_by(Evidence.id)).all()
    links: dict[int, list[dict]] = defaultdict(list)
    link_query = (
        select(EvidenceLink.evidence_id, EvidenceLink.framework_item_id)
        .join(Evidence, Evidence.id == EvidenceLink.evidence_id)
        .where(Evidence.dossier_id == dossier.id)
    )
    if phase is not None:
        link_query = link_query.where(Evidence.phase == phase)
    for ev_id, item_id in db.session.execute(link_query):
        links[ev_id].append({"item_id": item_id})
    return [
        {
            "id": r.id,
            "title": r.title,
            "kind": r.kind.value,
            "type": r.type.value,
            "value": r.value.value,
            "phase": r.phase.value,
            "links": links[r.id],
        }
        for r in rows
    ]


def _item(item: FrameworkItem) -> MatrixItem:
    return MatrixItem(item.id, item.code, item.title, item.kind.value)


def matrix(actor: User, dossier: Dossier) -> Matrix:
    """The dossier's evidence matrix as the actor sees it (experts: the submitted snapshot)."""
    require_on(actor, dossier, True)
    items = target_items(dossier)
    snapshot_number = None
    if sees_snapshot_only(actor, dossier):
        snap = db.session.scalar(
            select(DossierSnapshot)
            .where(DossierSnapshot.dossier_id == dossier.id)
            .order_by(DossierSnapshot.number.desc())
            .limit(1)
        )
        documents = list(snap.content["evidence"]) if snap is not None else []
        snapshot_number = snap.number if snap is not None else None
        documents += _live_documents(dossier, EvidencePhase.ASSESSMENT)
    else:
        documents = _live_documents(dossier, None)

    rows: dict[int, MatrixCompetence] = {}
    cells: dict[int, MatrixItem] = {}
    for item in items:
        if item.kind == ItemKind.COMPETENCE:
            rows[item.id] = MatrixCompetence(_item(item))
            cells[item.id] = rows[item.id].competence
    order = {ItemKind.ABILITY: 0, ItemKind.KNOWLEDGE: 1}
    for item in sorted(
        (i for i in items if i.kind != ItemKind.COMPETENCE),
        key=lambda i: (order[i.kind], i.position, i.id),
    ):
        cell = _item(item)
        rows[item.competence_id].items.append(cell)
        cells[item.id] = cell
    evidence = []
    for doc in documents:
        evidence.append(
            MatrixEvidence(
                doc["id"], doc["title"], doc["kind"], doc["type"], doc["value"], doc["phase"]
            )
        )
        for link in doc["links"]:
            cell = cells.get(link["item_id"])
            if cell is not None and doc["id"] not in cell.evidence_ids:
                cell.evidence_ids.append(doc["id"])
                cell.values[doc["value"]] += 1
    for cell in cells.values():
        cell.evidence_ids.sort()
    return Matrix(dossier.id, snapshot_number, list(rows.values()), evidence)


def unsupported_counts(actor: User, dossiers: list[Dossier]) -> dict[int, int]:
    """For each dossier, how many abilities and knowledge items of its target competences no
    live evidence of the dossier is linked to: the count of matrix().unsupported_item_ids,
    for a whole list of dossiers in one query."""
    if not dossiers:
        return {}
    for dossier in dossiers:
        require_on(actor, dossier, True)
    linked = (
        select(EvidenceLink.evidence_id)
        .join(Evidence, Evidence.id == EvidenceLink.evidence_id)
        .where(
            Evidence.dossier_id == dossier_competences.c.dossier_id,
            EvidenceLink.framework_item_id == FrameworkItem.id,
        )
        .exists()
    )
    counts = dict(
        db.session.execute(
            select(dossier_competences.c.dossier_id, func.count(FrameworkItem.id))
            .join(FrameworkItem, FrameworkItem.competence_id == dossier_competences.c.competence_id)
            .where(dossier_competences.c.dossier_id.in_([d.id for d in dossiers]), ~linked)
            .group_by(dossier_competences.c.dossier_id)
        ).all()
    )
    return {d.id: counts.get(d.id, 0) for d in dossiers}
