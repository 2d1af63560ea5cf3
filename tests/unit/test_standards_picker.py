"""The shared framework-item picker: published frameworks grouped by competence, items of
other versions kept only where a record points at them, a fixed number of queries, and a
field that refuses what it does not offer."""

from __future__ import annotations

from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from lms.db import db
from lms.standards import lifecycle
from lms.standards.models import FrameworkItem, ItemKind
from lms.standards.picker import FrameworkItemsField, offered_items, picker_groups
from tests.querycount import statements


class PickForm(FlaskForm):
    class Meta:
        csrf = False

    items = FrameworkItemsField("Items")


def _items_of(profile) -> list[FrameworkItem]:
    return list(
        db.session.scalars(
            select(FrameworkItem)
            .where(FrameworkItem.framework_id == profile.framework_id)
            .order_by(FrameworkItem.id)
        )
    )


def _by_code(profile) -> dict[str, FrameworkItem]:
    return {i.code: i for i in _items_of(profile)}


def test_groups_by_framework_and_competence_published_only(app, make):
    published = make.profile(competences=2, abilities=2, knowledge=1)
    make.profile(competences=1, publish=False)  # a draft: never offered
    groups = picker_groups(offered_items())
    assert [g.competence.code for g in groups] == ["C1", "C2"]
    assert {g.framework.id for g in groups} == {published.framework_id}
    assert [i.code for i in groups[0].entries] == ["C1", "C1.A1", "C1.A2", "C1.K1"]
    assert [i.kind for i in groups[0].entries] == [
        ItemKind.COMPETENCE,
        ItemKind.ABILITY,
        ItemKind.ABILITY,
        ItemKind.KNOWLEDGE,
    ]
    assert groups[0].entries[1].kind_label == "Abilità"


def test_selected_items_of_a_retired_version_stay_visible(app, make):
    old = make.profile(competences=2)
    items = _by_code(old)
    lifecycle.retire(make.admin(), _fw(old))
    db.session.commit()
    assert picker_groups(offered_items()) == []
    keep = [items["C1.A2"].id]
    groups = picker_groups(offered_items(keep), keep)
    (group,) = groups
    assert group.competence.code == "C1" and not group.competence_offered
    assert [i.code for i in group.entries] == ["C1.A2"]
    assert group.framework.status_label == "Ritirato"


def _fw(profile):
    from lms.standards.models import Framework

    return db.session.get(Framework, profile.framework_id)


def test_offered_items_run_one_query_whatever_the_size(app, make):
    make.profile(competences=1, abilities=1, knowledge=1)
    small = make.profile(competences=1, abilities=1, knowledge=1)
    keep = [_by_code(small)["C1.A1"].id]
    db.session.expire_all()
    with statements() as few:
        assert len(picker_groups(offered_items(keep), keep)) == 2
    for _i in range(3):
        make.profile(competences=4, abilities=3, knowledge=3)
    db.session.expire_all()
    with statements() as many:
        assert len(picker_groups(offered_items(keep), keep)) == 14
    assert len(few) == len(many) == 1


def test_the_field_refuses_an_item_it_does_not_offer(app, make):
    offered = _by_code(make.profile(competences=1))
    draft = _by_code(make.profile(competences=1, publish=False))
    with app.test_request_context(method="POST"):
        for sent, ok in [
            ([str(offered["C1.A1"].id), str(offered["C1"].id)], True),
            ([str(draft["C1.A1"].id)], False),  # exists, but a draft's item
            (["abc"], False),
            (["999999"], False),
            ([], True),
        ]:
            form = PickForm(formdata=MultiDict([("items", v) for v in sent]))
            form.items.offer()
            assert form.validate() is ok, sent
            if ok:
                assert form.items.data == sorted(int(v) for v in sent)
            else:
                assert form.items.errors == ["Scegli le voci del quadro dall'elenco."]


def test_an_item_the_record_points_at_stays_acceptable_after_retirement(app, make):
    profile = make.profile(competences=1)
    item = _by_code(profile)["C1.K1"]
    lifecycle.retire(make.admin(), _fw(profile))
    db.session.commit()
    with app.test_request_context(method="POST"):
        form = PickForm(formdata=MultiDict([("items", str(item.id))]))
        form.items.offer([item.id])
        assert form.validate()
        form = PickForm(formdata=MultiDict([("items", str(item.id))]))
        form.items.offer()
        assert not form.validate()
