"""The objects of the access sweep for public verification: an issued document by its code,
an unknown code and a mistyped one (revocation and reissue use the issue helper's
"issued_document" kind, by id)."""

from __future__ import annotations

from tests.access.world import Obj


def document_kinds(make, trainee) -> dict:
    """An issued certificate of a decided dossier of the trainee's."""
    from certificates.codes import new_code
    from certificates.models import DossierState

    doc = make.issued_document(make.dossier(candidate=trainee, state=DossierState.DECIDED))
    unknown = new_code()
    while unknown == doc.code:
        unknown = new_code()
    return {
        "document_code": [
            ("issued document", Obj({"code": doc.code}, person=trainee.id)),
            ("unknown code", Obj({"code": unknown}, invalid=True)),
            ("mistyped code", Obj({"code": "K7QM-3XRT-9HWC-P4N0"}, invalid=True)),
        ],
    }
