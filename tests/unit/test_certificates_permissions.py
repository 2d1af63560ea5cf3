"""Who sees which dossier and may do what: the predicates inside and outside their scope,
and the worklist query built on the same rules."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from certificates import permissions as perm
from certificates.models import DossierState
from certificates.services.dossiers import dossiers_visible_to
from lms.accounts.models import Role
from lms.db import db
from tests.unit.certificates_helpers import people


@pytest.fixture
def two(app, make):
    """Two dossiers of different candidates with different people."""
    a = make.dossier(state=DossierState.IDENTIFICATION)
    b = make.dossier(state=DossierState.IDENTIFICATION)
    return a, b, people(a), people(b)


def test_each_person_sees_only_their_own_dossiers(two, make):
    a, b, pa, _pb = two
    for who in (pa.candidate, pa.acc, pa.method, pa.content):
        assert perm.can_view_dossier(who, a)
        assert not perm.can_view_dossier(who, b)
    for staff in (make.coordinator(), make.admin()):
        assert perm.can_view_dossier(staff, a) and perm.can_view_dossier(staff, b)
    for outsider in (make.user(Role.REFERENT), make.user(Role.TRAINEE), make.user(Role.ASSESSOR)):
        assert not perm.can_view_dossier(outsider, a)
    assert not perm.can_view_dossier(AnonymousUserMixin(), a)


def test_worklists_follow_the_same_rules(two, make):
    a, b, pa, pb = two

    def ids(actor):
        return {d.id for d in db.session.scalars(dossiers_visible_to(actor))}

    assert ids(pa.candidate) == {a.id}
    assert ids(pb.method) == {b.id}
    assert ids(pa.acc) == {a.id}
    assert ids(make.coordinator()) == {a.id, b.id}
    assert ids(make.user(Role.REFERENT)) == set()
    assert ids(make.user(Role.ASSESSOR)) == set()


def test_an_expert_who_lost_the_assessor_role_sees_nothing(two):
    a, _b, pa, _pb = two
    from lms.accounts.models import UserRole

    db.session.query(UserRole).filter_by(user_id=pa.method.id).delete()
    db.session.commit()
    db.session.expire_all()
    assert not perm.is_dossier_expert(pa.method, a)
    assert not perm.can_view_dossier(pa.method, a)
    assert db.session.scalars(dossiers_visible_to(pa.method)).all() == []


def test_transition_predicates_name_the_right_people(two, make):
    a, _b, p, _pb = two
    coordinator = make.coordinator()
    table = {
        perm.can_start_identification: {coordinator},
        perm.can_assign_dossier: {coordinator},
        perm.can_submit_dossier: {p.candidate, p.acc},
        perm.can_work_on_evidence: {p.candidate, p.acc},
        perm.can_take_dossier: {p.method, p.content},
        perm.can_return_dossier: {p.method, p.content, coordinator},
        perm.can_decide_dossier: {p.method, p.content},
        perm.can_withdraw_dossier: {coordinator},
        perm.can_record_observation: {p.method, p.content},
        perm.can_record_decision: {p.method, p.content},
    }
    everyone = {coordinator, p.candidate, p.acc, p.method, p.content}
    for predicate, allowed in table.items():
        for who in everyone:
            assert predicate(who, a) == (who in allowed), (predicate.__name__, who)


def test_only_experts_see_the_snapshot_only(two, make):
    a, _b, p, _pb = two
    assert perm.sees_snapshot_only(p.method, a) and perm.sees_snapshot_only(p.content, a)
    for who in (p.candidate, p.acc, make.coordinator()):
        assert not perm.sees_snapshot_only(who, a)


def test_decisions_are_read_by_the_candidate_once_decided(two, make):
    a, _b, p, _pb = two
    assert perm.can_view_decisions(p.method, a) and perm.can_view_decisions(make.coordinator(), a)
    assert not perm.can_view_decisions(p.candidate, a)
    a.state = DossierState.DECIDED  # in memory only: predicates are pure
    assert perm.can_view_decisions(p.candidate, a) and perm.can_view_decisions(p.acc, a)
    assert not perm.can_view_decisions(make.user(Role.TRAINEE), a)
    db.session.rollback()


def test_who_may_take_each_part(make, app):
    assert perm.can_be_candidate(make.user(Role.TRAINEE))
    assert not perm.can_be_candidate(make.user(Role.ASSESSOR))
    assert perm.can_be_expert(make.user(Role.ASSESSOR))
    assert not perm.can_be_expert(make.user(Role.TRAINER))
    for role in (Role.TRAINER, Role.ASSESSOR, Role.COORDINATOR):
        assert perm.can_be_accompagnatore(make.user(role))
    assert not perm.can_be_accompagnatore(make.user(Role.TRAINEE))
    assert perm.can_open_dossier(make.coordinator())
    assert not perm.can_open_dossier(make.user(Role.ASSESSOR))
    assert perm.can_list_dossiers(make.user(Role.TRAINEE))
    assert not perm.can_list_dossiers(make.user(Role.REFERENT))


def test_predicates_are_exposed_to_templates(app):
    assert app.jinja_env.globals["can_view_dossier"] is perm.can_view_dossier
