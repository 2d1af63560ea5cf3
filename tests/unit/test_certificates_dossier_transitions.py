"""Dossiers: every transition from the right and wrong states by the right and wrong people,
audit entries, the attendance threshold."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from certificates.models import Dossier, DossierComment, DossierState
from certificates.services import dossiers
from lms.accounts.models import Role
from lms.db import db
from lms.errors import Conflict, Forbidden, NotEligible, NotFound, ValidationFailed
from lms.standards.models import Framework
from tests.unit.certificates_helpers import audit_actions, document, open_on_profile, people

S = DossierState

# --- transitions ---------------------------------------------------------------------------


def _transition_by(name, d, p, make):
    coordinator = make.coordinator()
    calls = {
        "identification": lambda who: dossiers.start_identification(who, d),
        "submit": lambda who: dossiers.submit(who, d),
        "take": lambda who: dossiers.take_under_assessment(who, d),
        "return": lambda who: dossiers.return_to_identification(who, d, "Manca l'evidenza C2"),
        "decide": lambda who: dossiers.decide(who, d),
        "withdraw": lambda who: dossiers.withdraw(who, d, "Il candidato rinuncia"),
    }
    return calls[name], coordinator


# transition -> (state it starts from, a person allowed, people refused)
RULES = {
    "identification": (S.DRAFT, "coordinator", ["candidate", "acc", "method"]),
    "submit": (S.IDENTIFICATION, "candidate", ["method", "content", "coordinator"]),
    "take": (S.SUBMITTED, "content", ["candidate", "acc", "coordinator"]),
    "return": (S.UNDER_ASSESSMENT, "method", ["candidate", "acc"]),
    "withdraw": (S.IDENTIFICATION, "coordinator", ["candidate", "acc", "method"]),
}
TARGET = {
    "identification": S.IDENTIFICATION,
    "submit": S.SUBMITTED,
    "take": S.UNDER_ASSESSMENT,
    "return": S.RETURNED,
    "withdraw": S.WITHDRAWN,
}


def _who(name, p, make):
    return make.coordinator() if name == "coordinator" else getattr(p, name)


@pytest.mark.parametrize("name", list(RULES))
def test_each_transition_by_the_allowed_person_is_audited(app, make, name):
    start, allowed, _refused = RULES[name]
    d = make.dossier(state=start)
    p = people(d)
    call, _c = _transition_by(name, d, p, make)
    call(_who(allowed, p, make))
    db.session.commit()
    assert d.state == TARGET[name]
    entry = audit_actions("dossier", d.id)[-1]
    assert entry.action == f"dossier.{TARGET[name].value}"
    assert entry.before == {"state": start.value} and entry.after == {"state": TARGET[name].value}
    assert entry.actor_id == _who(allowed, p, make).id


@pytest.mark.parametrize("name", list(RULES))
def test_each_transition_is_refused_to_other_people(app, make, name):
    start, _allowed, refused = RULES[name]
    d = make.dossier(state=start)
    p = people(d)
    call, _c = _transition_by(name, d, p, make)
    for who in refused:
        with pytest.raises(Forbidden):
            call(_who(who, p, make))
    for outsider in (make.user(Role.ASSESSOR), make.user(Role.TRAINEE), make.user(Role.REFERENT)):
        with pytest.raises(NotFound):  # outsiders are not told the dossier exists
            call(outsider)
    assert d.state == start


WRONG_STATES = {
    "identification": [S.IDENTIFICATION, S.SUBMITTED, S.UNDER_ASSESSMENT],
    "submit": [S.DRAFT, S.SUBMITTED, S.UNDER_ASSESSMENT],
    "take": [S.DRAFT, S.IDENTIFICATION, S.UNDER_ASSESSMENT],
    "return": [S.DRAFT, S.IDENTIFICATION],
}


@pytest.mark.parametrize("name", list(WRONG_STATES))
def test_each_transition_is_refused_from_other_states(app, make, name):
    _start, allowed, _refused = RULES[name]
    for state in WRONG_STATES[name]:
        d = make.dossier(state=state)
        p = people(d)
        call, _c = _transition_by(name, d, p, make)
        with pytest.raises(Conflict):
            call(_who(allowed, p, make))
        assert d.state == state


def test_withdrawn_and_decided_dossiers_are_final(app, make):
    d = make.dossier(state=S.IDENTIFICATION)
    dossiers.withdraw(make.coordinator(), d, "Il candidato rinuncia")
    for call in (
        lambda: dossiers.withdraw(make.coordinator(), d, "di nuovo"),
        lambda: dossiers.submit(people(d).candidate, d),
        lambda: dossiers.start_identification(make.coordinator(), d),
    ):
        with pytest.raises(Conflict):
            call()
    comment = db.session.query(DossierComment).filter_by(dossier_id=d.id).one()
    assert comment.transition == "withdrawn" and comment.body == "Il candidato rinuncia"


def test_accompagnatore_submits_too_and_coordinator_returns(app, make):
    d = make.dossier(state=S.IDENTIFICATION)
    p = people(d)
    from certificates.services.evidence import add_evidence

    add_evidence(p.acc, d, document())
    dossiers.submit(p.acc, d)
    assert d.state == S.SUBMITTED
    dossiers.return_to_identification(make.coordinator(), d, "Aggiungere la lettera")
    assert d.state == S.RETURNED
    dossiers.submit(p.candidate, d)  # submitted again from returned
    assert d.state == S.SUBMITTED


def test_return_needs_a_comment_kept_for_the_candidate(app, make):
    d = make.dossier(state=S.UNDER_ASSESSMENT)
    p = people(d)
    with pytest.raises(ValidationFailed):
        dossiers.return_to_identification(p.method, d, "  ")
    dossiers.return_to_identification(p.method, d, "Manca la prova della competenza C2")
    comments = dossiers.comments_of(p.candidate, d)
    assert [c.body for c in comments] == ["Manca la prova della competenza C2"]
    assert comments[0].transition == "returned"
    assert audit_actions("dossier", d.id)[-1].reason == "Manca la prova della competenza C2"


def test_start_identification_needs_the_accompagnatore(app, make):
    profile = make.profile()
    d = open_on_profile(make, profile, make.user(Role.TRAINEE))
    with pytest.raises(Conflict):
        dossiers.start_identification(make.coordinator(), d)


def test_submit_needs_evidence_and_both_experts(app, make):
    d = make.dossier(state=S.IDENTIFICATION, evidence=False)
    p = people(d)
    with pytest.raises(Conflict):
        dossiers.submit(p.candidate, d)
    dossiers.assign(
        make.coordinator(),
        d,
        accompagnatore_id=d.accompagnatore_id,
        method_expert_id=d.method_expert_id,
        content_expert_id=None,
    )
    from certificates.services.evidence import add_evidence

    add_evidence(p.candidate, d, document())
    with pytest.raises(Conflict):
        dossiers.submit(p.candidate, d)
    assert d.state == S.IDENTIFICATION


def test_available_transitions_follow_state_and_person(app, make):
    d = make.dossier(state=S.SUBMITTED)
    p = people(d)
    assert dossiers.available_transitions(p.method, d) == [S.UNDER_ASSESSMENT, S.RETURNED]
    assert dossiers.available_transitions(p.candidate, d) == []
    assert dossiers.available_transitions(make.coordinator(), d) == [S.RETURNED, S.WITHDRAWN]
    assert dossiers.available_transitions(make.user(Role.ASSESSOR), d) == []


def test_transition_dispatcher_calls_the_same_functions(app, make):
    d = make.dossier(state=S.SUBMITTED)
    p = people(d)
    dossiers.transition(p.content, d, S.UNDER_ASSESSMENT)
    assert d.state == S.UNDER_ASSESSMENT
    with pytest.raises(ValidationFailed):
        dossiers.transition(p.content, d, S.RETURNED)  # no comment
    with pytest.raises(Conflict):
        dossiers.transition(p.content, d, S.ISSUED)


# --- attendance ----------------------------------------------------------------------------


def _course_with_attendance(make, candidate, minutes):
    """A course with one 4-hour lesson held 10 days ago, the candidate present `minutes`."""
    from courses.models import AttendanceStatus
    from courses.services.registers import RowInput, save_register

    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    enrolment = make.enrolment(course, candidate)
    day = course.start_date + dt.timedelta(days=50)
    lesson = make.lesson(course, trainer=trainer, date=day)
    status = AttendanceStatus.PRESENT if minutes else AttendanceStatus.ABSENT
    save_register(
        trainer,
        lesson,
        course,
        [RowInput(enrolment_id=enrolment.id, status=status, minutes=minutes)],
    )
    db.session.commit()
    return course


def test_submit_checks_the_course_certification_threshold(app, make):
    candidate = make.user(Role.TRAINEE)
    course = _course_with_attendance(make, candidate, 60)  # 25% of 240 minutes
    d = make.dossier(candidate=candidate, course=course, state=S.IDENTIFICATION)
    with pytest.raises(NotEligible):
        dossiers.submit(candidate, d)
    assert d.state == S.IDENTIFICATION


def test_submit_passes_when_the_threshold_is_met(app, make):
    candidate = make.user(Role.TRAINEE)
    course = _course_with_attendance(make, candidate, 240)
    d = make.dossier(candidate=candidate, course=course, state=S.IDENTIFICATION)
    dossiers.submit(candidate, d)
    assert d.state == S.SUBMITTED


def test_a_dossier_rests_only_on_a_course_the_candidate_is_enrolled_in(app, make):
    course = make.course()
    with pytest.raises(ValidationFailed) as err:
        make.dossier(course=course)
    assert "course_id" in err.value.fields


def test_submit_refuses_a_candidate_no_longer_enrolled_in_the_course(app, make):
    from courses.models import Enrolment

    candidate = make.user(Role.TRAINEE)
    course = make.course()
    make.enrolment(course, candidate)
    d = make.dossier(candidate=candidate, course=course, state=S.IDENTIFICATION)
    db.session.query(Enrolment).filter_by(user_id=candidate.id).delete()
    with pytest.raises(NotEligible):
        dossiers.submit(candidate, d)


def test_dossier_framework_is_published(app, make):
    d = make.dossier()
    from lms.standards.models import Profile

    fw = db.session.get(Framework, db.session.get(Profile, d.profile_id).framework_id)
    assert fw.status.value == "published"
    assert isinstance(d, Dossier)


@pytest.mark.parametrize("state", [S.DRAFT, S.IDENTIFICATION, S.SUBMITTED, S.UNDER_ASSESSMENT])
def test_coordinator_withdraws_from_every_open_state(app, make, state):
    d = make.dossier(state=state)
    dossiers.withdraw(make.coordinator(), d, "Rinuncia del candidato")
    assert d.state == S.WITHDRAWN


def test_an_expert_returns_a_submitted_dossier(app, make):
    d = make.dossier(state=S.SUBMITTED)
    dossiers.return_to_identification(people(d).content, d, "Documenti illeggibili")
    assert d.state == S.RETURNED
    with pytest.raises(Conflict):  # returned is not submitted: nothing to take
        dossiers.take_under_assessment(people(d).method, d)


def test_two_experts_taking_the_same_dossier_at_once(app, make):
    from lms.errors import StaleEdit

    d = make.dossier(state=S.SUBMITTED)
    p = people(d)
    assert d.version_id  # loaded in this session
    with db.engine.begin() as conn:  # the other expert's request commits first
        conn.execute(
            text(
                "UPDATE dossiers SET state = 'under_assessment', version_id = version_id + 1 "
                "WHERE id = :id"
            ),
            {"id": d.id},
        )
    with pytest.raises(StaleEdit):
        dossiers.take_under_assessment(p.method, d)
    db.session.rollback()
