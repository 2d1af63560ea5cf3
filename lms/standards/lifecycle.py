"""The life cycle of a framework: draft -> published -> retired, and new versions.

A published framework never changes (anything may point at its items); a new version is a
draft copy with the next version number whose items keep their UUID (their CASE identifier)
until their text changes. The database refuses changes to non-draft frameworks too (triggers
of migration 0007); these services refuse first, with a message.
"""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import gettext as _
from sqlalchemy import select

from lms.audit.services import record
from lms.db import db, utcnow
from lms.errors import Conflict
from lms.permissions import require, require_actor
from lms.standards.models import (
    FRAMEWORK_FIELDS,
    Ability,
    Competence,
    Framework,
    FrameworkItem,
    FrameworkStatus,
    ItemKind,
    KnowledgeItem,
    Profile,
    new_uuid,
    profile_competences,
)
from lms.standards.permissions import (
    can_edit_framework,
    can_publish_framework,
    can_retire_framework,
    can_version_framework,
)
from lms.validation import optional_text, required_text

ITEM_CLASSES = {
    ItemKind.COMPETENCE: Competence,
    ItemKind.ABILITY: Ability,
    ItemKind.KNOWLEDGE: KnowledgeItem,
}
PROFILE_COPY_FIELDS = [
    "code",
    "title",
    "description",
    "eqf_level",
    "ateco_code",
    "cp_istat_code",
    "atlante_code",
]


def ensure_draft(framework: Framework) -> None:
    """Refuse any change to a framework that is not a draft."""
    if framework.status != FrameworkStatus.DRAFT:
        raise Conflict(_("A published or retired framework never changes: create a new version."))


def _state(framework: Framework) -> dict:
    return {"status": framework.status.value, "version": framework.version}


def publish(actor, framework: Framework, *, now: dt.datetime | None = None) -> Framework:
    """Publish a draft that has at least one competence; from now on it never changes."""
    require_actor(actor)
    ensure_draft(framework)
    require(can_publish_framework(actor, framework))
    has_competence = db.session.scalar(
        select(FrameworkItem.id)
        .where(
            FrameworkItem.framework_id == framework.id,
            FrameworkItem.kind == ItemKind.COMPETENCE,
        )
        .limit(1)
    )
    if has_competence is None:
        raise Conflict(_("A framework without competences cannot be published."))
    before = _state(framework)
    framework.status = FrameworkStatus.PUBLISHED
    framework.published_at = now or utcnow()
    record(actor, "framework.publish", "framework", framework.id, before, _state(framework))
    db.session.flush()
    return framework


def retire(actor, framework: Framework, *, now: dt.datetime | None = None) -> Framework:
    """Retire a published framework: it stays readable, nothing new should point at it."""
    require_actor(actor)
    if framework.status != FrameworkStatus.PUBLISHED:
        raise Conflict(_("Only a published framework can be retired."))
    require(can_retire_framework(actor, framework))
    before = _state(framework)
    framework.status = FrameworkStatus.RETIRED
    framework.retired_at = now or utcnow()
    record(actor, "framework.retire", "framework", framework.id, before, _state(framework))
    db.session.flush()
    return framework


TRAILING_NUMBER = re.compile(r"^(.*?)([0-9]+)$")


def next_version(code: str, based_on: str | None = None) -> str:
    """The version of a new copy of the frameworks with this code.

    Plain numbers ("1", "2"): one more than the highest. A copy of a version that ends in a
    number after a prefix ("demo-1", "v3", "2024.1") keeps the prefix and takes one more than
    the highest number found after that prefix ("demo-2", "v4", "2024.2")."""
    found = TRAILING_NUMBER.match(based_on or "")
    prefix = found[1] if found else ""
    versions = db.session.scalars(select(Framework.version).where(Framework.code == code))
    numbers = [int(m[2]) for v in versions if (m := TRAILING_NUMBER.match(v)) and m[1] == prefix]
    return f"{prefix}{max(numbers, default=0) + 1}"


def new_version(actor, framework: Framework) -> Framework:
    """Copy a published or retired framework into a draft with the next version number; its
    profiles and items are copied, each item keeping its UUID."""
    require_actor(actor)
    if framework.status == FrameworkStatus.DRAFT:
        raise Conflict(_("A draft is edited directly: publish it before making a new version."))
    require(can_version_framework(actor, framework))
    copy = Framework(
        **{f: getattr(framework, f) for f in FRAMEWORK_FIELDS},
        version=next_version(framework.code, framework.version),
        status=FrameworkStatus.DRAFT,
        based_on_id=framework.id,
    )
    db.session.add(copy)
    db.session.flush()
    items = list(
        db.session.scalars(
            select(FrameworkItem)
            .where(FrameworkItem.framework_id == framework.id)
            .order_by(FrameworkItem.competence_id.is_not(None), FrameworkItem.id)
        )
    )
    new_ids: dict[int, int] = {}
    for kind_is_competence in (True, False):
        batch = []
        for item in items:
            if (item.kind == ItemKind.COMPETENCE) != kind_is_competence:
                continue
            clone = ITEM_CLASSES[item.kind](
                framework_id=copy.id,
                code=item.code,
                uuid=item.uuid,
                title=item.title,
                description=item.description,
                position=item.position,
                competence_id=new_ids.get(item.competence_id) if item.competence_id else None,
            )
            db.session.add(clone)
            batch.append((item, clone))
        db.session.flush()
        new_ids.update({old.id: clone.id for old, clone in batch})
    profiles = list(db.session.scalars(select(Profile).where(Profile.framework_id == framework.id)))
    links = db.session.execute(
        select(profile_competences.c.profile_id, profile_competences.c.competence_id).where(
            profile_competences.c.profile_id.in_([p.id for p in profiles])
        )
    ).all()
    for profile in profiles:
        clone = Profile(
            framework_id=copy.id, **{f: getattr(profile, f) for f in PROFILE_COPY_FIELDS}
        )
        db.session.add(clone)
        db.session.flush()
        rows = [
            {"profile_id": clone.id, "competence_id": new_ids[c]}
            for p, c in links
            if p == profile.id
        ]
        if rows:
            db.session.execute(profile_competences.insert(), rows)
    record(
        actor,
        "framework.new_version",
        "framework",
        copy.id,
        {"based_on": framework.id, "version": framework.version},
        {"version": copy.version, "status": copy.status.value, "items": len(items)},
    )
    db.session.flush()
    return copy


def edit_draft_item(
    actor, item: FrameworkItem, *, title: str, description: str = "", code: str | None = None
) -> FrameworkItem:
    """Edit an item of a draft; when its text changes it gets a new UUID, because the CASE
    identifier stays the same across versions only while the text is unchanged."""
    require_actor(actor)
    framework = db.session.get(Framework, item.framework_id)
    ensure_draft(framework)
    require(can_edit_framework(actor, framework))
    title = required_text(title, "title", 500, name_like=True)
    description = optional_text(description, "description", 10000)
    before = {"code": item.code, "title": item.title, "description": item.description}
    if (title, description) != (item.title, item.description):
        item.uuid = new_uuid()
    item.title, item.description = title, description
    if code is not None:
        item.code = required_text(code, "code", 40, name_like=True)
    after = {"code": item.code, "title": item.title, "description": item.description}
    record(actor, "framework_item.edit", "framework_item", item.id, before, after)
    db.session.flush()
    return item
