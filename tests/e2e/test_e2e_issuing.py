"""The coordinator issues a decided dossier from its page (certificate, dossier, verbale);
the holder finds the documents on "I miei documenti", copies the verification link and
downloads the certificate, byte for byte the stored file. Every page goes through axe, in
Italian and in English."""

from __future__ import annotations

import hashlib

from tests.conftest import TEST_PASSWORD
from tests.e2e.support import DEMO_ACCOUNTS, open_demo_dossier, switch_language

HOLDER = "titolare.emissione.e2e@example.org"


def _decided_dossier(app) -> int:
    """A decided dossier for a new holder on one competence of the demo's published profile."""
    from certificates.models import (
        AssessmentMethod,
        DecisionOutcome,
        EvidenceKind,
        EvidenceType,
        EvidenceValue,
    )
    from certificates.services import dossiers
    from certificates.services.common import target_items
    from certificates.services.decisions import DecisionInput, record_decision
    from certificates.services.evidence import EvidenceInput, add_evidence
    from lms.db import db

    with app.app_context():
        start = open_demo_dossier(HOLDER, "Teresa Emissione", TEST_PASSWORD)
        d, holder, competence = start.dossier, start.holder, start.competence_id
        method, content = start.method, start.content
        add_evidence(
            holder,
            d,
            EvidenceInput(
                kind=EvidenceKind.DOCUMENT,
                type=EvidenceType.RESULT,
                value=EvidenceValue.THIRD,
                title="Dichiarazione del datore di lavoro",
                issuer="Azienda di prova",
                links=[(i.id, "") for i in target_items(d)],
            ),
        )
        dossiers.submit(holder, d)
        dossiers.take_under_assessment(method, d)
        for expert in (method, content):
            record_decision(
                expert,
                d,
                competence,
                DecisionInput(
                    outcome=DecisionOutcome.VALIDATED,
                    method=AssessmentMethod.DOCUMENTARY,
                    reasons="Le evidenze coprono la competenza.",
                ),
                seen_version=0,
            )
        dossiers.decide(method, d)
        db.session.commit()
        return d.id


def _stored_hashes(app, dossier_id) -> dict[str, str]:
    from sqlalchemy import select

    from certificates.models import IssuedDocument
    from lms.db import db

    with app.app_context():
        docs = db.session.scalars(
            select(IssuedDocument).where(IssuedDocument.dossier_id == dossier_id)
        )
        return {d.code: d.sha256 for d in docs}


def test_coordinator_issues_and_holder_downloads(page, live_server, login, visit, submit):
    dossier_id = _decided_dossier(live_server.app)
    base = f"/dossier/{dossier_id}"

    login(page, DEMO_ACCOUNTS["coordinatore"])
    visit(page, base)
    submit(page, page.locator(f"a[href$='{base}/emetti']"))
    page.locator("label[for=kind-certificate]").click()
    submit(page, page.get_by_role("button", name="Emetti", exact=True), status=422)
    assert "Conferma che vuoi emettere" in page.locator("main").inner_text()
    page.locator("label[for=kind-certificate]").click()
    page.locator("label[for=confirm]").click()
    submit(page, page.get_by_role("button", name="Emetti", exact=True))
    issued = page.locator("section[aria-labelledby=documenti-emessi]").inner_text()
    for kind in ("Certificato", "Dossier di certificazione", "Verbale di valutazione"):
        assert kind in issued
    hashes = _stored_hashes(live_server.app, dossier_id)
    assert len(hashes) == 3
    submit(page, page.locator("header form[action$='/esci'] button"))

    login(page, HOLDER, password=TEST_PASSWORD)
    visit(page, "/documenti")
    main = page.locator("main")
    for code in hashes:
        assert code in main.inner_text()
    link = page.locator("main input[readonly]").first.input_value()
    assert "/verify/" in link
    href = page.get_by_role("link", name="Scarica il PDF").first.get_attribute("href")
    download = page.request.get(href)  # the browser's session, as a click would download
    assert download.ok and "attachment" in download.headers["content-disposition"]
    assert hashlib.sha256(download.body()).hexdigest() in hashes.values()
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: no horizontal scroll
    visit(page, "/documenti")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    switch_language(page, "en")
    visit(page, "/documenti")
    assert "My documents" in page.locator("main").inner_text()
    assert "Download the PDF" in page.locator("main").inner_text()
