"""The database guard of migration 0009: a decision row belongs to one of the dossier's two
assigned experts (SQL that bypasses the services is refused on SQLite and PostgreSQL), an
expert who has decided is not replaced during the assessment, and the service path answers
a lost race with a message, not a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from certificates.models import AssessmentMethod, DecisionOutcome, Dossier, DossierState
from certificates.services import decisions, dossiers
from certificates.services.common import target_competence_ids
from certificates.services.decisions import DecisionInput
from lms.accounts.models import Role
from lms.db import db, domain_error_for
from lms.errors import Conflict, Forbidden
from tests.unit.certificates_helpers import people

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
INSERT = text(
    "INSERT INTO competence_decisions (dossier_id, competence_id, expert_id, outcome, method, "
    "test_result, reasons, version_id, created_at, updated_at) VALUES (:d, :c, :e, "
    "'validated', 'documentary', '', 'Ragioni', 1, :now, :now)"
)


def _sign(expert, d, comp):
    return decisions.record_decision(
        expert,
        d,
        comp,
        DecisionInput(DecisionOutcome.VALIDATED, AssessmentMethod.DOCUMENTARY, "Ragioni"),
        seen_version=0,
        now=NOW,
    )


def _insert(d, comp, expert_id):
    db.session.execute(INSERT, {"d": d.id, "c": comp, "e": expert_id, "now": NOW})


@pytest.fixture
def assessed(app, make):
    d = make.dossier(make.profile(competences=2), state=DossierState.UNDER_ASSESSMENT)
    return d, people(d), target_competence_ids(d)


def test_sql_inserting_a_decision_for_someone_not_assigned_is_refused(assessed, make):
    d, p, (c1, c2) = assessed
    stranger = make.user(Role.ASSESSOR)
    for who in (p.acc.id, p.candidate.id, stranger.id):
        with pytest.raises(IntegrityError, match="decision_expert_assigned"):
            _insert(d, c1, who)
        db.session.rollback()
    _insert(d, c1, p.method.id)  # the assigned experts pass
    _insert(d, c2, p.content.id)
    db.session.commit()
    with pytest.raises(IntegrityError, match="decision_expert_assigned"):
        db.session.execute(
            text("UPDATE competence_decisions SET expert_id = :e WHERE expert_id = :m"),
            {"e": stranger.id, "m": p.method.id},
        )
    db.session.rollback()
    other = make.dossier(state=DossierState.UNDER_ASSESSMENT)
    with pytest.raises(IntegrityError, match="decision_expert_assigned"):  # moved elsewhere
        db.session.execute(
            text("UPDATE competence_decisions SET dossier_id = :o WHERE expert_id = :m"),
            {"o": other.id, "m": p.method.id},
        )
    db.session.rollback()
    # The rest of a row may change (the service revises outcomes).
    db.session.execute(text("UPDATE competence_decisions SET reasons = 'Riviste'"))
    db.session.commit()


def test_an_expert_who_decided_is_not_replaced_while_the_decisions_count(assessed, make):
    d, p, (c1, _c2) = assessed
    _sign(p.method, d, c1)
    db.session.commit()
    newcomer = make.user(Role.ASSESSOR)
    with pytest.raises(IntegrityError, match="deciding_expert_kept"):
        db.session.execute(
            text("UPDATE dossiers SET method_expert_id = :n WHERE id = :d"),
            {"n": newcomer.id, "d": d.id},
        )
    db.session.rollback()
    # The expert who has not decided yet may still be replaced in the database...
    db.session.execute(
        text("UPDATE dossiers SET content_expert_id = :n WHERE id = :d"),
        {"n": newcomer.id, "d": d.id},
    )
    db.session.rollback()
    # ... and once returned to identification, the coordinator reassigns anyone: the former
    # expert's record stays as history, which the services ignore.
    dossiers.return_to_identification(p.method, d, "Manca un'evidenza")
    dossiers.assign(
        make.coordinator(),
        d,
        accompagnatore_id=p.acc.id,
        method_expert_id=newcomer.id,
        content_expert_id=p.content.id,
    )
    db.session.commit()
    assert db.session.get(Dossier, d.id).method_expert_id == newcomer.id


def test_the_service_path_answers_a_lost_race_with_a_message(assessed, make):
    d, p, (c1, c2) = assessed
    with pytest.raises(Forbidden):  # the service's own check comes first
        _sign(p.acc, d, c1)
    db.session.rollback()
    # A lost race: the coordinator replaces the content expert (in another transaction, here
    # by SQL) after the service has read the dossier; the database refuses the record.
    newcomer = make.user(Role.ASSESSOR)
    d = db.session.get(Dossier, d.id)
    assert d.content_expert_id == p.content.id
    db.session.execute(
        text("UPDATE dossiers SET content_expert_id = :n WHERE id = :d"),
        {"n": newcomer.id, "d": d.id},
    )
    with pytest.raises(Forbidden) as refused:
        _sign(p.content, d, c1)
    assert refused.value.message == "Solo i due esperti assegnati al dossier registrano decisioni."
    db.session.rollback()
    _sign(p.method, d, c2)
    db.session.commit()
    try:
        db.session.execute(
            text("UPDATE dossiers SET method_expert_id = :n WHERE id = :d"),
            {"n": newcomer.id, "d": d.id},
        )
    except IntegrityError as exc:
        error = domain_error_for(exc)
    db.session.rollback()
    assert isinstance(error, Conflict) and "sostituito" in error.message
