"""Evidence: who adds, edits and removes it and when; training records copied at that moment;
observations by the experts; the snapshot frozen at submission and what the experts see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from certificates.models import (
    AppendOnly,
    DossierSnapshot,
    DossierState,
    Evidence,
    EvidenceFile,
    EvidenceKind,
    EvidencePhase,
    EvidenceType,
    EvidenceValue,
)
from certificates.services import dossiers, evidence, records, snapshots
from certificates.services.common import target_items
from certificates.services.evidence import ObservationInput
from lms.accounts.models import Role
from lms.db import db
from lms.errors import Conflict, Forbidden, NotFound, StaleEdit, ValidationFailed
from tests.unit.certificates_helpers import audit_actions, document, people

S = DossierState
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _links(d, n=None):
    items = target_items(d)
    return [(i.id, f"Nota {i.code}") for i in items[:n]]


@pytest.mark.parametrize("who", ["candidate", "acc"])
def test_candidate_and_accompagnatore_add_edit_and_remove_evidence(app, make, who):
    d = make.dossier(state=S.IDENTIFICATION, evidence=False)
    actor = getattr(people(d), who)
    ev = evidence.add_evidence(actor, d, document(links=_links(d, 2)), files=[("lettera.pdf", PDF)])
    db.session.commit()
    assert ev.value == EvidenceValue.THIRD and ev.phase == EvidencePhase.IDENTIFICATION
    files = db.session.scalars(select(EvidenceFile).where(EvidenceFile.evidence_id == ev.id)).all()
    assert len(files) == 1
    evidence.edit_evidence(
        actor, ev, document("Lettera aggiornata", links=_links(d, 1)), seen_version=ev.version_id
    )
    db.session.commit()
    docs, number = snapshots.evidence_documents(actor, d)
    assert number is None and docs[0]["title"] == "Lettera aggiornata"
    assert len(docs[0]["links"]) == 1 and docs[0]["files"][0]["name"] == "lettera.pdf"
    evidence.remove_evidence(actor, ev)
    db.session.commit()
    assert db.session.scalar(select(Evidence.id)) is None
    assert [e.action for e in audit_actions("evidence", ev.id)] == [
        "evidence.add",
        "evidence.edit",
        "evidence.remove",
    ]


def test_experts_coordinators_and_outsiders_do_not_add_evidence(app, make):
    d = make.dossier(state=S.IDENTIFICATION)
    p = people(d)
    for who in (p.method, p.content, make.coordinator()):
        with pytest.raises(Forbidden):
            evidence.add_evidence(who, d, document())
    with pytest.raises(NotFound):
        evidence.add_evidence(make.user(Role.TRAINEE), d, document())


def test_evidence_changes_only_while_the_dossier_is_being_built(app, make):
    d = make.dossier(state=S.SUBMITTED)
    p = people(d)
    ev = db.session.scalars(select(Evidence)).one()
    with pytest.raises(Conflict):
        evidence.add_evidence(p.candidate, d, document())
    with pytest.raises(Conflict):
        evidence.edit_evidence(p.candidate, ev, document(), seen_version=ev.version_id)
    with pytest.raises(Conflict):
        evidence.remove_evidence(p.candidate, ev)
    dossiers.return_to_identification(p.method, d, "Aggiungere una lettera")
    evidence.add_evidence(p.candidate, d, document())  # returned: work goes on


def test_draft_dossiers_take_evidence_too(app, make):
    d = make.dossier()
    evidence.add_evidence(people(d).candidate, d, document())
    assert d.state == S.DRAFT


def test_links_only_to_the_dossiers_items(app, make):
    d = make.dossier(state=S.IDENTIFICATION)
    other = make.dossier(state=S.IDENTIFICATION)
    foreign = target_items(other)[0].id
    with pytest.raises(ValidationFailed) as err:
        evidence.add_evidence(people(d).candidate, d, document(links=[(foreign, "")]))
    assert "links" in err.value.fields


def test_kinds_and_values_that_are_refused(app, make):
    d = make.dossier(state=S.IDENTIFICATION)
    c = people(d).candidate
    for kind in (
        EvidenceKind.ATTENDANCE_SUMMARY,
        EvidenceKind.ASSESSMENT_RESULT,
        EvidenceKind.OBSERVATION,
    ):
        with pytest.raises(ValidationFailed):
            evidence.add_evidence(c, d, document(kind=kind, value=EvidenceValue.SECOND))
    with pytest.raises(ValidationFailed):
        evidence.add_evidence(
            c, d, document(kind=EvidenceKind.SELF_DECLARATION, value=EvidenceValue.THIRD)
        )
    evidence.add_evidence(
        c, d, document(kind=EvidenceKind.SELF_DECLARATION, value=EvidenceValue.FIRST)
    )


def test_database_keeps_training_records_second_party(app, make):
    d = make.dossier(state=S.IDENTIFICATION)
    ev = db.session.scalars(select(Evidence)).one()
    with pytest.raises(Exception, match=r"(?i)check|constraint"):
        db.session.execute(
            text("UPDATE evidence_records SET kind = 'attendance_summary' WHERE id = :id"),
            {"id": ev.id},
        )
    db.session.rollback()
    assert d.id


def test_a_stale_evidence_edit_is_refused(app, make):
    d = make.dossier(state=S.IDENTIFICATION)
    c = people(d).candidate
    ev = db.session.scalars(select(Evidence)).one()
    seen = ev.version_id
    evidence.edit_evidence(c, ev, document("Prima modifica"), seen_version=seen)
    with pytest.raises(StaleEdit):
        evidence.edit_evidence(c, ev, document("Seconda scheda"), seen_version=seen)


def test_a_file_of_a_refused_type_stores_nothing(app, make):
    d = make.dossier(state=S.IDENTIFICATION)
    with pytest.raises(ValidationFailed):
        evidence.add_evidence(
            people(d).candidate, d, document(), files=[("script.pdf", b"#!/bin/sh\necho hi\n")]
        )


# --- training records -------------------------------------------------------------------


def _attended_course(make, candidate, items):
    from courses.models import AttendanceStatus
    from courses.services.registers import RowInput, save_register

    trainer = make.user(Role.TRAINER)
    module = make.module(framework_item_ids=[i.id for i in items])
    course = make.course(trainers=[trainer], modules=[module])
    enrolment = make.enrolment(course, candidate)
    lesson = make.lesson(course, trainer=trainer, date=course.start_date + dt.timedelta(days=5))
    save_register(
        trainer, lesson, course, [RowInput(enrolment.id, AttendanceStatus.PRESENT, 180, "", 0)]
    )
    db.session.commit()
    return course


def test_attendance_summary_copies_the_figures_of_that_moment(app, make):
    from lms.standards.models import FrameworkItem

    profile = make.profile()
    candidate = make.user(Role.TRAINEE)
    items = db.session.scalars(
        select(FrameworkItem).where(
            FrameworkItem.framework_id == profile.framework_id,
            FrameworkItem.code.in_(["C1", "C1.A1"]),
        )
    ).all()
    course = _attended_course(make, candidate, items)
    d = make.dossier(profile, candidate=candidate, course=course, state=S.IDENTIFICATION)
    ev = records.add_attendance_summary(people(d).acc, d)
    db.session.commit()
    assert ev.kind == EvidenceKind.ATTENDANCE_SUMMARY and ev.value == EvidenceValue.SECOND
    assert ev.data["attended_minutes"] == 180 and ev.data["held_minutes"] == 240
    assert ev.data["percentage"] == 75.0 and ev.data["certification_threshold_pct"] == 75
    linked = {
        link["item_id"] for link in snapshots.evidence_documents(people(d).acc, d)[0][-1]["links"]
    }
    assert linked == {i.id for i in items}


def test_attendance_summary_needs_a_course(app, make):
    d = make.dossier(state=S.IDENTIFICATION)
    with pytest.raises(Conflict):
        records.add_attendance_summary(people(d).candidate, d)


def test_assessment_results_are_copied_once_per_assessment(app, make, monkeypatch):
    from assessments.services.results import ItemResult

    d = make.dossier(state=S.IDENTIFICATION)
    items = target_items(d)
    released = dt.datetime(2026, 11, 10, 12, 0, tzinfo=dt.UTC)

    def fake_results(actor, trainee, item_ids):
        assert actor is trainee and trainee.id == d.candidate_id  # the candidate's own results
        assert set(item_ids) == {i.id for i in items}
        out = {i: [] for i in item_ids}
        out[items[1].id].append(
            ItemResult(
                items[1].id,
                "criterion",
                7,
                "Prova pratica",
                3,
                released,
                "Criterio 1",
                Decimal("3"),
                Decimal("5"),
                "Adeguato",
                "first",
            )
        )
        return out

    monkeypatch.setattr(records, "results_for_items", fake_results)
    added = records.add_assessment_results(people(d).candidate, d)
    assert len(added) == 1
    ev = added[0]
    assert ev.kind == EvidenceKind.ASSESSMENT_RESULT and ev.value == EvidenceValue.SECOND
    assert ev.type == EvidenceType.RESULT and ev.data["assessment_id"] == 7
    assert ev.data["results"][0]["points"] == "3" and ev.date == released.date()
    assert records.add_assessment_results(people(d).candidate, d) == []  # not twice


def test_assessment_results_from_the_real_service(app, make):
    """A released quiz question on a target item becomes second-party evidence."""
    from assessments.models import AssessmentKind
    from assessments.scoring import QuestionType
    from assessments.services import grading, taking
    from assessments.services.taking import AnswerInput, load_questions

    candidate = make.user(Role.TRAINEE)
    d = make.dossier(candidate=candidate, state=S.IDENTIFICATION)
    knowledge = next(i for i in target_items(d) if i.code == "C1.K1")
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    make.enrolment(course, candidate)
    quiz = make.assessment(course, AssessmentKind.QUIZ, actor=trainer, title="Quiz L. 68")
    make.question(
        quiz, QuestionType.TRUE_FALSE, actor=trainer, points="2", framework_item_ids=[knowledge.id]
    )
    (q,) = load_questions(trainer, quiz)
    attempt = taking.start_attempt(candidate, quiz)
    taking.submit_attempt(
        candidate, attempt, [AnswerInput(q.id, [next(c.id for c in q.choices if c.correct)])]
    )
    db.session.commit()
    assert records.add_assessment_results(candidate, d) == []  # not released yet
    grading.release(trainer, quiz)
    db.session.commit()
    (ev,) = records.add_assessment_results(candidate, d)
    assert ev.title == "Quiz L. 68" and ev.value == EvidenceValue.SECOND
    assert ev.data["results"][0]["points"] == "2.00"
    docs, _n = snapshots.evidence_documents(candidate, d)
    added = next(x for x in docs if x["id"] == ev.id)
    assert [link["item_id"] for link in added["links"]] == [knowledge.id]
    assert "2.00/2.00" in added["links"][0]["note"]


# --- observations ------------------------------------------------------------------------


def test_experts_record_observations_during_assessment_only(app, make):
    d = make.dossier(state=S.UNDER_ASSESSMENT)
    p = people(d)
    obs = ObservationInput(
        "Prova pratica: colloquio simulato",
        "Conduce il colloquio con linguaggio inclusivo.",
        dt.date(2026, 11, 18),
        links=_links(d, 1),
    )
    ev = evidence.record_observation(p.content, d, obs)
    assert ev.kind == EvidenceKind.OBSERVATION and ev.phase == EvidencePhase.ASSESSMENT
    for who in (p.candidate, p.acc, make.coordinator()):
        with pytest.raises(Forbidden):
            evidence.record_observation(who, d, obs)
    with pytest.raises(Forbidden):  # the candidate never edits an expert's observation
        evidence.edit_evidence(p.candidate, ev, document(), seen_version=ev.version_id)
    submitted = make.dossier(state=S.SUBMITTED)
    with pytest.raises(Conflict):
        evidence.record_observation(people(submitted).method, submitted, obs)


# --- the snapshot ------------------------------------------------------------------------


def test_submission_freezes_a_snapshot_that_later_edits_do_not_change(app, make):
    d = make.dossier(state=S.SUBMITTED)
    p = people(d)
    snap = snapshots.latest_snapshot(d)
    assert snap.number == 1 and len(snap.content["evidence"]) == 1
    frozen = snap.content["evidence"][0]
    assert frozen["title"] == "Attestato di prova" and len(frozen["links"]) == len(target_items(d))
    dossiers.return_to_identification(p.method, d, "Manca la lettera")
    ev = db.session.get(Evidence, frozen["id"])
    evidence.edit_evidence(p.candidate, ev, document("Cambiato dopo"), seen_version=ev.version_id)
    evidence.add_evidence(p.candidate, d, document("Nuova lettera"))
    db.session.commit()
    db.session.expire_all()
    first = db.session.scalars(select(DossierSnapshot).where(DossierSnapshot.number == 1)).one()
    assert first.content["evidence"][0]["title"] == "Attestato di prova"
    assert len(first.content["evidence"]) == 1
    # Experts see the snapshot, not the live edits, until the dossier is submitted again.
    docs, number = snapshots.evidence_documents(p.method, d)
    assert number == 1 and [x["title"] for x in docs] == ["Attestato di prova"]
    dossiers.submit(p.candidate, d)
    docs, number = snapshots.evidence_documents(p.content, d)
    assert number == 2 and sorted(x["title"] for x in docs) == ["Cambiato dopo", "Nuova lettera"]
    # The candidate works on the live dossier.
    assert snapshots.evidence_documents(p.candidate, d)[1] is None


def test_experts_see_their_observations_with_the_snapshot(app, make):
    d = make.dossier(state=S.UNDER_ASSESSMENT)
    p = people(d)
    evidence.record_observation(
        p.method, d, ObservationInput("Osservazione", "Descrizione", dt.date(2026, 11, 18))
    )
    docs, number = snapshots.evidence_documents(p.content, d)
    assert number == 1 and [x["kind"] for x in docs] == ["document", "observation"]


def test_snapshots_are_append_only_in_the_orm_and_the_database(app, make):
    d = make.dossier(state=S.SUBMITTED)
    snap = snapshots.latest_snapshot(d)
    snap.content = {"evidence": []}
    with pytest.raises(AppendOnly):
        db.session.flush()
    db.session.rollback()
    snap = snapshots.latest_snapshot(d)
    db.session.delete(snap)
    with pytest.raises(AppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.close()
    with db.engine.connect() as conn:
        for sql in (
            "UPDATE dossier_snapshots SET content = '{}'",
            "DELETE FROM dossier_snapshots",
        ):
            with pytest.raises(Exception, match="append-only"), conn.begin():
                conn.execute(text(sql))
        if conn.dialect.name == "postgresql":
            # CASCADE, or the foreign key of issued_documents refuses before the trigger runs
            with pytest.raises(Exception, match="append-only"), conn.begin():
                conn.execute(text("TRUNCATE dossier_snapshots CASCADE"))


# --- files ---------------------------------------------------------------------------------


def test_files_are_served_only_within_the_dossier_scope(app, make):
    d = make.dossier(state=S.IDENTIFICATION)
    p = people(d)
    ev = evidence.add_evidence(p.candidate, d, document(), files=[("lettera.pdf", PDF)])
    (link,) = db.session.scalars(select(EvidenceFile).where(EvidenceFile.evidence_id == ev.id))
    file_id = link.stored_file_id
    assert snapshots.dossier_file(p.candidate, d, file_id).original_name == "lettera.pdf"
    assert snapshots.dossier_file(p.acc, d, file_id).id == file_id
    with pytest.raises(NotFound):  # experts see files once submitted, from the snapshot
        snapshots.dossier_file(p.method, d, file_id)
    with pytest.raises(NotFound):
        snapshots.dossier_file(make.user(Role.TRAINEE), d, file_id)
    other = make.dossier(state=S.IDENTIFICATION)
    with pytest.raises(NotFound):  # an id of this dossier's file through another dossier
        snapshots.dossier_file(people(other).candidate, other, file_id)
    dossiers.submit(p.candidate, d)
    assert snapshots.dossier_file(p.method, d, file_id).id == file_id
    # Returned, the candidate removes the evidence: the snapshot's file stays readable.
    dossiers.return_to_identification(p.method, d, "Rivedere")
    evidence.remove_evidence(p.candidate, db.session.get(Evidence, ev.id))
    db.session.commit()
    assert snapshots.dossier_file(p.method, d, file_id).sha256
    with pytest.raises(NotFound):
        snapshots.dossier_file(p.candidate, d, file_id)
