"""The dossier worklist is cut in SQL (issue 12): pages of 50, a fixed number of statements
whatever the number of dossiers, and "waiting for you" chosen in SQL by the same rule as the
rows' "to do"."""

from __future__ import annotations

from certificates.models import DossierState
from certificates.services import reads
from lms.accounts.models import Role
from lms.db import db
from tests.conftest import login
from tests.functional.test_query_budgets import BUDGET, count

ROW = '<th scope="row"><a href="/dossier/'


def _dossiers(make, n, **people):
    profile = make.profile(competences=1, abilities=1, knowledge=1)
    for _ in range(n):
        make.dossier(profile, **people)
    db.session.commit()


def test_worklist_pages_are_cut_in_sql_with_a_fixed_number_of_statements(app, make):
    people = {
        "accompagnatore": make.user(Role.TRAINER),
        "method_expert": make.user(Role.ASSESSOR),
        "content_expert": make.user(Role.ASSESSOR),
    }
    _dossiers(make, 3, **people)
    client = app.test_client()
    login(client, make.coordinator())
    small = count(client, "get", "/dossier")
    _dossiers(make, 52, **people)
    large = count(client, "get", "/dossier")
    assert small == large <= BUDGET, (small, large)

    first = client.get("/dossier").get_data(as_text=True)
    assert first.count(ROW) == 50 and "55 dossier" in first
    assert 'href="/dossier?page=2"' in first
    second = client.get("/dossier?page=2").get_data(as_text=True)
    assert second.count(ROW) == 5
    # the two pages together are the whole list, in its order
    everything = reads.worklist(make.coordinator())
    shown = [
        int(chunk.split('"', 1)[0]) for page in (first, second) for chunk in page.split(ROW)[1:]
    ]
    assert shown == [r.dossier.id for r in everything]
    # the coordinator's drafts wait on them: the first 50 shown, the rest counted
    assert "Ti aspettano ancora 5 dossier" in first
    # the API cuts the same list in SQL, with the same statements at any page
    api = client.get("/api/v1/dossiers?page=2&per_page=50").get_json()
    assert api["total"] == 55 and [d["id"] for d in api["items"]] == shown[50:]
    assert count(client, "get", "/api/v1/dossiers?page=1") <= BUDGET


def test_waiting_in_sql_is_the_rows_to_do(app, make):
    expert = make.user(Role.ASSESSOR)
    profile = make.profile(competences=1, abilities=1, knowledge=1)
    for state in (None, DossierState.IDENTIFICATION, DossierState.SUBMITTED):
        make.dossier(profile, method_expert=expert, state=state)
    candidate = make.user(Role.TRAINEE)
    make.dossier(profile, candidate=candidate, state=DossierState.IDENTIFICATION)
    make.dossier(profile, candidate=candidate, state=DossierState.SUBMITTED)
    db.session.commit()
    for who in (make.coordinator(), expert, candidate):
        rows = reads.worklist(who)
        expected = [r.dossier.id for r in rows if r.waiting]
        got = reads.worklist(who, waiting_only=True)
        assert [r.dossier.id for r in got] == expected and expected
        assert [r.waiting for r in got] == [r.waiting for r in rows if r.waiting]
        assert reads.worklist_counts(who) == (len(rows), len(expected))
    assert [r.dossier.id for r in reads.worklist(expert, limit=1, offset=1)] == [
        r.dossier.id for r in reads.worklist(expert)
    ][1:2]
