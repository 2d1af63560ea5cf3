"""The experts' decisions, competence by competence: each expert records and signs their own
outcome; a competence is decided only when both signed the same final outcome."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from certificates.models import (
    FINAL_OUTCOMES,
    AssessmentMethod,
    CompetenceDecision,
    DecisionHistory,
    DecisionOutcome,
    Dossier,
    DossierState,
)
from certificates.permissions import (
    can_edit_decision,
    can_record_decision,
    can_view_decisions,
)
from certificates.services.common import (
    check_version,
    require_on,
    require_state,
    target_competence_ids,
)
from lms.accounts.models import User
from lms.audit.services import record, snapshot
from lms.db import db, domain_error_for, flush_versioned, utcnow
from lms.errors import StaleEdit
from lms.permissions import require
from lms.validation import invalid, optional_text, required_text

DECISION_FIELDS = ["outcome", "method", "test_date", "test_result", "reasons", "signed_at"]


@dataclass
class DecisionInput:
    outcome: DecisionOutcome
    method: AssessmentMethod
    reasons: str
    test_date: dt.date | None = None
    test_result: str = ""
    sign: bool = True


@dataclass
class CompetenceStatus:
    """Where the two experts stand on one target competence."""

    competence_id: int
    decisions: dict[int, CompetenceDecision] = field(default_factory=dict)  # by expert id
    expert_ids: tuple[int | None, int | None] = (None, None)

    @property
    def signed(self) -> list[CompetenceDecision]:
        return [
            d
            for e in self.expert_ids
            if (d := self.decisions.get(e)) is not None and d.signed_at is not None
        ]

    @property
    def both_signed(self) -> bool:
        return len(self.signed) == 2

    @property
    def disagreement(self) -> bool:
        """Both signed, on different outcomes: to be resolved before the dossier is decided."""
        return self.both_signed and self.signed[0].outcome != self.signed[1].outcome

    @property
    def outcome(self) -> DecisionOutcome | None:
        """The collegial outcome, when both signed the same one."""
        if self.both_signed and not self.disagreement:
            return self.signed[0].outcome
        return None

    @property
    def decided(self) -> bool:
        return self.outcome in FINAL_OUTCOMES


def competence_statuses(dossier: Dossier) -> list[CompetenceStatus]:
    """Each target competence with the two experts' records (two queries)."""
    experts = (dossier.method_expert_id, dossier.content_expert_id)
    statuses = {c: CompetenceStatus(c, expert_ids=experts) for c in target_competence_ids(dossier)}
    for d in db.session.scalars(
        select(CompetenceDecision).where(CompetenceDecision.dossier_id == dossier.id)
    ):
        if d.competence_id in statuses and d.expert_id in experts:
            statuses[d.competence_id].decisions[d.expert_id] = d
    return list(statuses.values())


def disagreements(dossier: Dossier) -> list[CompetenceStatus]:
    """The competences on which the two experts signed different outcomes."""
    return [s for s in competence_statuses(dossier) if s.disagreement]


def decisions_of(actor: User, dossier: Dossier) -> list[CompetenceStatus]:
    """The decisions as the actor may read them (experts and staff; others once decided)."""
    require_on(actor, dossier, can_view_decisions(actor, dossier))
    return competence_statuses(dossier)


def _view(decision: CompetenceDecision) -> dict:
    return snapshot(decision, DECISION_FIELDS)


def _apply(decision: CompetenceDecision, data: DecisionInput, now: dt.datetime) -> None:
    reasons = required_text(data.reasons, "reasons", 10000)
    result = optional_text(data.test_result, "test_result", 10000)
    if data.method != AssessmentMethod.DOCUMENTARY:
        if data.test_date is None:
            raise invalid("test_date", _("Give the date of the direct test."))
        if not result:
            raise invalid("test_result", _("Give the result of the direct test."))
    decision.outcome, decision.method, decision.reasons = data.outcome, data.method, reasons
    decision.test_date = data.test_date if data.method != AssessmentMethod.DOCUMENTARY else None
    decision.test_result = result if data.method != AssessmentMethod.DOCUMENTARY else ""
    decision.signed_at = now if data.sign else None


def _history(actor, decision: CompetenceDecision, action: str, before: dict | None) -> None:
    after = _view(decision)
    db.session.add(
        DecisionHistory(
            decision_id=decision.id,
            changed_by_id=actor.id,
            action=action,
            before=before,
            after=after,
        )
    )
    record(actor, f"decision.{action}", "competence_decision", decision.id, before, after)


def record_decision(
    actor: User,
    dossier: Dossier,
    competence_id: int,
    data: DecisionInput,
    *,
    seen_version: int,
    now: dt.datetime | None = None,
) -> CompetenceDecision:
    """The actor's own outcome on a target competence (created, or revised with history);
    seen_version is the version the expert edited (0 for a new record)."""
    require_on(actor, dossier, can_record_decision(actor, dossier))
    require_state(dossier, DossierState.UNDER_ASSESSMENT)
    if competence_id not in target_competence_ids(dossier):
        raise invalid("competence_id", _("This competence is not a target of the dossier."))
    own = db.session.scalar(
        select(CompetenceDecision).where(
            CompetenceDecision.dossier_id == dossier.id,
            CompetenceDecision.competence_id == competence_id,
            CompetenceDecision.expert_id == actor.id,
        )
    )
    if own is not None:
        return edit_decision(actor, own, data, seen_version=seen_version, now=now)
    check_version(None, seen_version)
    decision = CompetenceDecision(
        dossier_id=dossier.id, competence_id=competence_id, expert_id=actor.id
    )
    _apply(decision, data, now or utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(decision)
            db.session.flush()
    except IntegrityError as exc:  # the same expert saved it in another tab first, or the
        # database refused an expert no longer assigned (migration 0009's guard)
        raise (domain_error_for(exc) or StaleEdit()) from exc
    _history(actor, decision, "create", None)
    db.session.flush()
    return decision


def edit_decision(
    actor: User,
    decision: CompetenceDecision,
    data: DecisionInput,
    *,
    seen_version: int,
    now: dt.datetime | None = None,
) -> CompetenceDecision:
    """Revise one's own decision (never the other expert's), refusing a lost update."""
    dossier = db.session.get(Dossier, decision.dossier_id)
    require_on(actor, dossier, can_record_decision(actor, dossier))
    require(can_edit_decision(actor, dossier, decision))
    require_state(dossier, DossierState.UNDER_ASSESSMENT)
    check_version(decision, seen_version)
    before = _view(decision)
    _apply(decision, data, now or utcnow())
    flush_versioned()
    _history(actor, decision, "revise", before)
    db.session.flush()
    return decision


def history_of(actor: User, decision: CompetenceDecision) -> list[DecisionHistory]:
    """Every change of a decision, oldest first."""
    dossier = db.session.get(Dossier, decision.dossier_id)
    require_on(actor, dossier, can_view_decisions(actor, dossier))
    return list(
        db.session.scalars(
            select(DecisionHistory)
            .where(DecisionHistory.decision_id == decision.id)
            .order_by(DecisionHistory.id)
        )
    )
