"""Browser tests of the courses package, on the demo course (axe runs on every page)."""

from __future__ import annotations

import subprocess

from sqlalchemy import select

from courses.demo import COURSE_EDITION, COURSE_TITLE


def _demo_lessons(live_server):
    """(course id, last unsigned past lesson id, lesson running now id) of the demo course."""
    from courses.models import Course, Lesson, Register
    from lms.db import db, utcnow

    with live_server.app.app_context():
        course = db.session.scalar(
            select(Course).where(Course.title == COURSE_TITLE, Course.edition == COURSE_EDITION)
        )
        lessons = db.session.scalars(
            select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.date)
        ).all()
        now = utcnow()
        running = next(s for s in lessons if s.starts_at <= now <= s.ends_at)
        unsigned = [
            s
            for s in lessons
            if s.ends_at < now and db.session.get(Register, s.id).signed_at is None
        ]
        return course.id, (unsigned[-1].id if unsigned else lessons[0].id), running.id


def _trainers_of(live_server, lesson_id):
    """The e-mail of the lesson's trainer and of another trainer of its course."""
    from courses.models import CourseTrainer, Lesson
    from lms.accounts.models import User
    from lms.db import db

    with live_server.app.app_context():
        lesson = db.session.get(Lesson, lesson_id)
        ids = db.session.scalars(
            select(CourseTrainer.user_id).where(CourseTrainer.course_id == lesson.course_id)
        ).all()
        other = next(i for i in ids if i != lesson.trainer_id)
        return db.session.get(User, lesson.trainer_id).email, db.session.get(User, other).email


def _name_of(live_server, email: str) -> str:
    from lms.accounts.models import User
    from lms.db import db

    with live_server.app.app_context():
        return db.session.scalar(select(User.full_name).where(User.email == email))


def test_trainer_takes_the_register_and_signs_it(page, login, visit, submit, live_server):
    _course, lesson_id, _now = _demo_lessons(live_server)
    own, other = _trainers_of(live_server, lesson_id)
    login(page, other)
    visit(page, f"/lezioni/{lesson_id}")
    assert page.get_by_role("button", name="Firma il registro").count() == 0
    assert "o un coordinatore per suo conto" in page.locator("#register-form").inner_text()
    # nor by posting the confirmation by hand: refused, the register stays unsigned
    token = page.locator("input[name=csrf_token]").first.input_value()
    refused = page.request.post(
        page.url + "/registro/firma", form={"csrf_token": token, "register_version": "0"}
    )
    assert refused.status == 403
    visit(page, f"/lezioni/{lesson_id}")
    assert "Firmato da" not in page.locator("main").inner_text()
    submit(page, page.locator("header form[action$='/esci'] button"))
    login(page, own)
    visit(page, f"/lezioni/{lesson_id}")
    assert page.locator("h2#registro").inner_text() == "Registro presenze"
    first = page.locator("select.register-status").first
    first.select_option("excused")
    name_cell = page.locator("table.register-table tbody th").first.inner_text()
    submit(page, page.get_by_role("button", name="Salva il registro"))
    assert "Registro salvato" in page.locator("#flash-messages").inner_text()
    assert page.locator("select.register-status").first.input_value() == "excused"
    first.select_option("present")  # changed, not saved: signing saves it
    submit(page, page.get_by_role("button", name="Firma il registro"))
    assert page.locator("h1").inner_text() == "Firma il registro"
    assert page.locator("#register-summary").is_visible()
    submit(page, page.get_by_role("button", name="Conferma e firma"))
    assert "firmato" in page.locator("#flash-messages").inner_text()
    assert "Firmato da" in page.locator("main").inner_text()
    assert page.locator("select.register-status").count() == 0  # locked: read-only table
    table = page.locator("table.register-table").inner_text()
    assert name_cell.split("\n")[0] in table and "Presente" in table
    pdf = page.request.get(page.url.split("/lezioni/")[0] + f"/lezioni/{lesson_id}/registro.pdf")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.body(), capture_output=True, check=True
    ).stdout.decode()
    words = " ".join(text.split())
    assert "Firmato elettronicamente da" in words
    assert _name_of(live_server, own) in words  # the PDF names the trainer who signed


def test_trainee_checks_in_with_the_code(page, login, visit, submit, live_server):
    _course, _past, lesson_id = _demo_lessons(live_server)
    login(page, "docente1@demo.example")
    visit(page, f"/lezioni/{lesson_id}/check-in")
    code = page.locator("#checkin-code").inner_text().strip()
    assert len(code) == 6 and code.isdigit()
    assert page.locator("img#checkin-qr").get_attribute("alt")
    submit(page, page.locator("header form[action$='/esci'] button"))
    login(page, "corsista2@demo.example")
    visit(page, "/check-in")
    page.locator("#code").fill("000000" if code != "000000" else "111111")
    submit(page, page.get_by_role("button", name="Registra la presenza"), status=422)
    assert "non è valido" in page.locator("main").inner_text()
    page.locator("#code").fill(code)
    submit(page, page.get_by_role("button", name="Registra la presenza"))
    assert "Check-in fatto" in page.locator("#flash-messages").inner_text()
    assert page.locator("h1").inner_text() == "I miei percorsi"


def test_referent_sees_only_their_company(page, login, visit, live_server):
    course_id, _p, _n = _demo_lessons(live_server)
    from lms.accounts.models import User
    from lms.db import db

    with live_server.app.app_context():
        referent = db.session.scalar(select(User).where(User.email == "referente1@demo.example"))
        own = {
            u.full_name
            for u in db.session.scalars(
                select(User).where(
                    User.organisation_id == referent.organisation_id, User.email.like("corsista%")
                )
            )
        }
        others = {
            u.full_name
            for u in db.session.scalars(
                select(User).where(
                    User.organisation_id != referent.organisation_id, User.email.like("corsista%")
                )
            )
        }
    login(page, "referente1@demo.example")
    visit(page, "/percorsi")
    visit(page, f"/percorsi/{course_id}/presenze")
    rows = page.locator("table.report-table tbody th").all_inner_texts()
    shown = {r.split(" (")[0].strip() for r in rows}
    assert shown == own
    assert not shown & others
    visit(page, f"/lezioni/{_p}", status=403)
