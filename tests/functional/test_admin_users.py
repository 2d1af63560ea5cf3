"""Users admin: pages and JSON API, for admins only."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.accounts.services import get_user_by_email
from lms.audit.models import AuditEntry
from lms.db import db
from tests.querycount import statements


def audit_actions(object_id) -> list[str]:
    return db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.object_type == "user", AuditEntry.object_id == str(object_id))
        .order_by(AuditEntry.id)
    ).all()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.TRAINER, Role.TRAINEE, Role.REFERENT])
def test_non_admins_get_403(login_as, make, role):
    other = make.user(Role.TRAINEE)
    client = login_as(make.user(role))
    for url in [
        "/admin/utenti/",
        "/admin/utenti/nuovo",
        f"/admin/utenti/{other.id}",
        f"/admin/utenti/{other.id}/modifica",
        "/admin/utenti/importa",
    ]:
        assert client.get(url).status_code == 403, url
    for url in [
        f"/admin/utenti/{other.id}/disattiva",
        f"/admin/utenti/{other.id}/link-accesso",
        "/admin/utenti/importa/conferma",
    ]:
        assert client.post(url).status_code == 403, url
    assert client.get("/api/v1/users").status_code == 403
    assert client.get(f"/api/v1/users/{other.id}").status_code == 403
    resp = client.post(
        "/api/v1/users", json={"email": "x@example.org", "full_name": "X", "roles": ["admin"]}
    )
    assert resp.status_code == 403 and resp.json["error"]["code"] == "forbidden"
    assert client.patch(f"/api/v1/users/{other.id}", json={"active": False}).status_code == 403
    assert other.active


def test_anonymous_is_sent_to_login(client):
    resp = client.get("/admin/utenti/")
    assert resp.status_code == 302 and "/accesso" in resp.headers["Location"]
    assert client.get("/api/v1/users").status_code == 401


def test_create_user_through_the_page(login_as, make):
    admin = make.user(Role.ADMIN)
    org = make.organisation(name="Isola Digitale S.r.l.")
    client = login_as(admin)
    page = client.get("/admin/utenti/nuovo").get_data(as_text=True)
    assert "<legend" in page and "Ruoli" in page and "Isola Digitale S.r.l." in page
    resp = client.post(
        "/admin/utenti/nuovo",
        data={
            "email": "Nuova.Persona@Example.org",
            "full_name": "Nuova Persona",
            "roles": ["trainee", "referent"],
            "organisation_id": str(org.id),
            "locale": "en",
        },
    )
    assert resp.status_code == 303
    user = get_user_by_email("nuova.persona@example.org")
    assert resp.headers["Location"].endswith(f"/admin/utenti/{user.id}")
    assert user.roles == {Role.TRAINEE, Role.REFERENT}
    assert user.organisation_id == org.id and user.locale == "en" and user.password_hash is None
    entry = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "user.create", AuditEntry.object_id == str(user.id)
        )
    )
    assert entry.actor_id == admin.id
    assert entry.after["role_names"] == ["referent", "trainee"]
    detail = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Nuova Persona" in detail and "Isola Digitale S.r.l." in detail


def test_bad_input_rerenders_form_with_data_and_422(login_as, make):
    admin = make.user(Role.ADMIN)
    make.user(Role.TRAINEE, email="preso@example.org")
    client = login_as(admin)
    resp = client.post(
        "/admin/utenti/nuovo",
        data={
            "email": "preso@example.org",
            "full_name": "Mario Doppio",
            "roles": ["trainee"],
            "locale": "it",
        },
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Un altro account usa già questo indirizzo email." in page
    assert 'value="Mario Doppio"' in page
    resp = client.post(
        "/admin/utenti/nuovo",
        data={
            "email": "ref@example.org",
            "full_name": "Ref Senza",
            "roles": ["referent"],
            "locale": "it",
        },
    )
    assert resp.status_code == 422
    assert "Un referente aziendale deve appartenere a un&#39;organizzazione." in resp.get_data(
        as_text=True
    )
    resp = client.post(
        "/admin/utenti/nuovo",
        data={"email": "senza@example.org", "full_name": "Senza Ruoli", "locale": "it"},
    )
    assert resp.status_code == 422 and "Scegli almeno un ruolo." in resp.get_data(as_text=True)
    assert get_user_by_email("ref@example.org") is None
    assert get_user_by_email("senza@example.org") is None


def test_edit_user_through_the_page(login_as, make):
    admin = make.user(Role.ADMIN)
    user = make.user(Role.TRAINEE, full_name="Vecchio Nome")
    client = login_as(admin)
    page = client.get(f"/admin/utenti/{user.id}/modifica").get_data(as_text=True)
    assert 'value="Vecchio Nome"' in page
    resp = client.post(
        f"/admin/utenti/{user.id}/modifica",
        data={
            "email": user.email,
            "full_name": "Nuovo Nome",
            "roles": ["trainee", "trainer"],
            "organisation_id": "",
            "locale": "it",
            "active": "y",
        },
    )
    assert resp.status_code == 303
    assert user.full_name == "Nuovo Nome" and user.roles == {Role.TRAINEE, Role.TRAINER}
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.update"))
    assert entry.before == {"full_name": "Vecchio Nome", "role_names": ["trainee"]}
    assert entry.after == {"full_name": "Nuovo Nome", "role_names": ["trainee", "trainer"]}


def test_admin_cannot_remove_own_admin_role(login_as, make):
    admin = make.user(Role.ADMIN)
    client = login_as(admin)
    resp = client.post(
        f"/admin/utenti/{admin.id}/modifica",
        data={
            "email": admin.email,
            "full_name": admin.full_name,
            "roles": ["trainee"],
            "locale": "it",
            "active": "y",
        },
    )
    assert resp.status_code == 422
    assert admin.roles == {Role.ADMIN}
    assert client.post(f"/admin/utenti/{admin.id}/disattiva").status_code == 303
    assert admin.active


def test_deactivate_and_reactivate(login_as, make, app):
    admin = make.user(Role.ADMIN)
    user = make.user(Role.TRAINEE)
    other = app.test_client()
    other.post("/accesso", data={"email": user.email, "password": "correct horse battery"})
    assert other.get("/").status_code == 200
    client = login_as(admin)
    assert client.post(f"/admin/utenti/{user.id}/disattiva").status_code == 303
    assert not user.active
    assert other.get("/").status_code == 302  # their session ended
    page = client.get(f"/admin/utenti/{user.id}").get_data(as_text=True)
    assert "Disattivato" in page and "Riattiva account" in page
    assert client.post(f"/admin/utenti/{user.id}/riattiva").status_code == 303
    assert user.active
    assert audit_actions(user.id) == [
        "user.create",
        "user.deactivate",
        "session.end_all",  # the login of `other` ended with the deactivation
        "user.activate",
    ]


def test_access_link_is_shown_once_and_works(login_as, make, app):
    admin = make.user(Role.ADMIN)
    user = make.user(Role.TRAINEE)
    client = login_as(admin)
    resp = client.post(f"/admin/utenti/{user.id}/link-accesso")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    match = re.search(r'value="(http://127.0.0.1:5000/password/imposta/[^"]+)"', page)
    assert match, page
    assert "scade il" in page
    assert "user.password_link" in audit_actions(user.id)
    assert "/password/imposta/" not in client.get(f"/admin/utenti/{user.id}").get_data(as_text=True)
    visitor = app.test_client()
    path = match.group(1).removeprefix("http://127.0.0.1:5000")
    resp = visitor.post(path, data={"new_password": "scelta-da-me-1", "confirm": "scelta-da-me-1"})
    assert resp.status_code == 303
    assert visitor.get(path).status_code == 404


def test_no_access_link_for_deactivated_account(login_as, make):
    admin = make.user(Role.ADMIN)
    user = make.user(Role.TRAINEE)
    client = login_as(admin)
    client.post(f"/admin/utenti/{user.id}/disattiva")
    resp = client.post(f"/admin/utenti/{user.id}/link-accesso")
    assert resp.status_code == 303
    assert "user.password_link" not in audit_actions(user.id)


def test_list_search_filters_and_pagination(login_as, make):
    admin = make.user(Role.ADMIN, full_name="Amministratrice Zeta")
    org = make.organisation(name="Brera Servizi S.p.A.")
    for i in range(30):
        make.user(Role.TRAINEE, full_name=f"Corsista {i:02d}", email=f"corsista{i:02d}@example.org")
    make.user(Role.REFERENT, full_name="Rita Referente", organisation=org)
    gone = make.user(Role.TRAINER, full_name="Dino Docente")
    client = login_as(admin)
    client.post(f"/admin/utenti/{gone.id}/disattiva")

    page = client.get("/admin/utenti/").get_data(as_text=True)
    assert "33 persone trovate" in page and "pagina 1 di 2" in page
    page2 = client.get("/admin/utenti/?page=2").get_data(as_text=True)
    assert "Rita Referente" in page2 and "Corsista 00" not in page2

    page = client.get("/admin/utenti/?q=RITA").get_data(as_text=True)
    assert "Rita Referente" in page and "Corsista 01" not in page
    page = client.get("/admin/utenti/?q=corsista07%40").get_data(as_text=True)
    assert "1 persona trovata" in page
    page = client.get(f"/admin/utenti/?organisation={org.id}").get_data(as_text=True)
    assert "Rita Referente" in page and "1 persona trovata" in page
    page = client.get("/admin/utenti/?role=trainer").get_data(as_text=True)
    assert "Dino Docente" in page and "1 persona trovata" in page
    page = client.get("/admin/utenti/?active=0").get_data(as_text=True)
    assert "Dino Docente" in page and "1 persona trovata" in page
    page = client.get("/admin/utenti/?access=pending").get_data(as_text=True)
    assert "Nessuno corrisponde a questi filtri." in page
    # Filters are kept in the page links.
    page = client.get("/admin/utenti/?role=trainee").get_data(as_text=True)
    assert "role=trainee" in page and "page=2" in page
    # Unknown filter values are ignored, not an error.
    assert client.get("/admin/utenti/?role=wizard&organisation=abc&page=x").status_code == 200


def test_list_query_count_does_not_grow(login_as, make, app):

    admin = make.user(Role.ADMIN)
    client = login_as(admin)

    def count_queries():
        with statements() as seen:
            assert client.get("/admin/utenti/").status_code == 200
        return len(seen)

    few = count_queries()
    for _i in range(5):
        org = make.organisation()
        make.user(Role.REFERENT, Role.TRAINEE, organisation=org)
    assert count_queries() == few


# JSON API


def test_api_create_get_list_patch(login_as, make):
    admin = make.user(Role.ADMIN)
    org = make.organisation()
    client = login_as(admin)
    resp = client.post(
        "/api/v1/users",
        json={
            "email": "Api.User@example.org",
            "full_name": "Api User",
            "roles": ["referent"],
            "organisation_id": org.id,
        },
    )
    assert resp.status_code == 201, resp.json
    body = resp.json
    assert body["email"] == "api.user@example.org" and body["roles"] == ["referent"]
    assert body["locale"] == "it" and body["organisation_id"] == org.id
    assert resp.headers["Location"].endswith(f"/api/v1/users/{body['id']}")
    assert client.get(f"/api/v1/users/{body['id']}").json == body

    listing = client.get("/api/v1/users?role=referent&per_page=1").json
    assert listing["total"] == 1 and listing["items"][0]["id"] == body["id"]
    assert client.get("/api/v1/users?q=api.user").json["total"] == 1
    assert client.get(f"/api/v1/users?organisation_id={org.id}&active=true").json["total"] == 1
    assert client.get("/api/v1/users?active=false").json["total"] == 0

    resp = client.patch(
        f"/api/v1/users/{body['id']}", json={"full_name": "Api Renamed", "active": False}
    )
    assert resp.status_code == 200
    assert resp.json["full_name"] == "Api Renamed" and resp.json["active"] is False
    assert resp.json["roles"] == ["referent"] and resp.json["organisation_id"] == org.id
    assert audit_actions(body["id"]) == ["user.create", "user.update"]


def test_api_errors_are_json_problems(login_as, make):
    admin = make.user(Role.ADMIN)
    make.user(Role.TRAINEE, email="taken@example.org")
    client = login_as(admin)
    resp = client.post(
        "/api/v1/users",
        json={"email": "a@example.org", "full_name": "A", "roles": ["wizard"], "is_admin": True},
    )
    assert resp.status_code == 422
    error = resp.json["error"]
    assert error["code"] == "validation_failed"
    assert set(error["fields"]) == {"roles", "is_admin"}
    resp = client.post(
        "/api/v1/users", json={"email": "taken@example.org", "full_name": "B", "roles": ["trainee"]}
    )
    assert resp.status_code == 422 and "email" in resp.json["error"]["fields"]
    resp = client.post("/api/v1/users", data="not json", content_type="application/json")
    assert resp.status_code == 422
    assert client.get("/api/v1/users/99999").status_code == 404
    assert client.patch("/api/v1/users/99999", json={}).json["error"]["code"] == "not_found"
    resp = client.patch(f"/api/v1/users/{admin.id}", json={"active": False})
    assert resp.status_code == 409 and admin.active
    assert client.get("/api/v1/users?per_page=1000").status_code == 422
    assert db.session.scalar(select(User).where(User.email == "a@example.org")) is None


def test_api_writes_need_csrf_by_session_but_not_by_token(database_url, tmp_path):
    from lms.accounts.services import create_api_token
    from tests.conftest import TEST_PASSWORD, Factory, IsolatedClient, make_test_app

    app = make_test_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    app.test_client_class = IsolatedClient
    csrf_field = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
    with app.app_context():
        admin = Factory().user(Role.ADMIN)
        _token, raw = create_api_token(admin, "script")
        db.session.commit()
        by_token = app.test_client()
        resp = by_token.post(
            "/api/v1/users",
            json={"email": "t@example.org", "full_name": "T", "roles": ["trainee"]},
            headers={"Authorization": f"Bearer {raw}"},
        )
        assert resp.status_code == 201, resp.json

        browser = app.test_client()
        token = csrf_field.search(browser.get("/accesso").get_data(as_text=True)).group(1)
        resp = browser.post(
            "/accesso",
            data={"email": admin.email, "password": TEST_PASSWORD, "csrf_token": token},
        )
        assert resp.status_code == 303
        token = csrf_field.search(browser.get("/").get_data(as_text=True)).group(1)
        body = {"email": "s@example.org", "full_name": "S", "roles": ["trainee"]}
        assert browser.post("/api/v1/users", json=body).status_code == 400
        assert get_user_by_email("s@example.org") is None
        resp = browser.post("/api/v1/users", json=body, headers={"X-CSRFToken": token})
        assert resp.status_code == 201
        db.session.remove()
        db.engine.dispose()


def test_the_system_account_cannot_be_edited_or_reached(login_as, make):
    from lms.accounts.services import system_actor
    from lms.db import db

    system = system_actor()
    db.session.commit()
    admin = make.user(Role.ADMIN)
    client = login_as(admin)
    page = client.get(f"/admin/utenti/{system.id}").get_data(as_text=True)
    assert f"/admin/utenti/{system.id}/modifica" not in page
    assert f"/admin/utenti/{system.id}/link-accesso" not in page
    assert "/disattiva" not in page
    assert client.get(f"/admin/utenti/{system.id}/modifica").status_code == 404
    assert client.post(f"/admin/utenti/{system.id}/disattiva").status_code == 403
    assert client.post(f"/admin/utenti/{system.id}/link-accesso").status_code == 403
    assert system.email not in client.get("/admin/utenti/").get_data(as_text=True)
