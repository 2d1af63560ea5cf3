"""What the standards pages and the API read: frameworks the reader may see, a framework with
its profiles, competences and items, a profile, a competence with what points at its items.
Each takes the acting user and runs a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from lms.accounts.models import User
from lms.db import db
from lms.permissions import require, require_actor
from lms.standards.models import (
    Framework,
    FrameworkItem,
    FrameworkStatus,
    ItemKind,
    Profile,
    profile_competences,
)
from lms.standards.permissions import (
    can_view_framework,
    can_view_standards,
    sees_draft_frameworks,
)
from lms.standards.usages import Usage, usages_of

KIND_ORDER = {ItemKind.COMPETENCE: 0, ItemKind.ABILITY: 1, ItemKind.KNOWLEDGE: 2}


@dataclass
class CompetenceRow:
    competence: FrameworkItem
    abilities: list[FrameworkItem] = field(default_factory=list)
    knowledge: list[FrameworkItem] = field(default_factory=list)

    @property
    def items(self) -> list[FrameworkItem]:
        return [*self.abilities, *self.knowledge]


@dataclass
class ProfileRow:
    profile: Profile
    competence_ids: list[int]


@dataclass
class FrameworkPage:
    framework: Framework
    profiles: list[ProfileRow]
    competences: list[CompetenceRow]
    versions: list[Framework]  # the other versions of the same code the reader may see

    def competence(self, competence_id: int) -> CompetenceRow | None:
        return next((c for c in self.competences if c.competence.id == competence_id), None)


def frameworks_query(actor: User):
    """The frameworks the reader may see (drafts for admins only), by code, newest first."""
    require_actor(actor)
    require(can_view_standards(actor))
    query = select(Framework).order_by(Framework.code, Framework.id.desc())
    if not sees_draft_frameworks(actor):
        query = query.where(Framework.status != FrameworkStatus.DRAFT)
    return query


def _visible(actor: User, framework: Framework) -> None:
    require_actor(actor)
    require(can_view_framework(actor, framework), private=True)


def competence_rows(items: list[FrameworkItem]) -> list[CompetenceRow]:
    """Competences in order, each with its abilities and knowledge items in order."""
    ordered = sorted(items, key=lambda i: (i.position, i.id))
    rows = {i.id: CompetenceRow(i) for i in ordered if i.kind == ItemKind.COMPETENCE}
    for i in ordered:
        row = rows.get(i.competence_id) if i.competence_id else None
        if row is not None:
            (row.abilities if i.kind == ItemKind.ABILITY else row.knowledge).append(i)
    return list(rows.values())


def framework_page(actor: User, framework: Framework) -> FrameworkPage:
    """A framework with its profiles, its competences with their items and its other versions
    (four queries)."""
    _visible(actor, framework)
    profiles = list(
        db.session.scalars(
            select(Profile).where(Profile.framework_id == framework.id).order_by(Profile.code)
        )
    )
    links: dict[int, list[int]] = defaultdict(list)
    if profiles:
        for pid, cid in db.session.execute(
            select(profile_competences.c.profile_id, profile_competences.c.competence_id).where(
                profile_competences.c.profile_id.in_([p.id for p in profiles])
            )
        ):
            links[pid].append(cid)
    items = list(
        db.session.scalars(select(FrameworkItem).where(FrameworkItem.framework_id == framework.id))
    )
    versions = [
        f
        for f in db.session.scalars(
            select(Framework)
            .where(Framework.code == framework.code, Framework.id != framework.id)
            .order_by(Framework.id)
        )
        if can_view_framework(actor, f)
    ]
    return FrameworkPage(
        framework,
        [ProfileRow(p, links[p.id]) for p in profiles],
        competence_rows(items),
        versions,
    )


def profile_page(actor: User, profile: Profile) -> tuple[Framework, list[CompetenceRow]]:
    """A profile's framework and the competences it asks for, with their items."""
    framework = db.session.get(Framework, profile.framework_id)
    _visible(actor, framework)
    ids = set(
        db.session.scalars(
            select(profile_competences.c.competence_id).where(
                profile_competences.c.profile_id == profile.id
            )
        )
    )
    items = list(
        db.session.scalars(
            select(FrameworkItem).where(
                FrameworkItem.framework_id == framework.id,
                (FrameworkItem.id.in_(ids)) | (FrameworkItem.competence_id.in_(ids)),
            )
        )
    )
    return framework, competence_rows(items)


@dataclass
class CompetencePage:
    framework: Framework
    row: CompetenceRow
    profiles: list[Profile]
    usages: dict[int, list[Usage]]


def competence_page(actor: User, competence: FrameworkItem) -> CompetencePage:
    """A competence, its abilities and knowledge items, the profiles asking for it and, for
    each item, what points at it (one query per usage provider, whatever the items)."""
    framework = db.session.get(Framework, competence.framework_id)
    _visible(actor, framework)
    items = list(
        db.session.scalars(
            select(FrameworkItem).where(FrameworkItem.competence_id == competence.id)
        )
    )
    row = competence_rows([competence, *items])[0]
    profiles = list(
        db.session.scalars(
            select(Profile)
            .join(profile_competences, profile_competences.c.profile_id == Profile.id)
            .where(profile_competences.c.competence_id == competence.id)
            .order_by(Profile.code)
        )
    )
    usages = usages_of(actor, [competence.id, *(i.id for i in items)])
    return CompetencePage(framework, row, profiles, usages)
