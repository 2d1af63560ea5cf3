"""Creating frameworks and adding profiles and items to a draft (the admin pages, the API, the
import and the demo); editing and removing them live in lms.standards.editing. A published or
retired framework never changes: every call on one is refused by lifecycle.ensure_draft with a
message, before the database triggers would refuse it."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import User
from lms.audit.services import record, snapshot
from lms.db import db
from lms.errors import ValidationFailed
from lms.permissions import require, require_actor
from lms.standards.lifecycle import ensure_draft
from lms.standards.models import (
    Ability,
    Competence,
    Framework,
    FrameworkItem,
    FrameworkStatus,
    KnowledgeItem,
    Profile,
)
from lms.standards.permissions import (
    can_edit_framework,
    can_manage_standards,
    can_view_standards,
)
from lms.validation import optional_text, required_text

ITEM_FIELDS = ["framework_id", "kind", "code", "title", "competence_id"]


def _may_manage(actor: User) -> None:
    require_actor(actor)
    require(can_manage_standards(actor))


def may_edit(actor: User, framework: Framework) -> None:
    """Refuse a change to a framework that is not a draft (Conflict, with a message), then
    anyone who may not edit it."""
    require_actor(actor)
    ensure_draft(framework)
    require(can_edit_framework(actor, framework))


def _required(value: str | None, field: str, max_len: int | None = None) -> str:
    return required_text(value, field, max_len)


def check_validity(valid_from: dt.date | None, valid_until: dt.date | None) -> None:
    if valid_from and valid_until and valid_until < valid_from:
        msg = _("The end of validity comes before its start.")
        raise ValidationFailed(msg, {"valid_until": [msg]})


def check_framework_code_free(code: str, version: str, framework_id: int | None = None) -> None:
    query = select(Framework.id).where(Framework.code == code, Framework.version == version)
    if framework_id is not None:
        query = query.where(Framework.id != framework_id)
    if db.session.scalar(query) is not None:
        msg = _("A framework with this code and version already exists.")
        raise ValidationFailed(msg, {"code": [msg]})


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
    code = _required(code, "code", 40)
    version = _required(version, "version", 40)
    check_validity(valid_from, valid_until)
    check_framework_code_free(code, version)
    fw = Framework(
        code=code,
        title=_required(title, "title", 300),
        issuer=_required(issuer, "issuer", 200),
        legal_act=optional_text(legal_act, "legal_act", 300),
        version=version,
        valid_from=valid_from,
        valid_until=valid_until,
        description=optional_text(description, "description", 10000),
        illustrative=illustrative,
        status=FrameworkStatus.DRAFT,
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
    """Add a qualification or profile to a draft framework."""
    may_edit(actor, framework)
    check_eqf(eqf_level)
    code = _required(code, "code", 40)
    check_profile_code_free(framework.id, code)
    profile = Profile(
        framework_id=framework.id,
        code=code,
        title=_required(title, "title", 300),
        description=optional_text(description, "description", 10000),
        eqf_level=eqf_level,
        ateco_code=optional_text(ateco_code, "ateco_code", 20) or None,
        cp_istat_code=optional_text(cp_istat_code, "cp_istat_code", 20) or None,
        atlante_code=optional_text(atlante_code, "atlante_code", 40) or None,
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


def check_eqf(eqf_level: int | None) -> None:
    if eqf_level is not None and not 1 <= eqf_level <= 8:
        msg = _("The EQF level goes from 1 to 8.")
        raise ValidationFailed(msg, {"eqf_level": [msg]})


def check_profile_code_free(framework_id: int, code: str, profile_id: int | None = None) -> None:
    query = select(Profile.id).where(Profile.framework_id == framework_id, Profile.code == code)
    if profile_id is not None:
        query = query.where(Profile.id != profile_id)
    if db.session.scalar(query) is not None:
        msg = _("Another profile of this framework already has this code.")
        raise ValidationFailed(msg, {"code": [msg]})


def check_code_free(framework_id: int, code: str, item_id: int | None = None) -> None:
    query = select(FrameworkItem.id).where(
        FrameworkItem.framework_id == framework_id, FrameworkItem.code == code
    )
    if item_id is not None:
        query = query.where(FrameworkItem.id != item_id)
    exists = db.session.scalar(query)
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
    """Add a competence to a draft framework, optionally to one of its profiles."""
    may_edit(actor, framework)
    code = _required(code, "code", 40)
    check_code_free(framework.id, code)
    if profile is not None and profile.framework_id != framework.id:
        msg = _("Choose a profile of this framework.")
        raise ValidationFailed(msg, {"profile_id": [msg]})
    comp = Competence(
        framework_id=framework.id,
        code=code,
        title=_required(title, "title", 500),
        description=optional_text(description, "description", 10000),
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
    may_edit(actor, db.session.get(Framework, competence.framework_id))
    code = _required(code, "code", 40)
    check_code_free(competence.framework_id, code)
    item = cls(
        framework_id=competence.framework_id,
        competence_id=competence.id,
        code=code,
        title=_required(title, "title", 500),
        description=optional_text(description, "description", 10000),
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
