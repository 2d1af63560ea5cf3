"""Each expert's decision on each target competence, and its append-only history."""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import TimestampMixin, UTCDateTime, append_only, db, db_enum, on_violation, utcnow
from lms.errors import Conflict, Forbidden


class DecisionOutcome(enum.Enum):
    VALIDATED = "validated"
    NOT_VALIDATED = "not_validated"
    DIRECT_TEST_NEEDED = "direct_test_needed"


class AssessmentMethod(enum.Enum):
    DOCUMENTARY = "documentary"  # review of the dossier's evidence
    WRITTEN = "written"  # direct tests from here on
    ORAL = "oral"
    PRACTICAL = "practical"
    INTERVIEW = "interview"


OUTCOME_LABELS = {
    DecisionOutcome.VALIDATED: _l("Validated"),
    DecisionOutcome.NOT_VALIDATED: _l("Not validated"),
    DecisionOutcome.DIRECT_TEST_NEEDED: _l("Direct test needed"),
}
METHOD_LABELS = {
    AssessmentMethod.DOCUMENTARY: _l("Documentary review"),
    AssessmentMethod.WRITTEN: _l("Direct test: written"),
    AssessmentMethod.ORAL: _l("Direct test: oral"),
    AssessmentMethod.PRACTICAL: _l("Direct test: practical"),
    AssessmentMethod.INTERVIEW: _l("Direct test: interview"),
}
# Outcomes that decide a competence when both experts sign them.
FINAL_OUTCOMES = frozenset({DecisionOutcome.VALIDATED, DecisionOutcome.NOT_VALIDATED})


class CompetenceDecision(TimestampMixin, db.Model):
    """One expert's outcome, method and reasons for one competence of a dossier."""

    __tablename__ = "competence_decisions"
    __table_args__ = (
        UniqueConstraint("dossier_id", "competence_id", "expert_id"),
        CheckConstraint("length(reasons) > 0", name="reasons_not_empty"),
        CheckConstraint(
            "method = 'documentary' OR (test_date IS NOT NULL AND length(test_result) > 0)",
            name="direct_test_dated_with_result",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True, nullable=False
    )
    competence_id: Mapped[int] = mapped_column(
        ForeignKey("framework_items.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    expert_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    outcome: Mapped[DecisionOutcome] = mapped_column(
        db_enum(DecisionOutcome, "decision_outcome", 20), nullable=False
    )
    method: Mapped[AssessmentMethod] = mapped_column(
        db_enum(AssessmentMethod, "assessment_method", 20), nullable=False
    )
    test_date: Mapped[dt.date | None] = mapped_column(Date)
    test_result: Mapped[str] = mapped_column(Text, nullable=False, default="")
    reasons: Mapped[str] = mapped_column(Text, nullable=False)
    signed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS[self.outcome])

    @property
    def method_label(self) -> str:
        return str(METHOD_LABELS[self.method])


class DecisionHistory(db.Model):
    """Every change of a decision: who, when, before and after. Append-only."""

    __tablename__ = "decision_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("competence_decisions.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    action: Mapped[str] = mapped_column(String(20), nullable=False)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict] = mapped_column(JSON, nullable=False)


append_only(DecisionHistory, "decision history rows")


# Database guards of migration 0009 (triggers): the services check the same rules first, so
# these answer only a lost race (an expert replaced while recording) or a write that bypasses
# the services.
def _not_an_assigned_expert() -> Forbidden:
    return Forbidden(_("Only the two experts assigned to the dossier record decisions on it."))


def _deciding_expert_replaced() -> Conflict:
    return Conflict(
        _("An expert who has recorded decisions cannot be replaced during the assessment.")
    )


on_violation("decision_expert_assigned", _not_an_assigned_expert)
on_violation("deciding_expert_kept", _deciding_expert_replaced)
