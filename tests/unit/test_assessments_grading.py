"""Grading: rubrics, permissions, concurrent edits, double marking and the agreed mark,
release, history and audit, assignments' closing time and submissions allowed."""

import datetime as dt
from decimal import Decimal as D

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from assessments.models import (
    AssessmentKind,
    GradeHistory,
    GradeStatus,
    LatePolicy,
    Mark,
    MarkerRole,
)
from assessments.services import grading, taking
from assessments.services.grading import MarkInput
from assessments.services.taking import Upload
from lms.accounts.models import Role
from lms.audit.models import AuditEntry
from lms.db import db, flush_versioned, utcnow
from lms.errors import Conflict, Forbidden, StaleEdit, ValidationFailed

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def setup(app, make):
    t1, t2 = make.user(Role.TRAINER), make.user(Role.TRAINER)
    course = make.course(trainers=[t1, t2])
    trainee = make.user(Role.TRAINEE)
    make.enrolment(course, trainee)
    assignment = make.assessment(
        course, AssessmentKind.ASSIGNMENT, max_points="10", pass_mark="6", actor=t1
    )
    return {"t1": t1, "t2": t2, "course": course, "trainee": trainee, "a": assignment}


def _submit(s, text="Il mio progetto di inserimento"):
    sub = taking.submit_work(s["trainee"], s["a"], text=text)
    db.session.commit()
    return sub


def _grade(s):
    return grading.grade_for_marking(s["t1"], s["a"], s["trainee"].id)


def test_rubric_grading_computes_the_score_and_keeps_the_levels(setup, make):
    s = setup
    make.rubric(s["a"], criteria=2, actor=s["t1"])  # 2 x (0, 3, 5): max 10
    _submit(s)
    grade = _grade(s)
    rubric = grading.assessment_rubric(s["a"])
    c1, c2 = rubric.criteria
    top = {c.id: {lv.points: lv.id for lv in c.levels} for c in rubric.criteria}
    mark = grading.save_mark(
        s["t1"],
        s["a"],
        grade,
        MarkInput(
            levels={c1.id: top[c1.id][D(5)], c2.id: top[c2.id][D(3)]},
            comments={c2.id: "Manca il monitoraggio"},
            feedback="Buon lavoro",
        ),
    )
    db.session.commit()
    assert mark.score == D("8.00")
    assert grade.score == D("8.00") and grade.status == GradeStatus.GRADED
    (mark,) = grading.marks_of(grade)
    kept = {lv.criterion_id: (lv.points, lv.comment) for lv in mark.levels}
    assert kept == {c1.id: (D(5), ""), c2.id: (D(3), "Manca il monitoraggio")}


def test_rubric_total_is_scaled_to_the_assessment_maximum(setup, make):
    s = setup
    s["a"].max_points = D(30)
    db.session.commit()
    make.rubric(s["a"], criteria=2, actor=s["t1"])
    _submit(s)
    rubric = grading.assessment_rubric(s["a"])
    levels = {c.id: max(c.levels, key=lambda lv: lv.points).id for c in rubric.criteria}
    levels[rubric.criteria[1].id] = min(rubric.criteria[1].levels, key=lambda lv: lv.points).id
    mark = grading.save_mark(s["t1"], s["a"], _grade(s), MarkInput(levels=levels))
    assert mark.score == D("15.00")  # 5 of 10 rubric points on a 30-point scale


def test_a_complete_rubric_mark_needs_every_criterion(setup, make):
    s = setup
    make.rubric(s["a"], criteria=2, actor=s["t1"])
    _submit(s)
    rubric = grading.assessment_rubric(s["a"])
    c1 = rubric.criteria[0]
    with pytest.raises(ValidationFailed) as err:
        grading.save_mark(s["t1"], s["a"], _grade(s), MarkInput(levels={c1.id: c1.levels[0].id}))
    assert f"criterion_{rubric.criteria[1].id}" in err.value.fields
    # As a draft, it is fine: the grade is being graded.
    db.session.rollback()
    grade = _grade(s)
    grading.save_mark(
        s["t1"], s["a"], grade, MarkInput(levels={c1.id: c1.levels[0].id}, complete=False)
    )
    assert grade.status == GradeStatus.IN_GRADING and grade.score is None


