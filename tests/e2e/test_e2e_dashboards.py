"""Each demo role logs in and sees its dashboard, in Italian."""

from __future__ import annotations

import pytest

from tests.e2e.support import DEMO_ACCOUNTS

SCREENSHOT_ROLES = {"coordinatore", "corsista1"}


@pytest.mark.parametrize("role", list(DEMO_ACCOUNTS))
def test_dashboard_of_each_role(page, login, live_server, artifacts, role):
    login(page, DEMO_ACCOUNTS[role])
    assert page.url == live_server.url + "/"
    assert page.locator("html").get_attribute("lang") == "it"
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text().startswith("Benvenuto")
    # The shared layout: skip link to <main>, landmarks, the flash region, both languages.
    assert page.locator("a.skip-link").get_attribute("href") == "#main"
    assert page.locator("main#main").count() == 1
    assert page.locator("header").count() == 1
    assert page.locator("footer").count() == 1
    assert page.locator("#flash-messages[aria-live=polite]").count() == 1
    assert page.locator("header button[name=locale]").count() == 2
    if role in SCREENSHOT_ROLES:
        page.screenshot(path=str(artifacts / f"dashboard-{role}-it.png"), full_page=True)


def test_language_switch_keeps_the_page_and_persists(page, login, submit, visit):
    login(page, "valutatore1@demo.example")
    submit(page, page.locator("header button[name=locale][value=en]"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Welcome")
    visit(page, "/profilo/password")
    assert page.locator("html").get_attribute("lang") == "en"
    submit(page, page.locator("header button[name=locale][value=it]"))
    assert page.url.endswith("/profilo/password")
    assert page.locator("html").get_attribute("lang") == "it"


def test_layout_on_a_phone_screen(page, login, visit):
    login(page, "admin@demo.example")
    page.set_viewport_size({"width": 390, "height": 800})
    visit(page, "/")
    header = page.locator("header").bounding_box()
    heading = page.locator("main h1").bounding_box()
    nav = page.locator("nav.main-nav").bounding_box()
    # The wrapped navigation stays inside the header, above the page's heading.
    assert nav["y"] + nav["height"] <= header["y"] + header["height"] + 1
    assert header["y"] + header["height"] <= heading["y"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
