"""The frameworks and dossiers API: scoped lists and objects (404 outside the scope), the
matrix, evidence with files, transitions, each expert's own decision with its version."""

from __future__ import annotations

import io

import pytest

from certificates.models import DossierState
from certificates.services.common import target_competence_ids, target_items
from lms.accounts.models import Role, User
from lms.db import db
from tests.access.world import PDF
from tests.conftest import login

S = DossierState


@pytest.fixture(autouse=True)
def _app_context(app):
    return app


def client_for(app, user_or_id):
    user = db.session.get(User, user_or_id) if isinstance(user_or_id, int) else user_or_id
    c = app.test_client()
    login(c, user)
    return c


def test_frameworks_list_and_detail(app, make):
    profile = make.profile(competences=2, abilities=3, knowledge=1)
    draft = make.profile(publish=False)
    c = client_for(app, make.user(Role.TRAINEE))
    listed = c.get("/api/v1/frameworks").get_json()
    ids = {f["id"] for f in listed["items"]}
    assert profile.framework_id in ids and draft.framework_id not in ids
    assert {"items", "page", "per_page", "total", "pages"} <= set(listed)
    detail = c.get(f"/api/v1/frameworks/{profile.framework_id}").get_json()
    assert detail["profiles"][0]["id"] == profile.id
    assert len(detail["profiles"][0]["competence_ids"]) == 2
    assert [len(comp["items"]) for comp in detail["competences"]] == [4, 4]
    assert c.get(f"/api/v1/frameworks/{draft.framework_id}").status_code == 404


def test_dossier_lists_are_scoped(app, make):
    mine = make.dossier(state=S.UNDER_ASSESSMENT)
    other = make.dossier(state=S.UNDER_ASSESSMENT)
    for who in (mine.candidate_id, mine.method_expert_id, mine.accompagnatore_id):
        c = client_for(app, who)
        items = c.get("/api/v1/dossiers").get_json()["items"]
        assert [d["id"] for d in items] == [mine.id], who
        assert items[0]["state"] == "under_assessment"
        assert items[0]["method_expert"]["id"] == mine.method_expert_id
        assert c.get(f"/api/v1/dossiers/{mine.id}").status_code == 200
        for path in ("", "/matrix"):
            assert c.get(f"/api/v1/dossiers/{other.id}{path}").status_code == 404
    staff = client_for(app, make.coordinator()).get("/api/v1/dossiers").get_json()
    assert {d["id"] for d in staff["items"]} >= {mine.id, other.id}
    referent = make.user(Role.REFERENT, organisation=make.organisation())
    assert client_for(app, referent).get("/api/v1/dossiers").status_code == 403


