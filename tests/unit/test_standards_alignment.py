"""The services, not only the item picker, let records point only at items of published
frameworks; an item of a version retired since stays linked (issue 8)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from assessments.services import authoring
from courses.models import Module
from courses.services.catalogue import update_module
from lms.db import db
from lms.errors import ValidationFailed
from lms.standards import lifecycle
from lms.standards.models import Framework, FrameworkItem


def _loaded(module):
    """The module with its items loaded, as the pages and the API load it."""
    return db.session.scalars(
        select(Module).where(Module.id == module.id).options(selectinload(Module.framework_items))
    ).one()


def _items(profile) -> list[int]:
    return list(
        db.session.scalars(
            select(FrameworkItem.id)
            .where(FrameworkItem.framework_id == profile.framework_id)
            .order_by(FrameworkItem.id)
        )
    )


def test_a_drafts_items_are_refused_by_every_service(app, make):
    draft = _items(make.profile(competences=1, abilities=1, knowledge=0, publish=False))
    published = _items(make.profile(competences=1, abilities=1, knowledge=0))
    module = _loaded(make.module(framework_item_ids=published))
    assert sorted(i.id for i in module.framework_items) == published
    with pytest.raises(ValidationFailed) as err:
        make.module(framework_item_ids=draft)
    assert err.value.fields == {
        "framework_items": ["Si possono scegliere solo elementi di un quadro pubblicato."]
    }
    course = make.course()
    with pytest.raises(ValidationFailed) as err:
        make.assessment(course, framework_item_ids=draft)
    assert "framework_items" in err.value.fields
    with pytest.raises(ValidationFailed):
        authoring.add_criterion(
            make.coordinator(),
            authoring.create_template(make.coordinator(), title="Griglia"),
            authoring.CriterionInput(
                title="Chiarezza",
                levels=[authoring.LevelInput("Base", "1"), authoring.LevelInput("Buono", "2")],
                framework_item_ids=draft,
            ),
        )
    with pytest.raises(ValidationFailed) as err:
        make.module(framework_item_ids=[max(draft + published) + 1000])
    assert err.value.fields["framework_items"] == [
        "Alcuni elementi del quadro di riferimento non esistono."
    ]


def test_items_of_a_version_retired_since_stay_linked(app, make):
    profile = make.profile(competences=1, abilities=1, knowledge=0)
    ids = _items(profile)
    module = make.module(framework_item_ids=ids)
    lifecycle.retire(make.admin(), db.session.get(Framework, profile.framework_id))
    db.session.commit()
    module = _loaded(module)
    kept = update_module(
        make.coordinator(),
        module,
        code=module.code,
        title="Titolo nuovo",
        topic_area=module.topic_area,
        planned_minutes=module.planned_minutes,
        framework_item_ids=ids,
    )
    assert sorted(i.id for i in kept.framework_items) == ids
    other = _loaded(make.module())
    with pytest.raises(ValidationFailed):
        update_module(
            make.coordinator(),
            other,
            code=other.code,
            title=other.title,
            topic_area=other.topic_area,
            planned_minutes=other.planned_minutes,
            framework_item_ids=ids,
        )
