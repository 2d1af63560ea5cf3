"""What an issued PDF shows, collected in a fixed number of queries whatever the dossier's size.

The evidence comes from the dossier's last frozen snapshot (what the experts decided on) plus
the observations recorded in assessment; the decisions, people, framework, qualification and
training pathway are read once each. Templates receive plain values only, never lazy models.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from certificates.models import (
    DecisionOutcome,
    Dossier,
    DossierComment,
    EvidenceKind,
    EvidencePhase,
)
from certificates.services.common import course_enrolment, target_items
from certificates.services.decisions import CompetenceStatus, competence_statuses
from certificates.services.snapshots import _documents, latest_snapshot
from lms.accounts.models import User
from lms.db import db
from lms.standards.models import Framework, FrameworkItem, ItemKind, Profile


@dataclass
class CompetenceBlock:
    """One target competence: its items, the evidence supporting it and the decisions."""

    item: FrameworkItem
    abilities: list[FrameworkItem] = field(default_factory=list)
    knowledge: list[FrameworkItem] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    status: CompetenceStatus | None = None
    decisions: list = field(default_factory=list)  # (role label key, expert, decision)

    @property
    def outcome(self) -> DecisionOutcome | None:
        return self.status.outcome if self.status else None

    @property
    def validated(self) -> bool:
        return self.outcome == DecisionOutcome.VALIDATED

    @property
    def method_labels(self) -> list[str]:
        return sorted({d.method_label for _role, _e, d in self.decisions if d is not None})

    @property
    def assessed_on(self) -> dt.date | None:
        """The date of the direct test, or of the last signature for a documentary review."""
        dates = [d.test_date for _r, _e, d in self.decisions if d is not None and d.test_date]
        if dates:
            return max(dates)
        signed = [d.signed_at for _r, _e, d in self.decisions if d is not None and d.signed_at]
        return max(signed).date() if signed else None


@dataclass
class ModuleRow:
    code: str
    title: str
    topic: str
    planned_minutes: int
    attended_minutes: int | None


@dataclass
class Pathway:
    """The course the dossier rests on, with the holder's hours."""

    title: str
    start_date: dt.date
    end_date: dt.date
    planned_minutes: int
    attended_minutes: int
    percentage: float | None
    modules: list[ModuleRow]
    topics: list[tuple[str, list[ModuleRow]]]


@dataclass
class DocumentContext:
    dossier: Dossier
    kind: str
    code: str
    issued_on: dt.date
    verify_url: str
    qr_data_uri: str
    holder: User
    people: dict
    issuer: dict
    framework: Framework
    profile: Profile
    competences: list[CompetenceBlock]
    pathway: Pathway | None
    results: list[dict]
    comments: list[DossierComment]
    snapshot_number: int | None
    other_evidence: list[dict]

    @property
    def validated(self) -> list[CompetenceBlock]:
        return [c for c in self.competences if c.validated]


def issuer_settings() -> dict:
    """The issuing training body as configured (LMS_ISSUER_*)."""
    cfg = current_app.config
    return {
        "name": cfg.get("ISSUER_NAME") or cfg["TRAINING_BODY_NAME"],
        "accreditation": cfg.get("ISSUER_ACCREDITATION") or cfg["TRAINING_BODY_ACCREDITATION"],
        "address": cfg.get("ISSUER_ADDRESS") or "",
        "url": cfg.get("ISSUER_URL") or "",
    }


def _blocks(dossier: Dossier, evidence: list[dict]) -> list[CompetenceBlock]:
    items = target_items(dossier)
    blocks = {i.id: CompetenceBlock(i) for i in items if i.kind == ItemKind.COMPETENCE}
    owner = {}
    for i in items:
        if i.kind == ItemKind.COMPETENCE:
            owner[i.id] = i.id
        elif i.competence_id in blocks:
            owner[i.id] = i.competence_id
            target = blocks[i.competence_id]
            (target.abilities if i.kind == ItemKind.ABILITY else target.knowledge).append(i)
    for doc in evidence:
        notes: dict[int, list[str]] = {}
        for link in doc["links"]:
            comp = owner.get(link["item_id"])
            if comp is not None:
                notes.setdefault(comp, [])
                if link["note"]:
                    notes[comp].append(link["note"])
        for comp, its_notes in notes.items():
            # a copy: the snapshot's content is never changed, even in memory
            blocks[comp].evidence.append({**doc, "notes": its_notes})
    return list(blocks.values())


