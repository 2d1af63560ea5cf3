"""A trainer moves through the gradebook to grading and to the next trainee: at 1366 px the names
stay in place while the table scrolls inside its own keyboard-focusable region and outcome and
attendance are on screen; at 390 px the page does not scroll sideways; a filter stays in the
grading screen's links."""

from __future__ import annotations

import re

from tests.e2e.support import DEMO_ACCOUNTS


def test_trainer_moves_through_the_gradebook_to_grading(page, login, visit, submit):
    page.emulate_media(reduced_motion="reduce")
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, DEMO_ACCOUNTS["docente1"])
    visit(page, "/registri-voti")
    gradebooks = page.locator("main ul li > a[href$='/voti']")
    assert gradebooks.count() >= 1
    submit(page, gradebooks.first)
    assert re.search(r"/percorsi/\d+/voti$", page.url)
    gradebook_url = page.url

    region = page.locator(".gradebook-scroll[role=region][tabindex='0']")
    assert region.get_attribute("aria-labelledby") == "gradebook-caption"
    header = page.locator(".gradebook thead th")
    for label in ("Esito", "Presenze"):  # right after the name, visible without scrolling
        box = header.filter(has_text=label).first.bounding_box()
        assert box["x"] + box["width"] <= 1366, (label, box)
    name = page.locator(".gradebook tbody th[scope=row]").first
    before = name.bounding_box()["x"]
    # The region scrolls from the keyboard, and the name column stays where it was.
    region.focus()
    wide = page.evaluate(
        "() => { const r = document.querySelector('.gradebook-scroll');"
        " return r.scrollWidth > r.clientWidth; }"
    )
    assert wide  # the demo course's gradebook is wider than the screen
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.gradebook-scroll').scrollLeft > 0")
    assert abs(name.bounding_box()["x"] - before) < 1

    page.set_viewport_size({"width": 390, "height": 844})  # a phone: only the table scrolls
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1366, "height": 900})

    # A filter by state is kept in the links to the grading screen.
    page.select_option("#f-state", "mancante")
    submit(page, page.get_by_role("button", name="Filtra", exact=True))
    assert "stato=mancante" in page.url
    cells = page.locator(".gradebook tbody td a[href*='/corsisti/']")
    assert page.locator(".gradebook tbody tr").count() >= 2  # some have handed in nothing
    assert "stato=mancante" in cells.first.get_attribute("href")
    first_name = page.locator(".gradebook tbody th[scope=row]").first.inner_text()
    submit(page, cells.first)
    assert page.locator("h1").inner_text() == first_name
    assert "stato=mancante" in page.url
    submit(page, page.locator(".grading-nav a[rel=next]"))
    assert page.locator("h1").inner_text() != first_name
    assert "stato=mancante" in page.url
    submit(page, page.locator(".grading-nav a[rel=prev]"))
    assert page.locator("h1").inner_text() == first_name
    submit(page, page.get_by_role("link", name="Torna al registro dei voti"))
    assert "stato=mancante" in page.url
    submit(page, page.get_by_role("link", name="Mostra tutti"))
    assert page.url == gradebook_url
    # Without a filter: a cell opens the grading screen, "next" the next trainee.
    visit(page, gradebook_url)
    cell = page.locator(".gradebook tbody td a[href*='/corsisti/']").first
    first_name = page.locator(".gradebook tbody th[scope=row]").first.inner_text()
    submit(page, cell)
    assert page.locator("h1").inner_text() == first_name
    assert "Corsista 1 di" in page.locator(".grading-nav").inner_text()
    submit(page, page.locator(".grading-nav a[rel=next]"))
    assert "Corsista 2 di" in page.locator(".grading-nav").inner_text()
