"""Reads the pages and the API need beyond the domain services: worklists with names and what
waits on the reader, the people a coordinator may assign, published frameworks with their
items, and the dossier's evidence with files and links. Each takes the acting user."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import lazyload

from certificates.models import CompetenceDecision, Dossier, DossierState, dossier_competences
from certificates.permissions import (
    can_be_accompagnatore,
    can_be_candidate,
    can_be_expert,
    can_list_dossiers,
    can_open_dossier,
    is_dossier_accompagnatore,
    is_dossier_candidate,
    is_dossier_expert,
)
from certificates.services.dossiers import dossiers_visible_to
from certificates.services.matrix import unsupported_counts
from lms.accounts.models import User
from lms.accounts.permissions import is_assessor, is_staff
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
from lms.standards.permissions import can_view_standards

S = DossierState
WAITING = {
    "start_identification": _l("Start the identification"),
    "build": _l("Add the evidence and submit the dossier"),
    "take": _l("Start the assessment"),
    "decide_own": _l("Record your decision on every competence"),
    "disagreement": _l("Resolve the disagreement with the other expert"),
    "close": _l("Close the assessment"),
    "wait_other": _l("Waiting for the other expert"),
}


@dataclass
class WorkRow:
    dossier: Dossier
    candidate: User
    profile: Profile
    accompagnatore: User | None
    method_expert: User | None
    content_expert: User | None
    roles: list[str] = field(default_factory=list)  # candidate, accompagnatore, expert, staff
    waiting: str | None = None  # key of WAITING: what waits on the reader

    @property
    def waiting_label(self) -> str:
        return str(WAITING[self.waiting]) if self.waiting else ""


def _expert_waiting(actor: User, d: Dossier, decisions: list[CompetenceDecision], n: int) -> str:
    if d.state == S.SUBMITTED:
        return "take"
    mine = {x.competence_id for x in decisions if x.expert_id == actor.id and x.signed_at}
    if len(mine) < n:
        return "decide_own"
    by_comp: dict[int, set] = defaultdict(set)
    signed = defaultdict(int)
    for x in decisions:
        if x.signed_at and x.expert_id in d.expert_ids:
            by_comp[x.competence_id].add(x.outcome)
            signed[x.competence_id] += 1
    if any(len(v) > 1 for v in by_comp.values()):
        return "disagreement"
    if len(signed) == n and all(v == 2 for v in signed.values()):
        return "close"
    return "wait_other"


def _waiting_on(actor: User):
    """The SQL twin of the rule below that sets WorkRow.waiting: something waits on the actor
    (the candidate or accompagnatore while the dossier is built, an expert while it is
    assessed, staff while it is a draft)."""
    cases = [
        or_(Dossier.candidate_id == actor.id, Dossier.accompagnatore_id == actor.id)
        & Dossier.state.in_([S.IDENTIFICATION, S.RETURNED])
    ]
    if is_assessor(actor):
        cases.append(
            or_(Dossier.method_expert_id == actor.id, Dossier.content_expert_id == actor.id)
            & Dossier.state.in_([S.SUBMITTED, S.UNDER_ASSESSMENT])
        )
    if is_staff(actor):
        cases.append(Dossier.state == S.DRAFT)
    return or_(*cases)


def _worklist_query(actor: User, state: DossierState | None, waiting_only: bool):
    require_actor(actor)
    require(can_list_dossiers(actor))
    query = dossiers_visible_to(actor)
    if state is not None:
        query = query.where(Dossier.state == state)
    if waiting_only:
        query = query.where(_waiting_on(actor))
    return query


def worklist_counts(actor: User, state: DossierState | None = None) -> tuple[int, int]:
    """How many dossiers worklist() lists with the same arguments, and how many of them wait
    on the actor (waiting_only=True): one query."""
    query = _worklist_query(actor, state, False).order_by(None)
    waiting = func.coalesce(func.sum(case((_waiting_on(actor), 1), else_=0)), 0)
    total, n_waiting = db.session.execute(
        query.with_only_columns(func.count(Dossier.id), waiting)
    ).one()
    return int(total), int(n_waiting)


def worklist(
    actor: User,
    state: DossierState | None = None,
    *,
    waiting_only: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[WorkRow]:
    """The dossiers the actor sees (optionally in one state; waiting_only: those waiting on
    the actor), newest activity first, with the people on them and what waits on the actor;
    limit/offset cut the list in SQL (lms.web.PageWindow). A fixed number of queries."""
    n_targets = (
        select(func.count())
        .select_from(dossier_competences)
        .where(dossier_competences.c.dossier_id == Dossier.id)
        .scalar_subquery()
    )
    # each dossier with its profile and its number of target competences, in one query
    query = (
        _worklist_query(actor, state, waiting_only)
        .join(Profile, Profile.id == Dossier.profile_id)
        .add_columns(Profile, n_targets)
    )
    if limit is not None:
        query = query.limit(limit).offset(offset)
    found = db.session.execute(query).all()
    dossiers = [d for d, _p, _n in found]
    profiles = {p.id: p for _d, p, _n in found}
    targets = {d.id: n for d, _p, n in found}
    people_ids = {
        i
        for d in dossiers
        for i in (d.candidate_id, d.accompagnatore_id, d.method_expert_id, d.content_expert_id)
        if i is not None
    }
    people = (
        {
            u.id: u
            for u in db.session.scalars(
                # the list shows names only: no roles loaded
                select(User).where(User.id.in_(people_ids)).options(lazyload(User.role_rows))
            )
        }
        if people_ids
        else {}
    )
    decisions: dict[int, list[CompetenceDecision]] = defaultdict(list)
    assessed = [d.id for d in dossiers if d.state == S.UNDER_ASSESSMENT]
    if assessed:
        for x in db.session.scalars(
            select(CompetenceDecision).where(CompetenceDecision.dossier_id.in_(assessed))
        ):
            decisions[x.dossier_id].append(x)
    rows = []
    for d in dossiers:
        row = WorkRow(
            d,
            people[d.candidate_id],
            profiles[d.profile_id],
            people.get(d.accompagnatore_id),
            people.get(d.method_expert_id),
            people.get(d.content_expert_id),
        )
        if is_dossier_candidate(actor, d):
            row.roles.append("candidate")
        if is_dossier_accompagnatore(actor, d):
            row.roles.append("accompagnatore")
        if is_dossier_expert(actor, d):
            row.roles.append("expert")
        if is_staff(actor):
            row.roles.append("staff")
        if ("candidate" in row.roles or "accompagnatore" in row.roles) and d.state in (
            S.IDENTIFICATION,
            S.RETURNED,
        ):
            row.waiting = "build"
        elif "expert" in row.roles and d.state in (S.SUBMITTED, S.UNDER_ASSESSMENT):
            row.waiting = _expert_waiting(actor, d, decisions[d.id], targets[d.id])
        elif "staff" in row.roles and d.state == S.DRAFT:
            row.waiting = "start_identification"
        rows.append(row)
    return rows


def missing_items(actor: User, rows: list[WorkRow]) -> dict[int, int]:
    """For the actor's own dossiers still being built, how many target items have no
    evidence yet (one query whatever their number)."""
    return unsupported_counts(
        actor, [r.dossier for r in rows if "candidate" in r.roles and r.dossier.is_editable]
    )


def dossier_people(actor: User, dossier: Dossier) -> dict[str, User | None]:
    """The candidate, accompagnatore and experts of a dossier the actor sees (one query)."""
    from certificates.services.common import require_on

    require_on(actor, dossier, True)
    ids = {
        "candidate": dossier.candidate_id,
        "accompagnatore": dossier.accompagnatore_id,
        "method_expert": dossier.method_expert_id,
        "content_expert": dossier.content_expert_id,
    }
    wanted = {i for i in ids.values() if i is not None}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(wanted)))}
    return {k: users.get(i) if i is not None else None for k, i in ids.items()}


@dataclass
class AssignChoices:
    candidates: list[User]
    accompagnatori: list[User]
    experts: list[User]
    profiles: list[Profile]


def assignment_choices(actor: User) -> AssignChoices:
    """Active people who may be candidates, accompagnatori or experts, and published profiles."""
    require_actor(actor)
    require(can_open_dossier(actor))
    active = list(
        db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.full_name))
    )
    profiles = list(
        db.session.scalars(
            select(Profile)
            .join(Framework, Framework.id == Profile.framework_id)
            .where(Framework.status == FrameworkStatus.PUBLISHED)
            .order_by(Profile.title, Profile.id)
        )
    )
    return AssignChoices(
        [u for u in active if can_be_candidate(u)],
        [u for u in active if can_be_accompagnatore(u)],
        [u for u in active if can_be_expert(u)],
        profiles,
    )


def profile_competences_of(actor: User, profile: Profile) -> list[FrameworkItem]:
    """The competences of a profile, in framework order."""
    require_actor(actor)
    require(can_view_standards(actor))
    return list(
        db.session.scalars(
            select(FrameworkItem)
            .join(profile_competences, profile_competences.c.competence_id == FrameworkItem.id)
            .where(profile_competences.c.profile_id == profile.id)
            .order_by(FrameworkItem.position, FrameworkItem.id)
        )
    )


def frameworks_query(actor: User):
    """Published and retired frameworks (drafts are the admins' work), newest first."""
    require_actor(actor)
    require(can_view_standards(actor))
    query = select(Framework).order_by(Framework.code, Framework.id.desc())
    return query.where(Framework.status != FrameworkStatus.DRAFT)


def can_read_framework(actor: User, framework: Framework) -> bool:
    """Published and retired frameworks, by everyone logged in (drafts: the admin pages)."""
    return can_view_standards(actor) and framework.status != FrameworkStatus.DRAFT


@dataclass
class FrameworkTree:
    framework: Framework
    profiles: list[dict]
    competences: list[dict]


def framework_tree(actor: User, framework: Framework) -> FrameworkTree:
    """A framework with its profiles (and their competence ids), its competences and their
    abilities and knowledge items (three queries)."""
    require_actor(actor)
    require(can_read_framework(actor, framework), private=True)
    profiles = list(
        db.session.scalars(
            select(Profile).where(Profile.framework_id == framework.id).order_by(Profile.id)
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
        db.session.scalars(
            select(FrameworkItem)
            .where(FrameworkItem.framework_id == framework.id)
            .order_by(FrameworkItem.position, FrameworkItem.id)
        )
    )
    comps = {i.id: {"item": i, "items": []} for i in items if i.kind == ItemKind.COMPETENCE}
    for i in items:
        if i.kind != ItemKind.COMPETENCE and i.competence_id in comps:
            comps[i.competence_id]["items"].append(i)
    return FrameworkTree(
        framework,
        [{"profile": p, "competence_ids": sorted(links[p.id])} for p in profiles],
        list(comps.values()),
    )
