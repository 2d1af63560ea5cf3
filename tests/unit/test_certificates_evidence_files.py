"""Removing one file from a piece of evidence: by whoever may edit the evidence, only while the
dossier is being built, audited with the files before and after; the bytes go unless a
snapshot names the file, so that the experts keep reading what they decided on."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from certificates.models import DossierState, Evidence, EvidenceFile
from certificates.services import dossiers, evidence, snapshots
from lms.accounts.models import Role
from lms.db import db
from lms.errors import Conflict, Forbidden, NotFound
from lms.files.models import StoredFile
from lms.files.services import key_of
from lms.storage import storage
from tests.unit.certificates_helpers import audit_actions, document, people

S = DossierState
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _with_files(d, actor, *names):
    ev = evidence.add_evidence(actor, d, document(), files=[(n, PDF) for n in names])
    db.session.commit()
    ids = db.session.scalars(
        select(EvidenceFile.stored_file_id)
        .where(EvidenceFile.evidence_id == ev.id)
        .order_by(EvidenceFile.stored_file_id)
    ).all()
    return ev, ids


@pytest.mark.parametrize("who", ["candidate", "acc"])
def test_one_file_is_removed_and_audited(app, make, who):
    d = make.dossier(state=S.IDENTIFICATION, evidence=False)
    actor = getattr(people(d), who)
    ev, (first, second) = _with_files(d, people(d).candidate, "lettera.pdf", "contratto.pdf")
    version = ev.version_id
    key = key_of(db.session.get(StoredFile, first))
    assert storage().exists(key)
    evidence.remove_file(actor, ev, first)
    db.session.commit()
    assert db.session.get(StoredFile, first) is None and not storage().exists(key)
    docs, _n = snapshots.evidence_documents(actor, d)
    assert [f["file_id"] for f in docs[0]["files"]] == [second]
    assert db.session.get(Evidence, ev.id).version_id > version
    entry = audit_actions("evidence", ev.id)[-1]
    assert entry.action == "evidence.remove_file" and entry.actor_id == actor.id
    assert entry.before == {
        "files": [
            {"file_id": first, "name": "lettera.pdf"},
            {"file_id": second, "name": "contratto.pdf"},
        ]
    }
    assert entry.after == {"files": [{"file_id": second, "name": "contratto.pdf"}]}


def test_only_builders_only_while_editable_and_only_this_evidence_files(app, make):
    d = make.dossier(state=S.IDENTIFICATION, evidence=False)
    p = people(d)
    ev, (file_id,) = _with_files(d, p.candidate, "lettera.pdf")
    other = make.dossier(state=S.IDENTIFICATION, evidence=False)
    _other_ev, (other_file,) = _with_files(other, people(other).candidate, "altro.pdf")
    with pytest.raises(Forbidden):  # an expert sees the dossier but never edits its evidence
        evidence.remove_file(p.method, ev, file_id)
    with pytest.raises(Forbidden):
        evidence.remove_file(make.coordinator(), ev, file_id)
    with pytest.raises(NotFound):  # someone outside the dossier
        evidence.remove_file(make.user(Role.TRAINEE), ev, file_id)
    with pytest.raises(NotFound):  # another dossier's file through this evidence
        evidence.remove_file(p.candidate, ev, other_file)
    with pytest.raises(NotFound):
        evidence.remove_file(p.candidate, ev, 999999)
    db.session.rollback()
    dossiers.submit(p.candidate, d)
    db.session.commit()
    with pytest.raises(Conflict):  # submitted: the evidence is frozen
        evidence.remove_file(p.candidate, ev, file_id)
    db.session.rollback()
    assert db.session.get(StoredFile, file_id) is not None
    assert audit_actions("evidence", ev.id)[-1].action == "evidence.add"


def test_a_file_a_snapshot_names_stays_for_the_experts(app, make):
    d = make.dossier(state=S.IDENTIFICATION, evidence=False)
    p = people(d)
    ev, (frozen,) = _with_files(d, p.candidate, "lettera.pdf")
    dossiers.submit(p.candidate, d)
    dossiers.return_to_identification(p.method, d, "Sostituisci la lettera")
    db.session.commit()
    evidence.attach_file(p.candidate, ev, "nuova.pdf", PDF)
    db.session.commit()
    fresh = max(
        db.session.scalars(
            select(EvidenceFile.stored_file_id).where(EvidenceFile.evidence_id == ev.id)
        )
    )
    fresh_key = key_of(db.session.get(StoredFile, fresh))
    evidence.remove_file(p.candidate, ev, frozen)
    evidence.remove_file(p.candidate, ev, fresh)
    db.session.commit()
    # The snapshot's file stays (record and bytes) for the experts, the candidate no longer
    # sees it; the file added after the submission is gone for good.
    kept = snapshots.dossier_file(p.method, d, frozen)
    assert storage().exists(key_of(kept))
    with pytest.raises(NotFound):
        snapshots.dossier_file(p.candidate, d, frozen)
    assert db.session.get(StoredFile, fresh) is None and not storage().exists(fresh_key)
    snap = snapshots.latest_snapshot(d)
    assert [f["file_id"] for f in snap.content["evidence"][0]["files"]] == [frozen]
