"""Standards pages: browsing (everyone logged in, drafts for admins only), the admin pages
(create, edit a draft, publish, retire, new version), refusals with a message, query counts."""

from __future__ import annotations

from sqlalchemy import select

from certificates.models import DossierState
from lms.accounts.models import Role
from lms.db import db
from lms.standards.models import (
    Framework,
    FrameworkItem,
    FrameworkStatus,
    ItemKind,
    Profile,
    profile_competences,
)
from tests.conftest import login
from tests.querycount import statements


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def _framework_of(profile) -> Framework:
    return db.session.get(Framework, profile.framework_id)


def _competences(fw) -> list[FrameworkItem]:
    return list(
        db.session.scalars(
            select(FrameworkItem)
            .where(FrameworkItem.framework_id == fw.id, FrameworkItem.kind == ItemKind.COMPETENCE)
            .order_by(FrameworkItem.position)
        )
    )


def test_every_logged_in_user_browses_published_frameworks(app, make, login_as):
    published = _framework_of(make.profile())
    draft = _framework_of(make.profile(publish=False))
    comp = _competences(published)[0]
    profile = db.session.scalar(select(Profile).where(Profile.framework_id == published.id))
    client = login_as(make.user(Role.TRAINEE))
    page = client.get("/quadri/").get_data(as_text=True)
    assert published.title in page and draft.title not in page
    assert client.get(f"/quadri/{published.id}").status_code == 200
    assert client.get(f"/quadri/profili/{profile.id}").status_code == 200
    resp = client.get(f"/quadri/competenze/{comp.id}")
    assert resp.status_code == 200 and "C1.A1" in resp.get_data(as_text=True)
    # A draft does not exist for a trainee, nor its items.
    assert client.get(f"/quadri/{draft.id}").status_code == 404
    assert client.get(f"/quadri/competenze/{_competences(draft)[0].id}").status_code == 404
    # An ability is not a competence page.
    ability = db.session.scalar(select(FrameworkItem).where(FrameworkItem.competence_id == comp.id))
    assert client.get(f"/quadri/competenze/{ability.id}").status_code == 404


def test_admins_see_drafts_and_manage_others_cannot(app, make, login_as):
    draft = _framework_of(make.profile(publish=False))
    client = login_as(make.admin())
    assert draft.title in client.get("/quadri/").get_data(as_text=True)
    assert client.get(f"/quadri/{draft.id}").status_code == 200
    for role in (Role.COORDINATOR, Role.TRAINER, Role.TRAINEE):
        other = _client(app, make.user(role))
        assert other.get("/quadri/nuovo").status_code == 403
        assert other.post(f"/quadri/{draft.id}/pubblica").status_code in (403, 404)
    assert db.session.get(Framework, draft.id).status == FrameworkStatus.DRAFT


def test_an_admin_builds_a_draft_and_publishes_it(app, make, login_as):
    client = login_as(make.admin())
    resp = client.post(
        "/quadri/nuovo",
        data={"code": "QX", "version": "1", "title": "Quadro X", "issuer": "Regione Lombardia"},
    )
    assert resp.status_code == 303
    fw = db.session.scalar(select(Framework).where(Framework.code == "QX"))
    assert fw.status == FrameworkStatus.DRAFT
    resp = client.post(
        f"/quadri/{fw.id}/voci/nuova",
        data={"kind": "competence", "code": "C1", "title": "Gestire il caso", "position": "1"},
    )
    assert resp.status_code == 303
    comp = _competences(fw)[0]
    resp = client.post(
        f"/quadri/{fw.id}/voci/nuova",
        data={"kind": "ability", "competence_id": str(comp.id), "code": "C1.A1", "title": "Fare"},
    )
    assert resp.status_code == 303
    resp = client.post(
        f"/quadri/{fw.id}/profili/nuovo",
        data={"code": "DM", "title": "Disability Manager", "competence_ids": [str(comp.id)]},
    )
    assert resp.status_code == 303
    profile = db.session.scalar(select(Profile).where(Profile.framework_id == fw.id))
    links = db.session.scalars(
        select(profile_competences.c.competence_id).where(
            profile_competences.c.profile_id == profile.id
        )
    ).all()
    assert links == [comp.id]
    resp = client.post(
        f"/quadri/profili/{profile.id}/modifica",
        data={"code": "DM", "title": "Disability Manager (nuovo)", "eqf_level": "6"},
    )
    assert resp.status_code == 303
    assert client.get(f"/quadri/{fw.id}/pubblica").status_code == 200  # the confirmation
    assert client.post(f"/quadri/{fw.id}/pubblica").status_code == 303
    db.session.expire_all()
    assert db.session.get(Framework, fw.id).status == FrameworkStatus.PUBLISHED
    assert db.session.get(Profile, profile.id).eqf_level == 6
    # New version, then retire the first one.
    assert client.post(f"/quadri/{fw.id}/nuova-versione").status_code == 303
    copy = db.session.scalar(select(Framework).where(Framework.code == "QX", Framework.id != fw.id))
    assert copy.version == "2" and copy.status == FrameworkStatus.DRAFT
    page = client.get(f"/quadri/{copy.id}").get_data(as_text=True)
    assert f"/quadri/{fw.id}" in page  # the other version is linked
    assert client.post(f"/quadri/{fw.id}/ritira").status_code == 303
    db.session.expire_all()
    assert db.session.get(Framework, fw.id).status == FrameworkStatus.RETIRED


