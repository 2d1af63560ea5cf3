"""Dossiers: opening, and the independence rules of the assignment (service and database)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from certificates.models import DossierState
from certificates.services import dossiers
from lms.accounts.models import Role
from lms.db import db
from lms.errors import Conflict, Forbidden, ValidationFailed
from tests.unit.certificates_helpers import audit_actions, open_on_profile, people

S = DossierState

# --- opening and independence ------------------------------------------------------------


def test_coordinator_opens_a_draft_on_a_published_profile(app, make):
    profile = make.profile(competences=3)
    candidate = make.user(Role.TRAINEE)
    d = open_on_profile(make, profile, candidate)
    db.session.commit()
    assert d.state == S.DRAFT
    assert [a.action for a in audit_actions("dossier", d.id)] == ["dossier.open"]
    assert len(audit_actions("dossier", d.id)[0].after["competence_ids"]) == 3


def test_only_staff_open_dossiers(app, make):
    profile = make.profile()
    candidate = make.user(Role.TRAINEE)
    for role in (Role.TRAINER, Role.ASSESSOR, Role.TRAINEE, Role.REFERENT):
        with pytest.raises(Forbidden):
            dossiers.open_dossier(
                make.user(role), candidate=candidate, profile=profile, competence_ids=[1]
            )


def test_a_draft_framework_or_foreign_competences_are_refused(app, make):
    draft = make.profile(publish=False)
    candidate = make.user(Role.TRAINEE)
    with pytest.raises(ValidationFailed) as err:
        open_on_profile(make, draft, candidate)
    assert "profile_id" in err.value.fields
    published = make.profile()
    with pytest.raises(ValidationFailed) as err:
        dossiers.open_dossier(
            make.coordinator(),
            candidate=candidate,
            profile=published,
            competence_ids=[draft.id + 10_000],
        )
    assert "competence_ids" in err.value.fields
    with pytest.raises(ValidationFailed):
        dossiers.open_dossier(
            make.coordinator(), candidate=candidate, profile=published, competence_ids=[]
        )


@pytest.mark.parametrize(
    ("who", "field"),
    [
        ("acc_is_method", "method_expert_id"),
        ("acc_is_content", "content_expert_id"),
        ("same_experts", "content_expert_id"),
        ("candidate_is_method", "method_expert_id"),
        ("candidate_is_content", "content_expert_id"),
        ("candidate_is_acc", "accompagnatore_id"),
        ("expert_not_assessor", "method_expert_id"),
    ],
)
def test_service_refuses_assignments_that_break_independence(app, make, who, field):
    profile = make.profile()
    candidate = make.user(Role.TRAINEE, Role.ASSESSOR)  # an assessor could be tempted
    a1, a2 = make.user(Role.ASSESSOR, Role.TRAINER), make.user(Role.ASSESSOR)
    ids = {
        "acc_is_method": (a1, a1, a2),
        "acc_is_content": (a1, a2, a1),
        "same_experts": (make.user(Role.TRAINER), a2, a2),
        "candidate_is_method": (a1, candidate, a2),
        "candidate_is_content": (a1, a2, candidate),
        "candidate_is_acc": (candidate, a1, a2),
        "expert_not_assessor": (a2, make.user(Role.TRAINER), a1),
    }[who]
    with pytest.raises(ValidationFailed) as err:
        open_on_profile(
            make,
            profile,
            candidate,
            accompagnatore_id=ids[0].id,
            method_expert_id=ids[1].id,
            content_expert_id=ids[2].id,
        )
    assert field in err.value.fields


def test_accompagnatore_of_another_dossier_cannot_assess_the_same_candidate(app, make):
    versatile = make.user(Role.TRAINER, Role.ASSESSOR)
    first = make.dossier(accompagnatore=versatile)
    p = people(first)
    with pytest.raises(ValidationFailed) as err:
        open_on_profile(
            make,
            make.profile(),
            p.candidate,
            accompagnatore_id=make.user(Role.TRAINER).id,
            method_expert_id=p.content.id,
            content_expert_id=versatile.id,
        )
    assert list(err.value.fields) == ["content_expert_id"]
    with pytest.raises(ValidationFailed) as err:  # an expert of another dossier cannot accompany
        open_on_profile(make, make.profile(), p.candidate, accompagnatore_id=p.method.id)
    assert "accompagnatore_id" in err.value.fields
    # Another candidate is fine.
    open_on_profile(make, make.profile(), make.user(Role.TRAINEE), accompagnatore_id=p.method.id)


@pytest.mark.parametrize(
    "constraint",
    [
        "accompagnatore_not_method_expert",
        "accompagnatore_not_content_expert",
        "experts_differ",
        "candidate_not_accompagnatore",
        "candidate_not_method_expert",
        "candidate_not_content_expert",
    ],
)
def test_database_refuses_assignments_that_break_independence(app, make, constraint):
    d = make.dossier()
    p = people(d)
    column, value = {
        "accompagnatore_not_method_expert": ("accompagnatore_id", p.method.id),
        "accompagnatore_not_content_expert": ("accompagnatore_id", p.content.id),
        "experts_differ": ("content_expert_id", p.method.id),
        "candidate_not_accompagnatore": ("accompagnatore_id", p.candidate.id),
        "candidate_not_method_expert": ("method_expert_id", p.candidate.id),
        "candidate_not_content_expert": ("content_expert_id", p.candidate.id),
    }[constraint]
    with pytest.raises(IntegrityError):
        db.session.execute(
            text(f"UPDATE dossiers SET {column} = :v WHERE id = :id"), {"v": value, "id": d.id}
        )
    db.session.rollback()


def test_database_requires_experts_once_submitted(app, make):
    d = make.dossier(state=S.SUBMITTED)
    with pytest.raises(IntegrityError):
        db.session.execute(
            text("UPDATE dossiers SET method_expert_id = NULL WHERE id = :id"), {"id": d.id}
        )
    db.session.rollback()


def test_assign_changes_people_before_assessment_only(app, make):
    d = make.dossier(state=S.IDENTIFICATION)
    coordinator = make.coordinator()
    new_expert = make.user(Role.ASSESSOR)
    dossiers.assign(
        coordinator,
        d,
        accompagnatore_id=d.accompagnatore_id,
        method_expert_id=new_expert.id,
        content_expert_id=d.content_expert_id,
    )
    assert d.method_expert_id == new_expert.id
    entry = audit_actions("dossier", d.id)[-1]
    assert entry.action == "dossier.assign" and entry.after["method_expert_id"] == new_expert.id
    with pytest.raises(Forbidden):
        dossiers.assign(
            people(d).acc,
            d,
            accompagnatore_id=d.accompagnatore_id,
            method_expert_id=d.method_expert_id,
            content_expert_id=d.content_expert_id,
        )
    busy = make.dossier(state=S.UNDER_ASSESSMENT)
    with pytest.raises(Conflict):
        dossiers.assign(
            coordinator,
            busy,
            accompagnatore_id=busy.accompagnatore_id,
            method_expert_id=busy.content_expert_id,
            content_expert_id=busy.method_expert_id,
        )
