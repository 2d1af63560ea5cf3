"""Editing a draft framework: its metadata, profiles and items, and removing them.

Every function refuses a published or retired framework first (lifecycle.ensure_draft, a
Conflict with a message), checks the admin's right, writes an audit entry and flushes.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from lms.accounts.models import User
from lms.audit.services import record, snapshot
from lms.db import db
from lms.errors import Conflict, ValidationFailed
from lms.standards.lifecycle import edit_draft_item
from lms.standards.models import (
    FRAMEWORK_FIELDS,
    Framework,
    FrameworkItem,
    ItemKind,
    Profile,
    profile_competences,
)
from lms.standards.services import (
    check_code_free,
    check_eqf,
    check_framework_code_free,
    check_profile_code_free,
    check_validity,
    may_edit,
)
from lms.standards.usages import usages_of
from lms.validation import optional_text, required_text

PROFILE_FIELDS = ["code", "title", "description", "eqf_level", "ateco_code", "cp_istat_code"]


def edit_framework(
    actor: User,
    framework: Framework,
    *,
    code: str,
    title: str,
    issuer: str,
    legal_act: str = "",
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    description: str = "",
    illustrative: bool = False,
) -> Framework:
    """Change a draft's metadata (its version number is the life cycle's)."""
    may_edit(actor, framework)
    code = required_text(code, "code", 40)
    check_framework_code_free(code, framework.version, framework.id)
    check_validity(valid_from, valid_until)
    before = snapshot(framework, FRAMEWORK_FIELDS)
    framework.code = code
    framework.title = required_text(title, "title", 300)
    framework.issuer = required_text(issuer, "issuer", 200)
    framework.legal_act = optional_text(legal_act, "legal_act", 300)
    framework.valid_from, framework.valid_until = valid_from, valid_until
    framework.description = optional_text(description, "description", 10000)
    framework.illustrative = bool(illustrative)
    db.session.flush()
    record(
        actor,
        "framework.edit",
        "framework",
        framework.id,
        before,
        snapshot(framework, FRAMEWORK_FIELDS),
    )
    return framework


def competence_ids_of(framework: Framework) -> set[int]:
    return set(
        db.session.scalars(
            select(FrameworkItem.id).where(
                FrameworkItem.framework_id == framework.id,
                FrameworkItem.kind == ItemKind.COMPETENCE,
            )
        )
    )


def profile_competence_ids(profile: Profile) -> list[int]:
    return list(
        db.session.scalars(
            select(profile_competences.c.competence_id).where(
                profile_competences.c.profile_id == profile.id
            )
        )
    )


def set_profile_competences(actor: User, profile: Profile, competence_ids: list[int]) -> None:
    """The competences a profile asks for: competences of the same framework."""
    framework = db.session.get(Framework, profile.framework_id)
    may_edit(actor, framework)
    wanted = set(competence_ids)
    if wanted - competence_ids_of(framework):
        msg = _("Choose competences of this framework.")
        raise ValidationFailed(msg, {"competence_ids": [msg]})
    before = sorted(profile_competence_ids(profile))
    db.session.execute(
        delete(profile_competences).where(profile_competences.c.profile_id == profile.id)
    )
    if wanted:
        db.session.execute(
            profile_competences.insert(),
            [{"profile_id": profile.id, "competence_id": c} for c in sorted(wanted)],
        )
    record(
        actor,
        "profile.competences",
        "profile",
        profile.id,
        {"competence_ids": before},
        {"competence_ids": sorted(wanted)},
    )
    db.session.flush()


def edit_profile(
    actor: User,
    profile: Profile,
    *,
    code: str,
    title: str,
    description: str = "",
    eqf_level: int | None = None,
    ateco_code: str | None = None,
    cp_istat_code: str | None = None,
    atlante_code: str | None = None,
) -> Profile:
    """Change a profile of a draft."""
    framework = db.session.get(Framework, profile.framework_id)
    may_edit(actor, framework)
    check_eqf(eqf_level)
    code = required_text(code, "code", 40)
    check_profile_code_free(framework.id, code, profile.id)
    before = snapshot(profile, PROFILE_FIELDS)
    profile.code = code
    profile.title = required_text(title, "title", 300)
    profile.description = optional_text(description, "description", 10000)
    profile.eqf_level = eqf_level
    profile.ateco_code = optional_text(ateco_code, "ateco_code", 20) or None
    profile.cp_istat_code = optional_text(cp_istat_code, "cp_istat_code", 20) or None
    profile.atlante_code = optional_text(atlante_code, "atlante_code", 40) or None
    db.session.flush()
    record(actor, "profile.edit", "profile", profile.id, before, snapshot(profile, PROFILE_FIELDS))
    return profile


def _delete(what: str, *statements) -> None:
    """Delete in a savepoint: a row that something points at is refused with a message."""
    try:
        with db.session.begin_nested():
            for statement in statements:
                db.session.execute(statement)
    except IntegrityError as err:
        raise _in_use(what) from err


def _in_use(what: str) -> Conflict:
    return Conflict(
        _(
            "%(what)s is used elsewhere (modules, questions, dossiers): it cannot be removed.",
            what=what,
        )
    )


def delete_profile(actor: User, profile: Profile) -> None:
    """Remove a profile from a draft (its competences stay)."""
    framework = db.session.get(Framework, profile.framework_id)
    may_edit(actor, framework)
    before = snapshot(profile, PROFILE_FIELDS)
    profile_id = profile.id
    _delete(
        profile.code,
        delete(profile_competences).where(profile_competences.c.profile_id == profile_id),
        delete(Profile.__table__).where(Profile.__table__.c.id == profile_id),
    )
    db.session.expunge(profile)
    record(actor, "profile.delete", "profile", profile_id, before, None)
    db.session.flush()


def edit_item(
    actor: User, item: FrameworkItem, *, code: str, title: str, description: str = ""
) -> FrameworkItem:
    """Change an item of a draft; the life cycle gives it a new UUID when its text changes."""
    framework = db.session.get(Framework, item.framework_id)
    may_edit(actor, framework)
    code = required_text(code, "code", 40)
    check_code_free(framework.id, code, item.id)
    return edit_draft_item(actor, item, title=title, description=description, code=code)


def delete_item(actor: User, item: FrameworkItem) -> None:
    """Remove an item of a draft; a competence goes with its abilities and knowledge items."""
    framework = db.session.get(Framework, item.framework_id)
    may_edit(actor, framework)
    before = {"kind": item.kind.value, "code": item.code, "title": item.title}
    item_id = item.id
    table = FrameworkItem.__table__
    ids = [item_id, *db.session.scalars(select(table.c.id).where(table.c.competence_id == item_id))]
    if any(usages_of(actor, ids).values()):  # SQLite does not enforce the foreign keys
        raise _in_use(item.code)
    _delete(
        item.code,
        delete(profile_competences).where(profile_competences.c.competence_id == item_id),
        delete(table).where(table.c.competence_id == item_id),
        delete(table).where(table.c.id == item_id),
    )
    db.session.expunge(item)
    record(actor, "framework_item.delete", "framework_item", item_id, before, None)
    db.session.flush()
