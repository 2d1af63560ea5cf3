"""The dossier's life: open, assign, the worklist query and one entry point for transitions.

The transition functions themselves live in ``certificates.services.transitions`` and are
re-exported here, so ``dossiers.submit(...)`` and the like keep working.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select

from certificates.models import Dossier, DossierComment, DossierState
from certificates.models import dossier_competences as dc
from certificates.permissions import (
    can_assign_dossier,
    can_be_accompagnatore,
    can_be_candidate,
    can_be_expert,
    can_open_dossier,
    can_view_dossier,
)
from certificates.services.common import require_on, require_state
from certificates.services.transitions import (
    OPEN_STATES,
    TRANSITIONS,
    S,
    check_attendance,
    decide,
    return_to_identification,
    start_identification,
    submit,
    take_under_assessment,
    withdraw,
)
from courses.models import Course, Enrolment
from lms.accounts.models import User
from lms.accounts.permissions import is_assessor, is_staff
from lms.audit.services import record
from lms.db import db
from lms.errors import Conflict, ValidationFailed
from lms.permissions import require, require_actor
from lms.standards.models import Framework, FrameworkStatus, Profile, profile_competences
from lms.validation import invalid

__all__ = [
    "ASSIGNABLE_STATES",
    "OPEN_STATES",
    "TRANSITIONS",
    "assign",
    "available_transitions",
    "check_assignment",
    "check_attendance",
    "comments_of",
    "decide",
    "dossiers_visible_to",
    "open_dossier",
    "return_to_identification",
    "start_identification",
    "submit",
    "take_under_assessment",
    "transition",
    "withdraw",
]

ASSIGNABLE_STATES = (S.DRAFT, S.IDENTIFICATION, S.RETURNED, S.SUBMITTED)


def dossiers_visible_to(actor: User) -> Select:
    """The dossiers the actor may see, newest activity first, for worklists."""
    require_actor(actor)
    query = select(Dossier).order_by(Dossier.updated_at.desc(), Dossier.id.desc())
    if is_staff(actor):
        return query
    # Everyone else, referents included, only through an assignment on the dossier; experts
    # while they hold the assessor role (as can_view_dossier).
    mine = [Dossier.candidate_id == actor.id, Dossier.accompagnatore_id == actor.id]
    if is_assessor(actor):
        mine += [Dossier.method_expert_id == actor.id, Dossier.content_expert_id == actor.id]
    return query.where(or_(*mine))


def available_transitions(actor: User, dossier: Dossier) -> list[DossierState]:
    """The states the actor may move the dossier to now (for buttons and the API)."""
    if not can_view_dossier(actor, dossier):
        return []
    return [
        target
        for target, (sources, allowed) in TRANSITIONS.items()
        if dossier.state in sources and allowed(actor, dossier)
    ]


# --- opening and assignment -----------------------------------------------------------------


def _user(user_id: int | None, field: str) -> User | None:
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise invalid(field, _("Choose an active person."))
    return user


def check_assignment(
    candidate_id: int,
    accompagnatore_id: int | None,
    method_expert_id: int | None,
    content_expert_id: int | None,
    *,
    dossier_id: int | None = None,
) -> None:
    """The independence rules: three different people, none of them the candidate, and the
    accompagnatore of a candidate never assesses that candidate (on any dossier)."""
    errors: dict[str, list[str]] = {}
    acc = _user(accompagnatore_id, "accompagnatore_id")
    experts = {
        "method_expert_id": _user(method_expert_id, "method_expert_id"),
        "content_expert_id": _user(content_expert_id, "content_expert_id"),
    }
    if acc is not None and not can_be_accompagnatore(acc):
        errors["accompagnatore_id"] = [
            _("The accompagnatore must be a coordinator, a trainer or an assessor.")
        ]
    if acc is not None and acc.id == candidate_id:
        errors["accompagnatore_id"] = [_("Candidates cannot accompany themselves.")]
    for field, expert in experts.items():
        if expert is None:
            continue
        if not can_be_expert(expert):
            errors[field] = [_("An expert must have the assessor role.")]
        elif expert.id == candidate_id:
            errors[field] = [_("Nobody is an expert on their own dossier.")]
        elif acc is not None and expert.id == acc.id:
            errors[field] = [_("The accompagnatore cannot assess the same candidate.")]
    if method_expert_id is not None and method_expert_id == content_expert_id:
        errors["content_expert_id"] = [_("The two experts must be different people.")]
    if not errors:
        errors = _cross_dossier_conflicts(
            candidate_id,
            accompagnatore_id,
            {"method_expert_id": method_expert_id, "content_expert_id": content_expert_id},
            dossier_id,
        )
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors)


def _cross_dossier_conflicts(
    candidate_id: int, acc_id: int | None, experts: dict[str, int | None], dossier_id: int | None
) -> dict[str, list[str]]:
    others = select(Dossier).where(Dossier.candidate_id == candidate_id)
    if dossier_id is not None:
        others = others.where(Dossier.id != dossier_id)
    rows = list(db.session.scalars(others))
    accompanied_by = {d.accompagnatore_id for d in rows} - {None}
    assessed_by = set().union(*(d.expert_ids for d in rows)) if rows else set()
    errors = {}
    for field, expert_id in experts.items():
        if expert_id is not None and expert_id in accompanied_by:
            errors[field] = [
                _(
                    "This person accompanies the candidate on another dossier "
                    "and cannot assess them."
                )
            ]
    if acc_id is not None and acc_id in assessed_by:
        errors["accompagnatore_id"] = [
            _("This person assesses the candidate on another dossier and cannot accompany them.")
        ]
    return errors


def open_dossier(
    actor: User,
    *,
    candidate: User,
    profile: Profile,
    competence_ids: Iterable[int],
    course: Course | None = None,
    accompagnatore_id: int | None = None,
    method_expert_id: int | None = None,
    content_expert_id: int | None = None,
) -> Dossier:
    """Open a draft dossier for a candidate on competences of a published profile."""
    require_actor(actor)
    require(can_open_dossier(actor))
    if not can_be_candidate(candidate):
        raise invalid("candidate_id", _("The candidate must be a trainee."))
    framework = db.session.get(Framework, profile.framework_id)
    if framework.status != FrameworkStatus.PUBLISHED:
        raise invalid("profile_id", _("Choose a profile of a published framework."))
    wanted = set(competence_ids)
    of_profile = set(
        db.session.scalars(
            select(profile_competences.c.competence_id).where(
                profile_competences.c.profile_id == profile.id
            )
        )
    )
    if not wanted:
        raise invalid("competence_ids", _("Choose at least one competence."))
    if not wanted <= of_profile:
        raise invalid("competence_ids", _("Choose competences of the dossier's profile."))
    if course is not None and not _enrolled(candidate, course):
        raise invalid("course_id", _("The candidate is not enrolled in this course."))
    check_assignment(candidate.id, accompagnatore_id, method_expert_id, content_expert_id)
    dossier = Dossier(
        candidate_id=candidate.id,
        profile_id=profile.id,
        course_id=course.id if course is not None else None,
        accompagnatore_id=accompagnatore_id,
        method_expert_id=method_expert_id,
        content_expert_id=content_expert_id,
        opened_by_id=actor.id,
        state=S.DRAFT,
    )
    db.session.add(dossier)
    db.session.flush()
    db.session.execute(
        dc.insert(), [{"dossier_id": dossier.id, "competence_id": c} for c in sorted(wanted)]
    )
    record(
        actor,
        "dossier.open",
        "dossier",
        dossier.id,
        None,
        {**_assignment(dossier), "state": "draft", "competence_ids": sorted(wanted)},
    )
    db.session.flush()
    return dossier


def _enrolled(candidate: User, course: Course) -> bool:
    return (
        db.session.scalar(
            select(Enrolment.id)
            .where(Enrolment.course_id == course.id, Enrolment.user_id == candidate.id)
            .limit(1)
        )
        is not None
    )


def _assignment(dossier: Dossier) -> dict:
    return {
        "candidate_id": dossier.candidate_id,
        "profile_id": dossier.profile_id,
        "course_id": dossier.course_id,
        "accompagnatore_id": dossier.accompagnatore_id,
        "method_expert_id": dossier.method_expert_id,
        "content_expert_id": dossier.content_expert_id,
    }


def assign(
    actor: User,
    dossier: Dossier,
    *,
    accompagnatore_id: int | None,
    method_expert_id: int | None,
    content_expert_id: int | None,
) -> Dossier:
    """Assign (or change) the accompagnatore and the two experts, before the assessment."""
    require_on(actor, dossier, can_assign_dossier(actor, dossier))
    require_state(dossier, *ASSIGNABLE_STATES)
    check_assignment(
        dossier.candidate_id,
        accompagnatore_id,
        method_expert_id,
        content_expert_id,
        dossier_id=dossier.id,
    )
    if dossier.state != S.DRAFT and accompagnatore_id is None:
        raise invalid("accompagnatore_id", _("The dossier needs its accompagnatore."))
    if dossier.state == S.SUBMITTED and None in (method_expert_id, content_expert_id):
        raise invalid("method_expert_id", _("A submitted dossier needs both experts."))
    before = _assignment(dossier)
    dossier.accompagnatore_id = accompagnatore_id
    dossier.method_expert_id = method_expert_id
    dossier.content_expert_id = content_expert_id
    record(actor, "dossier.assign", "dossier", dossier.id, before, _assignment(dossier))
    db.session.flush()
    return dossier


def transition(
    actor: User,
    dossier: Dossier,
    to: DossierState,
    *,
    comment: str | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """One entry point for the API's POST /transitions: calls the transition's function."""
    if to == S.IDENTIFICATION:
        return start_identification(actor, dossier)
    if to == S.SUBMITTED:
        submit(actor, dossier, now=now)
        return dossier
    if to == S.UNDER_ASSESSMENT:
        return take_under_assessment(actor, dossier)
    if to == S.RETURNED:
        return return_to_identification(actor, dossier, comment or "")
    if to == S.DECIDED:
        return decide(actor, dossier, now=now)
    if to == S.WITHDRAWN:
        return withdraw(actor, dossier, comment or "")
    raise Conflict(_("This change of state is not possible."))


def comments_of(actor: User, dossier: Dossier) -> list[DossierComment]:
    """The dossier's comments, oldest first, for whoever sees the dossier."""
    require_on(actor, dossier, True)
    return list(
        db.session.scalars(
            select(DossierComment)
            .where(DossierComment.dossier_id == dossier.id)
            .order_by(DossierComment.created_at, DossierComment.id)
        )
    )
