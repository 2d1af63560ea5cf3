"""Every form that aligns content to framework items goes through the shared item picker: it
shows the items grouped by competence, saves the chosen ones, and answers an id it does not
offer (a draft's item, a word, an unknown number) with a field error, never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from assessments.models import Assessment, Question, RubricCriterion
from courses.models import Module
from lms.accounts.models import Role
from lms.db import db
from lms.standards.models import FrameworkItem
from tests.conftest import login

REFUSED = "Scegli le voci del quadro dall&#39;elenco."


@pytest.fixture
def items(app, make):
    """Codes -> items of a published framework, plus one item of a draft."""
    published = make.profile(competences=2, abilities=1, knowledge=1)
    draft = make.profile(competences=1, publish=False)
    codes = {
        i.code: i.id
        for i in db.session.scalars(
            select(FrameworkItem).where(FrameworkItem.framework_id == published.framework_id)
        )
    }
    codes["draft"] = db.session.scalar(
        select(FrameworkItem.id).where(FrameworkItem.framework_id == draft.framework_id)
    )
    return codes


def _client(app, user):
    c = app.test_client()
    login(c, user)
    return c


BAD_VALUES = [("draft", "a draft's item"), ("abc", "not a number"), ("999999", "unknown")]


def _bad(items, key):
    return str(items[key]) if key in items else key


def test_module_form_shows_the_picker_and_saves_the_chosen_items(app, make, items):
    c = _client(app, make.user(Role.COORDINATOR))
    page = c.get("/moduli/nuovo").get_data(as_text=True)
    assert "data-item-picker" in page and page.count('class="item-picker-group') == 2
    assert f'value="{items["draft"]}"' not in page
    base = {"code": "ALL-01", "title": "Allineato", "topic_area": "regulatory"}
    base["planned_hours"] = "2"
    for key, _why in BAD_VALUES:
        resp = c.post("/moduli/nuovo", data={**base, "framework_items": [_bad(items, key)]})
        assert resp.status_code == 422 and REFUSED in resp.get_data(as_text=True)
    assert db.session.scalar(select(Module).where(Module.code == "ALL-01")) is None
    chosen = [items["C1"], items["C2.A1"]]
    resp = c.post("/moduli/nuovo", data={**base, "framework_items": [str(i) for i in chosen]})
    assert resp.status_code == 303
    module = db.session.scalar(
        select(Module).where(Module.code == "ALL-01").options(selectinload(Module.framework_items))
    )
    assert sorted(i.id for i in module.framework_items) == sorted(chosen)
    edit = c.get(f"/moduli/{module.id}/modifica").get_data(as_text=True)
    assert (
        f'value="{items["C2.A1"]}" id="framework_items-{items["C2.A1"]}" data-code="C2.A1" checked'
        in edit
    )


def test_assessment_question_and_criterion_forms_save_the_chosen_items(app, make, items):
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    c = _client(app, trainer)
    form = {
        "title": "Quiz allineato",
        "kind": "quiz",
        "module_id": "",
        "opens_at": "2030-01-09T09:00",
        "closes_at": "2030-01-10T09:00",
        "max_points": "5",
        "pass_mark": "3",
        "weight": "1",
        "late_policy": "refuse",
        "marking_tolerance": "0",
    }
    url = f"/percorsi/{course.id}/valutazioni/nuova"
    for key, _why in BAD_VALUES:
        resp = c.post(url, data={**form, "framework_items": [_bad(items, key)]})
        assert resp.status_code == 422 and REFUSED in resp.get_data(as_text=True)
    resp = c.post(url, data={**form, "framework_items": [str(items["C1.K1"])]})
    assert resp.status_code == 303
    a = db.session.scalar(
        select(Assessment)
        .where(Assessment.title == "Quiz allineato")
        .options(selectinload(Assessment.framework_items))
    )
    assert [i.code for i in a.framework_items] == ["C1.K1"]

    question = {"kind": "single", "prompt": "Quale?", "points": "1", "choices": "* A\nB"}
    question["partial_credit"] = "all_or_nothing"
    for key, _why in BAD_VALUES:
        resp = c.post(
            f"/valutazioni/{a.id}/domande", data={**question, "framework_items": [_bad(items, key)]}
        )
        assert resp.status_code == 422 and REFUSED in resp.get_data(as_text=True)
    resp = c.post(
        f"/valutazioni/{a.id}/domande",
        data={**question, "framework_items": [str(items["C1.A1"]), str(items["C2"])]},
    )
    assert resp.status_code == 303
    q = db.session.scalar(
        select(Question)
        .where(Question.assessment_id == a.id)
        .options(selectinload(Question.framework_items))
    )
    assert sorted(i.code for i in q.framework_items) == ["C1.A1", "C2"]

    coordinator = make.user(Role.COORDINATOR)
    template = make.rubric(criteria=0, actor=coordinator)
    coord = _client(app, coordinator)
    criterion = {"title": "Chiarezza", "levels": "0 | Scarso | x\n3 | Buono | y"}
    for key, _why in BAD_VALUES:
        resp = coord.post(
            f"/griglie/{template.id}/criteri",
            data={**criterion, "framework_items": [_bad(items, key)]},
        )
        assert resp.status_code == 422 and REFUSED in resp.get_data(as_text=True)
    resp = coord.post(
        f"/griglie/{template.id}/criteri",
        data={**criterion, "framework_items": [str(items["C2.K1"])]},
    )
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    crit = db.session.scalar(
        select(RubricCriterion)
        .where(RubricCriterion.rubric_id == template.id)
        .options(selectinload(RubricCriterion.framework_items))
    )
    assert [i.code for i in crit.framework_items] == ["C2.K1"]


def test_evidence_form_uses_the_picker_with_a_note_per_item(app, make):
    from certificates.models import DossierState, EvidenceLink
    from certificates.services.common import target_items
    from lms.accounts.models import User

    d = make.dossier(state=DossierState.IDENTIFICATION, evidence=False)
    c = _client(app, db.session.get(User, d.candidate_id))
    page = c.get(f"/dossier/{d.id}/evidenze/nuova").get_data(as_text=True)
    assert "data-item-picker" in page and "note_" in page
    item = target_items(d)[2]
    base = {"kind": "document", "type": "result", "value": "third", "title": "Attestato"}
    bad = c.post(f"/dossier/{d.id}/evidenze/nuova", data={**base, "link": ["999999"]})
    assert bad.status_code == 422 and 'id="link-error"' in bad.get_data(as_text=True)
    ok = c.post(
        f"/dossier/{d.id}/evidenze/nuova",
        data={**base, "link": [str(item.id)], f"note_{item.id}": "Lo attesta"},
    )
    assert ok.status_code == 303
    link = db.session.scalar(select(EvidenceLink))
    assert (link.framework_item_id, link.note) == (item.id, "Lo attesta")
