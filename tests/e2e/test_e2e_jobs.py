"""A background job's progress page in a real browser: the job runs in a thread of the live
server (no Redis), the page follows it without reloading, then offers the retry."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import jobs_kind

COORDINATOR = "coordinatore@demo.example"


@pytest.fixture
def no_retry_delay(live_server):
    """The live server's items are tried again at once (it is shared by the session)."""
    config = live_server.app.config
    saved = config["JOBS_RETRY_DELAY"]
    config["JOBS_RETRY_DELAY"] = 0.0
    yield
    config["JOBS_RETRY_DELAY"] = saved


def _start_job(live_server) -> int:
    from lms.accounts.services import get_user_by_email
    from lms.db import db
    from lms.jobs.services import enqueue

    app = live_server.app
    jobs_kind.register(app)
    with app.app_context():
        actor = get_user_by_email(COORDINATOR)
        job = enqueue(
            actor,
            jobs_kind.KIND,
            [("item:1", "Primo dossier"), ("item:2", "Secondo dossier")],
            {"wait": ["item:1"], "broken": ["item:2"]},
            title_params={"what": "il corso di prova"},
        )
        db.session.commit()  # the job starts in a thread of the live server, and waits
        return job.id


def test_the_progress_page_follows_the_job_and_offers_the_retry(
    page, login, visit, submit, live_server, no_retry_delay
):
    job_id = _start_job(live_server)
    login(page, COORDINATOR)
    visit(page, f"/lavori/{job_id}")
    expect(page.locator("[data-job-text]")).to_have_text("0 di 2 completati")
    expect(page.locator("[data-job-retry]")).to_be_hidden()
    refresh = page.get_by_role("link", name="Aggiorna")
    expect(refresh).to_be_visible()  # for a reader without JavaScript
    page.get_by_role("link", name="Tutte le mie attività").focus()
    page.evaluate("window.lmsSamePage = true")

    jobs_kind.GATE.set()

    # The script polls the API and updates the page in place: no reload, the focus stays.
    expect(page.locator("[data-job-text]")).to_have_text(
        "1 di 2 completato, 1 non riuscito", timeout=20000
    )
    expect(page.locator("[data-job-state]")).to_have_text("Completata con errori")
    expect(page.locator("[data-job-live]")).to_have_text(
        "Completata con errori: 1 di 2 completato, 1 non riuscito"
    )
    expect(page.locator('tr[data-item="2"] [data-item-error]')).to_have_text(
        "item:2 cannot be processed"
    )
    assert page.evaluate("window.lmsSamePage") is True  # never reloaded
    assert page.evaluate("document.activeElement.textContent") == "Tutte le mie attività"
    assert page.evaluate("document.getElementById('job-bar').value") == 2
    expect(refresh).to_be_hidden()
    expect(page.locator("[data-job-retry]")).to_be_visible()
    errors = live_server.take_errors()  # each failed attempt is logged, with its traceback
    assert len(errors) == 3 and all("item:2" in e for e in errors)

    # The retry runs the failed item again (in a new thread); the page follows it once more.
    submit(page, page.get_by_role("button", name="Riprova gli elementi non riusciti"))
    expect(page.locator("#flash-messages")).to_contain_text(
        "1 elemento non riuscito verrà riprovato."
    )
    # Finished, whether the page loaded before the end (the script) or after (the server).
    expect(page.locator("[data-job-text]")).to_have_text(
        "1 di 2 completato, 1 non riuscito", timeout=20000
    )
    assert len(live_server.take_errors()) == 3

    visit(page, "/lavori")
    expect(page.get_by_role("link", name="Test job for il corso di prova")).to_be_visible()
