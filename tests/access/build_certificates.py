"""The certification objects of the access sweep: dossiers, their evidence, files and
competences, and frameworks (see world.py)."""

from __future__ import annotations

from lms.accounts.models import Role
from lms.db import db
from tests.access.world import PDF, Obj, missing


def dossier_kinds(make, trainee, classmate, trainer, trainer2, assessor) -> dict:
    """Two dossiers under assessment: the trainee's own (accompanied by the trainer, assessed
    by the assessor and a second one) and a classmate's that none of the role users works on;
    their evidence, files and target competences; a published and a draft framework."""
    from certificates.models import (
        DossierState,
        EvidenceFile,
        EvidenceKind,
        EvidenceType,
        EvidenceValue,
    )
    from certificates.services import dossiers
    from certificates.services.common import target_competence_ids
    from certificates.services.evidence import EvidenceInput, add_evidence

    assessor2, assessor3 = make.user(Role.ASSESSOR), make.user(Role.ASSESSOR)

    def dossier(candidate, acc, method, content):
        d = make.dossier(
            candidate=candidate,
            state=DossierState.IDENTIFICATION,
            accompagnatore=acc,
            method_expert=method,
            content_expert=content,
        )
        ev = add_evidence(
            candidate,
            d,
            EvidenceInput(
                kind=EvidenceKind.DOCUMENT,
                type=EvidenceType.RESULT,
                value=EvidenceValue.THIRD,
                title="Documento con file dello sweep",
            ),
            [("attestato.pdf", PDF)],
        )
        db.session.flush()
        file_id = db.session.scalar(
            db.select(EvidenceFile.stored_file_id).where(EvidenceFile.evidence_id == ev.id)
        )
        dossiers.submit(candidate, d)
        dossiers.take_under_assessment(method, d)
        db.session.commit()
        facts = {
            "person": candidate.id,
            "org": candidate.organisation_id,
            "assigned": frozenset({acc.id, method.id, content.id}),
        }
        return d, ev.id, file_id, target_competence_ids(d)[0], facts

    own, own_ev, own_file, own_comp, own_facts = dossier(trainee, trainer, assessor, assessor2)
    out, out_ev, out_file, out_comp, out_facts = dossier(classmate, trainer2, assessor2, assessor3)
    draft = make.profile(publish=False)
    published = db.session.get(type(draft), own.profile_id)
    return {
        "dossier": [
            ("own dossier", Obj({"dossier_id": own.id}, **own_facts)),
            ("someone else's dossier", Obj({"dossier_id": out.id}, **out_facts)),
            missing("dossier_id"),
        ],
        "evidence": [
            ("own", Obj({"dossier_id": own.id, "evidence_id": own_ev}, **own_facts)),
            ("someone else's", Obj({"dossier_id": out.id, "evidence_id": out_ev}, **out_facts)),
            (
                "own dossier, another's evidence",
                Obj({"dossier_id": own.id, "evidence_id": out_ev}, invalid=True),
            ),
            missing("dossier_id", "evidence_id"),
        ],
        "dossier_file": [
            ("own", Obj({"dossier_id": own.id, "file_id": own_file}, **own_facts)),
            ("someone else's", Obj({"dossier_id": out.id, "file_id": out_file}, **out_facts)),
            (
                "own dossier, another's file",
                Obj({"dossier_id": own.id, "file_id": out_file}, invalid=True),
            ),
            missing("dossier_id", "file_id"),
        ],
        "dossier_competence": [
            ("own", Obj({"dossier_id": own.id, "competence_id": own_comp}, **own_facts)),
            (
                "someone else's",
                Obj({"dossier_id": out.id, "competence_id": out_comp}, **out_facts),
            ),
            (
                "own dossier, another's competence",
                Obj({"dossier_id": own.id, "competence_id": out_comp}, invalid=True),
            ),
            missing("dossier_id", "competence_id"),
        ],
        "framework": [
            ("published", Obj({"framework_id": published.framework_id})),
            ("draft", Obj({"framework_id": draft.framework_id}, invalid=True)),
            missing("framework_id"),
        ],
        # Import and export (admins): drafts are theirs too.
        "framework_any": [
            ("published", Obj({"framework_id": published.framework_id})),
            ("draft", Obj({"framework_id": draft.framework_id})),
            missing("framework_id"),
        ],
    }


# --- issued documents (issue) ---


def issued_document_kinds(make, kinds: dict) -> dict:
    """An issued document on each of the two dossiers of dossier_kinds: the trainee's own and
    the classmate's (the factory's one-page PDF)."""
    from certificates.models import Dossier

    out = {}
    for name, obj in kinds["dossier"]:
        if obj.invalid:
            continue
        doc = make.issued_document(db.session.get(Dossier, obj.values["dossier_id"]))
        out[name.replace(" dossier", "")] = Obj({"document_id": doc.id}, person=obj.person)
    return {
        "issued_document": [
            ("own", out["own"]),
            ("someone else's", out["someone else's"]),
            missing("document_id"),
        ]
    }
