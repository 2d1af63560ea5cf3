"""A trainee takes the quiz and submits the assignment; a trainer grades it with the rubric and
releases it; the trainee reads the feedback. Every page goes through axe."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.support import DEMO_ACCOUNTS

QUIZ = "Quiz: Legge 68/1999 e collocamento mirato"
PROJECT = "Progetto personalizzato di inserimento: il caso di M."
TRAINEE_NAME = "Giulia Brambilla"  # corsista1 in lms/demo.py
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FEEDBACK = "Progetto chiaro: ottima la rete degli attori, rafforza il monitoraggio."


def log_out(page, submit):
    submit(page, page.locator("header form[action$='/esci'] button"))


def answer_every_question(page):
    for fieldset in page.locator("fieldset[data-question]").all():
        labels = fieldset.locator("label.form-check-label")
        if labels.count():
            labels.first.click()  # Bootstrap Italia draws the label over the input
        else:
            fieldset.locator("input[type=text]").fill("collocamento mirato")


def test_quiz_assignment_grading_release_and_feedback(
    page, login, visit, submit, tmp_path, artifacts
):
    # The trainee takes the quiz: answers are kept on the server across a reload.
    login(page, DEMO_ACCOUNTS["corsista1"])
    visit(page, "/valutazioni")
    submit(page, page.get_by_role("link", name=QUIZ))
    quiz_url = page.url
    submit(page, page.locator("main form button[type=submit]"))
    assert re.search(r"/tentativi/\d+$", page.url)
    attempt_url = page.url
    answer_every_question(page)
    submit(page, page.locator("button[name=action][value=save]"))
    visit(page, attempt_url)  # a reload: the answers are still there
    first = page.locator("fieldset[data-question]").first
    if first.locator("input[type=radio], input[type=checkbox]").count():
        assert first.locator("input:checked").count() >= 1
    else:
        assert first.locator("input[type=text]").input_value() == "collocamento mirato"
    submit(page, page.locator("button[name=action][value=submit]"))
    assert page.url.endswith("/riepilogo")
    submit(page, page.get_by_role("button", name="Invia il quiz"))
    assert page.url == quiz_url
    assert page.locator("h1").inner_text() == QUIZ

    # The trainee submits the assignment with a file.
    visit(page, "/valutazioni")
    submit(page, page.get_by_role("link", name=PROJECT))
    project_url = page.url
    page.locator("#text").fill("Il mio progetto per M.: postazione adattata e tutor di reparto.")
    pdf = tmp_path / "progetto-giulia.pdf"
    pdf.write_bytes(PDF)
    page.locator("#files").set_input_files(str(pdf))
    submit(page, page.locator("form[action$='/consegna'] button[type=submit]"))
    assert page.get_by_role("link", name="progetto-giulia.pdf").count() == 1
    log_out(page, submit)

    # A trainer finds it in the list to grade, grades it with the rubric and releases it.
    login(page, DEMO_ACCOUNTS["docente1"])
    visit(page, "/da-correggere")
    row = page.locator("tbody tr", has_text=TRAINEE_NAME).filter(has_text=PROJECT)
    submit(page, row.locator("a.btn"))
    assert page.get_by_role("link", name="progetto-giulia.pdf").count() == 1
    # The submitted PDF is shown in place, served inline by the app's own download route.
    viewer = page.locator("iframe.file-viewer")
    assert viewer.count() == 1 and "progetto-giulia.pdf" in viewer.get_attribute("title")
    inline = page.request.get(viewer.evaluate("f => f.src"))
    assert inline.headers["content-disposition"].startswith("inline")
    assert "frame-ancestors 'self'" in inline.headers["content-security-policy"]
    # The rubric is a grid: a row per criterion, the top level is the last cell with a radio.
    rows = page.locator(".rubric-grid tbody tr")
    first_row = rows.first
    # keyboard: the arrow keys move the choice along a criterion's levels, highlighted
    first_row.locator("input[type=radio]").first.focus()
    page.keyboard.press("ArrowRight")
    chosen = first_row.locator("td.rubric-level").nth(1)
    assert chosen.locator("input").is_checked()
    assert chosen.evaluate("td => getComputedStyle(td).backgroundColor") == "rgb(0, 51, 102)"
    # the top level of every criterion, each click checked where it happens
    for criterion in rows.all():
        criterion.locator("td.rubric-level label").last.click()
        expect(criterion.locator("td.rubric-level input[type=radio]").last).to_be_checked()
    # at 390 px the viewer fits the width and the grid scrolls inside its focusable region
    # (narrowed after the clicks: a page laying out again is no place for them)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert viewer.bounding_box()["width"] <= 390
    region = page.locator(".rubric-grid-wrap")
    assert region.get_attribute("tabindex") == "0"
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("#feedback").fill(FEEDBACK)
    submit(page, page.locator("section[aria-labelledby=correzione] button[value=complete]"))
    page.screenshot(path=str(artifacts / "assessments-grade-rubric.png"), full_page=True)
    visit(page, project_url)
    trainee_row = page.locator("section[aria-labelledby=corsisti] tbody tr", has_text=TRAINEE_NAME)
    trainee_row.locator("input[name=grade_id]").check(force=True)
    submit(page, page.locator("section[aria-labelledby=corsisti] button[value=selected]"))
    assert (
        "Rilasciato"
        in page.locator(
            "section[aria-labelledby=corsisti] tbody tr", has_text=TRAINEE_NAME
        ).inner_text()
    )
    log_out(page, submit)

    # The trainee reads the released grade and the feedback.
    login(page, DEMO_ACCOUNTS["corsista1"])
    visit(page, project_url)
    result = page.locator("section[aria-labelledby=esito]")
    assert FEEDBACK in result.inner_text()
    assert "20 / 20" in result.inner_text()
    visit(page, "/risultati")
    assert FEEDBACK in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts / "assessments-trainee-feedback.png"), full_page=True)
