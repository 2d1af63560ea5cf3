"""The evidence matrix: what supports each item and how strongly, what has no evidence, which
competences rest on self-declarations only; a fixed number of queries whatever the size."""

from __future__ import annotations

import pytest

from certificates.models import DossierState, EvidenceKind, EvidenceValue
from certificates.services import dossiers, evidence
from certificates.services.common import target_items
from certificates.services.matrix import matrix
from lms.accounts.models import Role
from lms.db import db
from lms.errors import NotFound
from tests.querycount import statements
from tests.unit.certificates_helpers import document, people

S = DossierState


def test_matrix_shows_support_gaps_and_first_party_only(app, make):
    d = make.dossier(make.profile(competences=2), state=S.IDENTIFICATION, evidence=False)
    p = people(d)
    items = {i.code: i for i in target_items(d)}
    e1 = evidence.add_evidence(
        p.candidate, d, document(links=[(items["C1.A1"].id, ""), (items["C1.K1"].id, "")])
    )
    e2 = evidence.add_evidence(
        p.candidate,
        d,
        document(
            "Autodichiarazione",
            kind=EvidenceKind.SELF_DECLARATION,
            value=EvidenceValue.FIRST,
            links=[(items["C1.A1"].id, ""), (items["C2.K1"].id, "")],
        ),
    )
    db.session.commit()
    m = matrix(p.candidate, d)
    assert [c.competence.code for c in m.competences] == ["C1", "C2"]
    c1, c2 = m.competences
    assert [i.code for i in c1.items] == ["C1.A1", "C1.A2", "C1.K1", "C1.K2"]
    a1 = c1.items[0]
    assert a1.evidence_ids == sorted([e1.id, e2.id]) and a1.count == 2
    assert a1.values == {"first": 1, "second": 0, "third": 1}
    assert c1.unsupported_item_ids == [items["C1.A2"].id, items["C1.K2"].id]
    assert set(m.unsupported_item_ids) == {
        items[c].id for c in ("C1.A2", "C1.K2", "C2.A1", "C2.A2", "C2.K2")
    }
    assert m.first_party_only_competence_ids == [c2.competence.item_id]
    assert m.snapshot_number is None


def test_experts_get_the_matrix_of_the_snapshot(app, make):
    d = make.dossier(state=S.UNDER_ASSESSMENT)
    p = people(d)
    m = matrix(p.method, d)
    assert m.snapshot_number == 1 and len(m.evidence) == 1
    assert m.unsupported_item_ids == []
    dossiers.return_to_identification(p.method, d, "Serve altro")
    evidence.add_evidence(p.candidate, d, document("Dopo il rinvio"))
    assert len(matrix(p.method, d).evidence) == 1  # still the snapshot
    assert len(matrix(p.candidate, d).evidence) == 2  # the live dossier


def test_outsiders_get_no_matrix(app, make):
    d = make.dossier(state=S.IDENTIFICATION)
    with pytest.raises(NotFound):
        matrix(make.user(Role.ASSESSOR), d)


def _build(make, competences: int, pieces: int):
    d = make.dossier(
        make.profile(competences=competences, abilities=4, knowledge=4),
        state=S.IDENTIFICATION,
        evidence=False,
    )
    p = people(d)
    items = target_items(d)
    values = [EvidenceValue.FIRST, EvidenceValue.SECOND, EvidenceValue.THIRD]
    for n in range(pieces):
        linked = [items[(n * 7 + k) % len(items)] for k in range(3)]
        value = values[n % 3]
        evidence.add_evidence(
            p.acc,
            d,
            document(
                f"Evidenza {n}",
                value=value,
                kind=EvidenceKind.SELF_DECLARATION
                if value == EvidenceValue.FIRST
                else EvidenceKind.DOCUMENT,
                links=[(i.id, "nota") for i in linked],
            ),
        )
    db.session.commit()
    return d, p, len(items)


def _queries(actor, d) -> tuple[int, object]:
    db.session.expire_all()
    with statements() as seen:
        m = matrix(actor, d)
    return len(seen), m


def test_matrix_runs_a_fixed_number_of_queries_at_two_sizes(app, make):
    small, ps, _small_items = _build(make, 2, 5)
    large, pl, large_items = _build(make, 6, 80)
    assert large_items == 54
    n_small, _m_small = _queries(ps.candidate, small)
    n_large, m_large = _queries(pl.candidate, large)
    assert len(m_large.evidence) == 80 and len(m_large.competences) == 6
    # actor and roles and dossier reloaded (3), items, evidence, links (3)
    assert n_small == n_large <= 6, (n_small, n_large)
    # Experts read the snapshot: also a fixed number.
    dossiers.submit(ps.candidate, small)
    dossiers.submit(pl.candidate, large)
    db.session.commit()
    e_small, _ = _queries(ps.method, small)
    e_large, m_expert = _queries(pl.method, large)
    assert len(m_expert.evidence) == 80 and m_expert.snapshot_number == 1
    assert e_small == e_large <= 7, (e_small, e_large)  # + the snapshot
