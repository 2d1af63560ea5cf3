"""Models of the certificates package, one module per aggregate; import them from here."""

from certificates.models.decision import (
    FINAL_OUTCOMES,
    METHOD_LABELS,
    OUTCOME_LABELS,
    AssessmentMethod,
    CompetenceDecision,
    DecisionHistory,
    DecisionOutcome,
)
from certificates.models.dossier import (
    EDITABLE_STATES,
    STATE_LABELS,
    Dossier,
    DossierComment,
    DossierSnapshot,
    DossierState,
    dossier_competences,
)
from certificates.models.evidence import (
    KIND_LABELS,
    TRAINING_RECORD_KINDS,
    TYPE_LABELS,
    VALUE_LABELS,
    Evidence,
    EvidenceFile,
    EvidenceKind,
    EvidenceLink,
    EvidencePhase,
    EvidenceType,
    EvidenceValue,
)
from lms.db import AppendOnly

__all__ = [
    "EDITABLE_STATES",
    "FINAL_OUTCOMES",
    "KIND_LABELS",
    "METHOD_LABELS",
    "OUTCOME_LABELS",
    "STATE_LABELS",
    "TRAINING_RECORD_KINDS",
    "TYPE_LABELS",
    "VALUE_LABELS",
    "AppendOnly",
    "AssessmentMethod",
    "CompetenceDecision",
    "DecisionHistory",
    "DecisionOutcome",
    "Dossier",
    "DossierComment",
    "DossierSnapshot",
    "DossierState",
    "Evidence",
    "EvidenceFile",
    "EvidenceKind",
    "EvidenceLink",
    "EvidencePhase",
    "EvidenceType",
    "EvidenceValue",
    "dossier_competences",
]
