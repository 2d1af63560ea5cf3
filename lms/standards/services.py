"""Minimal framework operations used by the demo and tests (JSON/CSV import comes later)."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import User
from lms.audit.services import record, snapshot
from lms.db import db
from lms.errors import ValidationFailed
from lms.permissions import require, require_actor
from lms.standards.models import (
    Ability,
    Competence,
    Framework,
    FrameworkItem,
    KnowledgeItem,
    Profile,
)
from lms.standards.permissions import can_manage_standards, can_view_standards

ITEM_FIELDS = ["framework_id", "kind", "code", "title", "competence_id"]


def _may_manage(actor: User) -> None:
    require_actor(actor)
    require(can_manage_standards(actor))


def _required(value: str | None, field: str) -> str:
    value = (value or "").strip()
    if not value:
        msg = _("This field is required.")
        raise ValidationFailed(msg, {field: [msg]})
    return value


def create_framework(
    actor: User,
    *,
    code: str,
    title: str,
    issuer: str,
    legal_act: str = "",
    version: str = "1",
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    description: str = "",
    illustrative: bool = False,
) -> Framework:
    """Register a framework published by a public body."""
    _may_manage(actor)
    code = _required(code, "code")
    if valid_from and valid_until and valid_until < valid_from:
        msg = _("The end of validity comes before its start.")
        raise ValidationFailed(msg, {"valid_until": [msg]})
    exists = db.session.scalar(
        select(Framework.id).where(Framework.code == code, Framework.version == version)
    )
    if exists is not None:
        msg = _("A framework with this code and version already exists.")
        raise ValidationFailed(msg, {"code": [msg]})
    fw = Framework(
        code=code,
        title=_required(title, "title"),
        issuer=_required(issuer, "issuer"),
        legal_act=legal_act.strip(),
        version=version,
        valid_from=valid_from,
        valid_until=valid_until,
        description=description.strip(),
        illustrative=illustrative,
    )
    db.session.add(fw)
    db.session.flush()
    record(
        actor,
        "framework.create",
        "framework",
        fw.id,
        None,
        snapshot(fw, ["code", "title", "issuer", "version", "illustrative"]),
    )
    return fw


def create_profile(
    actor: User,
    framework: Framework,
    *,
    code: str,
    title: str,
    description: str = "",
    eqf_level: int | None = None,
    ateco_code: str | None = None,
    cp_istat_code: str | None = None,
    atlante_code: str | None = None,
) -> Profile:
    """Add a qualification or profile to a framework."""
    _may_manage(actor)
    if eqf_level is not None and not 1 <= eqf_level <= 8:
        msg = _("The EQF level goes from 1 to 8.")
        raise ValidationFailed(msg, {"eqf_level": [msg]})
    profile = Profile(
        framework_id=framework.id,
        code=_required(code, "code"),
        title=_required(title, "title"),
        description=description.strip(),
        eqf_level=eqf_level,
        ateco_code=ateco_code,
        cp_istat_code=cp_istat_code,
        atlante_code=atlante_code,
        competences=[],
    )
    db.session.add(profile)
    db.session.flush()
    record(
        actor,
        "profile.create",
        "profile",
        profile.id,
        None,
        snapshot(profile, ["framework_id", "code", "title", "eqf_level"]),
    )
    return profile


def _check_code_free(framework_id: int, code: str) -> None:
    exists = db.session.scalar(
        select(FrameworkItem.id).where(
            FrameworkItem.framework_id == framework_id, FrameworkItem.code == code
        )
    )
    if exists is not None:
        msg = _("Another item of this framework already has this code.")
        raise ValidationFailed(msg, {"code": [msg]})


def _add_item(actor, item: FrameworkItem) -> FrameworkItem:
    db.session.add(item)
    db.session.flush()
    record(
        actor, "framework_item.create", "framework_item", item.id, None, snapshot(item, ITEM_FIELDS)
    )
    return item


def create_competence(
    actor: User,
    framework: Framework,
    *,
    code: str,
    title: str,
    description: str = "",
    position: int = 0,
    profile: Profile | None = None,
) -> Competence:
    """Add a competence to a framework, optionally to one of its profiles."""
    _may_manage(actor)
    code = _required(code, "code")
    _check_code_free(framework.id, code)
    comp = Competence(
        framework_id=framework.id,
        code=code,
        title=_required(title, "title"),
        description=description.strip(),
        position=position,
    )
    _add_item(actor, comp)
    if profile is not None:
        db.session.execute(
            Profile.competences.property.secondary.insert().values(
                profile_id=profile.id, competence_id=comp.id
            )
        )
    return comp


def _create_child(
    actor: User, cls, competence: Competence, code: str, title: str, description: str, position: int
):
    _may_manage(actor)
    code = _required(code, "code")
    _check_code_free(competence.framework_id, code)
    item = cls(
        framework_id=competence.framework_id,
        competence_id=competence.id,
        code=code,
        title=_required(title, "title"),
        description=description.strip(),
        position=position,
    )
    return _add_item(actor, item)


def create_ability(
    actor: User,
    competence: Competence,
    *,
    code: str,
    title: str,
    description: str = "",
    position: int = 0,
) -> Ability:
    """Add an ability (abilità) to a competence."""
    return _create_child(actor, Ability, competence, code, title, description, position)


def create_knowledge_item(
    actor: User,
    competence: Competence,
    *,
    code: str,
    title: str,
    description: str = "",
    position: int = 0,
) -> KnowledgeItem:
    """Add a knowledge item (conoscenza) to a competence."""
    return _create_child(actor, KnowledgeItem, competence, code, title, description, position)


def items_of_frameworks(actor: User) -> list[FrameworkItem]:
    """Every framework item, grouped by framework and ordered for pick lists."""
    require_actor(actor)
    require(can_view_standards(actor))
    return list(
        db.session.scalars(
            select(FrameworkItem).order_by(FrameworkItem.framework_id, FrameworkItem.code)
        )
    )
