"""The personal iCalendar feed and the 'add to calendar' file, parsed back with icalendar:
events with stable UIDs, times in Europe/Rome with a VTIMEZONE, the place or the link,
cancelled lessons, SEQUENCE raised by a move; the secret address works without login, a
wrong or reset token is a 404."""

from __future__ import annotations

import datetime as dt
import re

from icalendar import Calendar

from courses.models import CourseStatus, LessonMode
from courses.services.courses import set_status
from courses.services.enrolments import today
from courses.services.lessons import cancel_lesson, update_lesson
from lms.accounts.models import Role
from lms.db import db
from lms.timezone import LOCAL_TZ
from tests.conftest import login


def world(make):
    trainer = make.user(Role.TRAINER)
    trainee = make.user(Role.TRAINEE)
    course = make.course(trainers=[trainer], title="Percorso del calendario")
    day = today() + dt.timedelta(days=7)
    in_person = make.lesson(course, trainer=trainer, date=day, place="Aula 3, via Dante 1, Milano")
    online = make.lesson(
        course,
        trainer=trainer,
        date=day + dt.timedelta(days=1),
        mode=LessonMode.ONLINE,
        place="",
        link="https://meet.example.org/abc",
    )
    make.enrolment(course, trainee)
    return trainer, trainee, course, in_person, online


def feed_token(client) -> str:
    resp = client.post("/calendario/nuovo-indirizzo")
    assert resp.status_code == 200
    m = re.search(r"/calendario/([A-Za-z0-9_\-]+)\.ics", resp.get_data(as_text=True))
    assert m, "the page shows the new address"
    return m.group(1)


def events(ics: bytes) -> dict[str, object]:
    cal = Calendar.from_ical(ics)
    assert cal.walk("VTIMEZONE") and str(cal.walk("VTIMEZONE")[0]["TZID"]) == "Europe/Rome"
    return {str(ev["UID"]): ev for ev in cal.walk("VEVENT")}


def test_a_trainee_feed_lists_their_lessons_in_rome_time(app, client, make):
    trainer, trainee, _course, in_person, online = world(make)
    other = make.course(trainers=[trainer])
    make.lesson(
        other, trainer=trainer, date=today() + dt.timedelta(days=9), start="15:00", end="17:00"
    )
    login(client, trainee)
    token = feed_token(client)
    client.post("/esci")
    anon = app.test_client()
    resp = anon.get(f"/calendario/{token}.ics")
    assert resp.status_code == 200 and resp.mimetype == "text/calendar"
    evs = events(resp.data)
    assert set(evs) == {
        f"lesson-{in_person.id}@lessons.rencontrer-lms",
        f"lesson-{online.id}@lessons.rencontrer-lms",
    }
    ev = evs[f"lesson-{in_person.id}@lessons.rencontrer-lms"]
    start = ev.decoded("DTSTART")
    assert start.tzinfo is not None and str(ev["DTSTART"].params["TZID"]) == "Europe/Rome"
    assert start == dt.datetime.combine(in_person.date, dt.time(9), tzinfo=LOCAL_TZ)
    assert ev.decoded("DTEND") == dt.datetime.combine(in_person.date, dt.time(13), tzinfo=LOCAL_TZ)
    assert str(ev["LOCATION"]) == "Aula 3, via Dante 1, Milano"
    assert str(ev["STATUS"]) == "CONFIRMED" and "LAST-MODIFIED" in ev
    assert (
        str(evs[f"lesson-{online.id}@lessons.rencontrer-lms"]["LOCATION"])
        == "https://meet.example.org/abc"
    )


def test_moved_and_cancelled_lessons_update_the_same_event(app, client, make):
    trainer, trainee, course, in_person, online = world(make)
    login(client, trainee)
    token = feed_token(client)
    uid = f"lesson-{in_person.id}@lessons.rencontrer-lms"
    before = events(client.get(f"/calendario/{token}.ics").data)[uid]
    coordinator = make.coordinator()
    update_lesson(
        coordinator,
        in_person,
        course,
        module_id=in_person.module_id,
        date=in_person.date,
        start_time=dt.time(10),
        end_time=dt.time(14),
        mode=LessonMode.IN_PERSON,
        trainer_id=trainer.id,
        place="Aula 4, via Dante 1, Milano",
    )
    cancel_lesson(coordinator, online, course, "Docente malato")
    db.session.commit()
    evs = events(client.get(f"/calendario/{token}.ics").data)
    moved = evs[uid]
    assert int(moved["SEQUENCE"]) > int(before["SEQUENCE"])
    assert moved.decoded("DTSTART").hour == 10 and str(moved["LOCATION"]).startswith("Aula 4")
    cancelled = evs[f"lesson-{online.id}@lessons.rencontrer-lms"]
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) >= 1


def test_a_wrong_or_reset_token_is_a_404_and_only_the_hash_is_stored(app, client, make):
    from courses.models import CalendarFeed

    _t, trainee, *_rest = world(make)
    login(client, trainee)
    first = feed_token(client)
    second = feed_token(client)
    anon = app.test_client()
    assert anon.get(f"/calendario/{first}.ics").status_code == 404
    assert anon.get("/calendario/sbagliato.ics").status_code == 404
    assert anon.get(f"/calendario/{second}.ics").status_code == 200
    row = db.session.get(CalendarFeed, trainee.id)
    assert second not in row.token_hash and len(row.token_hash) == 64


def test_a_trainer_feed_lists_the_lessons_they_teach(app, client, make):
    trainer, _trainee, _course, _in_person, _online = world(make)
    login(client, trainer)
    evs = events(client.get(f"/calendario/{feed_token(client)}.ics").data)
    assert len(evs) == 2


def test_a_draft_course_leaves_the_trainee_feed(app, client, make):
    _t, trainee, course, *_rest = world(make)
    set_status(make.coordinator(), course, CourseStatus.OPEN)
    set_status(make.coordinator(), course, CourseStatus.DRAFT)
    db.session.commit()
    login(client, trainee)
    assert events(client.get(f"/calendario/{feed_token(client)}.ics").data) == {}


def test_add_to_calendar_file_of_one_lesson(app, client, make):
    _t, trainee, _course, in_person, _online = world(make)
    stranger = make.user(Role.TRAINEE)
    login(client, trainee)
    resp = client.get(f"/lezioni/{in_person.id}/calendario.ics")
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    assert list(events(resp.data)) == [f"lesson-{in_person.id}@lessons.rencontrer-lms"]
    client.post("/esci")
    login(client, stranger)
    assert client.get(f"/lezioni/{in_person.id}/calendario.ics").status_code == 404


def test_the_api_resets_the_feed_address(app, client, make):
    _t, trainee, *_rest = world(make)
    login(client, trainee)
    first = client.post("/api/v1/me/calendar-feed")
    assert first.status_code == 201
    second = client.post("/api/v1/me/calendar-feed").get_json()["url"]
    anon = app.test_client()
    assert anon.get(first.get_json()["url"]).status_code == 404
    assert anon.get(second).status_code == 200
