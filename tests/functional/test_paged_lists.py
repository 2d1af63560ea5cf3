"""Platform-wide lists are limited in SQL (issue 12): the grading worklist by pages, the
trainer dashboard's preview, the referent's people by pages."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert

import assessments.views.grading as grading_views
import lms.panels
from assessments.models import Grade, GradeStatus
from assessments.services.results import worklist, worklist_count
from lms.accounts.models import Role
from lms.db import db, utcnow


def _waiting(make, n):
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    assessment = make.assessment(course)
    now = utcnow()
    users = [make.user(Role.TRAINEE) for _ in range(n)]
    for u in users:
        make.enrolment(course, u)
    db.session.execute(
        insert(Grade),
        [
            dict(
                assessment_id=assessment.id,
                trainee_id=u.id,
                status=GradeStatus.SUBMITTED,
                feedback="",
                discrepancy=False,
                version_id=1,
                created_at=now - dt.timedelta(minutes=i),
                updated_at=now,
            )
            for i, u in enumerate(users)
        ],
    )
    db.session.commit()
    return trainer


def test_worklist_pages_are_slices_of_the_whole_list(app, make):
    trainer = _waiting(make, 7)
    whole = [i.grade.id for i in worklist(trainer)]
    assert worklist_count(trainer) == 7 == len(whole)
    pages = [worklist(trainer, limit=3, offset=o) for o in (0, 3, 6)]
    assert [i.grade.id for p in pages for i in p] == whole
    assert [len(p) for p in pages] == [3, 3, 1]


def test_worklist_page_and_dashboard_preview(app, make, login_as, monkeypatch):
    trainer = _waiting(make, 5)
    monkeypatch.setattr(grading_views, "WORKLIST_PAGE", 2)
    client = login_as(trainer)
    first = client.get("/da-correggere").get_data(as_text=True)
    assert "pagina 1 di 3" in first and "page=2" in first
    assert first.count('<th scope="row">') == 2
    last = client.get("/da-correggere?page=9").get_data(as_text=True)  # past the end
    assert "pagina 3 di 3" in last and "page=2" in last
    assert last.count('<th scope="row">') == 1


def test_referent_people_are_paged(app, make, login_as, monkeypatch):
    org = make.organisation()
    referent = make.user(Role.REFERENT, organisation=org)
    names = sorted(f"Dipendente {i:02d}" for i in range(5))
    for n in names:
        make.user(Role.TRAINEE, organisation=org, full_name=n)
    monkeypatch.setattr(lms.panels, "PEOPLE_PAGE", 2)
    client = login_as(referent)
    page1 = client.get("/").get_data(as_text=True)
    page3 = client.get("/?persone=3").get_data(as_text=True)
    assert names[0] in page1 and names[1] in page1 and names[2] not in page1
    assert names[4] in page3 and names[0] not in page3
    assert "pagina 3 di 3" in page3 and "persone=2" in page3
    bad = client.get("/?persone=abc")
    assert bad.status_code == 200 and names[0] in bad.get_data(as_text=True)


def test_referent_courses_panel_shows_the_newest_and_links_to_all(app, make, login_as, monkeypatch):
    import courses.navigation

    org, elsewhere = make.organisation(), make.organisation()
    referent = make.user(Role.REFERENT, organisation=org)
    employee = make.user(Role.TRAINEE, organisation=org)
    outsider = make.user(Role.TRAINEE, organisation=elsewhere)
    start = dt.date(2026, 3, 2)
    ours = []
    for i in range(4):
        course = make.course(title=f"Percorso {i}", start_date=start + dt.timedelta(days=i))
        make.enrolment(course, employee)
        ours.append(course)
    theirs = make.course(title="Percorso altrui", start_date=start + dt.timedelta(days=30))
    make.enrolment(theirs, outsider)
    monkeypatch.setattr(courses.navigation, "REFERENT_COURSES", 2)
    client = login_as(referent)
    page = client.get("/").get_data(as_text=True)
    shown = [c for c in ours if f"/percorsi/{c.id}/presenze" in page]
    assert shown == ours[2:]  # the two newest
    assert f"/percorsi/{theirs.id}/" not in page
    assert "Tutti i 4 percorsi con i tuoi dipendenti" in page
    listing = client.get("/percorsi").get_data(as_text=True)
    assert all(f"/percorsi/{c.id}" in listing for c in ours)
    monkeypatch.setattr(courses.navigation, "REFERENT_COURSES", 10)
    page = client.get("/").get_data(as_text=True)
    assert all(f"/percorsi/{c.id}/presenze" in page for c in ours)
    assert "Tutti i" not in page


def test_course_list_is_paged_in_sql(app, make, login_as, monkeypatch):
    import courses.views.courses as course_views

    start = dt.date(2026, 1, 5)
    made = [
        make.course(title=f"Percorso {i}", start_date=start + dt.timedelta(days=i))
        for i in range(5)
    ]
    newest_first = [c.id for c in reversed(made)]
    monkeypatch.setattr(course_views, "COURSES_PAGE", 2)
    client = login_as(make.coordinator())

    def listed(html):
        return [cid for cid in newest_first if f'href="/percorsi/{cid}"' in html]

    first = client.get("/percorsi").get_data(as_text=True)
    assert listed(first) == newest_first[:2]
    assert "pagina 1 di 3" in first and "page=2" in first
    last = client.get("/percorsi?page=3").get_data(as_text=True)
    assert listed(last) == newest_first[4:] and "pagina 3 di 3" in last
    for bad in ("abc", "²", "0", "99"):
        html = client.get("/percorsi", query_string={"page": bad}).get_data(as_text=True)
        assert listed(html) in (newest_first[:2], newest_first[4:]), bad
