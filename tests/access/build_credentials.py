"""The credential objects of the access sweep: the trainee's certificate with its Open
Badges credentials and a classmate's, and the status lists (see world.py)."""

from __future__ import annotations

from tests.access.world import Obj, missing


def credential_kinds(make, trainee, classmate) -> dict:
    from certificates.models import DossierState
    from tests.unit.credentials_helpers import issue_for

    def certificate(candidate):
        doc = make.issued_document(make.dossier(candidate=candidate, state=DossierState.DECIDED))
        _, rows = issue_for(make, doc)
        facts = {"person": candidate.id, "org": candidate.organisation_id}
        return doc.id, rows[0].id, facts

    own, own_cred, own_facts = certificate(trainee)
    out, out_cred, out_facts = certificate(classmate)
    return {
        "credential_document": [
            ("own certificate", Obj({"document_id": own}, **own_facts)),
            ("someone else's certificate", Obj({"document_id": out}, **out_facts)),
            missing("document_id"),
        ],
        "credential": [
            ("own", Obj({"document_id": own, "credential_id": own_cred}, **own_facts)),
            ("someone else's", Obj({"document_id": out, "credential_id": out_cred}, **out_facts)),
            (
                "own document, another's credential",
                Obj({"document_id": own, "credential_id": out_cred}, invalid=True),
            ),
            missing("document_id", "credential_id"),
        ],
        "status_list": [("the first list", Obj({"number": 1})), missing("number")],
    }
