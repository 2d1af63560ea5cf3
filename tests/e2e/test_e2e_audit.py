"""The change log reads as sentences, opens its raw data on demand and fits a phone."""

from __future__ import annotations


def test_admin_reads_the_change_log_on_a_phone(page, login, visit):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "admin@demo.example")
    visit(page, "/admin/registro-modifiche/")
    first = page.locator("main tbody tr").first
    assert " ha " in first.locator("th").inner_text()  # a sentence, in Italian
    details = page.locator("main tbody details").first
    details.locator("summary").click()
    assert details.get_attribute("open") is not None
    assert '"after"' in details.locator("pre").inner_text()
    wide = page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not wide