def _pathway(dossier: Dossier, now: dt.datetime) -> Pathway | None:
    if dossier.course_id is None:
        return None
    from courses.attendance import attendance_summary
    from courses.models import TOPIC_LABELS, Course, CourseModule, Lesson, Module

    course = db.session.get(Course, dossier.course_id)
    modules = list(
        db.session.scalars(
            select(Module)
            .join(CourseModule, CourseModule.module_id == Module.id)
            .where(CourseModule.course_id == course.id)
            .order_by(CourseModule.position, Module.id)
        )
    )
    enrolment = course_enrolment(dossier)
    summary = attendance_summary(enrolment, now) if enrolment is not None else None
    per_module: dict[int, int] = defaultdict(int)
    if summary is not None:
        lesson_module = {
            lesson_id: module_id
            for lesson_id, module_id in db.session.execute(
                select(Lesson.id, Lesson.module_id).where(Lesson.course_id == course.id)
            )
        }
        for lesson_id, (_status, minutes) in summary.cells.items():
            per_module[lesson_module.get(lesson_id)] += minutes
    rows = [
        ModuleRow(
            m.code,
            m.title,
            str(TOPIC_LABELS[m.topic_area]),
            m.planned_minutes,
            per_module.get(m.id, 0) if summary is not None else None,
        )
        for m in modules
    ]
    topics: dict[str, list[ModuleRow]] = {}
    for row in rows:
        topics.setdefault(row.topic, []).append(row)
    planned = summary.planned_minutes if summary else sum(m.planned_minutes for m in modules)
    attended = summary.attended_minutes if summary else 0
    return Pathway(
        course.display_title,
        course.start_date,
        course.end_date,
        planned,
        attended,
        round(100 * attended / planned, 1) if planned else None,
        rows,
        list(topics.items()),
    )


def _qr(url: str) -> str:
    import segno

    return segno.make(url, error="m").png_data_uri(scale=3, border=2)


def build_context(
    dossier: Dossier, kind: str, code: str, issued_on: dt.date, verify_url: str, now: dt.datetime
) -> DocumentContext:
    """Everything one document prints, for any kind (a fixed number of queries)."""
    profile = db.session.get(Profile, dossier.profile_id)
    framework = db.session.get(Framework, profile.framework_id)
    ids = {
        "candidate": dossier.candidate_id,
        "accompagnatore": dossier.accompagnatore_id,
        "method_expert": dossier.method_expert_id,
        "content_expert": dossier.content_expert_id,
    }
    wanted = {i for i in ids.values() if i is not None}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(wanted)))}
    people = {k: users.get(i) for k, i in ids.items()}
    snap = latest_snapshot(dossier)
    if snap is not None:
        evidence = list(snap.content["evidence"]) + _documents(dossier, EvidencePhase.ASSESSMENT)
    else:  # the transparency document, before any submission: the live evidence
        evidence = _documents(dossier, None)
    blocks = _blocks(dossier, evidence)
    linked = {doc["id"] for b in blocks for doc in b.evidence}
    statuses = {s.competence_id: s for s in competence_statuses(dossier)}
    for block in blocks:
        status = statuses.get(block.item.id)
        block.status = status
        if status is not None:
            for role in ("method_expert", "content_expert"):
                expert = people[role]
                decision = status.decisions.get(expert.id) if expert else None
                block.decisions.append((role, expert, decision))
    comments = list(
        db.session.scalars(
            select(DossierComment)
            .where(DossierComment.dossier_id == dossier.id)
            .order_by(DossierComment.id)
        )
    )
    results = [doc for doc in evidence if doc["kind"] == EvidenceKind.ASSESSMENT_RESULT.value]
    return DocumentContext(
        dossier=dossier,
        kind=kind,
        code=code,
        issued_on=issued_on,
        verify_url=verify_url,
        qr_data_uri=_qr(verify_url),
        holder=people["candidate"],
        people=people,
        issuer=issuer_settings(),
        framework=framework,
        profile=profile,
        competences=blocks,
        pathway=_pathway(dossier, now),
        results=results,
        comments=comments,
        snapshot_number=snap.number if snap else None,
        other_evidence=[doc for doc in evidence if doc["id"] not in linked],
    )
