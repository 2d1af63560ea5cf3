"""Issuing every decided dossier of a course in one action, in the background (lms.jobs).

Each dossier is one item of the job, issued in its own transaction by the runner: a failed
render rolls back that dossier alone (it stays decided, no document, no stored file) and is
retried a bounded number of times; the others are issued. The coordinator follows the job's
progress page and retries what failed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from certificates.models import DocumentKind, Dossier, DossierState
from certificates.permissions import can_issue_course_dossiers
from certificates.services.issuing import CERTIFICATE_KINDS, issue_dossier
from courses.models import Course
from lms.accounts.models import User
from lms.db import db, utcnow
from lms.errors import Conflict, NotFound, ValidationFailed
from lms.jobs.services import enqueue
from lms.permissions import require, require_actor

JOB_KIND = "certificates.issue_course_dossiers"
JOB_LABEL = _l("Issuing the decided dossiers of %(course)s")


def decided_dossiers(actor: User, course: Course) -> list[tuple[Dossier, User]]:
    """The decided dossiers resting on the course, with their candidates (one query)."""
    require_actor(actor)
    require(can_issue_course_dossiers(actor))
    rows = db.session.execute(
        select(Dossier, User)
        .join(User, User.id == Dossier.candidate_id)
        .where(Dossier.course_id == course.id, Dossier.state == DossierState.DECIDED)
        .order_by(User.full_name, Dossier.id)
    ).all()
    return [(d, u) for d, u in rows]


def start(actor: User, course: Course, *, certificate_kind: DocumentKind):
    """Queue the issuing of every decided dossier of the course; returns the job (flush only:
    it starts once the caller commits)."""
    if certificate_kind not in CERTIFICATE_KINDS:
        msg = str(_l("Choose a certificate or a validation document."))
        raise ValidationFailed(msg, {"certificate_kind": [msg]})
    rows = decided_dossiers(actor, course)
    if not rows:
        raise Conflict(str(_l("No dossier of this course is waiting to be issued.")))
    return enqueue(
        actor,
        JOB_KIND,
        [(f"dossier:{d.id}", f"{u.full_name} · dossier {d.id}") for d, u in rows],
        {"certificate_kind": certificate_kind.value},
        title_params={"course": course.display_title},
    )


def issue_one(actor: User, key: str, *, certificate_kind: str) -> dict:
    """The job's handler: issue one dossier (the runner commits, or rolls back on error)."""
    dossier = db.session.get(Dossier, int(key.removeprefix("dossier:")))
    if dossier is None:
        raise NotFound()
    documents = issue_dossier(
        actor, dossier, certificate_kind=DocumentKind(certificate_kind), now=utcnow()
    )
    return {"dossier_id": dossier.id, "document_ids": [d.id for d in documents]}


def register(app) -> None:
    from certificates.permissions import can_follow_issuing_job
    from lms.jobs.registry import register_job_kind

    register_job_kind(app, JOB_KIND, issue_one, label=JOB_LABEL, can_view=can_follow_issuing_job)


def courses_waiting(actor: User) -> list[tuple[Course, int]]:
    """Courses with decided dossiers waiting to be issued, with how many (one query); empty
    for whoever may not issue."""
    require_actor(actor)
    if not can_issue_course_dossiers(actor):
        return []
    from sqlalchemy import func

    rows = db.session.execute(
        select(Course, func.count(Dossier.id))
        .join(Dossier, Dossier.course_id == Course.id)
        .where(Dossier.state == DossierState.DECIDED)
        .group_by(Course.id)
        .order_by(Course.title)
    ).all()
    return [(c, n) for c, n in rows]
