"""Twenty people sending the same versioned change at once: exactly one wins, nineteen get
409 in the problem format, none a 500 (issue 11, point 6), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter

from certificates.models import DossierState
from certificates.services.common import target_competence_ids
from lms.accounts.models import User
from lms.db import db
from tests.conftest import login

N = 20


def _clients(app, user, n=N):
    clients = []
    for _ in range(n):
        c = app.test_client()
        login(c, user)
        clients.append(c)
    return clients


def _all_at_once(clients, send):
    barrier = threading.Barrier(len(clients))
    answers: list = [None] * len(clients)

    def run(i, client):
        barrier.wait()
        try:
            resp = send(client, i)
            answers[i] = (resp.status_code, resp.get_json(silent=True))
        except Exception as err:
            answers[i] = (repr(err), None)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return answers


def _decision(outcome="validated", version=0, i=0):
    return {
        "outcome": outcome,
        "method": "documentary",
        "reasons": f"Evidenze sufficienti (invio {i})",
        "version": version,
    }


def test_twenty_concurrent_first_decisions_one_wins(app, make):
    dossier = make.dossier(state=DossierState.UNDER_ASSESSMENT)
    expert = db.session.get(User, dossier.method_expert_id)
    competence = target_competence_ids(dossier)[0]
    url = f"/api/v1/dossiers/{dossier.id}/decisions/{competence}"
    answers = _all_at_once(
        _clients(app, expert), lambda c, i: c.put(url, json=_decision(version=0, i=i))
    )
    statuses = Counter(a[0] for a in answers)
    assert statuses == {200: 1, 409: N - 1}, answers
    assert all(a[1]["error"]["code"] in ("stale_edit", "conflict") for a in answers if a[0] == 409)


def test_twenty_concurrent_revisions_of_one_decision_one_wins(app, make):
    dossier = make.dossier(state=DossierState.UNDER_ASSESSMENT)
    expert = db.session.get(User, dossier.method_expert_id)
    competence = target_competence_ids(dossier)[0]
    url = f"/api/v1/dossiers/{dossier.id}/decisions/{competence}"
    clients = _clients(app, expert)
    first = clients[0].put(url, json=_decision(version=0))
    assert first.status_code == 200
    version = first.get_json()["version"]
    answers = _all_at_once(
        clients,
        lambda c, i: c.put(url, json=_decision("not_validated", version=version, i=i)),
    )
    statuses = Counter(a[0] for a in answers)
    assert statuses == {200: 1, 409: N - 1}, answers
