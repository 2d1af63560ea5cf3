"""Assessment: each expert's own records, collegiality, disagreement, history, versions."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text

from certificates.models import (
    AppendOnly,
    AssessmentMethod,
    CompetenceDecision,
    DecisionHistory,
    DecisionOutcome,
    DossierState,
)
from certificates.services import decisions, dossiers
from certificates.services.common import target_competence_ids
from certificates.services.decisions import DecisionInput
from lms.accounts.models import Role
from lms.db import db
from lms.errors import Conflict, Forbidden, NotFound, StaleEdit, ValidationFailed
from tests.unit.certificates_helpers import people

OUT = DecisionOutcome
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def _input(outcome=OUT.VALIDATED, **kw):
    return DecisionInput(
        outcome=outcome,
        method=kw.pop("method", AssessmentMethod.DOCUMENTARY),
        reasons=kw.pop("reasons", "Le evidenze coprono tutte le abilità."),
        **kw,
    )


def _sign(expert, d, comp, outcome=OUT.VALIDATED, version=0, **kw):
    return decisions.record_decision(
        expert, d, comp, _input(outcome, **kw), seen_version=version, now=NOW
    )


@pytest.fixture
def assessed(app, make):
    d = make.dossier(make.profile(competences=2), state=DossierState.UNDER_ASSESSMENT)
    return d, people(d), target_competence_ids(d)


def test_a_competence_is_decided_only_when_both_experts_sign_the_same_outcome(assessed):
    d, p, (c1, c2) = assessed
    _sign(p.method, d, c1)
    status = {s.competence_id: s for s in decisions.competence_statuses(d)}
    assert not status[c1].decided and status[c1].outcome is None
    _sign(p.content, d, c1)
    status = {s.competence_id: s for s in decisions.competence_statuses(d)}
    assert status[c1].decided and status[c1].outcome == OUT.VALIDATED
    assert not status[c2].decided
    with pytest.raises(Conflict):
        dossiers.decide(p.method, d)  # c2 is not decided yet
    _sign(p.method, d, c2, OUT.NOT_VALIDATED)
    _sign(p.content, d, c2, OUT.NOT_VALIDATED)
    dossiers.decide(p.content, d)
    assert d.state == DossierState.DECIDED and d.decided_at is not None


def test_an_unsigned_record_does_not_count(assessed):
    d, p, (c1, c2) = assessed
    for c in (c1, c2):
        _sign(p.method, d, c)
        _sign(p.content, d, c, sign=False)
    assert not any(s.decided for s in decisions.competence_statuses(d))
    with pytest.raises(Conflict):
        dossiers.decide(p.method, d)


def test_both_asking_for_a_direct_test_is_not_a_decision(assessed):
    d, p, (c1, c2) = assessed
    for c in (c1, c2):
        _sign(p.method, d, c, OUT.DIRECT_TEST_NEEDED)
        _sign(p.content, d, c, OUT.DIRECT_TEST_NEEDED)
    assert decisions.disagreements(d) == []
    with pytest.raises(Conflict):
        dossiers.decide(p.method, d)


def test_a_disagreement_is_reported_and_blocks_the_decision_until_resolved(assessed):
    d, p, (c1, c2) = assessed
    _sign(p.method, d, c1, OUT.VALIDATED)
    mine = _sign(p.content, d, c1, OUT.NOT_VALIDATED)
    _sign(p.method, d, c2)
    _sign(p.content, d, c2)
    found = decisions.disagreements(d)
    assert [s.competence_id for s in found] == [c1]
    assert {x.outcome for x in found[0].signed} == {OUT.VALIDATED, OUT.NOT_VALIDATED}
    with pytest.raises(Conflict, match=r"disagree|disaccordo"):
        dossiers.decide(p.method, d)
    # The content expert revises, with history: the disagreement is resolved.
    decisions.edit_decision(
        p.content,
        mine,
        _input(OUT.VALIDATED, reasons="Rivisto dopo il confronto."),
        seen_version=mine.version_id,
        now=NOW,
    )
    assert decisions.disagreements(d) == []
    dossiers.decide(p.method, d)
    history = decisions.history_of(p.method, mine)
    assert [h.action for h in history] == ["create", "revise"]
    assert history[1].before["outcome"] == "not_validated"
    assert history[1].after["outcome"] == "validated"
    assert history[1].changed_by_id == p.content.id


def test_an_expert_never_edits_the_other_experts_record(assessed):
    d, p, (c1, _c2) = assessed
    theirs = _sign(p.method, d, c1)
    with pytest.raises(Forbidden):
        decisions.edit_decision(p.content, theirs, _input(OUT.NOT_VALIDATED), seen_version=1)
    # Recording on the same competence creates the content expert's own record instead.
    mine = _sign(p.content, d, c1, OUT.NOT_VALIDATED)
    assert mine.id != theirs.id and mine.expert_id == p.content.id
    db.session.refresh(theirs)
    assert theirs.outcome == OUT.VALIDATED


def test_only_assigned_experts_record_decisions(assessed, make):
    d, p, (c1, _c2) = assessed
    for who in (p.candidate, p.acc, make.coordinator()):
        with pytest.raises(Forbidden):
            _sign(who, d, c1)
    with pytest.raises(NotFound):
        _sign(make.user(Role.ASSESSOR), d, c1)


def test_decisions_only_while_under_assessment(app, make):
    d = make.dossier(state=DossierState.SUBMITTED)
    p = people(d)
    with pytest.raises(Conflict):
        _sign(p.method, d, target_competence_ids(d)[0])


def test_decisions_only_on_target_competences(assessed, make):
    d, p, _ = assessed
    other = make.profile()
    from lms.standards.models import profile_competences

    foreign = db.session.scalar(
        select(profile_competences.c.competence_id).where(
            profile_competences.c.profile_id == other.id
        )
    )
    with pytest.raises(ValidationFailed):
        _sign(p.method, d, foreign)


def test_a_direct_test_needs_its_date_and_result(assessed):
    d, p, (c1, _c2) = assessed
    with pytest.raises(ValidationFailed) as err:
        _sign(p.method, d, c1, method=AssessmentMethod.PRACTICAL)
    assert "test_date" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        _sign(p.method, d, c1, method=AssessmentMethod.ORAL, test_date=dt.date(2026, 11, 19))
    assert "test_result" in err.value.fields
    rec = _sign(
        p.method,
        d,
        c1,
        method=AssessmentMethod.INTERVIEW,
        test_date=dt.date(2026, 11, 19),
        test_result="Colloquio superato: risposte complete.",
    )
    assert rec.method == AssessmentMethod.INTERVIEW and rec.signed_at == NOW


def test_database_refuses_a_decision_without_reasons(assessed):
    d, p, (c1, _c2) = assessed
    rec = _sign(p.method, d, c1)
    db.session.commit()
    with pytest.raises(Exception, match=r"(?i)check|constraint"):
        db.session.execute(
            text("UPDATE competence_decisions SET reasons = '' WHERE id = :id"), {"id": rec.id}
        )
    db.session.rollback()


def test_a_stale_version_is_refused(assessed):
    d, p, (c1, _c2) = assessed
    rec = _sign(p.method, d, c1)
    seen = rec.version_id
    decisions.edit_decision(p.method, rec, _input(OUT.NOT_VALIDATED), seen_version=seen)
    with pytest.raises(StaleEdit):  # the second tab still shows the first version
        decisions.edit_decision(p.method, rec, _input(OUT.VALIDATED), seen_version=seen)
    with pytest.raises(StaleEdit):  # a "new" record where one exists already
        _sign(p.method, d, c1, version=0)


def test_a_lost_update_in_the_database_becomes_stale_edit(assessed):
    d, p, (c1, _c2) = assessed
    rec = _sign(p.method, d, c1)
    db.session.commit()
    seen = rec.version_id  # loaded: the session holds this version in memory
    # Someone else saves in between (another request, another connection).
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE competence_decisions SET version_id = version_id + 1 WHERE id = :id"),
            {"id": rec.id},
        )
    assert rec.version_id == seen  # so only the database's version check can notice
    with pytest.raises(StaleEdit):
        decisions.edit_decision(p.method, rec, _input(OUT.NOT_VALIDATED), seen_version=seen)
    db.session.rollback()


def test_history_is_append_only(assessed):
    d, p, (c1, _c2) = assessed
    _sign(p.method, d, c1)
    db.session.commit()
    row = db.session.scalars(select(DecisionHistory)).one()
    row.action = "tampered"
    with pytest.raises(AppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.close()
    with db.engine.connect() as conn:
        for sql in ("UPDATE decision_history SET action = 'x'", "DELETE FROM decision_history"):
            with pytest.raises(Exception, match="append-only"), conn.begin():
                conn.execute(text(sql))


def test_decisions_are_audited(assessed):
    from tests.unit.certificates_helpers import audit_actions

    d, p, (c1, _c2) = assessed
    rec = _sign(p.method, d, c1)
    entries = audit_actions("competence_decision", rec.id)
    assert [e.action for e in entries] == ["decision.create"]
    assert entries[0].actor_id == p.method.id and entries[0].after["outcome"] == "validated"


def test_who_reads_the_decisions(assessed, make):
    d, p, (c1, _c2) = assessed
    _sign(p.method, d, c1)
    assert decisions.decisions_of(p.content, d)
    assert decisions.decisions_of(make.coordinator(), d)
    with pytest.raises(Forbidden):  # the candidate reads them once the dossier is decided
        decisions.decisions_of(p.candidate, d)
    with pytest.raises(NotFound):
        decisions.decisions_of(make.user(Role.ASSESSOR), d)


def test_unique_record_per_expert_and_competence_in_the_database(assessed):
    d, p, (c1, _c2) = assessed
    rec = _sign(p.method, d, c1)
    db.session.commit()
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        db.session.add(
            CompetenceDecision(
                dossier_id=d.id,
                competence_id=c1,
                expert_id=rec.expert_id,
                outcome=OUT.VALIDATED,
                method=AssessmentMethod.DOCUMENTARY,
                reasons="doppione",
            )
        )
        db.session.flush()
    db.session.rollback()


def test_only_the_experts_close_the_assessment(assessed, make):
    d, p, comps = assessed
    for c in comps:
        _sign(p.method, d, c)
        _sign(p.content, d, c)
    for who in (p.candidate, p.acc, make.coordinator()):
        with pytest.raises(Forbidden):
            dossiers.decide(who, d)
    with pytest.raises(NotFound):
        dossiers.decide(make.user(Role.ASSESSOR), d)
    dossiers.decide(p.method, d)
    with pytest.raises(Conflict):  # decided is final for this issue
        dossiers.decide(p.method, d)
    with pytest.raises(Conflict):  # and decisions are locked
        _sign(p.method, d, comps[0], OUT.NOT_VALIDATED, version=1)
    from tests.unit.certificates_helpers import audit_actions

    last = audit_actions("dossier", d.id)[-1]
    assert last.action == "dossier.decided" and last.actor_id == p.method.id
