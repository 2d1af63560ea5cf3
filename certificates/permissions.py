"""Who may see and do what with dossiers, evidence and decisions: pure predicates.

A candidate sees their own dossiers, the accompagnatore those they accompany, each expert
those assigned to them, coordinators and admins all of them; referents none (DOMAIN.md gives
them the progress of training, not the certification of their employees). The transition
predicates say who; which states a transition starts from is the services' business.
"""

from __future__ import annotations

from certificates.models import CompetenceDecision, Dossier, Evidence, EvidencePhase
from lms.accounts.permissions import is_assessor, is_staff, is_trainee, is_trainer


def is_dossier_candidate(user, dossier: Dossier) -> bool:
    return bool(user.is_authenticated) and dossier.candidate_id == user.id


def is_dossier_accompagnatore(user, dossier: Dossier) -> bool:
    return bool(user.is_authenticated) and dossier.accompagnatore_id == user.id


def is_dossier_expert(user, dossier: Dossier) -> bool:
    """One of the two experts assigned to the dossier (and still an assessor)."""
    return is_assessor(user) and user.id in dossier.expert_ids


def can_view_dossier(user, dossier: Dossier) -> bool:
    """Staff, the candidate, the accompagnatore and the two experts."""
    if not user.is_authenticated:
        return False
    return (
        is_staff(user)
        or is_dossier_candidate(user, dossier)
        or is_dossier_accompagnatore(user, dossier)
        or is_dossier_expert(user, dossier)
    )


def can_list_dossiers(user) -> bool:
    """Reach a dossier worklist at all (which dossiers: dossiers_visible_to)."""
    return bool(user.is_authenticated) and (
        is_staff(user) or is_trainee(user) or is_assessor(user) or is_trainer(user)
    )


def can_open_dossier(user) -> bool:
    """Coordinators (and admins) open dossiers and assign who works on them."""
    return is_staff(user)


def can_assign_dossier(user, dossier: Dossier) -> bool:
    return is_staff(user)


def can_be_candidate(user) -> bool:
    return is_trainee(user)


def can_be_accompagnatore(user) -> bool:
    """Staff, trainers and assessors accompany candidates (never a trainee only)."""
    return is_staff(user) or is_trainer(user) or is_assessor(user)


def can_be_expert(user) -> bool:
    return is_assessor(user)


def can_start_identification(user, dossier: Dossier) -> bool:
    return is_staff(user)


def can_work_on_evidence(user, dossier: Dossier) -> bool:
    """The candidate and the accompagnatore build the dossier of evidence."""
    return is_dossier_candidate(user, dossier) or is_dossier_accompagnatore(user, dossier)


def can_edit_evidence(user, dossier: Dossier, evidence: Evidence) -> bool:
    """Evidence of the identification phase, by whoever works on the dossier's evidence."""
    return evidence.phase == EvidencePhase.IDENTIFICATION and can_work_on_evidence(user, dossier)


def can_submit_dossier(user, dossier: Dossier) -> bool:
    return can_work_on_evidence(user, dossier)


def can_take_dossier(user, dossier: Dossier) -> bool:
    """Either assigned expert starts the assessment."""
    return is_dossier_expert(user, dossier)


def can_return_dossier(user, dossier: Dossier) -> bool:
    """An assigned expert (or staff) sends the dossier back to identification with comments."""
    return is_dossier_expert(user, dossier) or is_staff(user)


def can_decide_dossier(user, dossier: Dossier) -> bool:
    """An assigned expert closes the assessment once every competence is decided."""
    return is_dossier_expert(user, dossier)


def can_withdraw_dossier(user, dossier: Dossier) -> bool:
    return is_staff(user)


def can_record_observation(user, dossier: Dossier) -> bool:
    """Assigned experts record observations of a direct test."""
    return is_dossier_expert(user, dossier)


def can_record_decision(user, dossier: Dossier) -> bool:
    return is_dossier_expert(user, dossier)


def can_edit_decision(user, dossier: Dossier, decision: CompetenceDecision) -> bool:
    """An expert edits only their own records, never the other expert's."""
    return is_dossier_expert(user, dossier) and decision.expert_id == user.id


def sees_snapshot_only(user, dossier: Dossier) -> bool:
    """Experts decide on what was submitted: they see the frozen snapshot, not live edits."""
    return is_dossier_expert(user, dossier) and not is_dossier_candidate(user, dossier)


def can_view_decisions(user, dossier: Dossier) -> bool:
    """Experts and staff follow the decisions; the candidate and the accompagnatore read them
    once the dossier is decided."""
    from certificates.models import DossierState

    if is_dossier_expert(user, dossier) or is_staff(user):
        return True
    closed = dossier.state in (DossierState.DECIDED, DossierState.ISSUED, DossierState.REVOKED)
    return closed and can_view_dossier(user, dossier)


# --- issued documents (issue) ---


def can_issue_dossier(user, dossier: Dossier) -> bool:
    """Coordinators (and admins) issue the certificate, the dossier and the verbale."""
    return is_staff(user)


def can_request_transparency(user, dossier: Dossier) -> bool:
    """The Documento di trasparenza closes identification: staff, the candidate or the
    accompagnatore ask for it."""
    return is_staff(user) or can_work_on_evidence(user, dossier)


def can_list_documents(user) -> bool:
    """Reach "my documents" at all (which ones: documents.visible_documents)."""
    return bool(user.is_authenticated)


def can_view_document(user, document) -> bool:
    """The holder and staff see an issued document (and download it)."""
    if not user.is_authenticated:
        return False
    return is_staff(user) or document.holder_id == user.id


def sees_my_documents(user) -> bool:
    """The navigation entry "My documents" is for trainees (the holders)."""
    return is_trainee(user)


# --- verification and revocation (verify) ---
# Anyone may verify a document by its code (the public pages say only what the document
# certifies); revoking and reissuing an issued document is the coordinators' (and admins') work.


def can_revoke_document(user, document) -> bool:
    """Coordinators and admins revoke an issued document (with a reason)."""
    return is_staff(user)


def can_reissue_document(user, document) -> bool:
    """Coordinators and admins reissue a document after a correction."""
    return is_staff(user)


# --- credentials (creds) ---
def can_issue_credentials(user, dossier: Dossier) -> bool:
    """Open Badges credentials come with a dossier's certificate, issued by the staff who
    issue it (the system account of the CLI and of background jobs included)."""
    return is_staff(user)


def can_view_credentials(user, document) -> bool:
    """The holder downloads their credentials; staff see them too."""
    if not user.is_authenticated:
        return False
    return document.holder_id == user.id or is_staff(user)


# --- end credentials (creds) ---


# --- issuing a course's decided dossiers in the background (lead) ---


def can_issue_course_dossiers(user) -> bool:
    """Coordinators (and admins) issue every decided dossier of a course in one action."""
    return is_staff(user)


def can_follow_issuing_job(user, job) -> bool:
    """Any coordinator may follow (and so take over) a batch of issuing."""
    return is_staff(user)
