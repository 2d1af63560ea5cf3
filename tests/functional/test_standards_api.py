"""Framework editing in the API (admins only), the ensure_draft refusal as a 409 problem, and
the public CASE URIs of the export."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

import lms.standards
from lms.accounts.models import Role
from lms.db import db
from lms.standards import lifecycle
from lms.standards.exchange.services import export_framework, import_framework
from lms.standards.models import Framework, FrameworkItem, FrameworkStatus, ItemKind
from tests.conftest import login

DATA = Path(lms.standards.__file__).parent / "data" / "disability-manager-illustrativo.json"


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def test_an_admin_builds_publishes_and_versions_a_framework(app, make):
    client = _client(app, make.admin())
    resp = client.post(
        "/api/v1/frameworks", json={"code": "QAPI", "title": "Quadro API", "issuer": "Regione"}
    )
    assert resp.status_code == 201, resp.get_json()
    fw = resp.get_json()
    assert fw["status"] == "draft" and fw["version"] == "1"
    resp = client.patch(f"/api/v1/frameworks/{fw['id']}", json={"title": "Quadro API (2026)"})
    assert resp.status_code == 200 and resp.get_json()["title"] == "Quadro API (2026)"
    comp = client.post(
        f"/api/v1/frameworks/{fw['id']}/items",
        json={"kind": "competence", "code": "C1", "title": "Competenza"},
    )
    assert comp.status_code == 201, comp.get_json()
    comp = comp.get_json()
    ability = client.post(
        f"/api/v1/frameworks/{fw['id']}/items",
        json={"kind": "ability", "code": "C1.A1", "title": "Abilità", "competence_id": comp["id"]},
    ).get_json()
    assert ability["competence_id"] == comp["id"]
    resp = client.patch(f"/api/v1/framework-items/{ability['id']}", json={"title": "Nuovo testo"})
    assert resp.status_code == 200 and resp.get_json()["uuid"] != ability["uuid"]
    extra = client.post(
        f"/api/v1/frameworks/{fw['id']}/items",
        json={
            "kind": "knowledge",
            "code": "C1.K1",
            "title": "Da togliere",
            "competence_id": comp["id"],
        },
    ).get_json()
    assert client.delete(f"/api/v1/framework-items/{extra['id']}").status_code == 204
    resp = client.post(f"/api/v1/frameworks/{fw['id']}/publish")
    assert resp.status_code == 200 and resp.get_json()["status"] == "published"
    resp = client.post(f"/api/v1/frameworks/{fw['id']}/versions")
    assert resp.status_code == 201 and resp.get_json()["version"] == "2"
    assert resp.get_json()["based_on_id"] == fw["id"]
    resp = client.post(f"/api/v1/frameworks/{fw['id']}/retire")
    assert resp.status_code == 200 and resp.get_json()["status"] == "retired"


def test_bad_input_is_a_422_with_field_messages(app, make):
    draft = db.session.get(Framework, make.profile(publish=False).framework_id)
    client = _client(app, make.admin())
    resp = client.post("/api/v1/frameworks", json={"code": "", "title": "T", "issuer": "E"})
    assert resp.status_code == 422 and "code" in resp.get_json()["error"]["fields"]
    resp = client.post(
        "/api/v1/frameworks",
        json={"code": draft.code, "version": draft.version, "title": "T", "issuer": "E"},
    )
    assert resp.status_code == 422 and "code" in resp.get_json()["error"]["fields"]
    resp = client.post(
        f"/api/v1/frameworks/{draft.id}/items", json={"kind": "ability", "code": "X", "title": "X"}
    )
    assert resp.status_code == 422 and "competence_id" in resp.get_json()["error"]["fields"]
    resp = client.patch(f"/api/v1/frameworks/{draft.id}", json={"colour": "red"})
    assert resp.status_code == 422
    resp = client.patch(
        f"/api/v1/frameworks/{draft.id}",
        json={"valid_from": "2026-05-01", "valid_until": "2026-01-01"},
    )
    assert resp.status_code == 422 and "valid_until" in resp.get_json()["error"]["fields"]


def test_a_published_framework_is_a_409_problem_with_a_message(app, make):
    fw = db.session.get(Framework, make.profile().framework_id)
    comp = db.session.scalar(
        select(FrameworkItem).where(
            FrameworkItem.framework_id == fw.id, FrameworkItem.kind == ItemKind.COMPETENCE
        )
    )
    client = _client(app, make.admin())
    calls = [
        client.post(
            f"/api/v1/frameworks/{fw.id}/items",
            json={"kind": "competence", "code": "C9", "title": "X"},
        ),
        client.patch(f"/api/v1/frameworks/{fw.id}", json={"title": "X"}),
        client.patch(f"/api/v1/framework-items/{comp.id}", json={"title": "X"}),
        client.delete(f"/api/v1/framework-items/{comp.id}"),
        client.post(f"/api/v1/frameworks/{fw.id}/publish"),
    ]
    for resp in calls:
        assert resp.status_code == 409, resp.get_json()
        assert "nuova versione" in resp.get_json()["error"]["message"]
    db.session.expire_all()
    assert db.session.get(Framework, fw.id).status == FrameworkStatus.PUBLISHED


def test_only_admins_edit_and_a_draft_is_a_404_for_others(app, make):
    draft = db.session.get(Framework, make.profile(publish=False).framework_id)
    for role in (Role.COORDINATOR, Role.TRAINER, Role.TRAINEE):
        client = _client(app, make.user(role))
        assert client.post("/api/v1/frameworks", json={}).status_code == 403
        assert client.post(f"/api/v1/frameworks/{draft.id}/publish").status_code == 403
        assert client.get(f"/api/v1/frameworks/{draft.id}").status_code == 404


def test_every_uri_of_the_case_export_resolves_without_login(app, make):
    admin = make.admin()
    fw = import_framework(admin, DATA.read_bytes(), "json")
    draft_package = export_framework(admin, fw, "case")
    db.session.commit()
    anonymous = app.test_client()
    # A draft is not public.
    assert anonymous.get(draft_package["CFDocument"]["uri"]).status_code == 404
    lifecycle.publish(admin, fw)
    db.session.commit()
    package = export_framework(admin, fw, "case")
    uris = [package["CFDocument"]["uri"]]
    uris += [i["uri"] for i in package["CFItems"]]
    uris += [a["uri"] for a in package["CFAssociations"]]
    assert len(uris) == 1 + 2 * len(package["CFItems"])
    for uri in uris:
        path = uri.split("://", 1)[-1]
        path = path[path.index("/ims/") :]
        resp = anonymous.get(path)
        assert resp.status_code == 200, uri
        assert resp.get_json()["uri"] == uri
    doc_id = package["CFDocument"]["identifier"]
    whole = anonymous.get(f"/ims/case/v1p1/CFPackages/{doc_id}").get_json()
    assert whole == package
    unknown = "00000000-0000-0000-0000-000000000000"
    for kind in ("CFDocuments", "CFPackages", "CFItems", "CFAssociations"):
        assert anonymous.get(f"/ims/case/v1p1/{kind}/{unknown}").status_code == 404
