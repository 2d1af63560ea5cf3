"""Each demo role logs in and sees its dashboard, in Italian."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.support import DEMO_ACCOUNTS, check_page

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


def test_layout_on_a_phone_screen(page, login, visit, browser, live_server):
    login(page, "admin@demo.example")
    page.set_viewport_size({"width": 390, "height": 800})
    visit(page, "/")
    header = page.locator("header").bounding_box()
    heading = page.locator("main h1").bounding_box()
    nav = page.locator("nav.main-nav").bounding_box()
    # The navigation stays inside the header, above the page's heading.
    assert nav["y"] + nav["height"] <= header["y"] + header["height"] + 1
    assert header["y"] + header["height"] <= heading["y"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    # The admin's ten destinations are folded behind "Menu": the header keeps to a quarter of
    # the screen (it took 381 px of 800 when the list wrapped).
    toggle = page.get_by_role("button", name="Menu")
    links = page.locator("nav.main-nav a")
    assert toggle.get_attribute("aria-expanded") == "false"
    expect(toggle).to_have_accessible_name("Menu")  # the arrow drawn after it is not read
    assert links.count() == 10 and not links.first.is_visible()
    assert header["height"] <= 200
    # The button opens the list: every destination reachable, one under the other.
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    expect(links.last).to_be_visible()
    assert all(link.is_visible() for link in links.all())
    boxes = [link.bounding_box() for link in links.all()[:2]]
    assert boxes[1]["y"] >= boxes[0]["y"] + boxes[0]["height"] - 1
    check_page(page)
    # Escape closes it from inside the list and gives the focus back to the button.
    links.nth(3).focus()
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.classList.contains('main-nav-toggle')")
    expect(links.first).to_be_hidden()
    # On a wide screen there is no button and the list is shown, whatever its state.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(links.first).to_be_visible()
    assert not toggle.is_visible()

    # Without JavaScript there is no button: the list wraps, every destination on screen.
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 800}
    )
    try:
        context.add_cookies(page.context.cookies())
        bare = context.new_page()
        bare.goto("/")
        assert bare.locator("nav.main-nav a").count() == 10
        assert all(link.is_visible() for link in bare.locator("nav.main-nav a").all())
        assert not bare.locator(".main-nav-toggle").is_visible()
    finally:
        context.close()
