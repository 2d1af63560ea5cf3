"""The certificates demo: dossiers in every state, corsista1's decided with both signatures."""

from __future__ import annotations

from sqlalchemy import func, select

from certificates.models import (
    CompetenceDecision,
    Dossier,
    DossierState,
    Evidence,
    EvidenceFile,
    EvidenceKind,
    EvidenceValue,
)
from certificates.services.decisions import competence_statuses, disagreements
from lms.accounts.services import get_user_by_email
from lms.db import db


def _run_demo(app):
    result = app.test_cli_runner().invoke(args=["lms", "demo"])
    assert result.exit_code == 0, result.output


def test_the_demo_has_dossiers_in_every_state_and_a_decided_one_for_corsista1(app):
    _run_demo(app)
    db.session.remove()
    states = set(db.session.scalars(select(Dossier.state)))
    wanted = {
        DossierState.DRAFT,
        DossierState.IDENTIFICATION,
        DossierState.SUBMITTED,
        DossierState.UNDER_ASSESSMENT,
        DossierState.DECIDED,
        DossierState.RETURNED,
        DossierState.WITHDRAWN,
    }
    assert wanted <= states
    method = get_user_by_email("valutatore1@demo.example")
    content = get_user_by_email("valutatore2@demo.example")
    every = db.session.scalars(select(Dossier)).all()
    assert all(d.method_expert_id == method.id and d.content_expert_id == content.id for d in every)
    assert all(d.accompagnatore_id not in d.expert_ids for d in every)

    corsista1 = get_user_by_email("corsista1@demo.example")
    mine = db.session.scalars(select(Dossier).where(Dossier.candidate_id == corsista1.id)).all()
    assert len(mine) == 1
    dossier = mine[0]
    assert dossier.state == DossierState.ISSUED and dossier.course_id is not None  # issue 9
    statuses = competence_statuses(dossier)
    assert len(statuses) == 6
    for status in statuses:
        assert status.both_signed and status.decided
        assert {d.expert_id for d in status.signed} == {method.id, content.id}
    kinds = {
        (e.kind, e.value)
        for e in db.session.scalars(select(Evidence).where(Evidence.dossier_id == dossier.id))
    }
    assert (EvidenceKind.ATTENDANCE_SUMMARY, EvidenceValue.SECOND) in kinds
    assert (EvidenceKind.ASSESSMENT_RESULT, EvidenceValue.SECOND) in kinds
    assert (EvidenceKind.DOCUMENT, EvidenceValue.THIRD) in kinds
    assert (EvidenceKind.SELF_DECLARATION, EvidenceValue.FIRST) in kinds
    files = db.session.scalar(
        select(func.count(EvidenceFile.evidence_id))
        .join(Evidence, Evidence.id == EvidenceFile.evidence_id)
        .where(Evidence.dossier_id == dossier.id)
    )
    assert files >= 2

    under = [d for d in every if d.state == DossierState.UNDER_ASSESSMENT]
    assert any(disagreements(d) for d in under)
    returned = next(d for d in every if d.state == DossierState.RETURNED)
    from certificates.services.dossiers import comments_of

    staff = get_user_by_email("coordinatore@demo.example")
    assert any(c.transition == "returned" for c in comments_of(staff, returned))
    assert db.session.scalar(select(func.count(CompetenceDecision.id))) > 0
