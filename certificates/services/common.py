"""Helpers the dossier services share: scoped checks, state checks, stale edits, loaders."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select

from certificates.models import Dossier, DossierState, dossier_competences
from certificates.permissions import can_view_dossier
from lms.db import db
from lms.errors import Conflict, StaleEdit
from lms.permissions import require, require_actor
from lms.standards.models import FrameworkItem


def require_on(actor, dossier: Dossier, allowed: bool) -> None:
    """404 for whoever may not see the dossier, 403 for who sees it but may not do this."""
    require_actor(actor)
    require(can_view_dossier(actor, dossier), private=True)
    require(allowed)


def require_state(dossier: Dossier, *states: DossierState) -> None:
    """Refuse an operation the dossier's current state does not allow."""
    if dossier.state not in states:
        raise Conflict(
            _(
                "This is not possible in the dossier's current state (%(state)s).",
                state=dossier.state_label,
            )
        )


def check_version(obj, seen_version: int | None) -> None:
    """The editor saw another version of the record: refuse instead of overwriting."""
    current = obj.version_id if obj is not None else 0
    if seen_version is not None and current != seen_version:
        raise StaleEdit()


def target_competence_ids(dossier: Dossier) -> list[int]:
    """The dossier's target competences, in framework order (one query)."""
    return list(
        db.session.scalars(
            select(dossier_competences.c.competence_id)
            .join(FrameworkItem, FrameworkItem.id == dossier_competences.c.competence_id)
            .where(dossier_competences.c.dossier_id == dossier.id)
            .order_by(FrameworkItem.position, FrameworkItem.id)
        )
    )


def target_items(dossier: Dossier) -> list[FrameworkItem]:
    """Target competences and their abilities and knowledge items (one query)."""
    ids = select(dossier_competences.c.competence_id).where(
        dossier_competences.c.dossier_id == dossier.id
    )
    return list(
        db.session.scalars(
            select(FrameworkItem)
            .where(or_(FrameworkItem.id.in_(ids), FrameworkItem.competence_id.in_(ids)))
            .order_by(FrameworkItem.position, FrameworkItem.id)
        )
    )


def course_enrolment(dossier: Dossier):
    """The candidate's enrolment in the course the dossier rests on (None when not enrolled);
    Conflict when the dossier rests on no course."""
    from courses.models import Enrolment

    if dossier.course_id is None:
        raise Conflict(_("This dossier does not rest on a course."))
    return db.session.scalar(
        select(Enrolment)
        .where(Enrolment.course_id == dossier.course_id, Enrolment.user_id == dossier.candidate_id)
        .order_by(Enrolment.id.desc())
        .limit(1)
    )
