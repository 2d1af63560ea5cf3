"""Evidence of a dossier: added, edited and removed by the candidate and the accompagnatore
during identification; training records copied from the courses and assessments services;
observations of a direct test recorded by an expert during the assessment."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from assessments.services.results import results_for_items
from certificates.models import (
    EDITABLE_STATES,
    TRAINING_RECORD_KINDS,
    Dossier,
    DossierSnapshot,
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
    sees_snapshot_only,
)
from certificates.services.common import (
    check_version,
    flush_or_stale,
    require_on,
    require_state,
    target_items,
)
from courses.attendance import attendance_summary, eligibility_from
from courses.models import Course, CourseModule, Enrolment, module_framework_items
from lms.accounts.models import User
from lms.audit.services import record
from lms.db import db, utcnow
from lms.errors import Conflict, NotFound
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


def _set_links(evidence: Evidence, links: list[tuple[int, str]]) -> None:
    db.session.execute(
        EvidenceLink.__table__.delete().where(EvidenceLink.evidence_id == evidence.id)
    )
    if links:
        db.session.execute(
            EvidenceLink.__table__.insert(),
            [{"evidence_id": evidence.id, "framework_item_id": i, "note": n} for i, n in links],
        )


def _new_evidence(actor, dossier: Dossier, **values) -> Evidence:
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
    evidence = _new_evidence(
        actor,
        dossier,
        kind=data.kind,
        type=data.type,
        value=data.value,
        title=required_text(data.title, "title", 300),
        description=optional_text(data.description, "description", 10000),
        date=data.date,
        issuer=optional_text(data.issuer, "issuer", 300),
    )
    _set_links(evidence, links)
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
    evidence.title = required_text(data.title, "title", 300)
    evidence.description = optional_text(data.description, "description", 10000)
    evidence.date = data.date
    evidence.issuer = optional_text(data.issuer, "issuer", 300)
    evidence.updated_at = utcnow()  # links alone change no column: bump the version anyway
    flush_or_stale()
    _set_links(evidence, links)
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
    if _has_snapshot(dossier):
        return
    for stored in files:
        discard_stored(stored)


def _has_snapshot(dossier: Dossier) -> bool:
    return (
        db.session.scalar(
            select(DossierSnapshot.id).where(DossierSnapshot.dossier_id == dossier.id).limit(1)
        )
        is not None
    )


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


# --- training records, copied at this moment --------------------------------------------------


def _enrolment(dossier: Dossier) -> Enrolment:
    if dossier.course_id is None:
        raise Conflict(_("This dossier does not rest on a course."))
    enrolment = db.session.scalar(
        select(Enrolment)
        .where(Enrolment.course_id == dossier.course_id, Enrolment.user_id == dossier.candidate_id)
        .order_by(Enrolment.id.desc())
        .limit(1)
    )
    if enrolment is None:
        raise Conflict(_("The candidate is not enrolled in the course this dossier rests on."))
    return enrolment


def add_attendance_summary(
    actor: User, dossier: Dossier, *, now: dt.datetime | None = None
) -> Evidence:
    """The candidate's attendance of the dossier's course as second-party evidence, figures
    copied now from the courses attendance rules; linked to the target items the course's
    modules cover."""
    require_on(actor, dossier, can_work_on_evidence(actor, dossier))
    require_state(dossier, *EDITABLE_STATES)
    now = now or utcnow()
    enrolment = _enrolment(dossier)
    course = db.session.get(Course, enrolment.course_id)
    summary = attendance_summary(enrolment, now)
    elig = eligibility_from(course, summary)
    data = {
        "course_id": course.id,
        "enrolment_id": enrolment.id,
        "planned_minutes": summary.planned_minutes,
        "held_minutes": summary.held_minutes,
        "attended_minutes": summary.attended_minutes,
        "excused_minutes": summary.excused_minutes,
        "percentage": summary.percentage,
        "certification_threshold_pct": elig.certification.pct,
        "certification_threshold_met": elig.certification.met,
        "computed_at": now.isoformat(),
    }
    covered = set(
        db.session.scalars(
            select(module_framework_items.c.framework_item_id)
            .join(CourseModule, CourseModule.module_id == module_framework_items.c.module_id)
            .where(CourseModule.course_id == course.id)
        )
    )
    note = _("Covered by the modules of the course attended.")
    links = [(i.id, note) for i in target_items(dossier) if i.id in covered]
    course_name = " ".join(part for part in (course.title, course.edition) if part)
    title = _("Attendance: %(course)s", course=course_name)
    evidence = _new_evidence(
        actor,
        dossier,
        kind=EvidenceKind.ATTENDANCE_SUMMARY,
        type=EvidenceType.PROCESS,
        value=EvidenceValue.SECOND,
        title=title[:300],
        date=now.date(),
        issuer=_("Training body"),
        data=data,
    )
    _set_links(evidence, links)
    record(actor, "evidence.add_attendance", "evidence", evidence.id, None, data)
    db.session.flush()
    return evidence


def add_assessment_results(actor: User, dossier: Dossier) -> list[Evidence]:
    """One second-party evidence per released assessment bearing on the target items, with
    the results copied now from the assessments service; assessments already added are
    skipped."""
    require_on(actor, dossier, can_work_on_evidence(actor, dossier))
    require_state(dossier, *EDITABLE_STATES)
    items = target_items(dossier)
    by_item = results_for_items(dossier.candidate_id, [i.id for i in items])
    by_assessment: dict[int, list] = defaultdict(list)
    for results in by_item.values():
        for r in results:
            by_assessment[r.assessment_id].append(r)
    present = {
        (e.data or {}).get("assessment_id")
        for e in db.session.scalars(
            select(Evidence).where(
                Evidence.dossier_id == dossier.id,
                Evidence.kind == EvidenceKind.ASSESSMENT_RESULT,
            )
        )
    }
    added = []
    for assessment_id in sorted(set(by_assessment) - present):
        results = by_assessment[assessment_id]
        first = results[0]
        figures = [
            {
                "item_id": r.item_id,
                "source": r.source,
                "label": r.label,
                "points": str(r.points),
                "max_points": str(r.max_points),
                "level": r.level,
            }
            for r in results
        ]
        links: dict[int, str] = {}
        for r in results:
            line = f"{r.label}: {r.points}/{r.max_points}" + (f" ({r.level})" if r.level else "")
            links[r.item_id] = (links.get(r.item_id, "") + "; " + line).strip("; ")[:1000]
        evidence = _new_evidence(
            actor,
            dossier,
            kind=EvidenceKind.ASSESSMENT_RESULT,
            type=EvidenceType.RESULT,
            value=EvidenceValue.SECOND,
            title=first.assessment_title[:300],
            date=first.date.date(),
            issuer=_("Training body"),
            data={"assessment_id": assessment_id, "course_id": first.course_id, "results": figures},
        )
        _set_links(evidence, sorted(links.items()))
        record(
            actor,
            "evidence.add_assessment",
            "evidence",
            evidence.id,
            None,
            {"assessment_id": assessment_id, "results": len(figures)},
        )
        added.append(evidence)
    db.session.flush()
    return added


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
    evidence = _new_evidence(
        actor,
        dossier,
        kind=EvidenceKind.OBSERVATION,
        type=data.type,
        value=EvidenceValue.SECOND,
        phase=EvidencePhase.ASSESSMENT,
        title=required_text(data.title, "title", 300),
        description=required_text(data.description, "description", 10000),
        date=data.date,
        issuer=actor.full_name[:300],
    )
    _set_links(evidence, links)
    record(actor, "evidence.observe", "evidence", evidence.id, None, _audit_view(evidence, links))
    db.session.flush()
    return evidence


# --- reading: live evidence, the snapshot --------------------------------------------------


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
    from certificates.services.common import target_competence_ids

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
    snap = db.session.scalar(
        select(DossierSnapshot)
        .where(DossierSnapshot.dossier_id == dossier.id)
        .order_by(DossierSnapshot.number.desc())
        .limit(1)
    )
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