def test_matrix_lists_support_and_unsupported_items(app, make):
    d = make.dossier(state=S.IDENTIFICATION, evidence=False)
    c = client_for(app, d.candidate_id)
    item = target_items(d)[1]
    resp = c.post(
        f"/api/v1/dossiers/{d.id}/evidence",
        data={
            "kind": "witness_statement",
            "type": "process",
            "value": "third",
            "title": "Dichiarazione del datore di lavoro",
            "link": [f"{item.id}|Lo conferma il datore"],
            "files": (io.BytesIO(PDF), "dichiarazione.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["links"] == [{"item_id": item.id, "note": "Lo conferma il datore"}]
    assert body["files"], body
    file_id = body["files"][0]["id"]
    assert c.get(f"/api/v1/dossiers/{d.id}/files/{file_id}").status_code == 200
    other = make.dossier(state=S.IDENTIFICATION)
    assert c.get(f"/api/v1/dossiers/{other.id}/files/{file_id}").status_code == 404
    m = c.get(f"/api/v1/dossiers/{d.id}/matrix").get_json()
    cells = {i["id"]: i for comp in m["competences"] for i in comp["items"]}
    assert cells[item.id]["evidence_ids"] == [body["id"]]
    assert cells[item.id]["values"]["third"] == 1
    assert item.id not in m["unsupported_item_ids"]
    assert len(m["unsupported_item_ids"]) == len(cells) - 1
    bad = c.post(
        f"/api/v1/dossiers/{d.id}/evidence",
        data={"kind": "document", "type": "result", "value": "third", "title": "x", "extra": "1"},
    )
    assert bad.status_code == 422


def test_transitions_and_decisions_with_versions(app, make):
    d = make.dossier(state=S.SUBMITTED)
    comps = target_competence_ids(d)
    method = client_for(app, d.method_expert_id)
    content = client_for(app, d.content_expert_id)
    candidate = client_for(app, d.candidate_id)
    assert (
        candidate.post(
            f"/api/v1/dossiers/{d.id}/transitions", json={"to": "under_assessment"}
        ).status_code
        == 403
    )
    resp = method.post(f"/api/v1/dossiers/{d.id}/transitions", json={"to": "under_assessment"})
    assert resp.status_code == 200 and resp.get_json()["state"] == "under_assessment"
    body = {"outcome": "validated", "method": "documentary", "reasons": "Evidenze solide"}
    for comp in comps:
        r = method.put(f"/api/v1/dossiers/{d.id}/decisions/{comp}", json={**body, "version": 0})
        assert r.status_code == 200, r.get_json()
    first = content.put(
        f"/api/v1/dossiers/{d.id}/decisions/{comps[0]}",
        json={**body, "outcome": "not_validated", "version": 0},
    )
    assert first.status_code == 200
    detail = method.get(f"/api/v1/dossiers/{d.id}").get_json()
    assert detail["decisions"][0]["disagreement"] is True
    stale = content.put(
        f"/api/v1/dossiers/{d.id}/decisions/{comps[0]}", json={**body, "version": 0}
    )
    assert stale.status_code == 409
    again = content.put(
        f"/api/v1/dossiers/{d.id}/decisions/{comps[0]}",
        json={**body, "version": first.get_json()["version"]},
    )
    assert again.status_code == 200
    for comp in comps[1:]:
        content.put(f"/api/v1/dossiers/{d.id}/decisions/{comp}", json={**body, "version": 0})
    assert (
        candidate.put(
            f"/api/v1/dossiers/{d.id}/decisions/{comps[0]}", json={**body, "version": 0}
        ).status_code
        == 403
    )
    done = content.post(f"/api/v1/dossiers/{d.id}/transitions", json={"to": "decided"})
    assert done.status_code == 200 and done.get_json()["state"] == "decided"
    mine = candidate.get(f"/api/v1/dossiers/{d.id}").get_json()
    assert {x["outcome"] for x in mine["decisions"]} == {"validated"}


def test_a_decision_on_another_dossiers_competence_is_404(app, make):
    d = make.dossier(state=S.UNDER_ASSESSMENT)
    other = make.dossier(state=S.UNDER_ASSESSMENT)
    c = client_for(app, d.method_expert_id)
    body = {"outcome": "validated", "method": "documentary", "reasons": "x", "version": 0}
    comp = target_competence_ids(other)[0]
    assert c.put(f"/api/v1/dossiers/{d.id}/decisions/{comp}", json=body).status_code == 404
    assert c.put(f"/api/v1/dossiers/{other.id}/decisions/{comp}", json=body).status_code == 404


def test_the_matrix_api_runs_a_fixed_number_of_queries(app, make):
    from sqlalchemy import event

    from certificates.models import EvidenceKind, EvidenceType, EvidenceValue
    from certificates.services.evidence import EvidenceInput, add_evidence

    small = make.dossier(
        make.profile(competences=1, abilities=1, knowledge=1), state=S.IDENTIFICATION
    )
    big = make.dossier(
        make.profile(competences=6, abilities=4, knowledge=4), state=S.IDENTIFICATION
    )
    cand = db.session.get(User, big.candidate_id)
    items = target_items(big)
    for n in range(30):
        add_evidence(
            cand,
            big,
            EvidenceInput(
                kind=EvidenceKind.DOCUMENT,
                type=EvidenceType.RESULT,
                value=EvidenceValue.THIRD,
                title=f"Documento {n}",
                links=[(i.id, "") for i in items[n % 5 :: 5]],
            ),
        )
    db.session.commit()
    c = client_for(app, make.coordinator())
    counts = []
    for d in (small, big):
        seen: list[int] = []

        def listener(*_args, seen=seen):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert c.get(f"/api/v1/dossiers/{d.id}/matrix").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        counts.append(len(seen))
    assert counts[0] == counts[1], counts