def test_a_trainer_of_another_course_cannot_grade(setup, make):
    s = setup
    _submit(s)
    grade = _grade(s)
    outsider = make.user(Role.TRAINER)
    make.course(trainers=[outsider])
    with pytest.raises(Forbidden):
        grading.grade_for_marking(outsider, s["a"], s["trainee"].id)
    with pytest.raises(Forbidden):
        grading.save_mark(outsider, s["a"], grade, MarkInput(score="7"))
    with pytest.raises(Forbidden):
        grading.release(outsider, s["a"])
    trainee_as_marker = s["trainee"]
    with pytest.raises(Forbidden):
        grading.save_mark(trainee_as_marker, s["a"], grade, MarkInput(score="10"))


def test_nothing_to_grade_before_a_submission(setup):
    s = setup
    grade = _grade(s)
    with pytest.raises(Conflict):
        grading.save_mark(s["t1"], s["a"], grade, MarkInput(score="5"))


def test_two_markers_editing_at_once_lose_nothing(setup):
    s = setup
    _submit(s)
    grade = _grade(s)
    # Both open the page: no mark yet (version 0). The first saves.
    grading.save_mark(s["t1"], s["a"], grade, MarkInput(score="7", feedback="Da t1"))
    db.session.commit()
    # The second saves over the version they saw: refused, nothing overwritten.
    with pytest.raises(StaleEdit):
        grading.save_mark(s["t2"], s["a"], grade, MarkInput(score="4", seen_version=0))
    db.session.rollback()
    marks = grading.marks_of(grade)
    assert [(m.score, m.feedback) for m in marks] == [(D("7.00"), "Da t1")]
    # Having seen t1's version, t2 may change it, with a reason since the grade was given.
    with pytest.raises(ValidationFailed) as err:
        grading.save_mark(
            s["t2"], s["a"], grade, MarkInput(score="6", seen_version=marks[0].version_id)
        )
    assert "reason" in err.value.fields
    db.session.rollback()
    grading.save_mark(
        s["t2"],
        s["a"],
        grade,
        MarkInput(score="6", seen_version=marks[0].version_id, reason="Rivisto il criterio 2"),
    )
    db.session.commit()
    assert grade.score == D("6.00")


def test_simultaneous_saves_raise_stale_edit(setup):
    """Another transaction saves the same mark in between: this one's flush is refused with
    StaleEdit (409 in the API), and the other's value is kept."""
    s = setup
    _submit(s)
    grade = _grade(s)
    mark = grading.save_mark(s["t1"], s["a"], grade, MarkInput(score="7"))
    db.session.commit()
    assert mark.score == D("7.00")  # loaded in this session, version 1
    other = OrmSession(db.engine)
    try:
        theirs = other.get(Mark, mark.id)
        theirs.score = D(3)
        other.commit()
    finally:
        other.close()
    mark.score = D(8)
    with pytest.raises(StaleEdit):
        flush_versioned()
    db.session.rollback()
    assert grading.marks_of(grade)[0].score == D("3.00")


