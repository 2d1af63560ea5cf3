"""A released grade tells its trainee: one in-app notification each, with an e-mail copy in the
trainee's own language, whether a trainer releases by hand or the quiz releases itself."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from assessments.models import AssessmentKind, Grade, GradeStatus
from assessments.services import grading
from lms.accounts.models import Role
from lms.db import db
from lms.mail.models import OutgoingMail
from lms.notifications.models import Notification
from lms.notifications.services import text_of, title_of


@pytest.fixture
def setup(app, make):
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    a = make.assessment(course, AssessmentKind.ASSIGNMENT, actor=trainer, title="Progetto finale")
    it, en, waiting = (make.user(Role.TRAINEE, locale=loc) for loc in ("it", "en", "it"))
    for u in (it, en, waiting):
        make.enrolment(course, u)
    status = {it: GradeStatus.GRADED, en: GradeStatus.GRADED, waiting: GradeStatus.IN_GRADING}
    grades = {}
    for u, st in status.items():
        grades[u.id] = Grade(assessment_id=a.id, trainee_id=u.id, status=st, score=Decimal("7"))
        db.session.add(grades[u.id])
    db.session.commit()
    return {"trainer": trainer, "a": a, "it": it, "en": en, "waiting": waiting, "grades": grades}


def _notices(user):
    return list(
        db.session.scalars(
            select(Notification).where(
                Notification.user_id == user.id, Notification.kind == "grade.released"
            )
        )
    )


def _mails(user):
    return list(db.session.scalars(select(OutgoingMail).where(OutgoingMail.user_id == user.id)))


def test_a_manual_release_tells_each_trainee_once_in_their_language(setup, app):
    s = setup
    assert grading.release(s["trainer"], s["a"]) == 2
    db.session.commit()
    for who in ("it", "en"):
        (notice,) = _notices(s[who])
        assert notice.link_endpoint == "assessments.assessment"
        assert notice.link_args == {"assessment_id": s["a"].id}
        (mail,) = _mails(s[who])
        assert mail.template == "notice" and mail.recipient == s[who].email
        assert f"/valutazioni/{s['a'].id}" in mail.body_text
    assert _mails(s["it"])[0].subject == "Il tuo risultato per «Progetto finale» è disponibile."
    assert _mails(s["en"])[0].subject == "Your result for “Progetto finale” is available."
    assert "Apri la valutazione per leggere il voto" in _mails(s["it"])[0].body_text
    # Each reader sees the notification in their own language, whoever released it.
    with app.test_request_context(headers={"Accept-Language": "it"}):
        notice = _notices(s["it"])[0]
        assert title_of(notice) == "Il tuo risultato per «Progetto finale» è disponibile."
        assert text_of(notice).startswith("Apri la valutazione")
    # The grade still in grading is not released, and its trainee is told nothing.
    assert _notices(s["waiting"]) == [] and _mails(s["waiting"]) == []
    # Nothing left to release: nobody is told twice.
    assert grading.release(s["trainer"], s["a"]) == 0
    db.session.commit()
    assert len(_notices(s["it"])) == 1 and len(_mails(s["it"])) == 1


def test_releasing_the_chosen_grades_tells_only_their_trainees(setup):
    s = setup
    assert grading.release(s["trainer"], s["a"], [s["grades"][s["en"].id].id]) == 1
    db.session.commit()
    assert len(_notices(s["en"])) == 1 and len(_mails(s["en"])) == 1
    assert _notices(s["it"]) == [] and _mails(s["it"]) == []


def test_an_inactive_trainee_gets_the_notification_but_no_mail(setup):
    s = setup
    s["it"].active = False
    db.session.commit()
    grading.release(s["trainer"], s["a"])
    db.session.commit()
    assert len(_notices(s["it"])) == 1 and _mails(s["it"]) == []
    assert len(_mails(s["en"])) == 1
