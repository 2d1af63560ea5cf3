"""The home page tells each person which certification dossiers wait for them (an assessor's
home page said "nothing to do" while dossiers waited for their decision)."""

from __future__ import annotations

from certificates.models import DossierState
from lms.accounts.models import Role
from lms.db import db
from tests.conftest import login
from tests.functional.test_query_budgets import BUDGET, count


def _home(app, user) -> str:
    client = app.test_client()
    login(client, user)
    return client.get("/").get_data(as_text=True)


def test_an_expert_sees_the_dossiers_waiting_for_their_decision_and_nobody_elses(app, make):
    mine, other = make.user(Role.ASSESSOR), make.user(Role.ASSESSOR)
    candidate = make.user(Role.TRAINEE, full_name="Nadia Candidata")
    dossier = make.dossier(
        candidate=candidate, method_expert=mine, state=DossierState.UNDER_ASSESSMENT
    )
    stranger = make.user(Role.TRAINEE, full_name="Ugo Estraneo")
    make.dossier(candidate=stranger, state=DossierState.UNDER_ASSESSMENT)
    db.session.commit()

    page = _home(app, mine)
    assert "1 dossier aspetta una tua azione." in page
    assert f'href="/dossier/{dossier.id}"' in page and "Nadia Candidata" in page
    assert "Ugo Estraneo" not in page
    assert "Tutti i dossier che puoi vedere (1)" in page

    idle = _home(app, other)
    assert "Nadia Candidata" not in idle and "Ugo Estraneo" not in idle
    assert "Non partecipi ancora a nessun dossier di certificazione." in idle


def test_the_panel_keeps_the_home_page_within_its_budget(app, make):
    expert = make.user(Role.ASSESSOR)
    profile = make.profile(competences=1, abilities=1, knowledge=1)
    make.dossier(profile, method_expert=expert, state=DossierState.SUBMITTED)
    db.session.commit()
    client = app.test_client()
    login(client, expert)
    small = count(client, "get", "/")
    for _ in range(6):
        make.dossier(profile, method_expert=expert, state=DossierState.SUBMITTED)
    db.session.commit()
    large = count(client, "get", "/")
    assert small == large <= BUDGET, (small, large)
    assert client.get("/").get_data(as_text=True).count('href="/dossier/') == 5
