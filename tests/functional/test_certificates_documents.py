"""Issued documents in the pages and the API: the coordinator issues a decided dossier, the
holder lists and downloads their documents (the stored bytes, whose hash is the stored one),
others' ids are 404, only coordinators issue, the list's queries do not grow with its size."""

from __future__ import annotations

import hashlib

import pytest

from certificates.models import DocumentKind, DossierState, IssuedDocument
from lms.accounts.models import Role, User
from lms.db import db
from tests.conftest import login
from tests.querycount import statements

S = DossierState


@pytest.fixture(autouse=True)
def _app_context(app):
    return app


def client_for(app, user_or_id):
    user = db.session.get(User, user_or_id) if isinstance(user_or_id, int) else user_or_id
    c = app.test_client()
    login(c, user)
    return c


def _docs(dossier_id):
    return list(
        db.session.scalars(
            db.select(IssuedDocument)
            .where(IssuedDocument.dossier_id == dossier_id)
            .order_by(IssuedDocument.id)
        )
    )


def test_the_coordinator_issues_from_the_page(app, make):
    d = make.dossier(state=S.DECIDED)
    c = client_for(app, make.coordinator())
    page = c.get(f"/dossier/{d.id}")
    assert f"/dossier/{d.id}/emetti" in page.get_data(as_text=True)
    form = c.get(f"/dossier/{d.id}/emetti")
    assert form.status_code == 200
    assert 'name="certificate_kind"' in form.get_data(as_text=True)
    refused = c.post(f"/dossier/{d.id}/emetti", data={"certificate_kind": "validation"})
    assert refused.status_code == 422  # not confirmed: nothing issued
    assert _docs(d.id) == []
    resp = c.post(
        f"/dossier/{d.id}/emetti", data={"certificate_kind": "validation", "confirm": "yes"}
    )
    assert resp.status_code == 303
    kinds = [x.kind for x in _docs(d.id)]
    assert kinds == [DocumentKind.VALIDATION, DocumentKind.DOSSIER, DocumentKind.VERBALE]
    db.session.expire_all()
    assert db.session.get(type(d), d.id).state == S.ISSUED
    listed = c.get(f"/dossier/{d.id}").get_data(as_text=True)
    assert all(x.code in listed for x in _docs(d.id))
    again = c.post(
        f"/dossier/{d.id}/emetti", data={"certificate_kind": "validation", "confirm": "yes"}
    )
    assert again.status_code == 409
    assert len(_docs(d.id)) == 3


def test_the_holder_downloads_the_same_bytes_as_the_stored_hash(app, make):
    d = make.dossier(state=S.DECIDED)
    coordinator = client_for(app, make.coordinator())
    resp = coordinator.post(
        f"/api/v1/dossiers/{d.id}/issue", json={"certificate_kind": "certificate"}
    )
    assert resp.status_code == 201, resp.get_json()
    issued = resp.get_json()
    assert [x["kind"] for x in issued] == ["certificate", "dossier", "verbale"]
    holder = client_for(app, d.candidate_id)
    page = holder.get("/documenti").get_data(as_text=True)
    for x in issued:
        assert x["code"] in page
        assert f"/verify/{x['code']}" in page
        first = holder.get(f"/documenti/{x['id']}/pdf")
        assert first.status_code == 200
        assert "attachment" in first.headers["Content-Disposition"]
        assert hashlib.sha256(first.data).hexdigest() == x["sha256"]
        api = holder.get(x["download_url"])
        assert api.data == first.data
    listed = holder.get("/api/v1/documents").get_json()
    assert {x["id"] for x in listed["items"]} == {x["id"] for x in issued}
    row = listed["items"][0]
    assert {"id", "kind", "code", "status", "sha256", "issued_on", "dossier_id"} <= set(row)
    assert row["status"] == "valid"


def test_others_documents_are_not_found(app, make):
    doc = make.issued_document()
    stranger = client_for(app, make.user(Role.TRAINEE))
    assert stranger.get(f"/documenti/{doc.id}/pdf").status_code == 404
    assert stranger.get(f"/api/v1/documents/{doc.id}/pdf").status_code == 404
    assert stranger.get("/api/v1/documents").get_json()["items"] == []
    assert doc.code not in stranger.get("/documenti").get_data(as_text=True)


def test_only_coordinators_issue(app, make):
    d = make.dossier(state=S.DECIDED)
    for who in (d.candidate_id, d.method_expert_id, d.accompagnatore_id):
        c = client_for(app, who)
        resp = c.post(f"/api/v1/dossiers/{d.id}/issue", json={"certificate_kind": "certificate"})
        assert resp.status_code == 403
        assert c.get(f"/dossier/{d.id}/emetti").status_code == 403
    assert _docs(d.id) == []


def test_bad_input_is_a_422_with_field_messages(app, make):
    d = make.dossier(state=S.DECIDED)
    c = client_for(app, make.coordinator())
    resp = c.post(f"/api/v1/dossiers/{d.id}/issue", json={"certificate_kind": "diploma"})
    assert resp.status_code == 422
    assert "certificate_kind" in resp.get_json()["error"]["fields"]
    assert _docs(d.id) == []


def test_the_transparency_document_in_identification(app, make):
    d = make.dossier(state=S.IDENTIFICATION)
    c = client_for(app, d.candidate_id)
    resp = c.post(f"/api/v1/dossiers/{d.id}/transparency")
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["kind"] == "transparency"
    assert db.session.get(type(d), d.id).state == S.IDENTIFICATION


def test_the_documents_list_runs_the_same_queries_at_two_sizes(app, make):
    holder = make.user(Role.TRAINEE)
    make.issued_document(make.dossier(state=S.DECIDED, candidate=holder))
    c = client_for(app, holder)

    def count(path):
        with statements() as seen:
            assert c.get(path).status_code == 200
        return len(seen)

    few = count("/documenti"), count("/api/v1/documents")
    for _i in range(3):
        make.issued_document(make.dossier(state=S.DECIDED, candidate=holder))
    assert (count("/documenti"), count("/api/v1/documents")) == few