def test_double_marking_blind_then_flagged_then_agreed(setup, make):
    s = setup
    a = s["a"]
    a.double_marking, a.marking_tolerance = True, D(1)
    db.session.commit()
    _submit(s)
    grade = _grade(s)
    m1 = grading.save_mark(s["t1"], a, grade, MarkInput(score="8", feedback="Chiaro"))
    db.session.commit()
    assert grade.status == GradeStatus.IN_GRADING and grade.score is None
    # The second marker does not see the first mark, nor its history.
    marks = grading.marks_of(grade)
    assert grading.my_role(s["t2"], a, marks) == MarkerRole.SECOND
    assert grading.visible_marks(s["t2"], a, marks) == []
    history = grading.visible_history(s["t2"], a, grade, marks)
    assert all(h.mark_id != m1.id for h in history)
    assert all("8" not in str(h.after) for h in history)
    grading.save_mark(s["t2"], a, grade, MarkInput(score="5"))
    db.session.commit()
    assert grade.discrepancy is True
    assert grade.status == GradeStatus.IN_GRADING and grade.score is None
    marks = grading.marks_of(grade)
    assert len(grading.visible_marks(s["t2"], a, marks)) == 2
    assert grading.needs_agreement(grade, marks)
    # Nobody adds a third mark: the coordinator records the agreed mark instead.
    coord = make.user(Role.COORDINATOR)
    with pytest.raises(Conflict):
        grading.save_mark(coord, a, grade, MarkInput(score="6"))
    db.session.rollback()
    with pytest.raises(ValidationFailed) as err:
        grading.record_agreement(coord, a, grade, score="7", reason="")
    assert "reason" in err.value.fields
    db.session.rollback()
    grading.record_agreement(
        coord,
        a,
        grade,
        score="7",
        reason="Concordato dopo il confronto sui criteri 2 e 3",
        seen_version=grade.version_id,
    )
    db.session.commit()
    assert grade.status == GradeStatus.GRADED and grade.score == D("7.00")
    assert grade.agreed_by_id == coord.id and grade.agreed_reason.startswith("Concordato")


def test_double_marking_within_tolerance_takes_the_mean(setup):
    s = setup
    a = s["a"]
    a.double_marking, a.marking_tolerance = True, D("1.5")
    db.session.commit()
    _submit(s)
    grade = _grade(s)
    grading.save_mark(s["t1"], a, grade, MarkInput(score="8"))
    grading.save_mark(s["t2"], a, grade, MarkInput(score="7"))
    assert grade.discrepancy is False
    assert grade.status == GradeStatus.GRADED and grade.score == D("7.50")


def test_release_and_history_and_audit(setup):
    s = setup
    _submit(s)
    grade = _grade(s)
    grading.save_mark(s["t1"], s["a"], grade, MarkInput(score="7", feedback="Bene"))
    db.session.commit()
    assert taking.my_grade(s["trainee"], s["a"]) is None
    assert grading.release(s["t1"], s["a"]) == 1
    db.session.commit()
    assert taking.my_grade(s["trainee"], s["a"]).score == D("7.00")
    assert grading.release(s["t1"], s["a"]) == 0  # nothing left in draft
    # A change after release needs a reason and is kept.
    mark = grading.marks_of(grade)[0]
    grading.save_mark(
        s["t1"],
        s["a"],
        grade,
        MarkInput(score="9", seen_version=mark.version_id, reason="Errore di somma"),
    )
    db.session.commit()
    assert grade.status == GradeStatus.RELEASED and grade.score == D("9.00")
    rows = db.session.scalars(
        select(GradeHistory).where(GradeHistory.grade_id == grade.id).order_by(GradeHistory.id)
    ).all()
    actions = [r.action for r in rows]
    assert actions == ["grade.submitted", "mark.complete", "grade.release", "mark.complete"]
    last = rows[-1]
    assert last.changed_by_id == s["t1"].id and last.reason == "Errore di somma"
    assert last.before["grade"]["score"] == "7.00" and last.after["grade"]["score"] == "9.00"
    audited = db.session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.object_type == "grade", AuditEntry.object_id == str(grade.id)
        )
    ).all()
    assert audited == actions


def test_only_graded_grades_are_released(setup, make):
    s = setup
    other = make.user(Role.TRAINEE)
    make.enrolment(s["course"], other)
    _submit(s)
    taking.submit_work(other, s["a"], text="Bozza")
    grading.save_mark(s["t1"], s["a"], _grade(s), MarkInput(score="7"))
    g2 = grading.grade_for_marking(s["t1"], s["a"], other.id)
    grading.save_mark(s["t1"], s["a"], g2, MarkInput(score="3", complete=False))
    db.session.commit()
    assert grading.release(s["t1"], s["a"]) == 1
    assert g2.status == GradeStatus.IN_GRADING


