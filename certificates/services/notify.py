"""Who is told what when a dossier changes state: the experts when it is submitted, the
candidate when it is returned to identification or decided.

Called at the end of each transition (dossiers._move) inside its transaction: the in-app
notifications are added and flushed there, and their e-mail copies leave after the commit.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from certificates.models import Dossier, DossierComment, DossierState
from lms.accounts.models import User
from lms.db import db
from lms.notifications.services import notify_in_app

# The dossier's page (certificates views); a link that cannot be built is left out.
DOSSIER_ENDPOINT = "certificates.dossier"
DOCUMENTS_ENDPOINT = "certificates.my_documents"  # the holder's issued documents


def _link(dossier: Dossier) -> dict:
    return {"link_endpoint": DOSSIER_ENDPOINT, "link_args": {"dossier_id": dossier.id}}


def _last_comment(dossier: Dossier) -> str:
    return (
        db.session.scalar(
            select(DossierComment.body)
            .where(DossierComment.dossier_id == dossier.id)
            .order_by(DossierComment.id.desc())
            .limit(1)
        )
        or ""
    )


def after_transition(actor: User, dossier: Dossier, target: DossierState) -> None:
    """Notify the people the process names for this transition (add and flush only)."""
    candidate = db.session.get(User, dossier.candidate_id)
    if target == DossierState.SUBMITTED:
        for expert_id in sorted(dossier.expert_ids):
            if expert_id == actor.id:
                continue
            notify_in_app(
                db.session.get(User, expert_id),
                "dossier.submitted",
                _l("Dossier %(number)d submitted for assessment", number=dossier.id),
                _l(
                    "%(candidate)s submitted the dossier of evidence: you are one of its "
                    "two experts.",
                    candidate=candidate.full_name,
                ),
                **_link(dossier),
            )
    elif target == DossierState.RETURNED and candidate.id != actor.id:
        notify_in_app(
            candidate,
            "dossier.returned",
            _l("Your dossier %(number)d was returned with comments", number=dossier.id),
            _l("Comments: %(comment)s", comment=_last_comment(dossier)[:1500]),
            **_link(dossier),
        )
    elif target == DossierState.DECIDED and candidate.id != actor.id:
        notify_in_app(
            candidate,
            "dossier.decided",
            _l("The assessment of your dossier %(number)d is decided", number=dossier.id),
            _l("The experts have recorded their outcome on each competence: read it."),
            **_link(dossier),
        )
    elif target == DossierState.ISSUED and candidate.id != actor.id:
        notify_in_app(
            candidate,
            "dossier.issued",
            _l("Your documents of dossier %(number)d are issued", number=dossier.id),
            _l(
                "Your certificate, the certification dossier and the minutes are ready to download."
            ),
            link_endpoint=DOCUMENTS_ENDPOINT,
            link_args={},
        )


# --- verification and revocation (verify) ---
# The holder is told when one of their issued documents is revoked or reissued; the link is
# the document's public verification page (what anyone checking it sees).
VERIFY_ENDPOINT = "verification.document"


def after_revocation(actor: User, document, reason: str) -> None:
    """Tell the holder that their document was revoked, and why (add and flush only)."""
    holder = db.session.get(User, document.holder_id)
    if holder is None or holder.id == actor.id:
        return
    notify_in_app(
        holder,
        "document.revoked",
        _l("Your document %(code)s was revoked", code=document.code),
        _l("Reason: %(reason)s", reason=reason[:1500]),
        link_endpoint=VERIFY_ENDPOINT,
        link_args={"code": document.code},
    )


def after_reissue(actor: User, old, new) -> None:
    """Tell the holder that a corrected document replaces the old one (add and flush only)."""
    holder = db.session.get(User, new.holder_id)
    if holder is None or holder.id == actor.id:
        return
    notify_in_app(
        holder,
        "document.reissued",
        _l("Your document was reissued with the code %(code)s", code=new.code),
        _l(
            "It replaces the document %(old)s, which is no longer valid. Correction: %(note)s",
            old=old.code,
            note=new.correction_note[:1500],
        ),
        link_endpoint=VERIFY_ENDPOINT,
        link_args={"code": new.code},
    )
