"""Competence frameworks: items in one table, codes unique per framework, links from modules."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.models import Role
from lms.db import db
from lms.errors import Forbidden, ValidationFailed
from lms.standards.models import Ability, Competence, FrameworkItem, KnowledgeItem, Profile
from lms.standards.services import (
    create_ability,
    create_competence,
    create_framework,
    create_knowledge_item,
    create_profile,
    items_of_frameworks,
)


def test_framework_items_and_module_links(app, make):
    coord = make.user(Role.ADMIN)  # standards are the administrators'
    fw = create_framework(
        coord,
        code="QRSP",
        title="Quadro",
        issuer="Regione Lombardia",
        version="2018",
        illustrative=True,
    )
    profile = create_profile(coord, fw, code="DM", title="Disability Manager", eqf_level=6)
    comp = create_competence(coord, fw, code="C1", title="Pianificare", profile=profile)
    ability = create_ability(coord, comp, code="C1.A1", title="Calcolare la quota")
    knowledge = create_knowledge_item(coord, comp, code="C1.K1", title="Legge 68/1999")
    db.session.commit()
    with pytest.raises(ValidationFailed):
        create_ability(coord, comp, code="C1.A1", title="Doppione")
    db.session.rollback()
    with pytest.raises(ValidationFailed):
        create_profile(coord, fw, code="X", title="X", eqf_level=9)
    db.session.rollback()
    items = db.session.scalars(select(FrameworkItem).order_by(FrameworkItem.code)).all()
    assert [type(i) for i in items] == [Competence, Ability, KnowledgeItem]
    loaded = db.session.scalar(select(Competence).options(selectinload(Competence.items)))
    assert {i.code for i in loaded.items} == {"C1.A1", "C1.K1"}
    p = db.session.scalar(select(Profile).options(selectinload(Profile.competences)))
    assert [c.code for c in p.competences] == ["C1"]
    from lms.standards import lifecycle

    lifecycle.publish(coord, fw)  # records point at published items only
    module = make.module(framework_item_ids=[comp.id, ability.id, knowledge.id])
    from courses.models import Module

    m = db.session.scalar(
        select(Module).where(Module.id == module.id).options(selectinload(Module.framework_items))
    )
    assert [i.code for i in m.framework_items] == ["C1", "C1.A1", "C1.K1"]


def test_only_admins_maintain_frameworks(app, make):
    trainer, coord = make.user(Role.TRAINER), make.user(Role.ADMIN)
    with pytest.raises(Forbidden):
        create_framework(trainer, code="X", title="X", issuer="Regione")
    db.session.rollback()
    with pytest.raises(Forbidden):
        create_framework(None, code="X", title="X", issuer="Regione")
    db.session.rollback()
    with pytest.raises(Forbidden):  # coordinators align modules to standards, never edit them
        create_framework(make.user(Role.COORDINATOR), code="X", title="X", issuer="Regione")
    db.session.rollback()
    fw = create_framework(coord, code="X", title="X", issuer="Regione")
    comp = create_competence(coord, fw, code="C1", title="Pianificare")
    for call in (
        lambda: create_profile(trainer, fw, code="P", title="P"),
        lambda: create_competence(trainer, fw, code="C2", title="Altro"),
        lambda: create_ability(trainer, comp, code="C1.A1", title="Abilità"),
        lambda: create_knowledge_item(trainer, comp, code="C1.K1", title="Conoscenza"),
    ):
        with pytest.raises(Forbidden):
            call()
    assert [i.code for i in items_of_frameworks(trainer)] == ["C1"]
