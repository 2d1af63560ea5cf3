"""Assignment submissions: text and files, replaced while not yet graded, and the trainee's
own released grade."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from assessments.models import Assessment, Grade, GradeStatus, Submission, SubmissionFile
from assessments.permissions import can_grade_assessment, sees_own_grade
from assessments.services.common import (
    check_version,
    grade_of,
    grade_snapshot,
    write_history,
)
from assessments.services.taking.access import MAX_FILES, max_upload_bytes, require_access
from lms.audit.services import record
from lms.db import db, flush_versioned, utcnow
from lms.errors import Conflict, NotFound, ValidationFailed
from lms.files.models import StoredFile
from lms.files.services import discard_stored, store_upload
from lms.files.sniff import DOCUMENT_KINDS
from lms.permissions import require, require_actor
from lms.validation import optional_text


@dataclass
class Upload:
    filename: str
    data: bytes


def submission_of(
    actor, assessment: Assessment, trainee_id: int | None = None
) -> Submission | None:
    """A trainee's submission with its files: the actor's own by default; another trainee's
    for the course's graders only (404 for anyone else)."""
    require_actor(actor)
    trainee_id = actor.id if trainee_id is None else trainee_id
    if trainee_id != actor.id:
        require(can_grade_assessment(actor, assessment), private=True)
    return _submission(assessment, trainee_id)


def _submission(assessment: Assessment, trainee_id: int) -> Submission | None:
    return db.session.scalar(
        select(Submission)
        .where(Submission.assessment_id == assessment.id, Submission.trainee_id == trainee_id)
        .options(selectinload(Submission.files).selectinload(SubmissionFile.stored))
        .execution_options(populate_existing=True)
    )


def submit_work(
    user,
    assessment: Assessment,
    *,
    text: str,
    uploads: list[Upload] = (),
    remove_file_ids=(),
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Submission:
    """Submit or replace a trainee's work: text and files (checked and stored safely)."""
    now = now or utcnow()
    if assessment.is_quiz or assessment.is_observed:
        raise Conflict(_("Nothing is submitted for this kind of assessment."))
    require_access(user, assessment, now)
    text = optional_text(text, "text", 50000)
    sub = _submission(assessment, user.id)
    grade = grade_of(assessment, user.id)
    if sub is not None:
        check_version(sub, seen_version)
        if grade is not None and grade.status not in (
            GradeStatus.SUBMITTED,
            GradeStatus.NOT_SUBMITTED,
        ):
            raise Conflict(_("Your work is already being graded: it can no longer be replaced."))
        if assessment.attempts_allowed is not None and (
            sub.times_submitted >= assessment.attempts_allowed
        ):
            raise Conflict(_("You have used all the submissions allowed for this assignment."))
    elif seen_version:
        raise NotFound()
    remove = {int(i) for i in remove_file_ids}
    keep = [f for f in (sub.files if sub else []) if f.id not in remove]
    uploads = [u for u in uploads if u.filename or u.data]
    if len(keep) + len(uploads) > MAX_FILES:
        msg = _("At most %(n)d files.", n=MAX_FILES)
        raise ValidationFailed(msg, {"files": [msg]})
    stored: list[StoredFile] = []
    for up in uploads:
        try:
            stored.append(
                store_upload(user, up.filename, up.data, DOCUMENT_KINDS, max_upload_bytes())
            )
        except ValidationFailed as err:
            msg = _("%(name)s: %(problem)s", name=up.filename or "?", problem=err.message)
            raise ValidationFailed(msg, {"files": [msg]}) from err
    if not text and not keep and not stored:
        msg = _("Write your answer or attach at least one file.")
        raise ValidationFailed(msg, {"text": [msg]})
    late = assessment.is_late(now)
    if sub is None:
        sub = Submission(
            assessment_id=assessment.id,
            trainee_id=user.id,
            text=text,
            submitted_at=now,
            late=late,
            times_submitted=1,
            files=[],
        )
        db.session.add(sub)
        flush_versioned()
        action = "submission.create"
    else:
        for f in list(sub.files):
            if f.id in remove:
                old = f.stored
                sub.files.remove(f)
                db.session.flush()
                discard_stored(old)
        sub.text, sub.submitted_at, sub.late = text, now, late
        sub.times_submitted += 1
        action = "submission.replace"
    for s in stored:
        sub.files.append(SubmissionFile(stored_file_id=s.id))
    flush_versioned()
    record(
        user,
        action,
        "submission",
        sub.id,
        None,
        {
            "late": late,
            "files": [s.original_name for s in stored],
            "removed": sorted(remove),
            "times_submitted": sub.times_submitted,
        },
    )
    grade = grade or grade_of(assessment, user.id, create=True)
    if grade.status == GradeStatus.NOT_SUBMITTED:
        before = grade_snapshot(grade)
        grade.status = GradeStatus.SUBMITTED
        flush_versioned()
        write_history(user, grade, "grade.submitted", before, grade_snapshot(grade))
    return sub


def my_grade(user, assessment: Assessment) -> Grade | None:
    """The trainee's own grade, only once released."""
    require_actor(user)
    grade = grade_of(assessment, user.id)
    return grade if sees_own_grade(user, grade) else None
