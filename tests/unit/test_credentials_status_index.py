"""Status list indexes drawn at random among the free positions ("herd privacy" of the W3C
Bitstring Status List), unique per list, lists filled one after the other."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from certificates.credentials import status
from certificates.credentials.publishing import free_indexes, list_count
from certificates.models import IssuedCredential
from lms.db import db
from tests.unit.credentials_helpers import issue_for


def test_positions_are_distinct_free_and_spread():
    rng = random.Random(7)
    taken = {0, 1, 2, 3, 500}
    got = status.pick_free_positions(taken, 50, randbelow=rng.randrange)
    assert len(set(got)) == 50 and not taken & set(got)
    assert all(0 <= p < status.LIST_SIZE for p in got)
    assert got != sorted(got) and max(got) - min(got) > status.LIST_SIZE // 4


def test_a_nearly_full_list_gives_exactly_its_free_positions():
    size = 64
    taken = set(range(size)) - {5, 17, 63}
    got = status.pick_free_positions(taken, 3, size=size, randbelow=random.Random(1).randrange)
    assert sorted(got) == [5, 17, 63]
    with pytest.raises(ValueError):
        status.pick_free_positions(taken, 4, size=size)


def test_issued_credentials_are_not_numbered_in_order(app, make):
    rows = [r for _ in range(3) for r in issue_for(make)[1]]
    indexes = [r.status_index for r in rows]
    assert len(set(indexes)) == 6
    # six draws among 131,072 positions: sequential (0..5) only by a broken allocator
    assert sorted(indexes) != list(range(6))
    assert list_count() == 1


def test_lists_fill_one_after_the_other_and_the_database_keeps_indexes_unique(
    app, make, monkeypatch
):
    monkeypatch.setattr(status, "LIST_SIZE", 4)
    indexes = [r.status_index for _ in range(3) for r in issue_for(make)[1]]
    assert sorted(indexes[:4]) == [0, 1, 2, 3]  # list 1 full before list 2 is used
    assert all(4 <= i < 8 for i in indexes[4:])
    assert list_count() == 2
    assert not set(free_indexes(2)) & set(indexes)
    row = db.session.scalars(select(IssuedCredential).limit(1)).one()
    clash = IssuedCredential(  # another document, same index: only the index clashes
        document_id=make.issued_document().id,
        competence_id=row.competence_id,
        credential_id="urn:uuid:00000000-0000-4000-8000-000000000000",
        status_index=row.status_index,
        token=row.token,
        issued_at=row.issued_at,
    )
    with pytest.raises(IntegrityError) as err, db.session.begin_nested():
        db.session.add(clash)
        db.session.flush()
    assert "status_index" in str(err.value)
