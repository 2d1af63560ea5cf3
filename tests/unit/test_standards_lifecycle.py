"""The framework life cycle: draft -> published -> retired, new versions keeping item UUIDs,
and a published framework that never changes (services refuse, the database too)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from lms.accounts.models import Role
from lms.db import db
from lms.errors import Conflict, Forbidden
from lms.standards import lifecycle
from lms.standards.models import (
    Framework,
    FrameworkItem,
    FrameworkStatus,
    Profile,
    profile_competences,
)
from lms.standards.permissions import (
    can_edit_framework,
    can_manage_standards,
    can_view_standards,
)
from lms.standards.services import create_competence, create_framework


def _fw(profile) -> Framework:
    return db.session.get(Framework, profile.framework_id)


def _items(fw) -> list[FrameworkItem]:
    return list(
        db.session.scalars(
            select(FrameworkItem)
            .where(FrameworkItem.framework_id == fw.id)
            .order_by(FrameworkItem.code)
        )
    )


def test_items_get_a_uuid(app, make):
    profile = make.profile(publish=False)
    items = _items(_fw(profile))
    assert len(items) == 10
    for item in items:
        assert uuid.UUID(item.uuid).version == 4
    assert len({i.uuid for i in items}) == len(items)


def test_publish_and_retire(app, make):
    profile = make.profile(publish=False)
    fw = _fw(profile)
    admin = make.admin()
    assert fw.status == FrameworkStatus.DRAFT
    with pytest.raises(Forbidden):
        lifecycle.publish(make.coordinator(), fw)
    lifecycle.publish(admin, fw)
    assert fw.status == FrameworkStatus.PUBLISHED and fw.published_at is not None
    with pytest.raises(Conflict):
        lifecycle.publish(admin, fw)
    lifecycle.retire(admin, fw)
    assert fw.status == FrameworkStatus.RETIRED
    with pytest.raises(Conflict):
        lifecycle.retire(admin, fw)
    db.session.commit()


def test_an_empty_framework_is_not_published(app, make):
    admin = make.admin()
    fw = create_framework(admin, code="VUOTO", title="Vuoto", issuer="Regione")
    with pytest.raises(Conflict):
        lifecycle.publish(admin, fw)


def test_new_version_copies_a_published_framework_keeping_uuids(app, make):
    profile = make.profile(competences=2)
    old = _fw(profile)
    admin = make.admin()
    with pytest.raises(Forbidden):
        lifecycle.new_version(make.coordinator(), old)
    new = lifecycle.new_version(admin, old)
    db.session.commit()
    assert new.status == FrameworkStatus.DRAFT and new.version == "2"
    assert new.based_on_id == old.id and new.code == old.code
    before, after = _items(old), _items(new)
    assert [(i.code, i.uuid, i.kind) for i in before] == [(i.code, i.uuid, i.kind) for i in after]
    assert {i.id for i in before}.isdisjoint({i.id for i in after})
    # Children point at the new competences, not the old ones.
    new_ids = {i.id for i in after}
    assert all(i.competence_id in new_ids for i in after if i.competence_id)
    (new_profile,) = db.session.scalars(select(Profile).where(Profile.framework_id == new.id))
    comps = db.session.scalars(
        select(profile_competences.c.competence_id).where(
            profile_competences.c.profile_id == new_profile.id
        )
    ).all()
    assert len(comps) == 2 and set(comps) <= new_ids
    with pytest.raises(Conflict):  # a draft is edited, not versioned
        lifecycle.new_version(admin, new)
    assert lifecycle.next_version(old.code) == "3"


@pytest.mark.parametrize(
    ("versions", "based_on", "expected"),
    [
        (["1"], "1", "2"),
        (["1", "2"], "1", "3"),  # a copy of an older version still goes after the newest
        (["demo-1"], "demo-1", "demo-2"),  # the demo's illustrative framework
        (["v3", "v4"], "v3", "v5"),
        (["2024.1"], "2024.1", "2024.2"),
        (["demo-1", "7"], "demo-1", "demo-2"),  # other prefixes do not count
        (["bozza"], "bozza", "1"),  # no number to go on
    ],
)
def test_a_new_version_keeps_the_prefix_of_the_one_it_copies(
    app, make, versions, based_on, expected
):
    code = f"NV-{len(versions)}-{expected}"
    for version in versions:
        db.session.add(Framework(code=code, title="Quadro", issuer="Regione", version=version))
    db.session.flush()
    assert lifecycle.next_version(code, based_on) == expected


def test_editing_a_draft_item_changes_its_uuid_only_when_the_text_changes(app, make):
    profile = make.profile(competences=1)
    new = lifecycle.new_version(make.admin(), _fw(profile))
    item = _items(new)[0]
    kept = item.uuid
    lifecycle.edit_draft_item(
        make.admin(), item, title=item.title, description=item.description, code="C1bis"
    )
    assert item.uuid == kept and item.code == "C1bis"
    lifecycle.edit_draft_item(make.admin(), item, title="Testo nuovo")
    assert item.uuid != kept


def test_services_refuse_changes_to_a_published_framework(app, make):
    profile = make.profile(competences=1)
    fw = _fw(profile)
    item = _items(fw)[0]
    with pytest.raises(Conflict):
        lifecycle.ensure_draft(fw)
    with pytest.raises(Conflict):
        lifecycle.edit_draft_item(make.admin(), item, title="Cambiato")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE framework_items SET title = 'cambiato' WHERE framework_id = :fw",
        "DELETE FROM framework_items WHERE framework_id = :fw",
        "UPDATE frameworks SET title = 'cambiato' WHERE id = :fw",
        "UPDATE frameworks SET status = 'draft' WHERE id = :fw",
        "DELETE FROM frameworks WHERE id = :fw",
        "UPDATE profiles SET title = 'cambiato' WHERE framework_id = :fw",
        "DELETE FROM profile_competences WHERE profile_id IN "
        "(SELECT id FROM profiles WHERE framework_id = :fw)",
    ],
)
def test_the_database_refuses_changes_to_a_published_framework(app, make, statement):
    fw_id = make.profile(competences=1).framework_id
    db.session.close()
    with (
        db.engine.connect() as conn,
        pytest.raises(DBAPIError, match="never changes"),
        conn.begin(),
    ):
        conn.execute(text(statement), {"fw": fw_id})


def test_new_items_in_a_published_framework_are_refused_by_the_service_and_the_database(app, make):
    fw = _fw(make.profile(competences=1))
    with pytest.raises(Conflict, match="non cambia mai"):
        create_competence(make.admin(), fw, code="C9", title="Aggiunta abusiva")
    db.session.rollback()
    fw_id = fw.id
    db.session.close()
    with (
        db.engine.connect() as conn,
        pytest.raises(DBAPIError, match="never changes"),
        conn.begin(),
    ):
        conn.execute(
            text(
                "INSERT INTO framework_items (framework_id, kind, code, uuid, title, description,"
                " position, created_at, updated_at) VALUES (:fw, 'competence', 'C9',"
                " '00000000-0000-0000-0000-000000000009', 'Aggiunta abusiva', '', 0,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"fw": fw_id},
        )


def test_retired_stays_retired_and_drafts_change_freely(app, make):
    profile = make.profile(competences=1)
    fw = _fw(profile)
    lifecycle.retire(make.admin(), fw)
    db.session.commit()
    fw_id = fw.id
    draft_id = make.profile(competences=1, publish=False).framework_id
    db.session.close()
    with db.engine.connect() as conn:
        with pytest.raises(DBAPIError, match="never changes"), conn.begin():
            conn.execute(
                text("UPDATE frameworks SET status = 'published' WHERE id = :i"), {"i": fw_id}
            )
        with conn.begin():
            conn.execute(
                text("UPDATE framework_items SET title = 'ok' WHERE framework_id = :i"),
                {"i": draft_id},
            )
            conn.execute(text("UPDATE frameworks SET title = 'ok' WHERE id = :i"), {"i": draft_id})


def test_standards_predicates(app, make):
    admin, coordinator = make.admin(), make.coordinator()
    fw = _fw(make.profile(publish=False))
    assert can_view_standards(make.user(Role.TRAINEE)) and can_view_standards(coordinator)
    assert can_manage_standards(admin) and not can_manage_standards(coordinator)
    assert can_edit_framework(admin, fw)
    lifecycle.publish(admin, fw)
    assert not can_edit_framework(admin, fw)
