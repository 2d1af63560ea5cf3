"""The dossier pages in and out of scope: worklists, dossier, evidence, matrix, decisions,
verbale and files (candidate: own dossiers only; expert: assigned ones only; 404 otherwise)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import event

from certificates.models import CompetenceDecision, DossierState, Evidence
from certificates.services.common import target_competence_ids, target_items
from lms.accounts.models import Role
from lms.db import db
from tests.access.world import PDF

S = DossierState


@pytest.fixture(autouse=True)
def _app_context(app):
    """Every test here works inside the app (factories included)."""
    return app


@pytest.fixture
def pair(make):
    """Two dossiers on two profiles: the candidate's (under assessment) and someone else's."""
    mine = make.dossier(state=S.UNDER_ASSESSMENT)
    other = make.dossier(state=S.UNDER_ASSESSMENT)
    return mine, other


def _user(uid):
    from lms.accounts.models import User

    return db.session.get(User, uid)


def test_candidate_sees_only_own_dossier_pages(pair, login_as):
    mine, other = pair
    client = login_as(_user(mine.candidate_id))
    page = client.get("/dossier").get_data(as_text=True)
    assert f"/dossier/{mine.id}" in page and f"/dossier/{other.id}" not in page
    for path in ("", "/matrice", "/verbale"):
        assert client.get(f"/dossier/{mine.id}{path}").status_code == 200, path
        assert client.get(f"/dossier/{other.id}{path}").status_code == 404, path
    assert client.get("/dossier/999999").status_code == 404


def test_expert_sees_only_assigned_dossiers(pair, login_as):
    mine, other = pair
    client = login_as(_user(mine.method_expert_id))
    page = client.get("/dossier").get_data(as_text=True)
    assert f"/dossier/{mine.id}" in page and f"/dossier/{other.id}" not in page
    comp = target_competence_ids(mine)[0]
    assert client.get(f"/dossier/{mine.id}/valutazione/{comp}").status_code == 200
    assert client.get(f"/dossier/{other.id}/valutazione/{comp}").status_code == 404
    other_comp = target_competence_ids(other)[0]
    assert client.get(f"/dossier/{mine.id}/valutazione/{other_comp}").status_code == 404


def test_referent_has_no_dossier_worklist(make, login_as):
    referent = make.user(Role.REFERENT, organisation=make.organisation())
    assert login_as(referent).get("/dossier").status_code == 403


def test_coordinator_opens_a_dossier_and_independence_errors_show_on_fields(make, login_as):
    profile = make.profile()
    candidate = make.user(Role.TRAINEE)
    acc = make.user(Role.ASSESSOR)
    expert = make.user(Role.ASSESSOR)
    client = login_as(make.coordinator())
    assert client.get("/dossier/nuovo").status_code == 200
    data = {
        "candidate_id": candidate.id,
        "profile_id": profile.id,
        "accompagnatore_id": acc.id,
        "method_expert_id": acc.id,
        "content_expert_id": expert.id,
    }
    resp = client.post("/dossier/nuovo", data=data)
    assert resp.status_code == 422
    assert "method_expert_id-error" in resp.get_data(as_text=True)
    data["method_expert_id"] = make.user(Role.ASSESSOR).id
    resp = client.post("/dossier/nuovo", data=data)
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert candidate.full_name in page


def test_candidate_adds_edits_and_removes_evidence_with_a_file(make, login_as):
    d = make.dossier(state=S.IDENTIFICATION, evidence=False)
    client = login_as(_user(d.candidate_id))
    item = target_items(d)[1]
    resp = client.post(
        f"/dossier/{d.id}/evidenze/nuova",
        data={
            "kind": "work_experience",
            "type": "process",
            "value": "third",
            "title": "Esperienza in azienda",
            "link": [str(item.id)],
            f"note_{item.id}": "Due anni di lavoro",
            "files": (io.BytesIO(PDF), "lettera.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 303, resp.get_data(as_text=True)[:3000]
    ev = db.session.scalar(db.select(Evidence).where(Evidence.dossier_id == d.id))
    page = client.get(f"/dossier/{d.id}").get_data(as_text=True)
    assert "Esperienza in azienda" in page and "lettera.pdf" in page
    matrix = client.get(f"/dossier/{d.id}/matrice").get_data(as_text=True)
    assert f"evidenza-{ev.id}" in matrix
    edit = client.get(f"/dossier/{d.id}/evidenze/{ev.id}")
    assert edit.status_code == 200 and "Due anni di lavoro" in edit.get_data(as_text=True)
    stale = client.post(
        f"/dossier/{d.id}/evidenze/{ev.id}",
        data={
            "kind": "document",
            "type": "result",
            "value": "third",
            "title": "Nuovo",
            "version": str(ev.version_id + 5),
        },
    )
    assert stale.status_code == 409 and "Nuovo" in stale.get_data(as_text=True)
    ev_id = ev.id
    assert client.post(f"/dossier/{d.id}/evidenze/{ev_id}/elimina").status_code == 303
    db.session.expire_all()
    assert db.session.scalar(db.select(Evidence.id).where(Evidence.id == ev_id)) is None


def test_evidence_files_are_served_only_inside_the_scope(make, login_as):
    d = make.dossier(state=S.IDENTIFICATION, evidence=False)
    other = make.dossier(state=S.IDENTIFICATION, evidence=False)
    client = login_as(_user(d.candidate_id))
    client.post(
        f"/dossier/{d.id}/evidenze/nuova",
        data={
            "kind": "document",
            "type": "result",
            "value": "third",
            "title": "Titolo",
            "files": (io.BytesIO(PDF), "titolo.pdf"),
        },
        content_type="multipart/form-data",
    )
    from certificates.models import EvidenceFile

    fid = db.session.scalar(db.select(EvidenceFile.stored_file_id))
    resp = client.get(f"/dossier/{d.id}/file/{fid}")
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    assert client.get(f"/dossier/{other.id}/file/{fid}").status_code == 404
    assert client.get(f"/dossier/{d.id}/file/{fid + 1000}").status_code == 404


def _decide(client, d, comp, outcome, version=0):
    return client.post(
        f"/dossier/{d.id}/valutazione/{comp}",
        data={
            "outcome": outcome,
            "method": "documentary",
            "reasons": "Evidenze sufficienti",
            "version": str(version),
        },
    )


def test_decisions_disagreement_then_agreement_and_verbale(make, login_as, app):
    d = make.dossier(state=S.UNDER_ASSESSMENT)
    comps = target_competence_ids(d)
    method, content = _user(d.method_expert_id), _user(d.content_expert_id)
    c1 = app.test_client()
    from tests.conftest import login

    login(c1, method)
    c2 = app.test_client()
    login(c2, content)
    for comp in comps:
        assert _decide(c1, d, comp, "validated").status_code == 303
    # The other expert does not see the first expert's decision before signing.
    page = c2.get(f"/dossier/{d.id}/valutazione/{comps[0]}").get_data(as_text=True)
    assert "Evidenze sufficienti" not in page and "Decisioni registrate" not in page
    assert _decide(c2, d, comps[0], "not_validated").status_code == 303
    page = c1.get(f"/dossier/{d.id}/valutazione/{comps[0]}").get_data(as_text=True)
    assert "disagreement" in page
    mine = db.session.scalar(
        db.select(CompetenceDecision).where(
            CompetenceDecision.expert_id == content.id,
            CompetenceDecision.competence_id == comps[0],
        )
    )
    stale = _decide(c2, d, comps[0], "validated", version=0)
    assert stale.status_code == 409 and "Evidenze sufficienti" in stale.get_data(as_text=True)
    assert _decide(c2, d, comps[0], "validated", version=mine.version_id).status_code == 303
    for comp in comps[1:]:
        assert _decide(c2, d, comp, "validated").status_code == 303
    assert c1.post(f"/dossier/{d.id}/stato", data={"to": "decided"}).status_code == 303
    candidate = app.test_client()
    login(candidate, _user(d.candidate_id))
    verbale = candidate.get(f"/dossier/{d.id}/verbale").get_data(as_text=True)
    assert ("Evidenze sufficienti" in verbale and "Validata" in verbale) or "Validato" in verbale


def test_return_needs_a_comment_and_the_candidate_reads_it(make, login_as):
    d = make.dossier(state=S.SUBMITTED)
    client = login_as(_user(d.method_expert_id))
    resp = client.post(f"/dossier/{d.id}/stato", data={"to": "returned", "comment": ""})
    assert resp.status_code == 303
    assert db.session.get(type(d), d.id).state == S.SUBMITTED
    client.post(f"/dossier/{d.id}/stato", data={"to": "returned", "comment": "Manca il CV"})
    db.session.expire_all()
    assert db.session.get(type(d), d.id).state == S.RETURNED


def _count_queries(client, path) -> int:
    n = {"q": 0}

    def count(*_a):
        n["q"] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return n["q"]


def test_matrix_page_runs_a_fixed_number_of_queries(make, login_as):
    small = make.dossier(
        make.profile(competences=1, abilities=1, knowledge=1), state=S.IDENTIFICATION
    )
    big_profile = make.profile(competences=4, abilities=4, knowledge=4)
    big = make.dossier(big_profile, state=S.IDENTIFICATION)
    from certificates.models import EvidenceKind, EvidenceType, EvidenceValue
    from certificates.services.evidence import EvidenceInput, add_evidence

    cand = _user(big.candidate_id)
    for n in range(12):
        add_evidence(
            cand,
            big,
            EvidenceInput(
                kind=EvidenceKind.DOCUMENT,
                type=EvidenceType.RESULT,
                value=EvidenceValue.THIRD,
                title=f"Documento {n}",
                links=[(i.id, "") for i in target_items(big)[n::3]],
            ),
        )
    db.session.commit()
    coordinator = make.coordinator()
    client = login_as(coordinator)
    assert _count_queries(client, f"/dossier/{small.id}/matrice") == _count_queries(
        client, f"/dossier/{big.id}/matrice"
    )


def test_worklists_say_what_waits_on_each_person(make, login_as, app):
    from tests.conftest import login

    d = make.dossier(state=S.SUBMITTED)
    draft = make.dossier()
    expert = app.test_client()
    login(expert, _user(d.method_expert_id))
    assert "Avvia la valutazione" in expert.get("/dossier").get_data(as_text=True)
    acc = app.test_client()
    login(acc, _user(d.accompagnatore_id))
    page = acc.get("/dossier").get_data(as_text=True)
    assert f"/dossier/{d.id}" in page and "In attesa di te" not in page
    staff = login_as(make.coordinator())
    page = staff.get("/dossier?stato=draft").get_data(as_text=True)
    assert f'/dossier/{draft.id}"' in page and f'/dossier/{d.id}"' not in page
    assert "Avvia l&#39;identificazione" in page or "Avvia l'identificazione" in page
    empty = staff.get("/dossier?stato=withdrawn").get_data(as_text=True)
    assert "Nessun dossier in questo stato" in empty


def test_the_candidate_worklist_says_what_is_missing(make, login_as):
    d = make.dossier(state=S.IDENTIFICATION, evidence=False)
    page = login_as(_user(d.candidate_id)).get("/dossier").get_data(as_text=True)
    n = len(target_items(d)) - len(target_competence_ids(d))
    assert f"{n} voci senza evidenze." in page
    assert "Aggiungi le evidenze e invia il dossier" in page


def test_a_candidate_without_dossiers_is_told_what_happens_next(make, login_as):
    page = login_as(make.user(Role.TRAINEE)).get("/dossier").get_data(as_text=True)
    assert "Non hai ancora un dossier" in page


def test_coordinator_changes_the_assignment_and_sees_field_errors(make, login_as):
    d = make.dossier(state=S.IDENTIFICATION)
    client = login_as(make.coordinator())
    assert client.get(f"/dossier/{d.id}/assegnazione").status_code == 200
    resp = client.post(
        f"/dossier/{d.id}/assegnazione",
        data={
            "accompagnatore_id": d.accompagnatore_id,
            "method_expert_id": d.method_expert_id,
            "content_expert_id": d.method_expert_id,
        },
    )
    assert resp.status_code == 422
    assert "content_expert_id-error" in resp.get_data(as_text=True)
    new_expert = make.user(Role.ASSESSOR)
    resp = client.post(
        f"/dossier/{d.id}/assegnazione",
        data={
            "accompagnatore_id": d.accompagnatore_id,
            "method_expert_id": d.method_expert_id,
            "content_expert_id": new_expert.id,
        },
    )
    assert resp.status_code == 303
    db.session.expire_all()
    assert db.session.get(type(d), d.id).content_expert_id == new_expert.id


def _client(app, user):
    from tests.conftest import login

    c = app.test_client()
    login(c, user)
    return c


def test_an_expert_records_an_observation_during_the_assessment(make, app):
    d = make.dossier(state=S.UNDER_ASSESSMENT)
    client = _client(app, _user(d.content_expert_id))
    assert client.get(f"/dossier/{d.id}/osservazioni/nuova").status_code == 200
    item = target_items(d)[0]
    resp = client.post(
        f"/dossier/{d.id}/osservazioni/nuova",
        data={
            "title": "Colloquio tecnico",
            "description": "Ha descritto bene il progetto personalizzato.",
            "date": "2026-11-30",
            "type": "process",
            "link": [str(item.id)],
        },
    )
    assert resp.status_code == 303
    page = client.get(f"/dossier/{d.id}").get_data(as_text=True)
    assert "Colloquio tecnico" in page
    candidate = _client(app, _user(d.candidate_id))
    assert candidate.get(f"/dossier/{d.id}/osservazioni/nuova").status_code == 403


def test_experts_and_staff_cannot_touch_the_evidence(make, app):
    d = make.dossier(state=S.IDENTIFICATION)
    ev = db.session.scalar(db.select(Evidence).where(Evidence.dossier_id == d.id))
    for who in (_user(d.method_expert_id), make.coordinator()):
        client = _client(app, who)
        assert client.get(f"/dossier/{d.id}/evidenze/nuova").status_code in (403, 404)
        assert client.post(f"/dossier/{d.id}/evidenze/{ev.id}/elimina").status_code in (403, 404)
    other = make.dossier(state=S.IDENTIFICATION)
    client = _client(app, _user(other.candidate_id))
    assert client.get(f"/dossier/{other.id}/evidenze/{ev.id}").status_code == 404
    assert client.get(f"/dossier/{d.id}/evidenze/{ev.id}").status_code == 404


def test_assessment_results_in_one_click_when_there_are_none(make, login_as):
    d = make.dossier(state=S.IDENTIFICATION)
    client = login_as(_user(d.candidate_id))
    resp = client.post(f"/dossier/{d.id}/evidenze/risultati")
    assert resp.status_code == 303
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Nessun nuovo esito di verifica" in page
