"""The framework-item picker by keyboard, on the demo's illustrative framework: a code typed in
the search filters the groups (accent-insensitive words too), the live region says how many
items are shown, Space selects, Escape clears the search, the summary's button takes an item
off, and the module saves the chosen items. axe runs on every state and at 390 px."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tests.e2e.support import check_page


def _summary(page) -> list[str]:
    """The codes of the summary's remove buttons."""
    return page.locator("#framework_items [data-picker-selected] button").evaluate_all(
        "els => els.map(e => e.getAttribute('data-code'))"
    )


def _visible_labels(page) -> list[str]:
    return page.locator("[data-picker-item]:visible label.form-check-label").all_inner_texts()


def test_coordinator_picks_items_by_keyboard_and_saves(page, login, visit, submit, live_server):
    login(page, "coordinatore@demo.example")
    visit(page, "/moduli/nuovo")
    search = page.locator("#framework_items-search")
    assert search.is_visible()  # the script revealed the tools
    status = page.locator("#framework_items [data-picker-status]")
    all_items = page.locator("[data-picker-item]").count()
    assert all_items > 10

    search.focus()
    page.keyboard.type("C2.A1")
    labels = _visible_labels(page)
    assert labels and all("C2.A1" in label for label in labels)
    assert status.inner_text() in ("1 voce mostrata.", f"{len(labels)} voci mostrate.")
    assert page.locator("[data-picker-group]:visible").count() == len(labels)
    check_page(page)

    page.keyboard.press("Tab")  # from the search box to the first item shown
    focused = page.evaluate("document.activeElement.getAttribute('data-code')")
    assert focused == "C2.A1"
    page.keyboard.press("Space")
    box = page.locator("[data-picker-item]:visible input[type=checkbox]").first
    assert box.is_checked()
    assert _summary(page) == ["C2.A1"]

    search.focus()
    page.keyboard.press("Escape")
    assert search.input_value() == ""
    assert page.locator("[data-picker-item]:visible").count() == all_items
    assert status.inner_text() == f"{all_items} voci mostrate."

    page.keyboard.type("disabilita")  # no accent typed: "disabilità" matches
    words = _visible_labels(page)
    assert words and all("disabilit" in w.lower() for w in words)
    first_code = page.locator("[data-picker-item]:visible input").first.get_attribute("data-code")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Escape")
    chosen = sorted({"C2.A1", first_code})
    assert sorted(_summary(page)) == chosen

    # Take one off from the summary by keyboard: focus moves to the next button.
    page.get_by_role("button", name="Togli dalla selezione: C2.A1").focus()
    page.keyboard.press("Enter")
    if first_code != "C2.A1":
        chosen = [first_code]
        assert _summary(page) == chosen
    page.get_by_role("button", name=f"Togli dalla selezione: {chosen[0]}").focus()
    page.keyboard.press("Space")
    assert _summary(page) == []
    assert page.locator("#framework_items [data-picker-empty]").is_visible()
    search.focus()
    page.keyboard.type("C2.A1")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")

    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    check_page(page)

    page.locator("#code").fill("PICK-01")
    page.locator("#title").fill("Modulo allineato da tastiera")
    page.locator("#planned_hours").fill("2")
    submit(page, page.get_by_role("button", name="Salva modulo"))
    assert "/moduli" in page.url

    from courses.models import Module
    from lms.db import db

    with live_server.app.app_context():
        module = db.session.scalar(
            select(Module)
            .where(Module.code == "PICK-01")
            .options(selectinload(Module.framework_items))
        )
        assert [i.code for i in module.framework_items] == ["C2.A1"]
        db.session.delete(module)
        db.session.commit()
