"""Check-in codes cannot be guessed: wrong codes are counted per trainee (and per lesson),
and past 5 a minute every attempt gets 429, on the page and in the API, until the window
passes; the count lives in Redis when it is configured, so every process shares it."""

from __future__ import annotations

import datetime as dt

import pytest

from courses.models import AttendanceStatus
from courses.services import checkin
from lms.accounts.models import Role, User
from lms.db import db
from lms.errors import RateLimited, ValidationFailed
from lms.timezone import LOCAL_TZ
from tests.conftest import make_test_app

DAY = dt.date(2026, 11, 24)
DURING = dt.datetime(2026, 11, 24, 9, 5, tzinfo=LOCAL_TZ).astimezone(dt.UTC)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def lesson(make):
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    lesson = make.lesson(course, trainer=trainer, date=DAY, start="09:00", end="13:00")
    trainees = [make.user(Role.TRAINEE) for _ in range(2)]
    for t in trainees:
        make.enrolment(course, t, enrolled_on=DAY - dt.timedelta(days=30))
    return lesson, trainees


def test_the_sixth_wrong_code_in_a_minute_is_refused_even_when_right(app, lesson):
    lesson, (guesser, honest) = lesson
    code, _s = checkin.current_code(lesson, DURING)
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            checkin.check_in(guesser, _wrong(code), now=DURING)
        db.session.rollback()
    with pytest.raises(RateLimited) as err:
        checkin.check_in(guesser, code, now=DURING)
    assert 0 < err.value.retry_after <= 60
    db.session.rollback()
    # Another trainee is not held back by the guesser.
    _lesson, rec = checkin.check_in(honest, code, now=DURING)
    assert rec.status == AttendanceStatus.PRESENT


def test_page_and_api_answer_429_with_a_message(app, make, login_as):
    trainee = make.user(Role.TRAINEE)
    client = login_as(trainee)
    answers = [client.post("/check-in", data={"code": "000000"}).status_code for _ in range(5)]
    assert answers == [422] * 5
    page = client.post("/check-in", data={"code": "123456"})
    assert page.status_code == 429
    assert "Troppi codici sbagliati" in page.get_data(as_text=True)
    api = client.post("/api/v1/check-in", json={"code": "123456"})
    assert api.status_code == 429
    assert api.get_json()["error"]["code"] == "too_many_requests"
    assert int(api.headers["Retry-After"]) > 0


def test_the_count_is_shared_through_redis(database_url, tmp_path, make):
    import redis

    url = "redis://127.0.0.1:6379/7"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis must run on 127.0.0.1:6379 for the tests (.ci/run starts it)")
    first = make_test_app(database_url, tmp_path, REDIS_URL=url)
    second = make_test_app(database_url, tmp_path, REDIS_URL=url)
    with first.app_context():
        user = make.user(Role.TRAINEE)
        user_id = user.id
        for _ in range(5):
            with pytest.raises(ValidationFailed):
                checkin.check_in(user, "000000", now=DURING)
            db.session.rollback()
    with second.app_context():
        again = db.session.get(User, user_id)
        with pytest.raises(RateLimited):
            checkin.check_in(again, "000000", now=DURING)
        db.session.rollback()
    redis.Redis.from_url(url).flushdb()
