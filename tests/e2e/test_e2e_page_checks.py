"""The checks every browser test runs (tests/e2e/support.py) catch what they are for: colour
contrast that axe leaves undecided, and pages wider than a 390 px phone."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.e2e.support import audit_current_page, new_page

# A 1x1 transparent GIF: a no-repeat background image makes axe leave contrast undecided.
ICON = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
PAGE = """<!doctype html><html lang="it"><head><title>Prova</title></head>
<body><main><h1>Prova</h1>{}</main></body></html>"""


@pytest.fixture
def blank(browser):
    """A watched tab with no server behind it: the checks run on content set by the test."""
    page = new_page(browser, SimpleNamespace(url="http://127.0.0.1:9", password="-"))
    yield page
    page.context.close()


def problems(page, body: str) -> list[str]:
    page.set_content(PAGE.format(body))
    return audit_current_page(page).problems


def test_undecided_contrast_is_measured_and_fails_below_4_5(blank):
    # The "Consegnato" badge as it was: dark text on Bootstrap Italia's dark warning colour.
    badge = '<p style="background: hsl(36,100%,24%) url({}) no-repeat right; color: #17334f">{}</p>'
    found = problems(blank, badge.format(ICON, "Consegnato"))
    assert any("color-contrast" in p and "measured 1.7" in p for p in found), found
    # The same badge with white text: 7.51:1, the check passes.
    white = badge.replace("#17334f", "#fff")
    assert problems(blank, white.format(ICON, "Consegnato")) == []


def test_contrast_over_a_gradient_stays_undecided_and_fails(blank):
    text = '<p style="background: linear-gradient(#fff, #eee); color: #111">Testo</p>'
    found = problems(blank, text)
    assert any("color-contrast" in p and "gradient" in p for p in found), found


def test_a_page_wider_than_a_phone_fails_even_on_a_desktop_screen(blank):
    blank.set_viewport_size({"width": 1280, "height": 900})
    found = problems(blank, '<p style="width: 600px">Testo</p>')
    assert any(p.startswith("at 390 px: the page is") for p in found), found
    assert blank.viewport_size == {"width": 1280, "height": 900}  # put back after the check


def test_a_wide_table_scrolls_in_a_focusable_named_region(blank):
    blank.set_viewport_size({"width": 390, "height": 844})
    table = '<table><tr><td style="min-width: 900px">Cella</td></tr></table>'
    region = '<div style="overflow-x: auto" {}>{}</div>'
    found = problems(blank, region.format("", table))
    assert any("not a focusable, named region" in p for p in found), found
    named = 'tabindex="0" role="region" aria-label="Corsisti"'
    assert problems(blank, region.format(named, table)) == []
