"""The benchmark generator (bench/generate) at its smallest scale, and the benchmark
configuration's ceiling route and SQL count header (lms/config.py)."""

from __future__ import annotations

import random

from sqlalchemy import func, select, text

from bench.generate.__main__ import generate
from bench.generate.courses import plan_courses
from bench.generate.plan import FEATURED, SCALES
from courses.models import AttendanceRecord, Course, Lesson
from lms import create_app
from lms.db import db


def test_tiny_scale_loads_with_the_constraints_on(app, monkeypatch):
    monkeypatch.setenv("LMS_BENCH_PASSWORD", "bench-test-password")
    result = generate(app, "tiny", quiet=True)
    counts = result["counts"]
    for table in (
        "users",
        "enrolments",
        "attendance_records",
        "grades",
        "submissions",
        "dossiers",
        "evidence_records",
    ):
        assert counts[table] > 0, table
        assert db.session.scalar(text(f"SELECT count(*) FROM {table}")) >= counts[table]
    featured = db.session.scalars(select(Course).where(Course.title.like("Corso bench %"))).all()
    assert len(featured) == 2
    n_assessments = db.session.scalar(
        text("SELECT count(*) FROM assessments WHERE course_id = :c"), {"c": featured[0].id}
    )
    assert n_assessments == 12
    # absent and excused lines carry no minutes (a CHECK constraint; the generator keeps it)
    assert not db.session.scalar(
        select(func.count()).where(
            AttendanceRecord.status.in_(["absent", "excused"]), AttendanceRecord.minutes > 0
        )
    )
    # no trainer teaches two lessons at once (PostgreSQL refuses it; checked here on both)
    a, b = Lesson.__table__.alias("a"), Lesson.__table__.alias("b")
    overlaps = db.session.scalar(
        select(func.count()).where(
            a.c.trainer_id == b.c.trainer_id,
            a.c.id < b.c.id,
            a.c.date == b.c.date,
            a.c.start_time < b.c.end_time,
            b.c.start_time < a.c.end_time,
        )
    )
    assert overlaps == 0
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(text("PRAGMA foreign_key_check")).all() == []


def test_the_plan_is_seeded():
    def plan(seed):
        return plan_courses(random.Random(seed), SCALES["L"], FEATURED, list(range(40)), 99, None)

    assert plan("a") == plan("a")
    assert plan("a") != plan("b")
    sizes = [p[1] for p in plan("a")]
    assert len(sizes) == 200 and sizes[:2] == [300, 100]
    assert 30_000 < sum(sizes) < 40_000


def test_the_ceiling_route_and_query_header_exist_only_in_the_bench_configuration(
    database_url, monkeypatch
):
    monkeypatch.setenv("LMS_CONFIG", "bench")
    bench = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "b" * 32})
    resp = bench.test_client().get("/bench/ceiling")
    assert resp.status_code == 200 and resp.data == b"ok"
    assert resp.headers["X-Bench-Queries"] == "0"
    page = bench.test_client().get("/accesso")
    assert page.status_code == 200 and int(page.headers["X-Bench-Queries"]) >= 0
    with bench.app_context():
        db.engine.dispose()
    monkeypatch.delenv("LMS_CONFIG")
    testing = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "t" * 32}
    )
    resp = testing.test_client().get("/bench/ceiling")
    assert resp.status_code == 404 and "X-Bench-Queries" not in resp.headers
    with testing.app_context():
        db.engine.dispose()


def test_copy_text_format_escapes_values():
    import datetime as dt
    from decimal import Decimal

    from bench.generate.bulk import _text

    assert [_text(v) for v in (None, True, False, 7, Decimal("2.50"))] == [
        "\\N",
        "t",
        "f",
        "7",
        "2.50",
    ]
    assert _text("a\tb\\c\nd") == "a\\tb\\\\c\\nd"
    assert _text(dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)) == "2026-01-02T03:04:00+00:00"
    assert _text(dt.time(8)) == "08:00:00"
