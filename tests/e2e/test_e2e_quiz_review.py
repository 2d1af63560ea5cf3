"""A trainee reviews a quiz before submitting: the review lists the unanswered question, its link
leads back to it, and only "Invia il quiz" on the review submits. Every page goes through axe,
in Italian, and the review fits a 390 px phone."""

from __future__ import annotations

import re

from tests.e2e.support import DEMO_ACCOUNTS

QUIZ = "Quiz: Legge 68/1999 e collocamento mirato"


def answer(fieldset):
    labels = fieldset.locator("label.form-check-label")
    if labels.count():
        labels.first.click()  # Bootstrap Italia draws the label over the input
    else:
        fieldset.locator("input[type=text]").fill("collocamento mirato")


def test_trainee_reviews_the_quiz_before_submitting(page, login, visit, submit):
    login(page, DEMO_ACCOUNTS["corsista1"])
    visit(page, "/valutazioni")
    submit(page, page.get_by_role("link", name=QUIZ))
    quiz_url = page.url
    submit(page, page.locator("main form button[type=submit]"))
    assert re.search(r"/tentativi/\d+$", page.url)
    assert page.locator("html").get_attribute("lang") == "it"
    questions = page.locator("fieldset[data-question]").all()
    # Leave one question without an answer: a text one when there is one (a resumed attempt
    # may already have its radios ticked), else the last.
    empty = next((f for f in questions if f.locator("input[type=text]").count()), questions[-1])
    empty_id = empty.get_attribute("data-question")
    for fieldset in questions:
        if fieldset.get_attribute("data-question") == empty_id:
            fieldset.locator("input[type=text]").fill("")
        else:
            answer(fieldset)
    submit(page, page.get_by_role("button", name="Rivedi e invia"))
    assert page.url.endswith("/riepilogo")
    assert page.locator("h1").inner_text() == "Rivedi le tue risposte"
    unanswered = page.locator("ol li", has_text="Senza risposta")
    if empty.locator("input[type=text]").count():
        assert unanswered.count() == 1
        assert page.locator("#review-summary").inner_text().startswith("1 domanda non ha risposta.")
        assert page.locator("ol li", has_text="Risposta data").count() == len(questions) - 1
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: no horizontal scroll
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})

    # Each question links back to itself on the attempt page.
    row = page.locator(f"ol li[data-question='{empty_id}']")
    submit(page, row.get_by_role("link"))
    assert page.url.endswith(f"#domanda-{empty_id}")
    answer(page.locator(f"fieldset[data-question='{empty_id}']"))
    submit(page, page.get_by_role("button", name="Rivedi e invia"))
    assert page.locator("#review-summary").inner_text() == "Hai risposto a tutte le domande."
    assert page.locator("ol li", has_text="Senza risposta").count() == 0

    # Only the confirmation submits.
    submit(page, page.get_by_role("button", name="Invia il quiz"))
    assert page.url == quiz_url
    assert page.locator("h1").inner_text() == QUIZ
