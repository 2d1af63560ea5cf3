"""The platform's predicates, with objects inside and outside each role's scope, and the
services that refuse an actor the predicates refuse (or no actor at all)."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from lms.accounts import permissions as acc
from lms.accounts import services
from lms.accounts.importing import import_users, parse_users_csv
from lms.accounts.models import Role
from lms.audit import permissions as audit
from lms.audit.queries import audit_query
from lms.dashboard import permissions as dash
from lms.db import db
from lms.errors import Forbidden, NotFound
from lms.organisations import permissions as orgs
from lms.organisations import services as org_services
from lms.standards import permissions as std

ANON = AnonymousUserMixin()


@pytest.fixture
def people(app, make):
    """One person per role; the referent belongs to `own`, and `other` is another company."""
    own, other = make.organisation(), make.organisation()
    p = {
        "admin": make.user(Role.ADMIN),
        "coordinator": make.user(Role.COORDINATOR),
        "trainer": make.user(Role.TRAINER),
        "assessor": make.user(Role.ASSESSOR),
        "trainee": make.user(Role.TRAINEE, organisation=own),
        "referent": make.user(Role.REFERENT, organisation=own),
        "system": services.system_actor(),
    }
    db.session.commit()
    return p, own, other


def test_role_predicates(people):
    p, _own, _other = people
    assert [r for r in p if acc.is_admin(p[r])] == ["admin", "system"]
    assert [r for r in p if acc.is_staff(p[r])] == ["admin", "coordinator", "system"]
    assert [r for r in p if acc.is_referent(p[r])] == ["referent"]
    assert [r for r in p if acc.is_system(p[r])] == ["system"]
    for predicate in (acc.is_admin, acc.is_staff, acc.is_trainer, acc.is_referent, acc.is_system):
        assert not predicate(ANON)


def test_account_predicates_inside_and_outside_scope(people, make):
    p, _own, _other = people
    admin, trainee, system = p["admin"], p["trainee"], p["system"]
    someone = make.user(Role.TRAINER)
    assert acc.can_view_user(trainee, trainee) and not acc.can_view_user(trainee, someone)
    assert acc.can_view_user(admin, someone) and not acc.can_view_user(ANON, someone)
    assert acc.can_edit_user(admin, someone) and not acc.can_edit_user(p["coordinator"], someone)
    assert not acc.can_edit_user(admin, system)  # nobody edits the built-in account
    assert acc.can_edit_user(admin, admin) and not acc.can_deactivate_user(admin, admin)
    assert acc.can_deactivate_user(admin, someone)
    for role in ("coordinator", "trainer", "assessor", "trainee", "referent"):
        assert not acc.can_manage_users(p[role]) and not acc.can_import_users(p[role])
        assert not acc.can_create_user(p[role])
    assert acc.can_manage_users(admin) and acc.can_import_users(admin)


def test_password_link_and_token_predicates(people, make):
    p, _own, _other = people
    admin, trainee, system = p["admin"], p["trainee"], p["system"]
    someone = make.user(Role.TRAINER)
    assert acc.can_send_password_link(admin, someone)
    assert acc.can_send_password_link(someone, someone)  # "forgot password": oneself
    assert not acc.can_send_password_link(trainee, someone)
    assert not acc.can_send_password_link(admin, system)
    services.set_active(admin, someone, False)
    assert not acc.can_send_password_link(admin, someone)  # deactivated: no link
    assert acc.can_create_token(trainee, trainee) and not acc.can_create_token(admin, trainee)
    assert acc.can_create_token(system, trainee) and not acc.can_create_token(system, system)
    token, _raw = services.create_api_token(trainee, "t")
    assert acc.can_manage_token(trainee, token) and not acc.can_manage_token(admin, token)
    assert acc.can_view_tokens(trainee, trainee) and not acc.can_view_tokens(admin, trainee)


def test_organisation_predicates_inside_and_outside_scope(people):
    p, own, other = people
    referent = p["referent"]
    assert orgs.can_view_organisation_people(referent, own)
    assert not orgs.can_view_organisation_people(referent, other)
    assert not orgs.can_view_organisation_people(p["trainee"], own)
    for role in ("admin", "coordinator"):
        assert orgs.can_view_organisation_people(p[role], other)
        assert orgs.can_view_organisations(p[role]) and orgs.can_view_organisation(p[role], other)
    assert not orgs.can_view_organisations(referent) and not orgs.can_view_organisation(
        referent, own
    )
    assert orgs.can_edit_organisation(p["admin"], other) and orgs.can_manage_organisations(
        p["admin"]
    )
    assert not orgs.can_edit_organisation(p["coordinator"], other)
    assert not orgs.can_manage_organisations(p["coordinator"])


def test_audit_standards_dashboard_predicates(people):
    p, _own, _other = people
    assert [r for r in p if audit.can_view_audit(p[r])] == ["admin", "system"]
    assert [r for r in p if std.can_manage_standards(p[r])] == ["admin", "system"]
    assert all(std.can_view_standards(u) for u in p.values()) and not std.can_view_standards(ANON)
    assert [r for r in p if dash.sees_admin_panel(p[r])] == ["admin", "system"]
    assert [r for r in p if dash.sees_coordinator_panel(p[r])] == ["coordinator"]
    assert [r for r in p if dash.sees_referent_panel(p[r])] == ["referent"]
    assert dash.can_view_dashboard(p["trainee"]) and not dash.can_view_dashboard(ANON)


def test_services_refuse_what_the_predicates_refuse(people, make):
    p, own, other = people
    coordinator, trainee, referent = p["coordinator"], p["trainee"], p["referent"]
    someone = make.user(Role.TRAINER)
    refused = [
        lambda: services.create_user(
            coordinator, email="x@example.org", full_name="X", roles={Role.TRAINEE}
        ),
        lambda: services.create_user(
            None, email="x@example.org", full_name="X", roles={Role.TRAINEE}
        ),
        lambda: services.update_user(
            coordinator,
            someone,
            email=someone.email,
            full_name="Y",
            roles={Role.TRAINER},
            locale="it",
            organisation_id=None,
            active=True,
        ),
        lambda: services.set_active(trainee, someone, False),
        lambda: services.set_active(p["admin"], p["system"], False),
        lambda: services.create_password_link(trainee, someone),
        lambda: services.create_password_link(p["admin"], p["system"]),
        lambda: services.create_api_token(p["admin"], "t", owner=someone),
        lambda: services.list_users(coordinator),
        lambda: services.list_api_tokens(p["admin"], someone),
        lambda: import_users(coordinator, parse_users_csv("email,full_name,roles\n")),
        lambda: org_services.create_organisation(
            coordinator, name="N", tax_code="x", size_band="small"
        ),
        lambda: org_services.update_organisation(
            coordinator,
            own,
            name="N",
            tax_code=own.tax_code,
            sector="",
            size_band=own.size_band,
            active=True,
        ),
        lambda: org_services.list_organisations(referent),
        lambda: org_services.organisations_with_people(trainee),
        lambda: audit_query(coordinator),
    ]
    for call in refused:
        with pytest.raises(Forbidden):
            call()
        db.session.rollback()
    with pytest.raises(NotFound):  # another company's people: existence is private
        org_services.people_of(referent, other)
    token, _raw = services.create_api_token(trainee, "t")
    with pytest.raises(NotFound):
        services.revoke_api_token(someone, token)


def test_system_actor_is_built_in_and_cannot_log_in(app):
    system = services.system_actor()
    assert services.system_actor().id == system.id  # created once
    assert system.password_hash is None
    assert services.authenticate(system.email, "") is None
    admin = services.create_user(
        system, email="a@example.org", full_name="A", roles={Role.ADMIN}, password="x" * 12
    )
    assert system.id not in {u.id for u in db.session.scalars(services.list_users(admin))}
    from lms.errors import ValidationFailed

    with pytest.raises(ValidationFailed):  # the reserved address cannot be given to a person
        services.create_user(system, email=system.email, full_name="B", roles={Role.TRAINEE})
