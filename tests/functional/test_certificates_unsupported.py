"""unsupported_counts: the matrix's "items without evidence" for a list of dossiers in one
query, the same number matrix() gives dossier by dossier."""

from __future__ import annotations

import pytest

from certificates.models import DossierState as S
from certificates.models import EvidenceValue
from certificates.services.common import target_items
from certificates.services.matrix import matrix, unsupported_counts
from lms.accounts.models import User
from lms.db import db
from lms.errors import NotFound
from lms.standards.models import ItemKind
from tests.querycount import statements


def _cover(make, author, dossier, items) -> None:
    make.evidence(author, dossier, items, value=EvidenceValue.FIRST, title="Autodichiarazione")
    db.session.commit()


def test_counts_match_the_matrix_of_each_dossier(app, make):
    candidate = make.user()
    profile = make.profile(competences=2, abilities=3, knowledge=2)
    other = make.profile(competences=1, abilities=2, knowledge=1)
    bare = make.dossier(profile, candidate=candidate, state=S.IDENTIFICATION, evidence=False)
    part = make.dossier(other, candidate=candidate, state=S.IDENTIFICATION, evidence=False)
    leaves = [i for i in target_items(part) if i.kind != ItemKind.COMPETENCE]
    _cover(make, candidate, part, leaves[:2])
    competence_only = make.dossier(profile, state=S.IDENTIFICATION, evidence=False)
    comp = [i for i in target_items(competence_only) if i.kind == ItemKind.COMPETENCE]
    owner = db.session.get(User, competence_only.candidate_id)
    _cover(make, owner, competence_only, comp)  # linked to the competences, not to their items
    full = make.dossier(profile, state=S.IDENTIFICATION)  # every item covered
    for who, dossiers in ((candidate, [bare, part]), (owner, [competence_only])):
        expected = {d.id: len(matrix(who, d).unsupported_item_ids) for d in dossiers}
        with statements() as seen:
            counts = unsupported_counts(who, dossiers)
        assert len(seen) == 1
        assert counts == expected
    assert unsupported_counts(candidate, [bare])[bare.id] == 2 * (3 + 2)
    assert unsupported_counts(candidate, [part])[part.id] == (2 + 1) - 2
    assert unsupported_counts(owner, [competence_only])[competence_only.id] == 2 * (3 + 2)
    full_owner = db.session.get(User, full.candidate_id)
    assert unsupported_counts(full_owner, [full]) == {full.id: 0}
    assert unsupported_counts(candidate, []) == {}


def test_counts_refuse_a_dossier_the_actor_does_not_see(app, make):
    mine = make.dossier(state=S.IDENTIFICATION, evidence=False)
    theirs = make.dossier(state=S.IDENTIFICATION, evidence=False)
    me = db.session.get(User, mine.candidate_id)
    with pytest.raises(NotFound):
        unsupported_counts(me, [mine, theirs])
    assert unsupported_counts(me, [mine]) == {mine.id: len(matrix(me, mine).unsupported_item_ids)}
