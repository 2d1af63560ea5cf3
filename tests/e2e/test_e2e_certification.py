"""A candidate adds evidence to their dossier and submits it; both experts decide, the first
disagreeing and then agreeing; the candidate reads the outcome and the verbale. Every page goes
through axe, in Italian, and the verbale in English too."""

from __future__ import annotations

import re

from tests.conftest import TEST_PASSWORD
from tests.e2e.support import open_demo_dossier, switch_language

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CANDIDATE = "candidata.dossier.e2e@example.org"


def log_out(page, submit):
    submit(page, page.locator("header form[action$='/esci'] button"))


def _open_dossier(app) -> tuple[int, int]:
    """A dossier in identification for a new candidate on one competence of a published
    profile: docente1 accompanies, valutatore1 and valutatore2 assess."""
    from lms.db import db

    with app.app_context():
        start = open_demo_dossier(CANDIDATE, "Chiara Dossier", TEST_PASSWORD)
        db.session.commit()
        return start.dossier.id, start.competence_id


def _decide(page, submit, visit, dossier_id, competence_id, outcome_label):
    visit(page, f"/dossier/{dossier_id}/valutazione/{competence_id}")
    page.locator("label", has_text=outcome_label).first.click()
    page.locator("label[for=method-documentary]").click()
    page.locator("#reasons").fill(f"Evidenze esaminate: {outcome_label.lower()}.")
    submit(page, page.get_by_role("button", name="Firma la tua decisione"))


def test_candidate_submits_experts_disagree_then_agree_candidate_reads_outcome(
    page, live_server, login, visit, submit, tmp_path
):
    dossier_id, competence_id = _open_dossier(live_server.app)
    base = f"/dossier/{dossier_id}"

    # The candidate adds a third-party document with a file and submits the dossier.
    login(page, CANDIDATE, password=TEST_PASSWORD)
    visit(page, "/dossier")
    submit(page, page.locator(f"a[href$='{base}']").first)
    submit(page, page.get_by_role("link", name="Aggiungi un'evidenza"))
    page.locator("#kind").select_option("document")
    page.locator("#type").select_option("result")
    page.locator("#value").select_option("third")
    page.locator("#title").fill("Attestato del corso regionale")
    page.locator("#issuer").fill("Regione Lombardia")
    pdf = tmp_path / "attestato.pdf"
    pdf.write_bytes(PDF)
    page.locator("#files").set_input_files(str(pdf))
    page.locator(f"label[for=link-{competence_id}]").click()
    page.locator(f"#note-{competence_id}").fill("Attesta la competenza nel suo insieme")
    submit(page, page.get_by_role("button", name="Salva l'evidenza"))
    assert "Attestato del corso regionale" in page.locator("main").inner_text()
    visit(page, f"{base}/matrice")
    submit(page, page.get_by_role("link", name=f"Dossier {dossier_id}"))
    submit(page, page.get_by_role("button", name="Invia il dossier"))
    assert "Presentato" in page.locator("main").inner_text()
    log_out(page, submit)

    # The esperto di metodo takes the dossier and first does not validate the competence.
    login(page, "valutatore1@demo.example")
    visit(page, base)
    submit(page, page.get_by_role("button", name="Avvia la valutazione"))
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: no horizontal scroll
    for path in (f"{base}/matrice", base, f"{base}/valutazione/{competence_id}"):
        visit(page, path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    page.set_viewport_size({"width": 1280, "height": 900})
    _decide(page, submit, visit, dossier_id, competence_id, "Non validata")
    log_out(page, submit)

    # The esperto di contenuto validates it: the disagreement is shown to both.
    login(page, "valutatore2@demo.example")
    _decide(page, submit, visit, dossier_id, competence_id, "Validata")
    assert page.locator(".disagreement").count() == 1
    log_out(page, submit)

    # The esperto di metodo sees the disagreement, revises, and closes the assessment.
    login(page, "valutatore1@demo.example")
    visit(page, f"{base}/valutazione/{competence_id}")
    assert page.locator(".disagreement").count() == 1
    _decide(page, submit, visit, dossier_id, competence_id, "Validata")
    assert "Decisione collegiale: Validata" in page.locator("main").inner_text()
    visit(page, base)
    submit(page, page.get_by_role("button", name="Chiudi la valutazione: dossier deciso"))
    assert re.search(r"Stato:\s*Deciso", page.locator("main").inner_text())
    log_out(page, submit)

    # The candidate reads the outcome and the verbale, in Italian and in English.
    login(page, CANDIDATE, password=TEST_PASSWORD)
    visit(page, base)
    assert "Validata" in page.locator("section[aria-labelledby=decisioni]").inner_text()
    visit(page, f"{base}/verbale")
    assert "Esito collegiale: Validata" in page.locator("main").inner_text()
    switch_language(page, "en")
    visit(page, f"{base}/verbale")
    assert "Collegial outcome: Validated" in page.locator("main").inner_text()
