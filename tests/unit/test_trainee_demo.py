"""The demo shows the trainee's course: materials (a PDF and a link per module and per lesson)
on the Disability Manager course, online lessons with their link, and corsista1 a few hours
short of the admission threshold, said in words on the page."""

from __future__ import annotations

from sqlalchemy import select

from courses.demo import COURSE_EDITION, COURSE_TITLE
from courses.models import Course, Enrolment, Lesson, LessonMode, Material, MaterialKind
from courses.services.trainee_course import trainee_course
from lms.accounts.services import get_user_by_email
from lms.db import db
from lms.files.services import read_bytes


def test_the_demo_course_has_materials_an_online_lesson_and_a_trainee_near_the_threshold(app):
    result = app.test_cli_runner().invoke(args=["lms", "demo"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    course = db.session.scalar(
        select(Course).where(Course.title == COURSE_TITLE, Course.edition == COURSE_EDITION)
    )
    materials = list(db.session.scalars(select(Material).where(Material.course_id == course.id)))
    kinds = {(m.kind, m.module_id is not None) for m in materials}
    assert kinds == {
        (MaterialKind.FILE, True),
        (MaterialKind.LINK, True),
        (MaterialKind.FILE, False),
        (MaterialKind.LINK, False),
    }
    pdf = next(m for m in materials if m.kind == MaterialKind.FILE)
    from lms.files.models import StoredFile

    assert read_bytes(db.session.get(StoredFile, pdf.file_id)).startswith(b"%PDF-")
    online = db.session.scalars(
        select(Lesson).where(Lesson.course_id == course.id, Lesson.mode == LessonMode.ONLINE)
    ).all()
    assert online and all(s.link.startswith("https://") for s in online)
    trainee = get_user_by_email("corsista1@demo.example")
    e = db.session.scalar(
        select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.user_id == trainee.id)
    )
    page = trainee_course(trainee, e)
    a = page.progress.eligibility.assessment
    assert not a.met and a.reachable and 0 < a.missing_minutes <= 8 * 60
    assert page.progress.admission.startswith("Ti mancano")