def test_bad_input_re_renders_the_form_with_a_message(app, make, login_as):
    fw = _framework_of(make.profile(publish=False))
    client = login_as(make.admin())
    resp = client.post(
        "/quadri/nuovo",
        data={"code": fw.code, "version": fw.version, "title": "Doppione", "issuer": "Ente"},
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and 'value="Doppione"' in body
    assert "Esiste già" in body
    resp = client.post(
        f"/quadri/{fw.id}/voci/nuova", data={"kind": "ability", "code": "Z1", "title": "Senza"}
    )
    assert resp.status_code == 422 and "Senza" in resp.get_data(as_text=True)
    resp = client.post(
        f"/quadri/{fw.id}/voci/nuova", data={"kind": "competence", "code": "C1", "title": "Doppia"}
    )
    assert resp.status_code == 422  # the code is taken
    comp = _competences(fw)[0]
    resp = client.post(f"/quadri/voci/{comp.id}/modifica", data={"code": "C2", "title": "X"})
    assert resp.status_code == 422  # C2 is another competence's code
    resp = client.post(
        f"/quadri/{fw.id}/profili/nuovo", data={"code": "P2", "title": "P", "eqf_level": "12"}
    )
    assert resp.status_code == 422
    resp = client.post(
        f"/quadri/{fw.id}/modifica",
        data={
            "code": fw.code,
            "title": "T",
            "issuer": "E",
            "valid_from": "2026-05-01",
            "valid_until": "2026-01-01",
        },
    )
    assert resp.status_code == 422 and "2026-05-01" in resp.get_data(as_text=True)


def test_a_published_framework_is_refused_with_a_message_not_a_500(app, make, login_as):
    fw = _framework_of(make.profile())
    comp = _competences(fw)[0]
    client = login_as(make.admin())
    for url, data in [
        (f"/quadri/{fw.id}/voci/nuova", {"kind": "competence", "code": "C9", "title": "Nuova"}),
        (f"/quadri/voci/{comp.id}/modifica", {"code": "C1", "title": "Cambiata"}),
        (f"/quadri/{fw.id}/modifica", {"code": fw.code, "title": "T", "issuer": "E"}),
        (f"/quadri/{fw.id}/profili/nuovo", {"code": "P9", "title": "P"}),
        (f"/quadri/voci/{comp.id}/elimina", {}),
    ]:
        resp = client.post(url, data=data)
        assert resp.status_code == 303, url  # back, with the message
        resp = client.post(url, data=data, follow_redirects=True)
        assert "non cambia mai" in resp.get_data(as_text=True), url
        assert client.get(url).status_code == 409, url
    db.session.expire_all()
    assert db.session.get(FrameworkItem, comp.id).title == "Competenza 1"


def test_the_services_refuse_a_published_framework_with_ensure_draft(app, make):
    import pytest

    from lms.errors import Conflict
    from lms.standards import editing, services

    fw = _framework_of(make.profile())
    comp = _competences(fw)[0]
    admin = make.admin()
    calls = [
        lambda: services.create_competence(admin, fw, code="C9", title="X"),
        lambda: services.create_ability(admin, comp, code="C9", title="X"),
        lambda: services.create_knowledge_item(admin, comp, code="C9", title="X"),
        lambda: services.create_profile(admin, fw, code="P9", title="X"),
        lambda: editing.edit_item(admin, comp, code="C1", title="X"),
        lambda: editing.delete_item(admin, comp),
        lambda: editing.edit_framework(admin, fw, code=fw.code, title="X", issuer="Y"),
    ]
    for call in calls:
        with pytest.raises(Conflict):
            call()


def test_removing_items_and_profiles_of_a_draft(app, make, login_as):
    fw = _framework_of(make.profile(publish=False))
    comp = _competences(fw)[0]
    ability = db.session.scalar(select(FrameworkItem).where(FrameworkItem.competence_id == comp.id))
    profile_id = db.session.scalar(select(Profile.id).where(Profile.framework_id == fw.id))
    client = login_as(make.admin())
    assert client.get(f"/quadri/voci/{ability.id}/elimina").status_code == 200
    assert client.post(f"/quadri/voci/{ability.id}/elimina").status_code == 303
    assert client.post(f"/quadri/voci/{comp.id}/elimina").status_code == 303
    assert client.post(f"/quadri/profili/{profile_id}/elimina").status_code == 303
    db.session.expire_all()
    left = db.session.scalars(
        select(FrameworkItem.code).where(FrameworkItem.framework_id == fw.id)
    ).all()
    assert not any(code.startswith("C1") for code in left) and "C2" in left
    assert db.session.scalar(select(Profile.id).where(Profile.id == profile_id)) is None


def test_an_item_that_something_points_at_is_not_removed(app, make, login_as):
    fw = _framework_of(make.profile(publish=False))
    comp = _competences(fw)[0]
    # the services link published items only: this link stands for data from before that rule
    from sqlalchemy import insert

    from courses.models.catalogue import module_framework_items

    db.session.execute(
        insert(module_framework_items).values(module_id=make.module().id, framework_item_id=comp.id)
    )
    db.session.commit()
    client = login_as(make.admin())
    resp = client.post(f"/quadri/voci/{comp.id}/elimina", follow_redirects=True)
    import re

    flashes = re.findall(r'id="flash-messages".{0,600}', resp.get_data(as_text=True), re.S)
    assert "usato altrove" in resp.get_data(as_text=True), flashes
    db.session.expire_all()
    assert db.session.get(FrameworkItem, comp.id) is not None


def test_what_points_at_each_item_is_counted_and_linked_for_who_may_open_it(app, make, login_as):
    profile = make.profile(competences=1, abilities=2, knowledge=1)
    fw = _framework_of(profile)
    comp = _competences(fw)[0]
    make.module(title="Modulo allineato", framework_item_ids=[comp.id])
    dossier = make.dossier(profile, state=DossierState.IDENTIFICATION)
    admin = login_as(make.admin())
    page = admin.get(f"/quadri/competenze/{comp.id}").get_data(as_text=True)
    assert "Modulo allineato" in page
    assert f"/dossier/{dossier.id}" in page
    trainee = _client(app, make.user(Role.TRAINEE))
    page = trainee.get(f"/quadri/competenze/{comp.id}").get_data(as_text=True)
    assert f"/dossier/{dossier.id}" not in page  # another person's dossier: counted only
    assert "Evidenza: 1" in page or "Evidenze: 1" in page or "Evidence: 1" in page


def _usage_world(make, abilities: int):
    profile = make.profile(competences=1, abilities=abilities, knowledge=abilities)
    fw = _framework_of(profile)
    comp = _competences(fw)[0]
    items = db.session.scalars(select(FrameworkItem.id).where(FrameworkItem.framework_id == fw.id))
    make.module(framework_item_ids=list(items))
    make.dossier(profile, state=DossierState.IDENTIFICATION)
    return {"competence": comp.id, "framework": fw.id, "profile": profile.id}


def test_the_pages_run_a_fixed_number_of_queries(app, make, login_as):
    worlds = [_usage_world(make, 1), _usage_world(make, 6)]
    client = login_as(make.admin())
    counts = {}
    for name, url in [
        ("competence", "/quadri/competenze/{}"),
        ("framework", "/quadri/{}"),
        ("profile", "/quadri/profili/{}"),
    ]:
        sizes = []
        for world in worlds:
            client.get(url.format(world[name]))  # warm up
            with statements() as seen:
                assert client.get(url.format(world[name])).status_code == 200
            sizes.append(len(seen))
        counts[name] = sizes
    for small, big in counts.values():
        assert small == big, counts
