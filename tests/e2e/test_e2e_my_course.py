"""A trainee opens their course: lessons with place or link, their attendance and the hours
still missing, a material downloaded, the calendar feed found and read back; axe clean in
Italian and English; no horizontal scroll at 390 px."""

from __future__ import annotations

from icalendar import Calendar
from sqlalchemy import select

from courses.demo import COURSE_EDITION, COURSE_TITLE
from tests.e2e.support import switch_language


def _course_id(live_server) -> int:
    from courses.models import Course
    from lms.db import db

    with live_server.app.app_context():
        return db.session.scalar(
            select(Course.id).where(Course.title == COURSE_TITLE, Course.edition == COURSE_EDITION)
        )


def test_trainee_follows_their_course(page, login, visit, submit, live_server):
    course_id = _course_id(live_server)
    login(page, "corsista1@demo.example")
    visit(page, "/i-miei-percorsi")
    submit(page, page.locator(f"#course-{course_id} a"))
    main = page.locator("main")
    text = main.inner_text()
    assert COURSE_TITLE in page.locator("h1").inner_text()
    assert "Aula Navigli, via Vigevano 18, Milano" in text or "Aula Brera" in text
    assert main.locator("a[href^='https://meet.example.org/']").count() > 0  # past online lessons
    assert "Presente" in text
    assert "Ti mancano" in text and "per l'ammissione all'esame finale" in text
    assert "contano le ore previste" in text
    bar = main.locator("progress#progress-bar")
    assert bar.count() == 1 and page.locator("label[for=progress-bar]").count() == 1
    # a material, downloaded
    link = main.locator("a[download]", has_text="Dispensa").first
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")
    # phone width: nothing scrolls sideways
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # the same page in English (axe runs on it too)
    switch_language(page, "en")
    assert "for admission to the final exam" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    switch_language(page, "it")
    page.set_viewport_size({"width": 1280, "height": 900})
    # the calendar feed: found from the course page, created, read back as iCalendar
    submit(page, main.get_by_role("link", name="Aggiungi le mie lezioni al mio calendario"))
    submit(page, page.get_by_role("button", name="Crea l'indirizzo del mio calendario"))
    feed_url = page.locator("#feed-url").input_value()
    assert "/calendario/" in feed_url and feed_url.endswith(".ics")
    resp = page.context.request.get(feed_url)
    assert resp.status == 200
    cal = Calendar.from_ical(resp.body())
    events = cal.walk("VEVENT")
    assert len(events) >= 14
    assert all(str(ev["DTSTART"].params["TZID"]) == "Europe/Rome" for ev in events)
    assert any("meet.example.org" in str(ev.get("LOCATION", "")) for ev in events)


def test_trainer_adds_a_link_to_the_materials(page, login, visit, submit, live_server):
    course_id = _course_id(live_server)
    login(page, "docente1@demo.example")
    page.set_viewport_size({"width": 390, "height": 844})
    visit(page, f"/percorsi/{course_id}/materiali")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#title").fill("Scheda INAIL")
    page.locator("#url").fill("javascript:alert(1)")
    submit(page, page.get_by_role("button", name="Aggiungi il materiale"), status=422)
    assert "http://" in page.locator("#url-error").inner_text()
    page.locator("#url").fill("https://www.inail.it/")
    submit(page, page.get_by_role("button", name="Aggiungi il materiale"))
    assert "Scheda INAIL" in page.locator("main").inner_text()
