"""Training records as evidence: the attendance of the dossier's course and the released
assessment results, copied as second-party evidence with their figures of that moment."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import select

from assessments.services.results import results_for_items
from certificates.models import (
    EDITABLE_STATES,
    Dossier,
    Evidence,
    EvidenceKind,
    EvidenceType,
    EvidenceValue,
)
from certificates.permissions import can_work_on_evidence
from certificates.services.common import course_enrolment, require_on, require_state, target_items
from certificates.services.evidence import new_evidence, set_links
from courses.attendance import attendance_summary, eligibility_from
from courses.models import Course, CourseModule, module_framework_items
from lms.accounts.models import User
from lms.audit.services import record
from lms.db import db, utcnow
from lms.errors import Conflict


def add_attendance_summary(
    actor: User, dossier: Dossier, *, now: dt.datetime | None = None
) -> Evidence:
    """The candidate's attendance of the dossier's course as second-party evidence, figures
    copied now from the courses attendance rules; linked to the target items the course's
    modules cover."""
    require_on(actor, dossier, can_work_on_evidence(actor, dossier))
    require_state(dossier, *EDITABLE_STATES)
    now = now or utcnow()
    enrolment = course_enrolment(dossier)
    if enrolment is None:
        raise Conflict(_("The candidate is not enrolled in the course this dossier rests on."))
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
    evidence = new_evidence(
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
    set_links(evidence, links)
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
    # Read as the candidate: these are the candidate's own released results, for their own
    # dossier, and the actor was checked above (the assessments layer knows no dossiers).
    candidate = db.session.get(User, dossier.candidate_id)
    by_item = results_for_items(candidate, candidate, [i.id for i in items])
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
        evidence = new_evidence(
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
        set_links(evidence, sorted(links.items()))
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
