"""A trainee takes the demo quiz, reviews it, goes back to the multiple-choice question to change
the answer, sees it counted as answered on the review, and submits only on confirmation. Every
page goes through axe, in Italian, and the review fits a 390 px phone.

Why this test was once removed: a label clicked right after the page scrolled did not always
land (Bootstrap Italia scrolls smoothly unless the browser asks for reduced motion, and
Playwright's retry can click a page that is still moving: microsoft/playwright#42625), so one
question stayed "Senza risposta". The application kept every answer it was sent (the
form and the autosave carry the ticked boxes). The test now asks for reduced motion, and
checks each answer took before going on, so a lost click fails where it happens.
"""

from __future__ import annotations

import re

from tests.e2e.support import DEMO_ACCOUNTS

QUIZ = "Quiz: Legge 68/1999 e collocamento mirato"


def _tick(fieldset, n: int, on: bool = True) -> None:
    """Tick (or untick) the n-th choice by its label, as a person does; Bootstrap Italia draws
    the label over the input."""
    box = fieldset.locator("input.form-check-input").nth(n)
    if box.is_checked() != on:
        fieldset.locator("label.form-check-label").nth(n).click()
    assert box.is_checked() == on, f"choice {n} of {fieldset.get_attribute('id')} did not take"


def _answer(fieldset) -> None:
    if fieldset.locator("input.form-check-input").count():
        _tick(fieldset, 0)
    else:
        field = fieldset.locator("input[type=text]")
        field.fill("7")
        assert field.input_value() == "7"


def _review_rows(page) -> dict[str, str]:
    rows = page.locator("ol li[data-question]")
    return {
        rows.nth(i).get_attribute("data-question"): rows.nth(i).inner_text()
        for i in range(rows.count())
    }


def test_trainee_changes_a_multiple_choice_answer_after_the_review(page, login, visit, submit):
    page.emulate_media(reduced_motion="reduce")
    login(page, DEMO_ACCOUNTS["corsista1"])
    visit(page, "/valutazioni")
    submit(page, page.get_by_role("link", name=QUIZ))
    quiz_url = page.url
    submit(page, page.locator("main form button[type=submit]"))
    assert re.search(r"/tentativi/\d+$", page.url)
    attempt_url = page.url
    assert page.locator("html").get_attribute("lang") == "it"
    questions = page.locator("fieldset[data-question]").all()
    multiple = page.locator("fieldset[data-question]:has(input[type=checkbox])")
    assert multiple.count() == 1  # the demo quiz has one multiple-choice question
    multiple_id = multiple.get_attribute("data-question")
    for fieldset in questions:
        _answer(fieldset)

    submit(page, page.get_by_role("button", name="Rivedi e invia"))
    assert page.url.endswith("/riepilogo")
    assert page.locator("h1").inner_text() == "Rivedi le tue risposte"
    assert page.locator("#review-summary").inner_text() == "Hai risposto a tutte le domande."
    rows = _review_rows(page)
    assert len(rows) == len(questions)
    assert all("Risposta data" in text for text in rows.values()), rows
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: no horizontal scroll
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})

    # Back to the multiple-choice question through its link: the first choice is still
    # ticked; untick it and tick the second and the third instead.
    row = page.locator(f"ol li[data-question='{multiple_id}']")
    submit(page, row.get_by_role("link"))
    assert page.url.endswith(f"#domanda-{multiple_id}")
    multiple = page.locator(f"fieldset[data-question='{multiple_id}']")
    assert multiple.locator("input.form-check-input").nth(0).is_checked()
    _tick(multiple, 1)
    _tick(multiple, 2)
    _tick(multiple, 0, on=False)
    submit(page, page.get_by_role("button", name="Rivedi e invia"))
    assert page.locator("#review-summary").inner_text() == "Hai risposto a tutte le domande."
    assert "Risposta data" in _review_rows(page)[multiple_id]
    assert page.locator("ol li", has_text="Senza risposta").count() == 0

    # The server kept the change: the attempt page shows the new choices ticked.
    visit(page, attempt_url)
    boxes = page.locator(f"fieldset[data-question='{multiple_id}'] input.form-check-input")
    assert [boxes.nth(i).is_checked() for i in range(3)] == [False, True, True]

    # Only the confirmation on the review submits.
    submit(page, page.get_by_role("button", name="Rivedi e invia"))
    submit(page, page.get_by_role("button", name="Invia il quiz"))
    assert page.url == quiz_url
    assert page.locator("h1").inner_text() == QUIZ
