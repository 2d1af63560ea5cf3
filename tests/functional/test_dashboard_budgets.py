"""Query budgets of the pages about one person (issue 12) with every panel showing something:
each role's home page, the trainee's course, the dossier worklists, the matrix API and the
attendance API. Measured on a world with unsigned registers, grades to mark, dossiers in
every state waiting on someone, an issued document and unread notifications; then the world
grows (more trainees, more dossiers, another company) and they are measured again."""

from __future__ import annotations

import re

from certificates.models import DossierState
from lms.accounts.models import Role, User
from lms.db import db
from tests.conftest import login
from tests.functional.test_query_budgets import BUDGET, World, count

STATES = [
    None,  # a draft: waits on the coordinator
    DossierState.IDENTIFICATION,  # waits on the candidate and the accompagnatore
    DossierState.SUBMITTED,  # waits on the experts
    DossierState.UNDER_ASSESSMENT,
    DossierState.DECIDED,
]


class Busy(World):
    """The course world of test_query_budgets, plus an admin, two assessors and dossiers in
    every state on the course's trainees (the first trainee is a candidate in each)."""

    def __init__(self, make):
        self.profile = make.profile()
        self.experts = [make.user(Role.ASSESSOR), make.user(Role.ASSESSOR)]
        self.dossiers = []
        super().__init__(make)
        self.admin = make.admin()
        self.coordinator = make.coordinator()
        self.add_dossiers(self.trainees[0])
        make.issued_document(self.dossiers[-1])

    def add_dossiers(self, candidate: User) -> None:
        for state in STATES:
            self.dossiers.append(
                self.make.dossier(
                    self.profile,
                    candidate=candidate,
                    state=state,
                    accompagnatore=self.trainer,
                    method_expert=self.experts[0],
                    content_expert=self.experts[1],
                )
            )

    def grow_all(self) -> None:
        self.grow(6)
        for who in self.trainees[1:3]:
            self.add_dossiers(who)
        other = self.make.organisation()
        for _ in range(3):
            self.make.user(Role.TRAINEE, organisation=other)
        db.session.commit()


def home_pages(w: Busy) -> list[tuple[str, str]]:
    c, mine = w.course.id, w.dossiers[1].id
    return [
        ("admin", "/"),
        ("coordinator", "/"),
        ("trainer", "/"),
        ("assessor", "/"),
        ("referent", "/"),
        ("trainee", "/"),
        ("trainee", f"/percorsi/{c}"),
        ("trainer", f"/api/v1/courses/{c}/attendance"),
        ("coordinator", "/dossier"),
        ("assessor", "/dossier"),
        ("trainee", "/dossier"),
        ("trainer", f"/api/v1/dossiers/{mine}/matrix"),
    ]


def measure(w: Busy, clients: dict) -> dict:
    return {
        (who, re.sub(r"/\d+", "/<id>", path)): count(clients[who], "get", path)
        for who, path in home_pages(w)
    }


def test_home_pages_keep_their_budget_with_every_panel_showing(app, make):
    w = Busy(make)
    users = {
        "admin": w.admin,
        "coordinator": w.coordinator,
        "trainer": w.trainer,
        "assessor": w.experts[0],
        "referent": w.referent,
        "trainee": w.trainees[0],
    }
    clients = {}
    for who, user in users.items():
        clients[who] = app.test_client()
        login(clients[who], user)
    # every panel has something to show: the budget is measured on full pages
    shown = {who: clients[who].get("/").get_data(as_text=True) for who in users}
    assert 'id="panel-unsigned"' in shown["coordinator"], "no unsigned registers shown"
    assert f"/dossier/{w.dossiers[0].id}" in shown["coordinator"], "no draft waiting shown"
    assert f"/dossier/{w.dossiers[2].id}" in shown["assessor"], "no dossier to take shown"
    assert f"/dossier/{w.dossiers[1].id}" in shown["trainee"], "no dossier to build shown"
    small = measure(w, clients)
    w.grow_all()
    large = measure(w, clients)
    over = {k: v for k, v in large.items() if v > BUDGET}
    assert not over, over
    grew = {k: (small[k], large[k]) for k in small if small[k] != large[k]}
    assert not grew, grew