# --- assignment submissions ---------------------------------------------------------------


def test_submission_replaced_until_the_deadline_then_refused(setup, app):
    s = setup
    a = s["a"]
    sub = taking.submit_work(
        s["trainee"], a, text="Prima versione", uploads=[Upload("progetto.pdf", PDF)]
    )
    db.session.commit()
    assert not sub.late and sub.times_submitted == 1
    first_file = taking.submission_of(s["trainee"], a).files[0]
    key = __import__("lms.files.services", fromlist=["key_of"]).key_of(first_file.stored)
    backend = __import__("lms.storage", fromlist=["storage"]).storage()
    assert backend.exists(key)
    sub = taking.submit_work(
        s["trainee"],
        a,
        text="Seconda versione",
        remove_file_ids=[first_file.id],
        seen_version=sub.version_id,
    )
    db.session.commit()
    assert sub.times_submitted == 2 and sub.text == "Seconda versione"
    assert not backend.exists(key)  # the replaced file is gone once committed
    with pytest.raises(Conflict, match="chiusa"):
        taking.submit_work(
            s["trainee"], a, text="Troppo tardi", now=a.closes_at + dt.timedelta(minutes=1)
        )


def test_late_submission_is_flagged_when_the_policy_accepts_it(setup):
    s = setup
    a = s["a"]
    closes = a.closes_at
    a.late_policy, a.late_until = LatePolicy.ACCEPT, closes + dt.timedelta(days=2)
    db.session.commit()
    sub = taking.submit_work(
        s["trainee"], a, text="In ritardo", now=a.closes_at + dt.timedelta(hours=1)
    )
    assert sub.late is True
    with pytest.raises(Conflict):
        taking.submit_work(
            s["trainee"],
            a,
            text="Oltre",
            seen_version=sub.version_id,
            now=a.late_until + dt.timedelta(seconds=1),
        )


def test_no_submission_beyond_the_number_allowed(setup):
    s = setup
    s["a"].attempts_allowed = 1
    db.session.commit()
    sub = _submit(s)
    with pytest.raises(Conflict, match="tutte le consegne"):
        taking.submit_work(s["trainee"], s["a"], text="Ancora", seen_version=sub.version_id)


def test_no_replacement_once_grading_started(setup):
    s = setup
    sub = _submit(s)
    grading.save_mark(s["t1"], s["a"], _grade(s), MarkInput(score="5", complete=False))
    db.session.commit()
    with pytest.raises(Conflict, match="già in correzione"):
        taking.submit_work(s["trainee"], s["a"], text="Nuova", seen_version=sub.version_id)


def test_stale_submission_is_refused(setup):
    s = setup
    sub = _submit(s)
    old = sub.version_id
    taking.submit_work(s["trainee"], s["a"], text="Dalla seconda scheda", seen_version=old)
    db.session.commit()
    with pytest.raises(StaleEdit):
        taking.submit_work(s["trainee"], s["a"], text="Dalla prima scheda", seen_version=old)


def test_observation_recorded_for_a_practical_test(setup):
    s = setup
    from tests.conftest import Factory

    obs = Factory().assessment(
        s["course"], AssessmentKind.PRACTICAL, actor=s["t1"], title="Colloquio inclusivo simulato"
    )
    with pytest.raises(Conflict):
        taking.submit_work(s["trainee"], obs, text="Niente da consegnare")
    db.session.rollback()
    grade = grading.grade_for_marking(s["t1"], obs, s["trainee"].id)
    with pytest.raises(ValidationFailed) as err:
        grading.save_mark(s["t1"], obs, grade, MarkInput(score="8"))
    assert "observed_on" in err.value.fields
    db.session.rollback()
    grade = grading.grade_for_marking(s["t1"], obs, s["trainee"].id)
    mark = grading.save_mark(
        s["t1"],
        obs,
        grade,
        MarkInput(
            score="8", observed_on=utcnow().date(), note="Accoglienza corretta, domande aperte"
        ),
    )
    assert mark.observed_on == utcnow().date() and grade.status == GradeStatus.GRADED
