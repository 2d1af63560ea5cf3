"""Release of graded (draft) grades to their trainees."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, tuple_, update

from assessments.models import Assessment, Grade, GradeStatus
from assessments.services.common import grade_snapshot, write_history_many
from assessments.services.grading.reads import require_grader
from lms.accounts.models import User
from lms.db import db, flush_versioned, utcnow
from lms.errors import StaleEdit
from lms.notifications.services import notify_in_app_many


def release(
    actor,
    assessment: Assessment,
    grade_ids: list[int] | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Release graded (draft) grades to their trainees: all of them, or the ones chosen.
    Each trainee is told (in-app and by e-mail, in their language); the same whether a
    trainer releases or the quiz releases itself when graded."""
    now = now or utcnow()
    require_grader(actor, assessment)
    q = select(Grade).where(
        Grade.assessment_id == assessment.id, Grade.status == GradeStatus.GRADED
    )
    if grade_ids is not None:
        q = q.where(Grade.id.in_([int(i) for i in grade_ids] or [-1]))
    grades = list(db.session.scalars(q.order_by(Grade.id)))
    if not grades:
        return 0
    trainee_ids = [g.trainee_id for g in grades]
    changes = []
    for grade in grades:
        before = grade_snapshot(grade)
        changes.append((grade.id, before, {**before, "status": GradeStatus.RELEASED.value}))
    # One UPDATE for all the grades, conditional on the versions read above (what the ORM
    # checks row by row): a grade changed in between makes the count differ, StaleEdit.
    # Then the history and the audit in bulk: the same queries for 3 grades or 300.
    flush_versioned()
    done = db.session.execute(
        update(Grade)
        .where(tuple_(Grade.id, Grade.version_id).in_([(g.id, g.version_id) for g in grades]))
        .values(
            status=GradeStatus.RELEASED,
            released_at=now,
            released_by_id=actor.id,
            version_id=Grade.version_id + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != len(grades):
        raise StaleEdit()
    for grade in grades:
        db.session.expire(grade)
    write_history_many(actor, "grade.release", changes)
    _tell_trainees(assessment, trainee_ids, now)
    return len(grades)


def _tell_trainees(assessment: Assessment, trainee_ids: list[int], now: dt.datetime) -> None:
    """One notification per trainee whose grade was released, with its mail copy: a fixed
    number of statements for 3 trainees or 300."""
    trainees = list(
        db.session.scalars(select(User).where(User.id.in_(trainee_ids)).order_by(User.id))
    )
    notify_in_app_many(
        trainees,
        "grade.released",
        _l("Your result for “%(title)s” is available.", title=assessment.title),
        _l("Open the assessment to read your grade and the feedback."),
        link_endpoint="assessments.assessment",
        link_args={"assessment_id": assessment.id},
        now=now,
    )
