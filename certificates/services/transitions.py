"""The transitions of the dossier's life, one function each (re-exported by ``dossiers``).

draft -> identification -> submitted -> under_assessment -> decided; submitted or under
assessment -> returned (with comments) -> submitted again; withdrawn from any open state.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _

from certificates.models import Dossier, DossierComment, DossierSnapshot, DossierState
from certificates.permissions import (
    can_decide_dossier,
    can_return_dossier,
    can_start_identification,
    can_submit_dossier,
    can_take_dossier,
    can_withdraw_dossier,
)
from certificates.services.common import (
    course_enrolment,
    require_on,
    require_state,
)
from certificates.services.decisions import competence_statuses
from certificates.services.notify import after_transition
from certificates.services.snapshots import count_evidence, freeze
from courses.attendance import eligibility
from lms.accounts.models import User
from lms.audit.services import record
from lms.db import db, flush_versioned, utcnow
from lms.errors import Conflict, NotEligible
from lms.validation import required_reason

S = DossierState
OPEN_STATES = (S.DRAFT, S.IDENTIFICATION, S.SUBMITTED, S.UNDER_ASSESSMENT, S.RETURNED)
# target state -> (states it starts from, who may take it)
TRANSITIONS = {
    S.IDENTIFICATION: ((S.DRAFT,), can_start_identification),
    S.SUBMITTED: ((S.IDENTIFICATION, S.RETURNED), can_submit_dossier),
    S.UNDER_ASSESSMENT: ((S.SUBMITTED,), can_take_dossier),
    S.RETURNED: ((S.SUBMITTED, S.UNDER_ASSESSMENT), can_return_dossier),
    S.DECIDED: ((S.UNDER_ASSESSMENT,), can_decide_dossier),
    S.WITHDRAWN: (OPEN_STATES, can_withdraw_dossier),
}


def _state(dossier: Dossier) -> dict:
    return {"state": dossier.state.value}


def _move(
    actor,
    dossier: Dossier,
    target: DossierState,
    reason: str | None = None,
    *,
    sources: tuple[DossierState, ...] | None = None,
) -> Dossier:
    """Change the state (from `sources`, by default the table's), audit it, notify."""
    sources = sources or TRANSITIONS[target][0]
    require_state(dossier, *sources)
    before = _state(dossier)
    dossier.state = target
    if reason:
        db.session.add(
            DossierComment(
                dossier_id=dossier.id, author_id=actor.id, transition=target.value, body=reason
            )
        )
    record(actor, f"dossier.{target.value}", "dossier", dossier.id, before, _state(dossier), reason)
    flush_versioned()  # two people moving the same dossier at once: the second is told
    after_transition(actor, dossier, target)  # in-app notices (and their e-mail copies)
    return dossier


def start_identification(actor: User, dossier: Dossier) -> Dossier:
    """draft -> identification: the coordinator hands the dossier to the accompagnatore."""
    require_on(actor, dossier, can_start_identification(actor, dossier))
    require_state(dossier, S.DRAFT)
    if dossier.accompagnatore_id is None:
        raise Conflict(_("Assign the accompagnatore before starting the identification."))
    return _move(actor, dossier, S.IDENTIFICATION)


def check_attendance(dossier: Dossier, now: dt.datetime | None = None) -> None:
    """A dossier resting on a course needs the course's certification attendance threshold;
    only the courses eligibility rules decide it."""
    if dossier.course_id is None:
        return
    enrolment = course_enrolment(dossier)
    if enrolment is None:
        raise NotEligible(_("The candidate is not enrolled in the course this dossier rests on."))
    threshold = eligibility(enrolment, now).certification
    if not threshold.met:
        raise NotEligible(
            _(
                "The attendance needed for certification is not reached: "
                "%(missing)d minutes are missing.",
                missing=threshold.missing_minutes,
            )
        )


def submit(actor: User, dossier: Dossier, *, now: dt.datetime | None = None) -> DossierSnapshot:
    """identification or returned -> submitted, by the candidate or the accompagnatore:
    checks attendance and freezes the snapshot the experts will decide on."""
    now = now or utcnow()
    require_on(actor, dossier, can_submit_dossier(actor, dossier))
    require_state(dossier, *TRANSITIONS[S.SUBMITTED][0])
    if dossier.method_expert_id is None or dossier.content_expert_id is None:
        raise Conflict(_("Both experts must be assigned before the dossier is submitted."))
    if count_evidence(dossier) == 0:
        raise Conflict(_("Add at least one piece of evidence before submitting the dossier."))
    check_attendance(dossier, now)
    snap = freeze(actor, dossier, now)
    dossier.submitted_at = now
    _move(actor, dossier, S.SUBMITTED)
    return snap


def take_under_assessment(actor: User, dossier: Dossier) -> Dossier:
    """submitted -> under assessment, by one of the two experts."""
    require_on(actor, dossier, can_take_dossier(actor, dossier))
    return _move(actor, dossier, S.UNDER_ASSESSMENT)


def return_to_identification(actor: User, dossier: Dossier, comment: str) -> Dossier:
    """submitted or under assessment -> returned, with the comments saying what is missing."""
    require_on(actor, dossier, can_return_dossier(actor, dossier))
    comment = required_reason(comment, "comment", 2000)
    return _move(actor, dossier, S.RETURNED, comment)


def decide(actor: User, dossier: Dossier, *, now: dt.datetime | None = None) -> Dossier:
    """under assessment -> decided, once both experts signed the same outcome on every target
    competence (collegiality) and no disagreement is left."""
    require_on(actor, dossier, can_decide_dossier(actor, dossier))
    require_state(dossier, S.UNDER_ASSESSMENT)
    statuses = competence_statuses(dossier)
    disagreeing = [s for s in statuses if s.disagreement]
    if disagreeing:
        raise Conflict(
            _(
                "The experts disagree on at least one competence: "
                "resolve the disagreement before deciding."
            )
        )
    if not all(s.decided for s in statuses):
        raise Conflict(_("Both experts must sign the same final outcome on every competence."))
    dossier.decided_at = now or utcnow()
    return _move(actor, dossier, S.DECIDED)


def withdraw(actor: User, dossier: Dossier, reason: str) -> Dossier:
    """Any open state -> withdrawn, by a coordinator, with the reason."""
    require_on(actor, dossier, can_withdraw_dossier(actor, dossier))
    reason = required_reason(reason, "reason", 2000)
    return _move(actor, dossier, S.WITHDRAWN, reason)
